trace tests/trace/vhosts.conf /a?q=1

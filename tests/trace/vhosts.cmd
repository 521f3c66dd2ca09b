trace --output tsv tests/trace/vhosts.conf /shop/x?y=1 /a?q=1 /docs/intro http://www.example.com/p?q=1 http://unknown.test/docs

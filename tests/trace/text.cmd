trace tests/trace/site.htaccess /old /int/x?q=1 /section/a /deny /nothing

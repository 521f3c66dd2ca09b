trace --output json tests/trace/site.htaccess /int/x?q=1 /nothing

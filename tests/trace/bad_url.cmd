trace --output tsv tests/trace/site.htaccess ftp://x/y

trace --output tsv --urls tests/trace/urls.txt tests/trace/site.htaccess

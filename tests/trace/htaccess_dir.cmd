trace --output tsv --format htaccess --htaccess-dir /sub/ --document-root /srv/www tests/trace/site.htaccess /sub/old /old

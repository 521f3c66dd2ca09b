trace --output tsv --https --port 8443 --host Shop.Example.com tests/trace/site.htaccess /old

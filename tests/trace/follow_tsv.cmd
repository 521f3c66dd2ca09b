trace --follow --output tsv tests/trace/site.htaccess /step1 /loop-a /old

trace --output tsv tests/trace/site.htaccess /old?x=1 "POST /old" http://WWW.Example.com:8080/section/a /nothing /deny

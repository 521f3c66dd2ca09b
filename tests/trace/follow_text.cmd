trace --follow tests/trace/site.htaccess /step1 /loop-a

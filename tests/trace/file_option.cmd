trace --output tsv --file /style.css --dir /img --header "X-Unused: 1" tests/trace/front.htaccess /style.css /img/ /img/logo.png /page?x=1

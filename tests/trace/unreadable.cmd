trace --output tsv tests/trace/no-such-file.conf /x

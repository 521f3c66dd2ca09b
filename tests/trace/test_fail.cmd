test tests/trace/failing.yaml

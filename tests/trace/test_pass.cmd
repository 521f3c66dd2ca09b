test samples/tests.yaml

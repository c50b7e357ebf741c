"""A demo package that exists only for the tests: it shows that a demo is one folder. Its spec is
registered by one line in tests/models/tiny_demos.py, and with no other edit it gets its page
(widget and script), its API (inputs checked from their declarations), `marginalia train echo`
and `marginalia evaluate echo`, and its model card on the page."""

"""The demo body that `jospar load_demo` (and so `make run`) loads, through the services of the
stage apps, as the users who would do each step."""

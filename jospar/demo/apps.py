from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo body that `jospar load_demo` loads: the command and its loader, no models."""

    name = "jospar.demo"
    label = "demo"

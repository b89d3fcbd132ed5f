from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "jospar.inbox"
    verbose_name = "My work"

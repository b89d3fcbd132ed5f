from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "jospar.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # The audit receivers, and SQLite's own limit of parameters for bulk writes.
        from jospar.ops import signals, sqlite  # noqa: F401

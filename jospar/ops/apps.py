from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jospar.lib import converters


class OpsConfig(AppConfig):
    name = "jospar.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # The audit receivers, and SQLite's own limit of parameters for bulk writes.
        from jospar.ops import signals, sqlite  # noqa: F401

        # The URLs' numbers (<int64:…>), before any URL configuration is read.
        converters.register()

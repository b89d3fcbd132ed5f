"""What the apps' admin modules share."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class StepEventInline(admin.TabularInline):
    """The recorded steps of a workflow (a StepEvent model), read-only under their object."""

    extra = 0
    readonly_fields = ["kind", "actor", "at", "comment"]
    can_delete = False


def register_with_history(model, **options):
    """Register `model` in the admin with its change history and these ModelAdmin options."""
    admin.site.register(model, SimpleHistoryAdmin, **options)

"""What the apps' admin modules share."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class StepEventInline(admin.TabularInline):
    """The recorded steps of a workflow (a StepEvent model), read-only under their object."""

    extra = 0
    readonly_fields = ["kind", "actor", "at", "comment"]
    can_delete = False


class ReadOnly:
    """An admin that shows its objects and changes none: no add, change or delete (nor a
    history revert, which needs the change permission)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FrozenAdmin(ReadOnly, admin.ModelAdmin):
    """Rows written once (an approved revision and its actions)."""


class WorkflowAdmin(ReadOnly, SimpleHistoryAdmin):
    """A workflow object (a plan, an action, a submission and what it holds): it changes only
    through its services, whose pages and API check its status, the lateness and the steps;
    the admin would go around all of them, so it only shows the object and its history."""


def register_with_history(model, **options):
    """Register `model` in the admin with its change history and these ModelAdmin options."""
    admin.site.register(model, SimpleHistoryAdmin, **options)


def register_workflow(model, **options):
    """Register a workflow `model` read-only, with its history, and these ModelAdmin options."""
    admin.site.register(model, WorkflowAdmin, **options)

from django.contrib import admin

from jospar.lib.admin import StepEventInline, register_with_history
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    PlanEvent,
    Proposal,
    RegulationTask,
    Revision,
    RevisionAction,
)


class EventInline(StepEventInline):
    model = PlanEvent


register_with_history(
    OperationalPlan,
    list_display=["__str__", "body", "status", "approved_on", "approved_late"],
    list_filter=["status", "body"],
    inlines=[EventInline],
)
register_with_history(
    Action,
    list_display=["name", "plan", "lead_unit", "term_kind"],
    list_filter=["plan__body", "plan__year"],
    search_fields=["name"],
    filter_horizontal=["budget_programs", "co_executors"],
)
register_with_history(
    Proposal,
    list_display=["name", "plan", "unit", "status"],
    list_filter=["status", "plan__body"],
)
register_with_history(RegulationTask, list_display=["number", "name", "body"])
register_with_history(CompletionForm, list_display=["name", "body", "order"])


class FrozenAdmin(admin.ModelAdmin):
    """Approved revisions are read-only everywhere, the admin included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(
    Revision,
    FrozenAdmin,
    list_display=["__str__", "plan", "basis", "approved_on", "approved_by", "approved_late"],
    list_filter=["plan__body", "basis"],
)
admin.site.register(
    RevisionAction,
    FrozenAdmin,
    list_display=["number", "name", "revision"],
    list_filter=["revision__plan__body"],
)

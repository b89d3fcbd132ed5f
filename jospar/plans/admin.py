from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class EventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    readonly_fields = ["kind", "actor", "at", "comment"]
    can_delete = False


@admin.register(OperationalPlan)
class OperationalPlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "status", "approved_on", "approved_late"]
    list_filter = ["status", "body"]
    inlines = [EventInline]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "lead_unit", "term_kind"]
    list_filter = ["plan__body", "plan__year"]
    search_fields = ["name"]
    filter_horizontal = ["budget_programs", "co_executors"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "unit", "status"]
    list_filter = ["status", "plan__body"]


@admin.register(RegulationTask)
class RegulationTaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "body"]


@admin.register(CompletionForm)
class CompletionFormAdmin(SimpleHistoryAdmin):
    list_display = ["name", "body", "order"]


class FrozenAdmin(admin.ModelAdmin):
    """Approved revisions are read-only everywhere, the admin included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(FrozenAdmin):
    list_display = ["__str__", "plan", "basis", "approved_on", "approved_by", "approved_late"]
    list_filter = ["plan__body", "basis"]


@admin.register(RevisionAction)
class RevisionActionAdmin(FrozenAdmin):
    list_display = ["number", "name", "revision"]
    list_filter = ["revision__plan__body"]

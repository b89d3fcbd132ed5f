from django.contrib import admin

from jospar.lib.admin import FrozenAdmin, StepEventInline, register_with_history, register_workflow
from jospar.plans import models


class EventInline(StepEventInline):
    model = models.PlanEvent


register_workflow(
    models.OperationalPlan,
    list_display=["__str__", "body", "status", "approved_on", "approved_late"],
    list_filter=["status", "body"],
    inlines=[EventInline],
)
register_workflow(
    models.Action,
    list_display=["name", "plan", "lead_unit", "term_kind"],
    list_filter=["plan__body", "plan__year"],
    search_fields=["name"],
    filter_horizontal=["budget_programs", "co_executors"],
)
register_workflow(
    models.Proposal,
    list_display=["name", "plan", "unit", "status"],
    list_filter=["status", "plan__body"],
)
register_with_history(models.RegulationTask, list_display=["number", "name", "body"])
register_with_history(models.CompletionForm, list_display=["name", "body", "order"])


admin.site.register(
    models.Revision,
    FrozenAdmin,
    list_display=["__str__", "plan", "basis", "approved_on", "approved_by", "approved_late"],
    list_filter=["plan__body", "basis"],
)
admin.site.register(
    models.RevisionAction,
    FrozenAdmin,
    list_display=["number", "name", "revision"],
    list_filter=["revision__plan__body"],
)
admin.site.register(
    models.RevisionHeading,
    FrozenAdmin,
    list_display=["position", "kind", "code", "name", "revision"],
    list_filter=["revision__plan__body", "kind"],
)

from jospar.lib.admin import StepEventInline, register_workflow
from jospar.monitoring.models import (
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionEvent,
)


class EventInline(StepEventInline):
    model = SubmissionEvent
    readonly_fields = ["kind", "round", "actor", "at", "comment"]


register_workflow(
    Submission,
    list_display=["__str__", "status", "signed_at", "days_late", "round"],
    list_filter=["status", "quarter", "plan__body"],
    inlines=[EventInline],
)
register_workflow(
    ProgressEntry,
    list_display=["action", "submission", "status", "version"],
    list_filter=["status", "submission__quarter"],
)
register_workflow(IndicatorActual, list_display=["indicator", "submission", "value"])
register_workflow(Evidence, list_display=["name", "kind", "size", "entry", "uploaded_by"])

from jospar.lib.admin import StepEventInline, register_with_history
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


register_with_history(
    Submission,
    list_display=["__str__", "status", "signed_at", "days_late", "round"],
    list_filter=["status", "quarter", "plan__body"],
    inlines=[EventInline],
)
register_with_history(
    ProgressEntry,
    list_display=["action", "submission", "status", "version"],
    list_filter=["status", "submission__quarter"],
)
register_with_history(IndicatorActual, list_display=["indicator", "submission", "value"])
register_with_history(Evidence, list_display=["name", "kind", "size", "entry", "uploaded_by"])

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jospar.monitoring.models import (
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionEvent,
)


class EventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    readonly_fields = ["kind", "round", "actor", "at", "comment"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "signed_at", "days_late", "round"]
    list_filter = ["status", "quarter", "plan__body"]
    inlines = [EventInline]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(SimpleHistoryAdmin):
    list_display = ["action", "submission", "status", "version"]
    list_filter = ["status", "submission__quarter"]


@admin.register(IndicatorActual)
class IndicatorActualAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "submission", "value"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "size", "entry", "uploaded_by"]

"""The API's representation of quarterly monitoring (R11–R14): the units' submissions with the
actions they report on, their entries, evidence files and indicator values, the steps of the
sign-off and review, and the monitor's board. Serializers check types; the services in
jospar.monitoring.services check permissions, the submission's state and the rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jospar.api.base import (
    NUMBER,
    ReadOnlyModelSerializer,
    VisibleRelatedField,
    note_serializer,
)
from jospar.api.filters import integer_input
from jospar.deadlines.calendar import Countdown, countdown, information_deadline
from jospar.monitoring import models
from jospar.monitoring.selectors import BoardState, seen_token
from jospar.monitoring.services import allowed_submission_steps
from jospar.orgs.models import Unit
from jospar.plans.models import OperationalPlan
from jospar.plans.serializers import term_field
from jospar.signatures.serializers import LatestSignatureField, signature_field
from jospar.strategy.models import Indicator

STEP_CHOICES = [
    ("sign", _("sign off and submit (unit head)")),
    ("return", _("return with a comment (monitor)")),
    ("accept", _("accept (monitor)")),
    ("reopen", _("reopen an accepted submission (monitor)")),
]


class EvidenceSerializer(ReadOnlyModelSerializer):
    """A file that supports an entry: PDF, DOCX, XLSX or an image, recognised by its content."""

    action = serializers.IntegerField(
        source="entry.action_id", read_only=True, help_text=_("The action the entry is about.")
    )
    uploaded_by_name = serializers.StringRelatedField(source="uploaded_by")

    class Meta:
        model = models.Evidence
        fields = (
            "id",
            "action",
            "name",
            "kind",
            "size",
            "uploaded_by",
            "uploaded_by_name",
            "uploaded_at",
        )
        extra_kwargs = {
            "kind": {"help_text": _("pdf, docx, xlsx, png, jpeg or gif, by the file's content.")},
            "size": {"help_text": _("In bytes.")},
        }


class ProgressEntrySerializer(ReadOnlyModelSerializer):
    """What the unit reports on one action for the quarter. `version` counts the saves: send
    the version you loaded with your next save."""

    updated_by_name = serializers.StringRelatedField(source="updated_by")
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = models.ProgressEntry
        fields = (
            "action",
            "status",
            "actual",
            "reasons",
            "version",
            "updated_by",
            "updated_by_name",
            "updated_at",
            "evidence",
        )


class CoExecutorEntrySerializer(ReadOnlyModelSerializer):
    """A co-executor's entry on an action the unit leads, for the same quarter."""

    unit = serializers.IntegerField(source="submission.unit_id", read_only=True)
    unit_name = serializers.StringRelatedField(source="submission.unit")
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = models.ProgressEntry
        fields = ("unit", "unit_name", "status", "actual", "reasons", "evidence")


class CarriedEntrySerializer(ReadOnlyModelSerializer):
    """The unit's accepted entry of an earlier quarter on the action."""

    quarter = serializers.IntegerField(source="submission.quarter", read_only=True)

    class Meta:
        model = models.ProgressEntry
        fields = ("quarter", "status", "actual", "reasons")


class DueActionSerializer(serializers.Serializer):
    """An action of the plan in force for the quarter that the unit leads or takes part in."""

    action = serializers.IntegerField(
        source="planned.action_id", help_text=_("The action (id); send it with an entry.")
    )
    number = serializers.IntegerField(
        source="planned.number", help_text=_("The action's number in the revision in force.")
    )
    name = serializers.CharField(source="planned.name")
    term_display = term_field(source="planned.term_display")
    completion_display = serializers.SerializerMethodField(
        help_text=_("The form of completion as Appendix 1 shows it.")
    )
    lead = serializers.BooleanField(
        help_text=_("The unit is the responsible executor (else a co-executor).")
    )
    due = serializers.BooleanField(
        help_text=_(
            "Due this quarter: its term falls in it, or a one-off term has passed and the "
            "unit has not yet reported it executed."
        )
    )
    entry = ProgressEntrySerializer(
        source="progress", allow_null=True, help_text=_("The unit's entry.")
    )
    co_executor_entries = CoExecutorEntrySerializer(
        source="others",
        many=True,
        help_text=_("For an action the unit leads: the co-executors' entries of the quarter."),
    )
    carried = CarriedEntrySerializer(
        allow_null=True,
        help_text=_(
            "While the unit has no entry of its own: its accepted entry of an earlier quarter, "
            "offered as the start of this one (a recurring action's, or an unfinished one's). "
            "It counts only once saved as the unit's entry."
        ),
    )

    def get_completion_display(self, item) -> str:
        row = item.planned
        if row.completion_text:
            return row.completion_text
        return str(row.completion_form) if row.completion_form_id else ""


class ActualSerializer(ReadOnlyModelSerializer):
    """The actual value the unit reports for a target indicator it answers for."""

    value = serializers.DecimalField(**NUMBER, allow_null=True, read_only=True)

    class Meta:
        model = models.IndicatorActual
        fields = ("indicator", "value", "comment", "version")


class IndicatorRowSerializer(serializers.Serializer):
    """A target indicator the unit answers for, its planned value and the actual one."""

    indicator = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="__str__")
    unit_of_measure = serializers.CharField()
    planned = serializers.DecimalField(
        **NUMBER,
        source="planned_this_year",
        allow_null=True,
        help_text=_("The planned value for the plan year."),
    )
    actual = ActualSerializer(allow_null=True, help_text=_("What the unit reported, if anything."))


class SubmissionEventSerializer(ReadOnlyModelSerializer):
    actor_name = serializers.StringRelatedField(source="actor")

    class Meta:
        model = models.SubmissionEvent
        fields = ("id", "kind", "round", "actor", "actor_name", "at", "comment")


def _timing(submission: models.Submission) -> Countdown:
    """Against the R13 deadline: on the day of sign-off once signed, else today."""
    signed = submission.status in (
        models.SubmissionStatus.SUBMITTED,
        models.SubmissionStatus.ACCEPTED,
    )
    on = submission.signed_at if signed else None
    return countdown(information_deadline(submission.plan.year, submission.quarter), on)


class SubmissionSerializer(ReadOnlyModelSerializer):
    """A unit's quarterly information (R11–R14): drafted by the unit, signed off by its head by
    the 10th of the month after the quarter (R13), returned with a comment or accepted by the
    monitor."""

    year = serializers.IntegerField(source="plan.year", read_only=True)
    unit_name = serializers.StringRelatedField(source="unit")
    signed_by_name = serializers.StringRelatedField(source="signed_by", allow_null=True)
    deadline = serializers.SerializerMethodField(
        help_text=_("R13: the 10th of the month after the quarter (Q4: 10 January).")
    )
    countdown = serializers.SerializerMethodField(
        help_text=_(
            'Against the deadline, today or on the day of sign-off: "3 days left", "due '
            'today", "2 days late".'
        )
    )
    steps = serializers.SerializerMethodField(help_text=_("The steps you may take now."))
    signature = LatestSignatureField(
        help_text=_("The head's latest digital signature of the information; null if none.")
    )

    class Meta:
        model = models.Submission
        fields = (
            "id",
            "plan",
            "year",
            "unit",
            "unit_name",
            "quarter",
            "status",
            "round",
            "deadline",
            "countdown",
            "signed_by",
            "signed_by_name",
            "signed_at",
            "days_late",
            "steps",
            "signature",
        )
        extra_kwargs = {
            "round": {"help_text": _("1, then one more for every return or reopening.")},
            "days_late": {
                "help_text": _("Recorded at sign-off: days past the deadline (0: on time).")
            },
        }

    @extend_schema_field(serializers.DateField())
    def get_deadline(self, submission: models.Submission):
        return information_deadline(submission.plan.year, submission.quarter)

    def get_countdown(self, submission: models.Submission) -> str:
        return str(_timing(submission))

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(STEP_CHOICES)))
    def get_steps(self, submission: models.Submission) -> list[str]:
        return allowed_submission_steps(self.context["request"].user, submission)


class SubmissionDetailSerializer(SubmissionSerializer):
    """A submission with the actions the unit reports on this quarter (due or not yet due),
    each with the unit's entry, the indicators it answers for, what still keeps it from being
    signed off, and every step taken."""

    actions = DueActionSerializer(source="due_actions", many=True, read_only=True)
    indicators = IndicatorRowSerializer(many=True, read_only=True)
    problems = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("What keeps the information from being signed off."),
    )
    events = SubmissionEventSerializer(many=True, read_only=True)
    seen = serializers.SerializerMethodField(
        help_text=_("What this answer shows, as a token: send it back to sign the information off.")
    )

    class Meta(SubmissionSerializer.Meta):
        fields = (
            *SubmissionSerializer.Meta.fields,
            "actions",
            "indicators",
            "problems",
            "events",
            "seen",
        )

    def get_seen(self, submission) -> str:
        return seen_token(submission)


# Payloads


class SubmissionOpenSerializer(serializers.Serializer):
    plan = VisibleRelatedField(queryset=OperationalPlan.objects.all())
    unit = VisibleRelatedField(
        queryset=Unit.objects.all(), help_text=_("Your unit: you must be its executor or head.")
    )
    quarter = integer_input(help_text=_("1–4; the quarter must have started."))


class ProgressEntryWriteSerializer(serializers.Serializer):
    """The whole entry on one action: what is not given is saved empty."""

    action = integer_input(help_text=_("An action the unit reports on (id)."))
    status = serializers.ChoiceField(models.EntryStatus.choices, allow_blank=True, default="")
    actual = serializers.CharField(
        allow_blank=True, default="", trim_whitespace=False, help_text=_("Actual execution.")
    )
    reasons = serializers.CharField(
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=_("Reasons for non-fulfilment; required when a due action is not executed."),
    )
    version = integer_input(
        min_value=0,
        help_text=_(
            "The entry's version you loaded (0 for a first save). If someone saved it since, "
            "nothing is written and the answer is 409 with their text."
        ),
    )


class ProgressEntryCurrentSerializer(ReadOnlyModelSerializer):
    updated_by_name = serializers.StringRelatedField(source="updated_by")

    class Meta:
        model = models.ProgressEntry
        fields = ("actual", "reasons", "status", "version", "updated_by", "updated_by_name")


class ProgressEntryConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ProgressEntryCurrentSerializer(help_text=_("The entry as the other person saved it."))


class ActualWriteSerializer(serializers.Serializer):
    indicator = VisibleRelatedField(
        queryset=Indicator.objects.all(),
        help_text=_("A target indicator your unit answers for (id)."),
    )
    value = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=_('A number: "12.5" or "12,5"; empty or null clears it.'),
    )
    comment = serializers.CharField(allow_blank=True, default="")
    version = integer_input(
        min_value=0, help_text=_("The version you loaded (0 for a first save).")
    )


class ActualCurrentSerializer(ReadOnlyModelSerializer):
    value = serializers.DecimalField(**NUMBER, allow_null=True, read_only=True)

    class Meta:
        model = models.IndicatorActual
        fields = ("value", "comment", "version")


class ActualConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ActualCurrentSerializer(help_text=_("The value as the other person saved it."))


class EvidenceUploadSerializer(serializers.Serializer):
    action = integer_input(
        help_text=_("The action whose entry the file supports; save the entry first.")
    )
    file = serializers.FileField(
        help_text=_("PDF, DOCX, XLSX, PNG, JPEG or GIF, within the size limit.")
    )


class SignSerializer(serializers.Serializer):
    seen = serializers.CharField(
        allow_blank=True,
        help_text=_(
            "The `seen` of the submission as you read it: if the information changed since, "
            "nothing is signed and the answer (409) names what changed."
        ),
    )
    cms = signature_field(
        _(
            "The head's digital signature (CMS, detached, base64, as NCALayer makes it) of the "
            "information's canonical document, where the body uses the digital signature for "
            "the sign-off; a signature that fails verification refuses the step (400, with the "
            "reason under `cms`)."
        )
    )


class SignConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    actions = serializers.ListField(child=serializers.IntegerField(), help_text=_("Action ids."))
    indicators = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Indicator ids.")
    )


ReturnSerializer = note_serializer(
    "ReturnSerializer", "comment", _("What must be corrected; the unit sees it.")
)
ReopenSerializer = note_serializer(
    "ReopenSerializer", "reason", _("Why the accepted information is reopened.")
)


# The monitor's board


class BoardQuerySerializer(serializers.Serializer):
    plan = VisibleRelatedField(
        queryset=OperationalPlan.objects.select_related("body"),
        help_text=_("The operational plan (id)."),
    )
    quarter = serializers.IntegerField(min_value=1, max_value=4)


BOARD_STATES = [
    (BoardState.NOT_STARTED, _("not started")),
    (BoardState.DRAFT, _("in draft")),
    (BoardState.ON_TIME, _("submitted on time")),
    (BoardState.LATE, _("submitted late")),
    (BoardState.RETURNED, _("returned for correction")),
    (BoardState.ACCEPTED, _("accepted")),
    (BoardState.NOTHING_DUE, _("nothing due")),
]


class BoardRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.__str__")
    unit_kind = serializers.ChoiceField(Unit.Kind.choices, source="unit.kind")
    submission = serializers.IntegerField(source="submission.pk", allow_null=True, default=None)
    status = serializers.ChoiceField(
        models.SubmissionStatus.choices, source="submission.status", allow_null=True, default=None
    )
    state = serializers.ChoiceField(BOARD_STATES)
    due = serializers.IntegerField(help_text=_("Actions due this quarter."))
    filled = serializers.IntegerField(help_text=_("Due actions with a complete entry."))
    signed_at = serializers.DateTimeField(
        source="submission.signed_at", allow_null=True, default=None
    )
    days_late = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Signed: the days late recorded at sign-off. Not signed after the deadline: "
            "the days past it today."
        ),
    )
    overdue = serializers.BooleanField(
        help_text=_("Not signed and the deadline has passed: listed first.")
    )


class BoardSerializer(serializers.Serializer):
    """Every unit of the body with the state and completeness of its quarterly information."""

    plan = serializers.IntegerField()
    quarter = serializers.IntegerField()
    deadline = serializers.DateField(help_text=_("R13: the units' deadline for the quarter."))
    days_left = serializers.IntegerField(help_text=_("Days left until the deadline; 0 when late."))
    days_late = serializers.IntegerField(help_text=_("Days past the deadline, today."))
    countdown = serializers.CharField(help_text=_('"3 days left", "due today", "2 days late".'))
    rows = BoardRowSerializer(many=True)

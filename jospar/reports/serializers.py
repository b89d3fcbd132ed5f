"""The API's representation of the quarterly report (R15–R16, Appendix 2) and of the officials'
decisions on it (R17): the report with its summary and its rows under the headings of the plan,
the monitor's recommendations, the recommendations to amend the plan with the adjustment each
went into, and the decisions with the units' follow-up. Serializers check types; the services in
jospar.reports.services check permissions, the report's state and the rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jospar.api.base import (
    NUMBER,
    VERSION_HELP,
    ReadOnlyModelSerializer,
    ServiceSerializer,
    VisibleRelatedField,
)
from jospar.api.filters import integer_input
from jospar.deadlines.calendar import countdown
from jospar.monitoring.models import EntryStatus
from jospar.orgs.models import UNIT_ROLES, Unit
from jospar.orgs.policy import units_of
from jospar.plans.models import CompletionForm, OperationalPlan
from jospar.plans.serializers import ROW_KINDS, section_field
from jospar.reports.models import (
    PROPOSED_FIELDS,
    AmendmentRecommendation,
    Decision,
    DecisionProgress,
    Report,
    ReportRow,
)
from jospar.reports.selectors import (
    describe_recommendation,
    recommendation_text,
    report_due,
)
from jospar.reports.services import allowed_report_steps
from jospar.signatures.serializers import LatestSignatureField, signature_field

ROW_STATUSES = [("", _("no information")), *EntryStatus.choices]


class ReportSerializer(ReadOnlyModelSerializer):
    """The monitor's report on the implementation of the plan for a quarter (R15): compiled
    from the units' accepted information, submitted to the officials by the 15th of the month
    after the quarter, then frozen."""

    year = serializers.IntegerField(source="plan.year", read_only=True)
    revision_number = serializers.IntegerField(
        source="revision.number",
        read_only=True,
        help_text=_("The revision of the plan in force that the report follows."),
    )
    monitoring_unit_name = serializers.StringRelatedField(source="monitoring_unit", allow_null=True)
    submitted_by_name = serializers.StringRelatedField(source="submitted_by", allow_null=True)
    deadline = serializers.SerializerMethodField(
        help_text=_("R15: the 15th of the month after the quarter (Q4: 15 January).")
    )
    countdown = serializers.SerializerMethodField(
        help_text=_(
            'Against the deadline, today or on the day of submission: "3 days left", '
            '"due today", "2 days late".'
        )
    )
    steps = serializers.SerializerMethodField(
        help_text=_('The steps you may take now: "submit" to the officials (monitor).')
    )
    signature = LatestSignatureField(
        help_text=_("The monitor's digital signature of the submitted report; null if none.")
    )

    class Meta:
        model = Report
        fields = (
            "id",
            "plan",
            "year",
            "quarter",
            "revision",
            "revision_number",
            "status",
            "monitoring_unit",
            "monitoring_unit_name",
            "general_recommendations",
            "compiled_at",
            "compiled_by",
            "submitted_at",
            "submitted_by",
            "submitted_by_name",
            "deadline",
            "countdown",
            "days_late",
            "steps",
            "signature",
            "version",
        )
        extra_kwargs = {
            "compiled_at": {"help_text": _("When the rows were last filled from the units.")},
            "days_late": {
                "help_text": _("Recorded on submission: days past the deadline (0: on time).")
            },
        }

    @extend_schema_field(serializers.DateField())
    def get_deadline(self, report: Report):
        return report_due(report)

    def get_countdown(self, report: Report) -> str:
        """Against the R15 deadline: on the day of submission once submitted, else today."""
        return str(countdown(report_due(report), report.submitted_at))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, report: Report) -> list[str]:
        return allowed_report_steps(self.context["request"].user, report)


class ReportRowSerializer(ReadOnlyModelSerializer):
    """One action as the report shows it, in the columns of Appendix 2: 1 number, 2 name,
    3 responsible executor, 4 term, 5 form of completion (as approved), 6 actual execution and
    7 reasons (from the units' accepted information), 8 recommendations (the monitor's)."""

    number = serializers.IntegerField(
        source="planned.number", read_only=True, help_text=_("Column 1: the action's number.")
    )
    section = section_field(source="planned.section")
    name = serializers.CharField(
        source="planned.name", read_only=True, help_text=_("Column 2: the action as approved.")
    )
    lead_unit = serializers.IntegerField(
        source="planned.lead_unit_id",
        read_only=True,
        allow_null=True,
        help_text=_("The responsible executor (unit id)."),
    )
    executors = serializers.SerializerMethodField(
        help_text=_("Column 3: the responsible executor, then the co-executors.")
    )
    term_display = serializers.SerializerMethodField(
        help_text=_('Column 4: the term as people write it: "1 quarter", "during the year".')
    )
    completion_display = serializers.CharField(
        source="planned.completion_display",
        read_only=True,
        help_text=_("Column 5: the form of completion as approved."),
    )
    status = serializers.ChoiceField(
        ROW_STATUSES,
        read_only=True,
        help_text=_("How the action stands at the end of the quarter; empty: no information."),
    )
    recommendation_display = serializers.SerializerMethodField(
        help_text=_(
            "Column 8: the monitor's recommendation and the changes of the plan recommended "
            "for the action."
        )
    )

    class Meta:
        model = ReportRow
        fields = (
            "id",
            "report",
            "action",
            "number",
            "section",
            "name",
            "lead_unit",
            "executors",
            "term_display",
            "completion_display",
            "due",
            "status",
            "actual",
            "executed_earlier",
            "reasons",
            "missing_units",
            "recommendation",
            "recommendation_display",
            "version",
        )
        extra_kwargs = {
            "due": {"help_text": _("Due by the end of the quarter.")},
            "executed_earlier": {
                "help_text": _("The lead reported the action executed in an earlier quarter.")
            },
            "actual": {"help_text": _("Column 6, from the units' accepted information.")},
            "reasons": {"help_text": _("Column 7, from the units' accepted information.")},
            "missing_units": {
                "help_text": _(
                    "Units that answer for the due action but whose information for the "
                    "quarter is not accepted."
                )
            },
            "recommendation": {
                "help_text": _("The monitor's recommendation on the action (part of column 8).")
            },
        }

    def get_executors(self, row: ReportRow) -> str:
        return row.planned.executors_display

    def get_term_display(self, row: ReportRow) -> str:
        return row.planned.term_display

    def get_recommendation_display(self, row: ReportRow) -> str:
        return recommendation_text(row)


class ReportLayoutRowSerializer(serializers.Serializer):
    """A row of Appendix 2: a heading of the plan or an action with its columns."""

    kind = serializers.ChoiceField(ROW_KINDS)
    anchor = serializers.CharField(help_text=_('The row\'s id, e.g. "action-12", "goal-3".'))
    text = serializers.CharField(help_text=_("The heading, or the name of the action."))
    # plans_serializers.LayoutRow: an action row's `action` is here the report's row.
    row = ReportRowSerializer(
        source="action", allow_null=True, help_text=_("For an action: its columns.")
    )


class TallySerializer(serializers.Serializer):
    """The actions of a group due by the end of the quarter and how they stand."""

    label = serializers.CharField()
    due = serializers.IntegerField()
    executed = serializers.IntegerField()
    partial = serializers.IntegerField()
    not_executed = serializers.IntegerField()
    no_information = serializers.IntegerField()
    executed_share = serializers.IntegerField(help_text=_("Percent of the due actions executed."))


class IndicatorProgressSerializer(serializers.Serializer):
    """A target indicator's planned value for the year against the latest accepted actual."""

    indicator = serializers.IntegerField(source="indicator.pk")
    name = serializers.CharField(source="indicator.__str__")
    unit_of_measure = serializers.CharField(source="indicator.unit_of_measure")
    planned = serializers.DecimalField(**NUMBER, allow_null=True)
    actual = serializers.DecimalField(**NUMBER, allow_null=True)
    quarter = serializers.IntegerField(
        allow_null=True, help_text=_("The quarter of the latest accepted value.")
    )
    percent = serializers.IntegerField(allow_null=True, help_text=_("Actual of planned, %."))


TIMELINESS_STATES = [
    ("on_time", _("signed off on time")),
    ("late", _("signed off late")),
    ("missing", _("not signed off")),
]


class TimelinessSerializer(serializers.Serializer):
    """A unit with actions due in the quarter, and when it signed its information off (R13)."""

    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.__str__")
    submission = serializers.IntegerField(source="submission.pk", allow_null=True, default=None)
    deadline = serializers.DateField()
    signed_at = serializers.DateTimeField(
        source="submission.signed_at", allow_null=True, default=None
    )
    days_late = serializers.IntegerField(allow_null=True)
    state = serializers.ChoiceField(TIMELINESS_STATES)


class ReportSummarySerializer(serializers.Serializer):
    overall = TallySerializer()
    by_direction = TallySerializer(
        many=True, help_text=_("Per strategic direction, then Section II if anything is due.")
    )
    by_goal = TallySerializer(many=True)
    by_unit = TallySerializer(many=True, help_text=_("Per responsible executor."))
    indicators = IndicatorProgressSerializer(many=True)
    timeliness = TimelinessSerializer(many=True)
    missing_units = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Units whose information on a due action is not accepted."),
    )


class ReportDetailSerializer(ReportSerializer):
    """A report with its summary and its rows as Appendix 2 lays them out: the headings of the
    development plan and of the regulation's tasks, each followed by its actions."""

    summary = ReportSummarySerializer(read_only=True)
    rows = ReportLayoutRowSerializer(source="layout", many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = (*ReportSerializer.Meta.fields, "summary", "rows")


# Payloads of the report


class ReportCompileSerializer(serializers.Serializer):
    plan = VisibleRelatedField(
        queryset=OperationalPlan.objects.all(), help_text=_("The operational plan (id).")
    )
    quarter = integer_input(help_text=_("1–4; the quarter must have started."))


class ReportSubmitSerializer(serializers.Serializer):
    cms = signature_field(
        _(
            "The monitor's digital signature (CMS, detached, base64, as NCALayer makes it) of "
            "the report's canonical document, where the body uses the digital signature for "
            "the report (required if it requires it); a signature that fails verification "
            "refuses the submission (400, with the reason under `cms`)."
        )
    )


class ReportUpdateSerializer(ServiceSerializer):
    """What the monitor writes on the report itself; a field not given stays as it is."""

    class Meta:
        model = Report
        fields = ("general_recommendations", "monitoring_unit", "version")
        extra_kwargs = {
            "monitoring_unit": {"help_text": _("The unit responsible for the report (id).")}
        }

    def service_data(self) -> dict:
        report = self.instance
        return {
            "general_recommendations": report.general_recommendations,
            "monitoring_unit": report.monitoring_unit,
        } | dict(self.validated_data)


class RowRecommendationSerializer(serializers.Serializer):
    recommendation = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("The monitor's recommendation on the action; empty clears it."),
    )
    version = integer_input(required=False, help_text=VERSION_HELP)


# Recommendations to amend the plan


class AmendmentRecommendationSerializer(ServiceSerializer):
    """A recommendation to amend the plan (R16), written so that a planner can turn it into a
    change of a draft adjustment (R18) in one step. Only what the kind of change uses is kept:
    a new term, a new responsible executor, a new wording, or a whole new action."""

    create_only_fields = ("report",)
    completion_form = VisibleRelatedField.optional(
        CompletionForm, _("For a new action: a form from the reference list.")
    )
    description = serializers.SerializerMethodField(
        help_text=_("The change in words, as column 8 of the report shows it.")
    )

    class Meta:
        model = AmendmentRecommendation
        fields = (
            "id",
            "report",
            "kind",
            "action",
            *PROPOSED_FIELDS,
            "justification",
            "description",
            "applied_plan",
            "applied_revision_number",
            "applied_action",
            "applied_at",
            "applied_by",
        )
        read_only_fields = (
            "applied_plan",
            "applied_revision_number",
            "applied_action",
            "applied_at",
            "applied_by",
        )
        extra_kwargs = {
            "action": {
                "help_text": _("The action of the report the change is about; none to add one.")
            },
            "name": {"help_text": _("The new wording, or the name of a new action.")},
            "indicator": {"help_text": _("For a new action: its indicator (Section I).")},
            "task": {"help_text": _("For a new action: its task (Section II).")},
            "lead_unit": {"help_text": _("The new responsible executor.")},
            "term_kind": {"help_text": _("How the new term of execution is given.")},
            "justification": {"allow_blank": True, "help_text": _("Why the plan should change.")},
            "applied_plan": {
                "help_text": _("Once applied: the plan whose adjustment the change went into.")
            },
            "applied_revision_number": {
                "help_text": _("Once applied: the revision the adjustment becomes when approved.")
            },
            "applied_action": {"help_text": _("Once applied: the action changed or created.")},
        }

    def get_description(self, recommendation: AmendmentRecommendation) -> str:
        return describe_recommendation(recommendation)


# Decisions (R17)


class DecisionProgressSerializer(ReadOnlyModelSerializer):
    unit_name = serializers.StringRelatedField(source="unit")
    author_name = serializers.StringRelatedField(source="author")

    class Meta:
        model = DecisionProgress
        fields = ("id", "unit", "unit_name", "status", "text", "author", "author_name", "at")


class DecisionSerializer(ServiceSerializer):
    """An official's decision on a submitted report (R17), aimed at the effectiveness of the
    planned measures or at the problems found, assigned to units that say what they have done.
    The status is the official's on an update, else the latest the units gave."""

    create_only_fields = ("report",)
    units = VisibleRelatedField(
        queryset=Unit.objects.all(),
        many=True,
        help_text=_("The units the decision is assigned to (ids of the report's body)."),
    )
    unit_names = serializers.StringRelatedField(source="units", many=True, read_only=True)
    quarter = serializers.IntegerField(source="report.quarter", read_only=True)
    year = serializers.IntegerField(source="report.plan.year", read_only=True)
    decided_by_name = serializers.StringRelatedField(source="decided_by")
    my_units = serializers.SerializerMethodField(
        help_text=_("The assigned units you may report progress for.")
    )
    progress = DecisionProgressSerializer(many=True, read_only=True)
    signature = LatestSignatureField(
        help_text=_(
            "The official's latest digital signature of the decision (on its creation or a "
            "change of what was decided); null if none."
        )
    )
    cms = signature_field(
        _(
            "The official's digital signature (CMS, detached, base64, as NCALayer makes it) of "
            "the decision's canonical document as this request makes it (its report, aim, text, "
            "units and due date), where the body uses the digital signature for decisions; "
            "required there for a new decision and for a change of what was decided when the "
            "body requires it. A signature that fails verification refuses the request (400, "
            "with the reason under `cms`)."
        )
    )

    class Meta:
        model = Decision
        fields = (
            "id",
            "report",
            "year",
            "quarter",
            "kind",
            "text",
            "units",
            "unit_names",
            "due_on",
            "status",
            "decided_by",
            "decided_by_name",
            "decided_on",
            "closed_on",
            "my_units",
            "progress",
            "signature",
            "version",
            "cms",
        )
        read_only_fields = ("decided_by", "decided_on", "closed_on")
        extra_kwargs = {
            "report": {"help_text": _("A submitted report of your body (id).")},
            "status": {"help_text": _("Set on an update; a new decision is open.")},
            "closed_on": {"help_text": _("The day the decision was marked done.")},
        }

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.instance is None:
            fields["status"].read_only = True
        return fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_my_units(self, decision: Decision) -> list[int]:
        mine = units_of(self.context["request"].user, decision.report.plan.body_id, UNIT_ROLES)
        return [unit.pk for unit in decision.units.all() if unit.pk in mine]

    def service_data(self) -> dict:
        data = super().service_data()
        decision = self.instance
        if decision is not None:  # an update: what is not given stays
            current = {
                "kind": decision.kind,
                "text": decision.text,
                "units": list(decision.units.all()),
                "due_on": decision.due_on,
                "status": decision.status,
            }
            data = current | data
        return data


class DecisionProgressWriteSerializer(serializers.Serializer):
    unit = VisibleRelatedField(
        queryset=Unit.objects.all(),
        help_text=_("Your unit, one the decision is assigned to (id)."),
    )
    status = serializers.ChoiceField(
        Decision._meta.get_field("status").choices,
        help_text=_("The decision takes the status you give."),
    )
    text = serializers.CharField(allow_blank=True, help_text=_("What has been done."))

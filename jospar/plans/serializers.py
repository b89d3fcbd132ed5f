"""The API's representation of the operational plan, its actions, proposals and reference lists,
its revisions and the comparison of two of them. Serializers check types; the services check
permissions and the rules across records, and save."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from jospar.api.base import (
    ReadOnlyModelSerializer,
    ServiceSerializer,
    TextsInLanguages,
    VisibleRelatedField,
    note_serializer,
)
from jospar.api.filters import integer_input
from jospar.deadlines.calendar import Countdown, countdown
from jospar.plans.diff import FIELDS
from jospar.plans.models import (
    CONTENT_FIELDS,
    M2M_FIELDS,
    Action,
    CompletionForm,
    OperationalPlan,
    PlanEvent,
    Proposal,
    RegulationTask,
    Revision,
    RevisionAction,
    RevisionBasis,
)
from jospar.plans.selectors import Row
from jospar.plans.services import PLAN_FIELDS, allowed_transitions
from jospar.signatures.serializers import LatestSignatureField, signature_field
from jospar.signatures.services import latest_signatures_of_parts
from jospar.strategy.models import Amendment

CONTENT = (*CONTENT_FIELDS, *M2M_FIELDS)
SECTION_HEADINGS = {
    1: _("I. Actions to achieve the goals and target indicators of the development plan"),
    2: _("II. Actions for solving other tasks defined by the regulation of the state body"),
}


# What every view of an action shows alike, read only; `kwargs` such as the field's source.


def section_field(**kwargs) -> serializers.IntegerField:
    help_text = _("1: goals and target indicators; 2: tasks from the regulation.")
    return serializers.IntegerField(read_only=True, help_text=help_text, **kwargs)


def term_field(**kwargs) -> serializers.CharField:
    help_text = _('The term as people write it: "1 quarter", "by 20 December", "during the year".')
    return serializers.CharField(read_only=True, help_text=help_text, **kwargs)


def completion_field(**kwargs) -> serializers.CharField:
    help_text = _("The form of completion as Appendix 1 shows it.")
    return serializers.CharField(read_only=True, help_text=help_text, **kwargs)


class ContentSerializer(ServiceSerializer):
    """What an action or a proposal says. Its place in the plan is an indicator (Section I) or
    a task from the regulation (Section II); giving one clears the other."""

    completion_form = VisibleRelatedField.optional(
        CompletionForm, _("A form from the reference list (shared or the body's own).")
    )
    term_display = term_field()
    completion_display = completion_field()
    budget_program_codes = serializers.SlugRelatedField(
        source="budget_programs",
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("The codes of the budget programs, as Appendix 1 shows them."),
    )
    lead_unit_name = serializers.StringRelatedField(
        source="lead_unit", allow_null=True, help_text=_("The responsible executor's name.")
    )
    co_executor_names = serializers.StringRelatedField(
        source="co_executors", many=True, read_only=True, help_text=_("The co-executors' names.")
    )

    class Meta:
        fields = (
            *CONTENT,
            "term_display",
            "completion_display",
            "budget_program_codes",
            "lead_unit_name",
            "co_executor_names",
        )
        extra_kwargs = {
            "indicator": {
                "help_text": _(
                    "The macro or target indicator the action serves (Section I); "
                    "give it or a task, or neither for Section II without a task."
                )
            },
            "task": {"help_text": _("The task from the regulation (Section II).")},
            "budget_programs": {"help_text": _("Budget programs of the body (ids).")},
            "lead_unit": {"help_text": _("The responsible executor: one unit of the body.")},
            "co_executors": {"help_text": _("Other units that take part (ids).")},
            "term_kind": {"help_text": _("How the term of execution is given.")},
            "term_date": {"help_text": _("For a term by a date: the date, in the plan year.")},
            "term_month": {"help_text": _("For a term in a month: 1–12.")},
            "term_quarter": {"help_text": _("For a term in a quarter: 1–4.")},
            "term_half": {"help_text": _("For a term in a half-year: 1 or 2.")},
            "term_text": {
                "help_text": _(
                    "For an ongoing term: the term as written (“по мере поступления”), "
                    "in each language."
                )
            },
            "completion_text": {
                "help_text": _("A form of completion in free text; it replaces the chosen form.")
            },
        }

    def service_data(self) -> dict:
        data = super().service_data()
        for given, other in (("indicator", "task"), ("task", "indicator")):
            if data.get(given) is not None and other not in data:
                data[other] = None
        return data


class ActionSerializer(ContentSerializer):
    """A row of the operational plan."""

    create_only_fields = ("plan",)
    section = section_field()

    class Meta(ContentSerializer.Meta):
        model = Action
        fields = (
            "id",
            "plan",
            "section",
            "position",
            *ContentSerializer.Meta.fields,
            "proposal",
            "version",
        )
        read_only_fields = ("position", "proposal")
        extra_kwargs = ContentSerializer.Meta.extra_kwargs | {
            "position": {
                "help_text": _("The order among the actions of the same indicator or task.")
            },
            "proposal": {"help_text": _("The proposal the action was accepted from.")},
        }


class ActionMoveSerializer(serializers.Serializer):
    offset = serializers.ChoiceField(
        [(-1, _("up")), (1, _("down"))],
        help_text=_("-1 moves the action up, 1 down, among the actions of its indicator or task."),
    )


class ProposalSerializer(ContentSerializer):
    """A unit's suggested action for the plan (R5): drafted by the unit, signed off by its head
    (or returned to the executor with what to change, and sent again), then accepted into the
    plan or declined with a reason by the planner."""

    create_only_fields = ("plan", "unit")
    action = serializers.SerializerMethodField(
        help_text=_("The action the proposal became, once accepted.")
    )
    signature = LatestSignatureField(
        help_text=_("The head's latest digital signature of the proposal; null if none.")
    )

    class Meta(ContentSerializer.Meta):
        model = Proposal
        # Where the proposal stands: written by its steps, never by a payload.
        read_only_fields = (
            "status",
            "author",
            "signed_by",
            "signed_at",
            "decline_reason",
            "return_comment",
            "returned_by",
            "returned_at",
        )
        fields = (
            "id",
            "plan",
            "unit",
            *read_only_fields,
            *ContentSerializer.Meta.fields,
            "action",
            "signature",
            "version",
        )
        extra_kwargs = ContentSerializer.Meta.extra_kwargs | {
            "unit": {"help_text": _("The proposing unit; you must be its executor or head.")},
            "lead_unit": {
                "help_text": _("The responsible executor; the proposing unit if omitted.")
            },
        }

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_action(self, proposal: Proposal) -> int | None:
        actions = list(proposal.actions.all())
        return actions[0].pk if actions else None


class ProposalAcceptSerializer(ContentSerializer):
    """Changes the planner makes while accepting; what is not given stays as proposed."""

    class Meta(ContentSerializer.Meta):
        model = Action
        fields = CONTENT
        extra_kwargs = ContentSerializer.Meta.extra_kwargs | {"name": {"required": False}}


ProposalDeclineSerializer = note_serializer(
    "ProposalDeclineSerializer", "reason", _("Why the proposal is declined; the unit sees it.")
)
ProposalReturnSerializer = note_serializer(
    "ProposalReturnSerializer", "comment", _("What the executor should change; they see it.")
)


class PlanEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.StringRelatedField(source="actor")

    class Meta:
        model = PlanEvent
        fields = ("id", "kind", "actor", "actor_name", "at", "comment")


def approval_signatures(plans) -> dict:
    """The latest signature of each plan's approvals: what an approval signs is the revision."""
    return latest_signatures_of_parts(plans, Revision, "plan")


class OperationalPlanSerializer(ServiceSerializer):
    """The operational plan of a body for a year (R2, R6), with its approval: the R6 deadline
    (ten days after the development plan or the amendment it is based on was signed), the days
    left or late, and the steps taken."""

    create_only_fields = ("body",)
    approval_deadline = serializers.SerializerMethodField(
        help_text=_(
            "R6: ten calendar days after the plan's basis (see approval_basis); none for an "
            "adjustment on monitoring results or another basis, or while no basis date is known."
        )
    )
    approval_basis = serializers.SerializerMethodField(
        help_text=_(
            "What R6's ten days run from: the development plan's signing, a recent amendment "
            "or the basis date recorded on the plan (approval_basis_on); none while unknown."
        )
    )
    days_left = serializers.SerializerMethodField(
        help_text=_("Days left until the deadline (on approval: were left); 0 when late.")
    )
    days_late = serializers.SerializerMethodField(
        help_text=_("Days past the deadline, today or on the day of approval.")
    )
    countdown = serializers.SerializerMethodField(
        help_text=_('The same in words: "3 days left", "due today", "2 days late".')
    )
    steps = serializers.SerializerMethodField(
        help_text=_("The approval steps you may take now (submit, approve, return).")
    )
    events = PlanEventSerializer(many=True, read_only=True)
    signature = LatestSignatureField(
        latest=approval_signatures,
        help_text=_(
            "The official's digital signature of the plan's latest approval (of its latest "
            "signed revision); null if none."
        ),
    )

    class Meta:
        model = OperationalPlan
        fields = (
            "id",
            "body",
            *PLAN_FIELDS,
            "basis",
            "basis_reference",
            "basis_text",
            "status",
            "approval_deadline",
            "approval_basis",
            "days_left",
            "days_late",
            "countdown",
            "approved_on",
            "approved_by",
            "approved_late",
            "steps",
            "events",
            "signature",
            "version",
        )
        read_only_fields = (
            "basis",
            "basis_reference",
            "basis_text",
            "status",
            "approved_on",
            "approved_by",
            "approved_late",
        )
        extra_kwargs = {
            "basis_amendment": {
                "help_text": _(
                    "Empty when the plan is based on the signed development plan itself."
                )
            },
            "basis": {
                "help_text": _(
                    "The basis of the open draft or of the revision in force: the first "
                    "approval, or an adjustment (R18); POST …/adjust/ starts one."
                )
            },
            "basis_reference": {
                "help_text": _("For an adjustment on monitoring: the report and recommendation.")
            },
            "basis_text": {"help_text": _("The explanation of the adjustment.")},
        }

    def _countdown(self, plan: OperationalPlan) -> Countdown | None:
        basis = plan.approval_basis
        return countdown(basis.deadline, plan.approved_on) if basis else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_approval_deadline(self, plan: OperationalPlan):
        timing = self._countdown(plan)
        return timing.deadline if timing else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_approval_basis(self, plan: OperationalPlan) -> str | None:
        basis = plan.approval_basis
        return str(basis) if basis else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_left(self, plan: OperationalPlan) -> int | None:
        timing = self._countdown(plan)
        return max(0, timing.days_left) if timing else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_late(self, plan: OperationalPlan) -> int | None:
        timing = self._countdown(plan)
        return timing.days_late if timing else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_countdown(self, plan: OperationalPlan) -> str | None:
        timing = self._countdown(plan)
        return str(timing) if timing else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, plan: OperationalPlan) -> list[str]:
        return allowed_transitions(self.context["request"].user, plan)


class PlanApproveSerializer(serializers.Serializer):
    cms = signature_field(
        _(
            "The official's digital signature (CMS, detached, base64, as NCALayer makes it) of "
            "the canonical document of the plan's working copy as it will be frozen as the next "
            "revision, where the body uses the digital signature for the approval; a signature "
            "that fails verification refuses the step (400, with the reason under `cms`)."
        )
    )


class ProposalSignSerializer(serializers.Serializer):
    cms = signature_field(
        _(
            "The head's digital signature (CMS, detached, base64, as NCALayer makes it) of the "
            "proposal's canonical document, where the body uses the digital signature for the "
            "sign-off; a signature that fails verification refuses the step (400, with the "
            "reason under `cms`)."
        )
    )


PlanReturnSerializer = note_serializer(
    "PlanReturnSerializer", "comment", _("What must be corrected; the planner sees it.")
)


class ProblemSerializer(serializers.Serializer):
    """A finding of the completeness check: errors block submission, warnings do not."""

    level = serializers.ChoiceField([("error", _("error")), ("warning", _("warning"))])
    message = serializers.CharField()
    anchor = serializers.CharField(help_text=_("The row of the layout the finding is about."))


@dataclass(frozen=True)
class LayoutRow:
    kind: str
    number: int | None
    anchor: str
    text: str
    of_the_year: bool
    action: Action | None

    @classmethod
    def of(cls, row: Row) -> LayoutRow:
        if row.kind == "section":
            text = str(SECTION_HEADINGS[row.obj])
        elif row.kind == "action":
            text = row.obj.name
        else:
            text = str(row.obj)
        action = row.obj if row.kind == "action" else None
        return cls(row.kind, row.number, row.anchor, text, row.of_the_year, action)


ROW_KINDS = [
    ("section", _("section")),
    ("direction", _("strategic direction")),
    ("macro", _("macro indicator")),
    ("goal", _("goal")),
    ("target", _("target indicator")),
    ("task", _("task from the regulation")),
    ("action", _("action")),
]


class LayoutRowSerializer(serializers.Serializer):
    """A row of Appendix 1: a heading or an action with its number in the plan."""

    kind = serializers.ChoiceField(ROW_KINDS)
    number = serializers.IntegerField(
        allow_null=True, help_text=_("The action's number; it runs through the whole plan.")
    )
    anchor = serializers.CharField(help_text=_('The row\'s id, e.g. "action-12", "indicator-3".'))
    text = serializers.CharField(help_text=_("The heading, or the name of the action."))
    of_the_year = serializers.BooleanField(
        help_text=_("For an indicator: it has a planned value for the plan year.")
    )
    action = ActionSerializer(allow_null=True, read_only=True)


class CompletionFormSerializer(ServiceSerializer):
    """A form of completion; the shared list has no body, a body's administrator adds its own."""

    create_only_fields = ("body",)
    label = serializers.CharField(
        source="__str__", read_only=True, help_text=_("The name in your language.")
    )

    class Meta:
        model = CompletionForm
        fields = ("id", "body", "name", "label", "order")
        extra_kwargs = {
            "body": {
                "required": True,
                "help_text": _("The body that adds the form; shared forms have none."),
            }
        }

    def validate_body(self, body):
        if body is None:
            raise serializers.ValidationError(_("Name the body that adds the form."))
        return body


class RegulationTaskSerializer(ServiceSerializer):
    """A task set by the regulation on the state body: an anchor of Section II."""

    create_only_fields = ("body",)

    class Meta:
        model = RegulationTask
        fields = ("id", "body", "number", "name", "version")


class AdjustmentSerializer(serializers.Serializer):
    """The basis of an adjustment (R18) and the detail it needs."""

    # The plan's and the revisions' `basis` share this choice set, so the schema names it
    # once; "initial" (the first approval) is refused here.
    basis = serializers.ChoiceField(
        RevisionBasis.choices,
        help_text=_(
            "amendment: an amendment of the development plan (give basis_amendment); "
            "monitoring: results of monitoring (give basis_reference or basis_text); "
            "other: another reason (give basis_text). initial is the first approval, "
            "not an adjustment."
        ),
    )
    basis_amendment = VisibleRelatedField.optional(
        Amendment, _("For an amendment: the amendment of the plan's development plan (id).")
    )
    basis_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_("For monitoring results: the report and recommendation this follows."),
    )
    basis_text = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("An explanation; required for another basis."),
    )

    def validate_basis(self, basis: str) -> str:
        if basis == RevisionBasis.INITIAL:
            raise serializers.ValidationError(
                _("The first approval is not an adjustment: choose amendment, monitoring or other.")
            )
        return basis


class RevisionSerializer(ReadOnlyModelSerializer):
    """An approved state of the plan, numbered from 1 (the first approval), with its basis."""

    approved_by_name = serializers.StringRelatedField(
        source="approved_by", help_text=_("The official who approved it.")
    )

    class Meta:
        model = Revision
        fields = (
            "id",
            "plan",
            "number",
            "basis",
            "basis_amendment",
            "basis_reference",
            "basis_text",
            "approved_on",
            "approved_by",
            "approved_by_name",
            "approved_late",
        )
        extra_kwargs = {
            "basis_amendment": {
                "help_text": _("The amendment of the development plan it follows.")
            },
            "approved_late": {"help_text": _("Approved after the R6 deadline.")},
        }


# The schema's component names stay as generated clients know them.
@extend_schema_serializer(component_name="RevisionEntry")
class RevisionActionSerializer(TextsInLanguages, ReadOnlyModelSerializer):
    """An action as the approved revision holds it."""

    section = section_field()
    lead_unit_name = serializers.CharField(
        source="lead_name", help_text=_("The responsible executor's name.")
    )
    co_executors = serializers.ListField(
        source="co_executor_ids",
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("The co-executors (unit ids)."),
    )
    co_executor_names = serializers.SerializerMethodField(help_text=_("The co-executors' names."))
    term_display = term_field()
    completion_display = completion_field()

    class Meta:
        model = RevisionAction
        fields = (
            "number",
            "action",
            "section",
            "indicator",
            "task",
            "name",
            "budget_codes",
            "lead_unit",
            "lead_unit_name",
            "co_executors",
            "co_executor_names",
            "term_display",
            "completion_display",
        )
        extra_kwargs = {
            "number": {"help_text": _("The action's number in the revision.")},
            "action": {"help_text": _("The action (id); it keeps its identity across revisions.")},
            "budget_codes": {"help_text": _("The codes of the budget programs, as approved.")},
            "indicator": {"help_text": _("The indicator it served (Section I).")},
            "task": {"help_text": _("The task from the regulation (Section II).")},
            "lead_unit": {"help_text": _("The responsible executor (unit id).")},
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_co_executor_names(self, entry: RevisionAction) -> list[str]:
        return list(entry.co_executor_names)


class RevisionDetailSerializer(RevisionSerializer):
    """An approved revision with its actions, in their order."""

    # "entries" is the field's name in the API since its first version.
    entries = RevisionActionSerializer(source="actions", many=True, read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = (*RevisionSerializer.Meta.fields, "entries")


# The comparison


class CompareQuerySerializer(serializers.Serializer):
    a = serializers.RegexField(
        r"^(\d{1,5}|draft)$",
        help_text=_('The earlier state: a revision number, or "draft" for the open draft.'),
        error_messages={"invalid": _('Give a revision number or "draft".')},
    )
    b = serializers.RegexField(
        r"^(\d{1,5}|draft)$",
        help_text=_('The later state: a revision number, or "draft" for the open draft.'),
        error_messages={"invalid": _('Give a revision number or "draft".')},
    )
    download = serializers.ChoiceField(
        [("xlsx", "XLSX")],
        required=False,
        help_text=_("xlsx: the comparison as a spreadsheet instead of JSON."),
    )


@extend_schema_serializer(component_name="Entry")
class ComparedActionSerializer(serializers.Serializer):
    """An action in one state of the plan, as comparable text."""

    action = serializers.IntegerField(
        source="action_id", help_text=_("The action (id); it keeps its identity across revisions.")
    )
    number = serializers.IntegerField(help_text=_("The action's number in this state."))
    anchor = serializers.CharField(
        help_text=_('Where the action stands: "indicator:<id>" or "task:<id>".')
    )
    place = serializers.CharField(help_text=_("The indicator or task it stands under."))
    name = serializers.CharField()
    budget_codes = serializers.CharField(help_text=_("The codes of the budget programs."))
    lead = serializers.CharField(help_text=_("The responsible executor."))
    co_executors = serializers.CharField(help_text=_("The co-executors, comma-separated."))
    term = serializers.CharField(help_text=_("The term of execution as people write it."))
    completion = serializers.CharField(help_text=_("The form of completion."))


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        [(name, label) for name, label in FIELDS],
        help_text=_("The entry's field that changed; place: the action moved."),
    )
    label = serializers.CharField(help_text=_("The field's name in your language."))
    old = serializers.CharField()
    new = serializers.CharField()


class ChangedSerializer(serializers.Serializer):
    """An action in both states that changed or moved."""

    old = ComparedActionSerializer()
    new = ComparedActionSerializer()
    moved = serializers.BooleanField(
        help_text=_("It moved to another indicator or task, or within its own.")
    )
    changes = FieldChangeSerializer(many=True)


class CompareSerializer(serializers.Serializer):
    """Two states of the plan, matched action by action: an edited or moved action is changed,
    never removed and added."""

    a = serializers.CharField(help_text=_('The earlier state, e.g. "Revision 1".'))
    b = serializers.CharField(help_text=_('The later state, e.g. "Revision 2" or "draft".'))
    added = ComparedActionSerializer(many=True, help_text=_("Actions only in the later state."))
    removed = ComparedActionSerializer(many=True, help_text=_("Actions only in the earlier state."))
    changed = ChangedSerializer(many=True)


class NextYearSerializer(serializers.Serializer):
    """Which of the unfinished actions of the plan in force go on into next year's plan."""

    carry = serializers.ListField(
        child=integer_input(),
        required=False,
        default=list,
        help_text=_(
            "Ids of the actions that the last quarterly report found unfinished and that go on "
            "(see next-year-offer); the actions with a recurring term go on in any case."
        ),
    )


class CandidateSerializer(serializers.Serializer):
    action = serializers.IntegerField(source="action_id", help_text=_("The action's id."))
    number = serializers.IntegerField(source="action.number")
    name = serializers.CharField(source="action.name")
    term = serializers.CharField(source="action.term_display")
    status = serializers.CharField(help_text=_("Its status in the last quarterly report."))
    warnings = serializers.ListField(child=serializers.CharField())


class NextYearOfferSerializer(serializers.Serializer):
    """What preparing next year's plan from this one would carry over."""

    year = serializers.IntegerField()
    problem = serializers.CharField(help_text=_("Why the plan cannot be prepared, if it cannot."))
    recurring = CandidateSerializer(many=True, help_text=_("Carried over: the term recurs."))
    unfinished = CandidateSerializer(many=True, help_text=_("Offered: unfinished in the report."))

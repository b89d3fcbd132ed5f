"""The API's representation of the plan's revisions (R18): the start of an adjustment with its
basis, the approved revisions with the actions as each approval froze them, and the comparison
of two states of the plan. Serializers check types; jospar.plans.services checks the rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jospar.api.base import VisibleRelatedField
from jospar.plans.diff import FIELDS
from jospar.plans.models import Revision, RevisionAction, RevisionBasis
from jospar.strategy.models import Amendment


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
    basis_amendment = VisibleRelatedField(
        queryset=Amendment.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("For an amendment: the amendment of the plan's development plan (id)."),
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


class RevisionSerializer(serializers.ModelSerializer):
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
        read_only_fields = fields
        extra_kwargs = {
            "basis_amendment": {
                "help_text": _("The amendment of the development plan it follows.")
            },
            "approved_late": {"help_text": _("Approved after the R6 deadline.")},
        }


class RevisionEntrySerializer(serializers.ModelSerializer):
    """An action as the approved revision holds it."""

    section = serializers.SerializerMethodField(
        help_text=_("1: goals and target indicators; 2: tasks from the regulation.")
    )
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
    term_display = serializers.SerializerMethodField(
        help_text=_(
            'The term as people write it: "1 quarter", "by 20 December", "during the year".'
        )
    )
    completion_display = serializers.SerializerMethodField(
        help_text=_("The form of completion as Appendix 1 shows it.")
    )

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
        read_only_fields = fields
        extra_kwargs = {
            "number": {"help_text": _("The action's number in the revision.")},
            "action": {"help_text": _("The action (id); it keeps its identity across revisions.")},
            "budget_codes": {"help_text": _("The codes of the budget programs, as approved.")},
            "indicator": {"help_text": _("The indicator it served (Section I).")},
            "task": {"help_text": _("The task from the regulation (Section II).")},
            "lead_unit": {"help_text": _("The responsible executor (unit id).")},
        }

    def get_section(self, entry: RevisionAction) -> int:
        return 2 if entry.task_id else 1

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_co_executor_names(self, entry: RevisionAction) -> list[str]:
        return list(entry.co_executor_names)

    def get_term_display(self, entry: RevisionAction) -> str:
        term = entry.term
        return str(term) if term else ""

    def get_completion_display(self, entry: RevisionAction) -> str:
        return entry.completion_display


class RevisionDetailSerializer(RevisionSerializer):
    """An approved revision with its actions, in their order."""

    entries = RevisionEntrySerializer(many=True, read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = (*RevisionSerializer.Meta.fields, "entries")
        read_only_fields = fields


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


class EntrySerializer(serializers.Serializer):
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

    old = EntrySerializer()
    new = EntrySerializer()
    moved = serializers.BooleanField(
        help_text=_("It moved to another indicator or task, or within its own.")
    )
    changes = FieldChangeSerializer(many=True)


class CompareSerializer(serializers.Serializer):
    """Two states of the plan, matched action by action: an edited or moved action is changed,
    never removed and added."""

    a = serializers.CharField(help_text=_('The earlier state, e.g. "Revision 1".'))
    b = serializers.CharField(help_text=_('The later state, e.g. "Revision 2" or "draft".'))
    added = EntrySerializer(many=True, help_text=_("Actions only in the later state."))
    removed = EntrySerializer(many=True, help_text=_("Actions only in the earlier state."))
    changed = ChangedSerializer(many=True)

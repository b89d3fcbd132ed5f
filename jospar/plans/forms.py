from django import forms
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from jospar.lib.forms import ServiceModelForm, VersionedForm
from jospar.lib.languages import variants
from jospar.plans.models import (
    ANCHOR_FIELDS,
    CONTENT_FIELDS,
    M2M_FIELDS,
    TERM_FIELDS,
    Action,
    ActionContent,
    CompletionForm,
    OperationalPlan,
    Proposal,
    RegulationTask,
    RevisionBasis,
)
from jospar.plans.services import PLAN_FIELDS
from jospar.plans.table import section_name
from jospar.strategy.models import Amendment, Indicator

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OperationalPlanForm(VersionedForm):
    class Meta:
        model = OperationalPlan
        fields = PLAN_FIELDS

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["development_plan"].queryset = body.development_plans.all()
        self.fields["basis_amendment"].queryset = self.fields["basis_amendment"].queryset.filter(
            plan__body=body
        )
        self.fields["planning_unit"].queryset = body.units.all()


def anchor_choices(
    plan: OperationalPlan, *, section_2: bool = True
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The places an action can stand under, grouped as Appendix 1 lays them out: each
    strategic direction's macro indicators, each goal's target indicators, then the tasks of
    the regulation (section II) — "Target indicator 1" of two goals told apart by its group."""
    indicators = Indicator.objects.filter(plan=plan.development_plan_id).select_related(
        "direction", "goal__direction"
    )

    def place(indicator: Indicator) -> tuple:
        goal = indicator.goal
        direction = indicator.direction or goal.direction
        return (direction.number, goal.number if goal else 0, indicator.number)

    groups: dict[str, list[tuple[str, str]]] = {}
    for indicator in sorted(indicators, key=place):
        label = str(indicator.parent)[:150]
        groups.setdefault(label, []).append((f"indicator:{indicator.pk}", str(indicator)[:150]))
    choices = list(groups.items())
    tasks = [
        (f"task:{t.pk}", str(t)[:150]) for t in RegulationTask.objects.filter(body=plan.body_id)
    ]
    if section_2:  # an action may stand under section II's heading itself, before any task
        tasks.insert(0, ("section:2", str(_("Section II, no task"))))
    if tasks:
        choices.append((section_name(2), tasks))
    return choices


def mark_term_parts(fields: dict) -> None:
    """Each part of the term says which kind of term it belongs to, so that the page shows only
    the part the chosen kind uses (jospar.js)."""
    for name, field in fields.items():
        if name.startswith("term_text"):  # the ongoing term as written, in each language
            field.widget.attrs["data-term"] = "text"
        elif name in TERM_FIELDS and name != "term_kind":
            field.widget.attrs["data-term"] = name.removeprefix("term_")


class ActionContentForm(ServiceModelForm):
    """The fields of an action (and of a proposal), with its place in the plan as one choice."""

    anchor = forms.ChoiceField(
        label=_("In the plan under"), widget=forms.Select(attrs={"data-filterable": ""})
    )
    term_month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None
    )

    class Meta:
        fields = [
            f
            for f in CONTENT_FIELDS
            if f not in ANCHOR_FIELDS and f not in variants(*ActionContent.TEXTS)
        ] + list(M2M_FIELDS)
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "term_date": DATE_INPUT,
            "budget_programs": forms.CheckboxSelectMultiple,
            # checkboxes with a filter box above them (jospar.js): no Ctrl-click among 80 units
            "co_executors": forms.CheckboxSelectMultiple(attrs={"class": "filterable"}),
        }

    def __init__(self, *args, plan: OperationalPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        body = plan.body
        self.fields["anchor"].choices = [("", "—")] + anchor_choices(plan)
        instance = self.instance
        if instance.indicator_id:
            self.initial.setdefault("anchor", f"indicator:{instance.indicator_id}")
        elif instance.task_id:
            self.initial.setdefault("anchor", f"task:{instance.task_id}")
        elif instance.pk:
            self.initial.setdefault("anchor", "section:2")
        self.fields["budget_programs"].queryset = body.budget_programs.all()
        self.fields["lead_unit"].queryset = body.units.all()
        self.fields["co_executors"].queryset = body.units.all()
        self.fields["completion_form"].queryset = CompletionForm.objects.filter(
            Q(body=None) | Q(body=body)
        )
        self.fields["term_month"].choices = [("", "—")] + [
            (n, str(name).capitalize()) for n, name in MONTHS.items()
        ]
        self.fields["term_quarter"].widget = forms.Select(
            choices=[("", "—")] + [(q, q) for q in range(1, 5)]
        )
        self.fields["term_half"].widget = forms.Select(choices=[("", "—"), (1, 1), (2, 2)])
        mark_term_parts(self.fields)

    def clean_anchor(self):
        kind, _sep, pk = self.cleaned_data["anchor"].partition(":")
        if kind == "indicator":
            return {"indicator": Indicator.objects.get(pk=pk), "task": None}
        if kind == "section":  # section II, no task
            return {"task": None, "indicator": None}
        return {"task": RegulationTask.objects.get(pk=pk), "indicator": None}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.update(data.pop("anchor"))
        return data


class ActionForm(VersionedForm, ActionContentForm):
    class Meta(ActionContentForm.Meta):
        model = Action


class ProposalForm(VersionedForm, ActionContentForm):
    class Meta(ActionContentForm.Meta):
        model = Proposal


class AdjustmentForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Basis of the adjustment"),
        choices=[c for c in RevisionBasis.choices if c[0] != RevisionBasis.INITIAL],
        widget=forms.RadioSelect,
    )
    basis_amendment = forms.ModelChoiceField(
        label=_("Amendment of the development plan"),
        queryset=Amendment.objects.none(),
        required=False,
    )
    basis_reference = forms.CharField(
        label=_("Reference (report, recommendation)"), required=False, max_length=500
    )
    basis_text = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, plan: OperationalPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis_amendment"].queryset = plan.development_plan.amendments.all()


class DeclineForm(forms.Form):
    # Optional here so that the service's own message explains an empty reason.
    reason = forms.CharField(
        label=_("Reason (the unit sees it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskForm(VersionedForm):
    class Meta:
        model = RegulationTask
        fields = ("number", "name")
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}


class CompletionFormForm(ServiceModelForm):
    class Meta:
        model = CompletionForm
        fields = ("name", "order")


class NextYearForm(forms.Form):
    """Which of the unfinished actions of the plan in force go on into next year's plan."""

    carry = forms.TypedMultipleChoiceField(
        label=_("Unfinished actions to carry over"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carry"].choices = [
            (candidate.action_id, str(candidate.action)) for candidate in offer.unfinished
        ]
        # offered chosen: the unfinished work usually goes on; the planner unticks what ends
        self.fields["carry"].initial = [candidate.action_id for candidate in offer.unfinished]

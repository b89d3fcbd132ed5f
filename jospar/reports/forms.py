from django import forms
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from jospar.lib.forms import LongSelect, VersionedForm
from jospar.plans.forms import DATE_INPUT, anchor_choices, mark_term_parts
from jospar.plans.models import TERM_FIELDS, CompletionForm, RegulationTask
from jospar.plans.terms import TermKind
from jospar.reports.models import AmendmentKind, Decision, DecisionStatus, Report
from jospar.strategy.models import Indicator


class ReportForm(VersionedForm):
    class Meta:
        model = Report
        fields = ("monitoring_unit", "general_recommendations")
        widgets = {"general_recommendations": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monitoring_unit"].queryset = self.instance.plan.body.units.all()


KINDS_OF_FIELD = {
    "action": "term executor wording remove",
    "name": "wording add",
    "anchor": "add",
    "lead_unit": "executor add",
    **dict.fromkeys(TERM_FIELDS, "term add"),
    "completion_form": "add",
}


class AmendmentRecommendationForm(forms.Form):
    """A recommendation to amend the plan: what should change and the new content."""

    kind = forms.ChoiceField(label=_("Change"), choices=AmendmentKind.choices)
    action = forms.TypedChoiceField(
        label=_("Action"), required=False, coerce=int, empty_value=None, widget=LongSelect
    )
    name = forms.CharField(
        label=_("New wording"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    anchor = forms.ChoiceField(
        label=_("In the plan under (a new action)"), required=False, widget=LongSelect
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Responsible executor"), queryset=None, required=False
    )
    term_kind = forms.ChoiceField(
        label=_("Term of execution"), choices=[("", "—"), *TermKind.choices], required=False
    )
    term_date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    term_month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None
    )
    term_quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((q, q) for q in range(1, 5))],
    )
    term_half = forms.TypedChoiceField(
        label=_("Half-year"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, 1), (2, 2)],
    )
    term_text = forms.CharField(label=_("Term as written"), required=False, max_length=500)
    completion_form = forms.ModelChoiceField(
        label=_("Form of completion"), queryset=None, required=False
    )
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, report: Report, rows, **kwargs):
        super().__init__(*args, **kwargs)
        body = report.plan.body
        self.fields["action"].choices = [("", "—")] + [
            (row.action_id, f"{row.planned.number}. {row.planned.name[:120]}") for row in rows
        ]
        self.fields["anchor"].choices = [("", "—")] + anchor_choices(report.plan, section_2=False)
        self.fields["lead_unit"].queryset = body.units.all()
        self.fields["completion_form"].queryset = CompletionForm.objects.filter(
            Q(body=None) | Q(body=body)
        )
        self.fields["term_month"].choices = [("", "—")] + [
            (n, str(name).capitalize()) for n, name in MONTHS.items()
        ]
        # The page shows only the fields of the chosen kind of change (jospar.js).
        self.fields["kind"].widget.attrs["data-changes"] = "1"
        for name, kinds in KINDS_OF_FIELD.items():
            self.fields[name].widget.attrs["data-kinds"] = kinds
        mark_term_parts(self.fields)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        kind, _sep, pk = (data.pop("anchor") or "").partition(":")
        data["indicator"] = Indicator.objects.filter(pk=pk).first() if kind == "indicator" else None
        data["task"] = RegulationTask.objects.filter(pk=pk).first() if kind == "task" else None
        data["action_id"] = data.pop("action")
        return data


class DecisionForm(VersionedForm):
    class Meta:
        model = Decision
        fields = ("kind", "text", "units", "due_on")
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "units": forms.SelectMultiple(attrs={"size": 5}),
            "due_on": DATE_INPUT,
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = body.units.all()


class DecisionProgressForm(forms.Form):
    """A unit's note: its part is in progress or done (the decision is done when every
    assigned unit's part is)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in DecisionStatus.choices if c[0] != DecisionStatus.OPEN],
    )
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))

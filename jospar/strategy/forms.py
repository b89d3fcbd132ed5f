from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.lib.forms import VersionedForm
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    StrategicDirection,
)
from jospar.strategy.services import (
    AMENDMENT_FIELDS,
    DIRECTION_FIELDS,
    GOAL_FIELDS,
    INDICATOR_FIELDS,
    PLAN_FIELDS,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Text, not type="number": a browser would silently drop "abc" or "12,5" instead of letting
# the server say what is wrong; the value is read in the user's language (12,5 in Russian).
DECIMAL_INPUT = forms.TextInput(attrs={"inputmode": "decimal"})


class DevelopmentPlanForm(VersionedForm):
    class Meta:
        model = DevelopmentPlan
        fields = PLAN_FIELDS
        widgets = {"signed_on": DATE_INPUT}


class AmendmentForm(VersionedForm):
    class Meta:
        model = Amendment
        fields = AMENDMENT_FIELDS
        widgets = {"signed_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}


class DirectionForm(VersionedForm):
    class Meta:
        model = StrategicDirection
        fields = DIRECTION_FIELDS
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}


class GoalForm(VersionedForm):
    class Meta:
        model = Goal
        fields = GOAL_FIELDS
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan: DevelopmentPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = plan.directions.all()


class IndicatorForm(VersionedForm):
    """An indicator with one planned-value field per year of the plan period."""

    class Meta:
        model = Indicator
        fields = ("direction", "goal", *INDICATOR_FIELDS)
        widgets = {"name": forms.Textarea(attrs={"rows": 2}), "baseline": DECIMAL_INPUT}
        localized_fields = ("baseline",)

    def __init__(self, *args, plan: DevelopmentPlan, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if kind == Indicator.Kind.MACRO:
            del self.fields["goal"]
            self.fields["direction"].queryset = plan.directions.all()
            self.fields["direction"].required = True
        else:
            del self.fields["direction"]
            self.fields["goal"].queryset = Goal.objects.filter(direction__plan=plan)
            self.fields["goal"].required = True
        self.fields["responsible_unit"].queryset = plan.body.units.all()
        current = (
            {v.year: v.planned for v in self.instance.values.all()} if self.instance.pk else {}
        )
        for year in plan.years:
            self.fields[f"value_{year}"] = forms.DecimalField(
                label=_("Planned value for %(year)s") % {"year": year},
                required=False,
                max_digits=20,
                decimal_places=4,
                initial=current.get(year),
                localize=True,
                widget=DECIMAL_INPUT,
            )

    def service_data(self) -> dict:
        """The cleaned data as the service takes it: fields plus a {year: value} map."""
        data = dict(self.cleaned_data)
        data["values"] = {year: data.pop(f"value_{year}") for year in self.plan.years}
        return data

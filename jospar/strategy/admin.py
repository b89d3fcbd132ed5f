from django.contrib import admin

from jospar.lib.admin import register_with_history
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)


class AmendmentInline(admin.TabularInline):
    model = Amendment
    extra = 0


class ValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


register_with_history(
    DevelopmentPlan,
    list_display=["title", "body", "start_year", "end_year", "signed_on"],
    inlines=[AmendmentInline],
)
register_with_history(StrategicDirection, list_display=["number", "name", "plan"])
register_with_history(Goal, list_display=["code", "name", "direction"])
register_with_history(
    Indicator,
    list_display=["kind", "number", "name", "plan"],
    list_filter=["kind", "plan"],
    inlines=[ValueInline],
)

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "start_year", "end_year", "signed_on"]
    inlines = [AmendmentInline]


@admin.register(StrategicDirection)
class StrategicDirectionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "plan"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "direction"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "number", "name", "plan"]
    list_filter = ["kind", "plan"]
    inlines = [ValueInline]

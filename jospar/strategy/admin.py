from django.contrib import admin

from jospar.lib.admin import register_with_history
from jospar.strategy import models


class AmendmentInline(admin.TabularInline):
    model = models.Amendment
    extra = 0


class ValueInline(admin.TabularInline):
    model = models.IndicatorValue
    extra = 0


register_with_history(
    models.DevelopmentPlan,
    list_display=["title", "body", "start_year", "end_year", "signed_on"],
    inlines=[AmendmentInline],
)
register_with_history(models.StrategicDirection, list_display=["number", "name", "plan"])
register_with_history(models.Goal, list_display=["code", "name", "direction"])
register_with_history(
    models.Indicator,
    list_display=["kind", "number", "name", "plan"],
    list_filter=["kind", "plan"],
    inlines=[ValueInline],
)

"""The API's representation of the development plan. Serializers check types; the services check
permissions, uniqueness and the rules across records, and save."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jospar.api.base import NUMBER, ServiceSerializer, part_serializer
from jospar.strategy.models import Amendment, DevelopmentPlan, Goal, Indicator, StrategicDirection
from jospar.strategy.services import (
    AMENDMENT_FIELDS,
    DIRECTION_FIELDS,
    INDICATOR_FIELDS,
    PLAN_FIELDS,
)

DevelopmentPlanSerializer = part_serializer(DevelopmentPlan, "body", (*PLAN_FIELDS, "version"))
AmendmentSerializer = part_serializer(Amendment, "plan", (*AMENDMENT_FIELDS, "version"))
StrategicDirectionSerializer = part_serializer(
    StrategicDirection, "plan", (*DIRECTION_FIELDS, "version")
)


class GoalSerializer(ServiceSerializer):
    """A goal of a strategic direction; its plan is the direction's."""

    plan = serializers.IntegerField(source="direction.plan_id", read_only=True)
    code = serializers.CharField(read_only=True, help_text=_('"direction.goal", e.g. 1.2'))

    class Meta:
        model = Goal
        fields = ("id", "plan", "direction", "number", "code", "name", "version")

    def service_data(self) -> dict:
        data = super().service_data()
        if self.instance is None:
            data["plan"] = data["direction"].plan
        return data


class PlannedValueSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    planned = serializers.DecimalField(**NUMBER)


class IndicatorSerializer(ServiceSerializer):
    """A macro indicator (of a direction) or a target indicator (of a goal) with its planned
    values; on a change, `values` replaces the stored list."""

    values = PlannedValueSerializer(many=True, required=False)
    create_only_fields = ("plan", "kind")

    class Meta:
        model = Indicator
        fields = ("id", "plan", "kind", "direction", "goal", *INDICATOR_FIELDS, "values", "version")
        extra_kwargs = {
            "baseline": NUMBER,
            "direction": {"help_text": _("The direction of a macro indicator.")},
            "goal": {"help_text": _("The goal of a target indicator.")},
        }

    def validate_values(self, values: list[dict]) -> list[dict]:
        years = [v["year"] for v in values]
        if len(years) != len(set(years)):
            raise serializers.ValidationError(_("Each year may appear once."))
        return values

    def validate(self, attrs: dict) -> dict:
        kind = attrs.get("kind") or self.instance.kind
        misplaced = "goal" if kind == Indicator.Kind.MACRO else "direction"
        if attrs.get(misplaced) is not None:
            raise serializers.ValidationError(
                {
                    misplaced: _(
                        "A macro indicator belongs to a direction, a target indicator to a goal."
                    )
                }
            )
        return attrs

    def service_data(self) -> dict:
        data = super().service_data()
        if "values" in data:
            given = {v["year"]: v["planned"] for v in data.pop("values")}
            stored = self.instance.values.all() if self.instance is not None else []
            data["values"] = {v.year: None for v in stored} | given
        return data

"""The API's representation of the foundation objects. Serializers check types; the services
check permissions, uniqueness and the rules across records, and save."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jospar.api.base import ServiceSerializer, VisibleRelatedField
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.orgs.policy import roles_of
from jospar.orgs.services import PROGRAM_FIELDS, UNIT_FIELDS, USER_FIELDS
from jospar.strategy.models import Amendment, DevelopmentPlan, Goal, Indicator, StrategicDirection
from jospar.strategy.services import (
    AMENDMENT_FIELDS,
    DIRECTION_FIELDS,
    INDICATOR_FIELDS,
    PLAN_FIELDS,
)

NUMBER = {"max_digits": 20, "decimal_places": 4, "normalize_output": True}


class StateBodySerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField(
        help_text=_("Your roles in this body: the role codes of role assignments.")
    )

    class Meta:
        model = StateBody
        fields = ("id", "name", "short_name", "code", "budget_administrator_code", "roles")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, body: StateBody) -> list[str]:
        return sorted(roles_of(self.context["request"].user, body.pk))


class UnitSerializer(ServiceSerializer):
    create_only_fields = ("body",)

    class Meta:
        model = Unit
        fields = ("id", "body", *UNIT_FIELDS)


class BudgetProgramSerializer(ServiceSerializer):
    create_only_fields = ("body",)

    class Meta:
        model = BudgetProgram
        fields = ("id", "body", *PROGRAM_FIELDS)


class RoleAssignmentSerializer(ServiceSerializer):
    class Meta:
        model = RoleAssignment
        fields = ("id", "user", "body", "role", "unit")
        extra_kwargs = {"unit": {"help_text": _("Required for executors and unit heads.")}}

    def validate(self, attrs: dict) -> dict:
        actor = self.context["request"].user
        if not actor.is_superuser and not attrs["user"].roles.filter(body=attrs["body"]).exists():
            raise serializers.ValidationError({"user": _("The user holds no role in this body.")})
        return attrs


class UserRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ("id", "body", "role", "unit")


class UserSerializer(ServiceSerializer):
    """A user with their roles in the bodies you administer; created with a first role."""

    roles = UserRoleSerializer(many=True, read_only=True, source="body_roles")
    body = VisibleRelatedField(
        queryset=StateBody.objects.all(),
        write_only=True,
        help_text=_("The body of the first role."),
    )
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    role = serializers.ChoiceField(Role.choices, write_only=True, help_text=_("The first role."))
    unit = VisibleRelatedField(
        queryset=Unit.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text=_("Required for executors and unit heads."),
    )
    create_only_fields = ("body", "password", "role", "unit")

    class Meta:
        model = User
        fields = ("id", *USER_FIELDS, "is_active", "roles", "body", "password", "role", "unit")
        read_only_fields = ("is_active",)

    def validate_password(self, value: str) -> str:
        password_validation.validate_password(value)
        return value


class DevelopmentPlanSerializer(ServiceSerializer):
    create_only_fields = ("body",)

    class Meta:
        model = DevelopmentPlan
        fields = ("id", "body", *PLAN_FIELDS)


class AmendmentSerializer(ServiceSerializer):
    create_only_fields = ("plan",)

    class Meta:
        model = Amendment
        fields = ("id", "plan", *AMENDMENT_FIELDS)


class StrategicDirectionSerializer(ServiceSerializer):
    create_only_fields = ("plan",)

    class Meta:
        model = StrategicDirection
        fields = ("id", "plan", *DIRECTION_FIELDS)


class GoalSerializer(ServiceSerializer):
    """A goal of a strategic direction; its plan is the direction's."""

    plan = serializers.IntegerField(source="direction.plan_id", read_only=True)
    code = serializers.CharField(read_only=True, help_text=_('"direction.goal", e.g. 1.2'))

    class Meta:
        model = Goal
        fields = ("id", "plan", "direction", "number", "code", "name")

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
        fields = ("id", "plan", "kind", "direction", "goal", *INDICATOR_FIELDS, "values")
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

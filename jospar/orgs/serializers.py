"""The API's representation of bodies, units, users, roles and budget programs. Serializers check
types; the services check permissions, uniqueness and the rules across records, and save."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jospar.api.base import (
    ServiceSerializer,
    TextsInLanguages,
    VisibleRelatedField,
    part_serializer,
)
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.orgs.policy import roles_of
from jospar.orgs.services import PROGRAM_FIELDS, UNIT_FIELDS, USER_FIELDS


class StateBodySerializer(TextsInLanguages, serializers.ModelSerializer):
    roles = serializers.SerializerMethodField(
        help_text=_("Your roles in this body: the role codes of role assignments.")
    )

    class Meta:
        model = StateBody
        fields = (
            "id",
            "name",
            "short_name",
            "code",
            "budget_administrator_code",
            "require_two_factor",
            "eds_sign_off",
            "eds_approval",
            "eds_report",
            "eds_decisions",
            "roles",
        )
        read_only_fields = (
            "require_two_factor",
            "eds_sign_off",
            "eds_approval",
            "eds_report",
            "eds_decisions",
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, body: StateBody) -> list[str]:
        return sorted(roles_of(self.context["request"].user, body.pk))


class TwoFactorRequirementSerializer(serializers.Serializer):
    required = serializers.BooleanField(
        help_text=_(
            "Whether the body's administrators and officials must log in with a code of an "
            "authenticator app besides their password."
        )
    )


class SignatureUseSerializer(serializers.ModelSerializer):
    """Whether each signed step of the body is signed with the digital signature; a setting
    not given stays."""

    class Meta:
        model = StateBody
        fields = ("eds_sign_off", "eds_approval", "eds_report", "eds_decisions")
        extra_kwargs = {name: {"required": False} for name in fields}


UnitSerializer = part_serializer(Unit, "body", (*UNIT_FIELDS, "version"))
BudgetProgramSerializer = part_serializer(BudgetProgram, "body", (*PROGRAM_FIELDS, "version"))


class RoleAssignmentSerializer(ServiceSerializer):
    class Meta:
        model = RoleAssignment
        fields = ("id", "user", "body", "role", "unit")
        extra_kwargs = {"unit": {"help_text": _("Required for executors and unit heads.")}}


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
    unit = VisibleRelatedField.optional(
        Unit, _("Required for executors and unit heads."), write_only=True
    )
    create_only_fields = ("body", "password", "role", "unit")

    class Meta:
        model = User
        fields = (
            "id",
            *USER_FIELDS,
            "is_active",
            "roles",
            "body",
            "password",
            "role",
            "unit",
            "version",
        )
        read_only_fields = ("is_active",)

    def validate_password(self, value: str) -> str:
        password_validation.validate_password(value)
        return value


class NewBodySerializer(serializers.Serializer):
    """A new state body and its first administrator (an installation administrator's act)."""

    code = serializers.CharField(max_length=30, help_text=_("The body's code, e.g. MWR."))
    name_kk = serializers.CharField(max_length=500, required=False, allow_blank=True)
    name_ru = serializers.CharField(max_length=500, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=500, required=False, allow_blank=True)
    short_name_kk = serializers.CharField(max_length=100, required=False, allow_blank=True)
    short_name_ru = serializers.CharField(max_length=100, required=False, allow_blank=True)
    budget_administrator_code = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text=_("Three digits, e.g. 217.")
    )
    admin_name = serializers.CharField(
        max_length=500, help_text=_("The administrator's surname, name and patronymic.")
    )
    admin_email = serializers.CharField(max_length=254)
    admin_login = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text=_("The administrator's login; the e-mail address when not given."),
    )
    admin_position = serializers.CharField(max_length=255, required=False, allow_blank=True)


class NewBodyAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    administrator = serializers.IntegerField(help_text=_("The administrator's user id."))
    administrator_login = serializers.CharField()
    link_sent = serializers.BooleanField(
        help_text=_("Whether the link to set a password was e-mailed to the administrator.")
    )
    set_password_link = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The link at which the administrator sets a password, when it could not be "
            "e-mailed (e-mail is not configured): hand it over."
        ),
    )


class OrgImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The workbook (.xlsx) of the template: sheets of units and of people.")
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Only read the file and report; write nothing.")
    )

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from jospar.lib.forms import ServiceModelForm, VersionedForm
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.orgs.services import PROGRAM_FIELDS, UNIT_FIELDS, USER_FIELDS


class UnitForm(VersionedForm):
    class Meta:
        model = Unit
        fields = UNIT_FIELDS

    def __init__(self, *args, body: StateBody, **kwargs):
        super().__init__(*args, **kwargs)
        parents = body.units.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class BudgetProgramForm(VersionedForm):
    class Meta:
        model = BudgetProgram
        fields = PROGRAM_FIELDS


class UserForm(VersionedForm):
    class Meta:
        model = User
        fields = USER_FIELDS


class RoleForm(ServiceModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("role", "unit")
        help_texts = {"unit": _("Required for executors and unit heads.")}

    def __init__(self, *args, body: StateBody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = body.units.all()


class NewUserForm(UserForm):
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Required for executors and unit heads."),
    )

    def __init__(self, *args, body: StateBody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = body.units.all()

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class NewBodyForm(ServiceModelForm):
    """A state body and its first administrator (jospar.orgs.services.body_create)."""

    admin_name = forms.CharField(
        label=_("administrator's full name"),
        max_length=500,
        help_text=_("Surname, name and patronymic, e.g. Ahmetov Nurlan Serikovich."),
    )
    admin_email = forms.EmailField(label=_("administrator's e-mail"))
    admin_login = forms.CharField(
        label=_("administrator's login"),
        max_length=150,
        required=False,
        help_text=_("Leave it empty to make the e-mail address the login."),
    )
    admin_position = forms.CharField(
        label=_("administrator's job title"), max_length=255, required=False
    )

    class Meta:
        model = StateBody
        fields = ("code", "name", "short_name", "budget_administrator_code")


class SignatureUseForm(forms.ModelForm):
    """Whether each signed step of the body is signed with the digital signature (EDS)."""

    class Meta:
        model = StateBody
        fields = ("eds_sign_off", "eds_approval", "eds_report", "eds_decisions")

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jospar.accounts.services import PROFILE_FIELDS
from jospar.notifications.models import EmailMode
from jospar.orgs.models import User


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example, the name of the script or system that will use it."),
    )


class ProfileForm(forms.ModelForm):
    """The person's own details; the forms and the reports print their name, so it is given."""

    # Left out of a post (an older form, a script), the preferences stay as they are.
    email_mode = forms.ChoiceField(
        label=_("E-mail me my notifications"), choices=EmailMode.choices, required=False
    )
    email_language = forms.ChoiceField(
        label=_("Language of e-mail"),
        choices=[("", _("the site's language"))] + list(settings.LANGUAGES),
        required=False,
    )

    class Meta:
        model = User
        fields = PROFILE_FIELDS

    def __init__(self, *args, preference=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        if preference is not None:
            self.fields["email_mode"].initial = preference.email_mode
            self.fields["email_language"].initial = preference.language


def code_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        **kwargs,
    )


class CodeForm(forms.Form):
    """The second step of logging in: a code of the authenticator app or a backup code."""

    code = code_field(
        help_text=_("The six digits your authenticator app shows now, or one of your backup codes.")
    )


class EnrolForm(forms.Form):
    code = code_field(help_text=_("The six digits the app shows after it has the secret."))


class RemoveTwoFactorForm(forms.Form):
    code = code_field(
        required=False, help_text=_("A current code of the app, or a backup code; or else:")
    )
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

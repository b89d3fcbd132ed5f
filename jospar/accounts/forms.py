from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.accounts.services import PROFILE_FIELDS
from jospar.orgs.models import User


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example, the name of the script or system that will use it."),
    )


class ProfileForm(forms.ModelForm):
    """The person's own details; the forms and the reports print their name, so it is given."""

    class Meta:
        model = User
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True

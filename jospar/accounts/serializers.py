from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jospar.accounts.models import ApiToken
from jospar.api.base import ReadOnlyModelSerializer


class TokenSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The key; it is shown only this once."))
    expires_at = serializers.DateTimeField()


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100,
        required=False,
        help_text=_("What the token is for, shown in your list of tokens."),
    )
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_(
            "Required of an account with two-factor login: the code its authenticator app "
            "shows now (each code is taken once), or one of its backup codes."
        ),
    )

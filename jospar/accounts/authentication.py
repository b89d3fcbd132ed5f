"""`Authorization: Token <key>` for the API, against the accounts' expiring tokens."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from jospar.accounts.services import token_user


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's header format; the key must belong to a live token of an active user."""

    def authenticate_credentials(self, key):
        token = token_user(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token

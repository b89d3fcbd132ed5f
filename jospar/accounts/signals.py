"""Logging out of the pages ends the user's API tokens too: a signed-out person leaves no
working key behind."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from jospar.accounts.services import tokens_revoke_all


@receiver(user_logged_out)
def revoke_tokens_on_logout(sender, request, user, **kwargs):
    if user is not None:
        tokens_revoke_all(user)

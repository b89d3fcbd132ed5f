"""Logging out of the pages ends the user's API tokens too: a signed-out person leaves no
working key behind. Logging in notes whether the person must first enrol an authenticator."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from jospar.accounts.middleware import note_enrolment_due
from jospar.accounts.services import tokens_revoke_all


@receiver(user_logged_out)
def revoke_tokens_on_logout(sender, request, user, **kwargs):
    if user is not None:
        tokens_revoke_all(user)


@receiver(user_logged_in)
def note_two_factor_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note_enrolment_due(request, user)

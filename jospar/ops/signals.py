"""The audit lines of logging in and out (jospar.ops.logs.audit): Django's and django-axes'
signals, so that the pages, the admin and the API's token endpoint are covered alike; and the
end of a request's log context."""

import structlog
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import request_finished
from django.dispatch import receiver

from jospar.ops.logs import SECOND_FACTOR, audit


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit("login", request, user=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    audit("logout", request, user=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the name is logged.
    event = "two_factor_failed" if sender == SECOND_FACTOR else "login_failed"
    audit(event, request, attempted_username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    audit("lockout", request, attempted_username=str(username or "")[:150], locked_ip=ip_address)


@receiver(request_finished)
def forget_request_id(sender, **kwargs):
    structlog.contextvars.clear_contextvars()

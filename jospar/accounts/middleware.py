"""Sends a person whose body requires two-factor login, and who has no authenticator yet, to
enrol one before anything else."""

import time

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jospar.accounts.selectors import must_enrol

STATE = "jospar.two_factor_due"  # {"due": bool, "at": seconds}: the answer, kept in the session
RECHECK_SECONDS = 300  # a body that starts to require it reaches open sessions this soon
# The pages a person who must enrol may still open (URL names).
OPEN = {
    "accounts:two_factor",
    "accounts:two_factor_qr",
    "logout",
    "set_language",
    "login",
    "login_code",
}


def note_enrolment_due(request, user) -> bool:
    """Ask the database whether `user` must enrol, and keep the answer in the session."""
    due = must_enrol(user)
    request.session[STATE] = {"due": due, "at": time.time()}
    return due


def enrolment_due(request) -> bool:
    state = request.session.get(STATE)
    if state is None or time.time() - state["at"] > RECHECK_SECONDS:
        return note_enrolment_due(request, request.user)
    return state["due"]


class TwoFactorEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN:
            return None
        if not enrolment_due(request):
            return None
        message = _(
            "Your body requires two-factor login: set up an authenticator app before anything else."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        if request.headers.get("HX-Request"):
            # A fragment (the header's count of My work): refused, never swapped in as the
            # enrolment page, and the page around it keeps its own message.
            return HttpResponse(message, status=403)
        messages.warning(request, message)
        return redirect(reverse("accounts:two_factor"))

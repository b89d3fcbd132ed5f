"""The person's own account: their password, their API tokens and their two-factor login;
the login's second step."""

import base64
import io
import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jospar.accounts import services
from jospar.accounts.forms import (
    CodeForm,
    EnrolForm,
    ProfileForm,
    RemoveTwoFactorForm,
    TokenForm,
)
from jospar.accounts.middleware import note_enrolment_due
from jospar.accounts.models import ApiToken
from jospar.accounts.selectors import authenticator_of, backup_codes_left, two_factor_required
from jospar.lib.forms import attach_errors
from jospar.notifications.selectors import preference_of
from jospar.notifications.services import preference_update
from jospar.ops.logs import SECOND_FACTOR
from jospar.orgs.models import User

ISSUED = "jospar.issued_token"  # the session key of a token's key, until it is shown


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which keeps this session; every API token ends with the old
    password."""

    template_name = "form.html"
    success_url = reverse_lazy("accounts:tokens")
    extra_context = {"title": gettext_lazy("Change password"), "cancel_url": reverse_lazy("home")}

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = services.tokens_revoke_all(self.request.user)
        messages.success(self.request, _("Your password is changed."))
        if revoked:
            messages.info(self.request, _("Your API tokens were revoked with the old password."))
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page of the link a new person is given (jospar.orgs.services.password_link): Django's
    password reset confirmation, so the link works once and expires with
    PASSWORD_RESET_TIMEOUT; then the person logs in with the new password."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("login")

    def render_to_response(self, context, **kwargs):
        if not context.get("validlink"):  # used, expired or never issued: nothing is here
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Log in with it."))
        return response


@login_required
def profile(request):
    preference = preference_of(request.user)
    form = ProfileForm(request.POST or None, instance=request.user, preference=preference)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        mode, language = fields.pop("email_mode"), fields.pop("email_language")
        notify_by = {
            "email_mode": mode or preference.email_mode,
            "language": language if "email_language" in request.POST else preference.language,
        }
        try:
            with transaction.atomic():
                services.profile_update(actor=request.user, **fields)
                preference_update(actor=request.user, **notify_by)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("accounts:tokens")
    context = {"form": form, "title": _("Your details"), "cancel_url": reverse("accounts:tokens")}
    return render(request, "form.html", context, status=400 if form.errors else 200)


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, key = services.token_issue(user=request.user, name=form.cleaned_data["name"])
        # Shown once, on the page the browser is sent to (a reload does not issue another).
        request.session[ISSUED] = {"id": token.pk, "key": key}
        return redirect("accounts:tokens")
    issued = request.session.pop(ISSUED, None)
    if issued is not None:
        issued["token"] = ApiToken.objects.filter(pk=issued["id"], user=request.user).first()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued": issued if issued and issued["token"] else None,
            "tokens": ApiToken.objects.filter(user=request.user),
            "hours": settings.API_TOKEN_HOURS,
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login refused for too many failures: a 429 page, or for the
    API a 429 whose detail says the same."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Logging in is blocked for this account or this address after too many wrong "
        "passwords. Try again in %(minutes)s minute, or ask your body's administrator to "
        "unlock it.",
        "Logging in is blocked for this account or this address after too many wrong "
        "passwords. Try again in %(minutes)s minutes, or ask your body's administrator to "
        "unlock it.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


# Two-factor login. The session keys: a login whose password was right and whose code is
# awaited; the secret offered for enrolment until it is confirmed; backup codes to show once.
PENDING_LOGIN = "jospar.two_factor_login"
OFFERED_KEY = "jospar.totp_key"
NEW_CODES = "jospar.backup_codes"


class LoginView(auth_views.LoginView):
    """Django's login; a person with an authenticator gives its code on a second page before
    they are logged in."""

    def form_valid(self, form):
        user = form.get_user()
        if authenticator_of(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "until": time.time() + settings.TWO_FACTOR_STEP_SECONDS,
        }
        return redirect("login_code")


def login_code(request):
    """The second step of logging in: the code of the authenticator app or a backup code. A
    wrong code counts as a failed login (django-axes) and delays the next try."""
    pending = request.session.get(PENDING_LOGIN)
    user = None
    if pending and pending["until"] > time.time():
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_LOGIN, None)
        messages.info(request, _("Log in with your username and password first."))
        return redirect("login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_LOGIN, None)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = services.two_factor_wait(user)
        device = None
        if wait:
            form.add_error("code", _wait_message(wait))
        else:
            device = services.two_factor_check(user=user, code=form.cleaned_data["code"])
            if device is None:
                user_login_failed.send(SECOND_FACTOR, credentials=credentials, request=request)
                form.add_error("code", _("The code is wrong or already used."))
        if device is not None:
            request.session.pop(PENDING_LOGIN)
            user.otp_device = device  # django-otp notes it in the session on login
            auth_login(request, user, backend=pending["backend"])
            if isinstance(device, StaticDevice):
                left = backup_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You logged in with a backup code; %(left)s is left.",
                        "You logged in with a backup code; %(left)s are left.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(pending["next"])
    status = 400 if form.errors else 200
    return render(request, "registration/login_code.html", {"form": form}, status=status)


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes: try again in %(seconds)s second.",
        "Too many wrong codes: try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}


def _secret_text(key: str) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def two_factor(request):
    """Two-factor login: enrol an authenticator (its QR code and secret, then a code to confirm
    it), or, once it is on, the backup codes (shown once) and the ways to turn it off."""
    user = request.user
    device = authenticator_of(user)
    context = {"required": two_factor_required(user), "codes": request.session.pop(NEW_CODES, None)}
    if device is not None:
        context |= {"device": device, "left": backup_codes_left(user)}
        return render(request, "accounts/two_factor.html", context)
    key = request.session.get(OFFERED_KEY) or services.totp_key_new()
    request.session[OFFERED_KEY] = key
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(
                actor=user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            del request.session[OFFERED_KEY]
            request.session[NEW_CODES] = codes
            otp_login(request, device)
            note_enrolment_due(request, user)
            messages.success(request, _("Two-factor login is on."))
            return redirect("accounts:two_factor")
    context |= {"form": form, "secret": _secret_text(key)}
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


@login_required
def two_factor_qr(request):
    """The QR code of the secret offered for enrolment, as an SVG image."""
    key = request.session.get(OFFERED_KEY)
    if not key:
        raise Http404
    uri = TOTPDevice(user=request.user, key=key).config_url
    image = io.BytesIO()
    segno.make(uri, error="m").save(image, kind="svg", scale=5, border=2)
    return HttpResponse(
        image.getvalue(), content_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


@login_required
@require_POST
def two_factor_backup_codes(request):
    """A new sheet of backup codes, shown once; the old codes stop working."""
    try:
        request.session[NEW_CODES] = services.two_factor_backup_codes_renew(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("New backup codes are made; the old ones no longer work."))
    return redirect("accounts:two_factor")


@login_required
def two_factor_remove(request):
    """Turn two-factor login off, with a current code or the password."""
    if authenticator_of(request.user) is None:
        return redirect("accounts:two_factor")
    form = RemoveTwoFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_remove(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            note_enrolment_due(request, request.user)
            messages.success(request, _("Two-factor login is off."))
            return redirect("accounts:two_factor")
    context = {
        "form": form,
        "title": _("Turn off two-factor login"),
        "cancel_url": reverse("accounts:two_factor"),
    }
    return render(request, "form.html", context, status=400 if form.errors else 200)

"""The person's own account: their password and their API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from jospar.accounts import services
from jospar.accounts.forms import ProfileForm, TokenForm
from jospar.accounts.models import ApiToken
from jospar.lib.forms import attach_errors

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


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, **form.cleaned_data)
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

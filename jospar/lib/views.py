"""Small helpers that every app's views share: find an object for the user, run a form
through a service, confirm a deletion."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jospar.lib.forms import attach_errors
from jospar.orgs.models import StateBody
from jospar.orgs.policy import Perm, body_lookup, can


def body_for(request: HttpRequest, body_id: int, perm: Perm = Perm.VIEW) -> StateBody:
    """The body if the user may see it (else 404) and holds `perm` in it (else 403)."""
    body = get_object_or_404(StateBody, pk=body_id)
    if not can(request.user, Perm.VIEW, body):
        raise Http404
    if perm != Perm.VIEW and not can(request.user, perm, body):
        raise PermissionDenied
    return body


def object_in_body(model: type[Model], body: StateBody, pk: int, queryset=None) -> Model:
    """An object of the body by primary key; an object of another body is a 404."""
    qs = queryset if queryset is not None else model._default_manager.all()
    return get_object_or_404(qs, pk=pk, **{body_lookup(model) or "pk": body.pk})


def form_page(
    request: HttpRequest,
    *,
    form,
    save: Callable[[dict], object],
    success_url: str,
    title: str,
    body: StateBody,
    template: str = "form.html",
    extra: dict | None = None,
) -> HttpResponse:
    """Show a form; on a valid POST hand its data to `save` (a service call) and redirect."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(success_url)
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": title, "body": body, "cancel_url": success_url}
    return render(request, template, context | (extra or {}), status=status)


def confirm_delete(
    request: HttpRequest,
    *,
    obj: Model,
    delete: Callable[[], None],
    success_url: str,
    body: StateBody,
) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Deleted: %s") % obj)
            return redirect(success_url)
    context = {"object": obj, "body": body, "cancel_url": success_url, "error": error}
    return render(request, "confirm_delete.html", context, status=400 if error else 200)

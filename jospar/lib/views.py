"""Small helpers that every app's views share: find an object for the user, run a form
through a service, run a posted button's service call, confirm a deletion, and the
new/edit/delete pages of a kind of object."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from jospar.lib.forms import attach_errors, error_text, service_data
from jospar.lib.records import Conflict, Services
from jospar.orgs.models import StateBody
from jospar.orgs.policy import Perm, body_lookup, can


def fragment_for_users(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a fragment a page loads by itself once shown (the header's counts): a request without
    a logged-in user — the session ended, or the person logged out in another tab — is answered
    204, which htmx swaps nothing for. Redirected to the login page instead, htmx would follow
    and put the whole login page into the header, and each such answer sets a new CSRF cookie
    under a login form already open, so that the form is refused when sent."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponse(status=204)
        return view(request, *args, **kwargs)

    return wrapper


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
        except Conflict as conflict:  # someone saved the object since the form was opened
            form.show_conflict(conflict)
        else:
            messages.success(request, _("Saved."))
            return redirect(success_url)
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": title, "body": body, "cancel_url": success_url}
    return render(request, template, context | (extra or {}), status=status)


def service_save(request: HttpRequest, service: Callable[..., object], form, **targets):
    """form_page's `save`: `service(actor=…, **targets)` with the form's service data."""
    return lambda data: service(actor=request.user, **targets, **service_data(form))


def attempt(
    request: HttpRequest, call: Callable[[], object], done: str = "", *, joined=False, model=None
):
    """Run a posted button's service call, say `done` or its problems (a field's led by its
    name in `model`); its result or None."""
    try:
        result = call()
    except ValidationError as error:
        texts = error_text(error, model)
        for message in [" ".join(texts)] if joined else texts:
            messages.error(request, message)
        return None
    if done:
        messages.success(request, done)
    return result


def htmx_status(request: HttpRequest, status: int) -> int:
    """HTMX swaps only successful answers (its out-of-band parts too): 200 to HTMX, `status`
    to a plain form post."""
    return 200 if request.headers.get("HX-Request") else status


def posted_step(
    request: HttpRequest,
    operations: dict[str, Callable[[], object]],
    step: str,
    *,
    joined=False,
    model=None,
):
    """attempt() the operation that the URL's `step` names; an unknown step is a 404."""
    if step not in operations:
        raise Http404
    return attempt(request, operations[step], joined=joined, model=model)


def body_form_page(
    request: HttpRequest,
    body_id: int,
    *,
    perm: Perm,
    form_class: type,
    create: Callable[..., object],
    title: str,
    success_url: Callable[[StateBody], str] = StateBody.get_absolute_url,
    form_kwargs: Callable[[StateBody], dict] = lambda body: {},
) -> HttpResponse:
    """The page that adds an object to a body: `create(actor=…, body=…, **data)`;
    `form_kwargs(body)` gives the form's own arguments, as in ObjectPages."""
    body = body_for(request, body_id, perm)
    return form_page(
        request,
        form=form_class(request.POST or None, **form_kwargs(body)),
        save=lambda data: create(actor=request.user, body=body, **data),
        success_url=success_url(body),
        title=title,
        body=body,
    )


def body_form_view(**options) -> Callable[[HttpRequest, int], HttpResponse]:
    """The login-required view of body_form_page(**options); give it a lazy title."""

    @login_required
    def view(request: HttpRequest, body_id: int) -> HttpResponse:
        return body_form_page(request, body_id, **options)

    return view


def page(route: str, view: Callable) -> URLPattern:
    """The URL of a page named as its view function is."""
    return path(route, view, name=view.__name__)


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


def _the_body(body: StateBody, url_kwargs: dict) -> StateBody:
    return body


@dataclass(frozen=True)
class ObjectPages:
    """The new, edit and delete pages of one kind of object, written through its services.

    The object, of the model of `form_class`, belongs to a parent: the body by default, or
    what `parent` finds from the body and the URL (e.g. a development plan). `services.create`
    takes the parent as `parent_arg`; `update` and `delete` take the object as `services.arg`.
    An object of another parent (by `parent_of`, else its `<parent_arg>_id`) is a 404.
    """

    form_class: type
    services: Services
    new_title: str
    title: Callable[[Model], str]
    perm: Perm
    parent_arg: str = "body"
    parent: Callable[[StateBody, dict], Model] = _the_body
    parent_of: Callable[[Model], int] | None = None  # the parent's pk as the object holds it
    form_kwargs: Callable[[Model], dict] = field(default=lambda parent: {})

    @property
    def model(self) -> type[Model]:
        return self.form_class._meta.model

    @property
    def arg(self) -> str:
        return self.services.arg

    def _parent_pk(self, obj: Model) -> int:
        if self.parent_of is not None:
            return self.parent_of(obj)
        return getattr(obj, f"{self.parent_arg}_id")

    def _scope(self, request: HttpRequest, body_id: int, url_kwargs: dict):
        body = body_for(request, body_id, self.perm)
        return body, self.parent(body, url_kwargs)

    def _object(self, request: HttpRequest, body_id: int, url_kwargs: dict):
        """The body, the parent and the object the URL names (404 if not the parent's)."""
        body, parent = self._scope(request, body_id, url_kwargs)
        obj = object_in_body(self.model, body, url_kwargs[f"{self.arg}_id"])
        if self._parent_pk(obj) != parent.pk:
            raise Http404
        return body, parent, obj

    def urls(self, prefix: str, segment: str) -> list[URLPattern]:
        """The three pages under `prefix`: `<segment>/new/`, `<segment>/<id>/` and
        `<segment>/<id>/delete/`, named `<arg>_new`, `<arg>_edit` and `<arg>_delete`."""
        new, edit, delete = self.views
        one = f"{prefix}{segment}/<int64:{self.arg}_id>/"
        return [
            path(f"{prefix}{segment}/new/", new, name=f"{self.arg}_new"),
            path(one, edit, name=f"{self.arg}_edit"),
            path(one + "delete/", delete, name=f"{self.arg}_delete"),
        ]

    @cached_property
    def views(self) -> tuple[Callable, Callable, Callable]:
        """The three view functions: new, edit, delete."""

        @login_required
        def new(request: HttpRequest, body_id: int, **url_kwargs) -> HttpResponse:
            body, parent = self._scope(request, body_id, url_kwargs)
            return form_page(
                request,
                form=self.form_class(request.POST or None, **self.form_kwargs(parent)),
                save=lambda data: self.services.create(
                    actor=request.user, **{self.parent_arg: parent}, **data
                ),
                success_url=parent.get_absolute_url(),
                title=self.new_title,
                body=body,
            )

        @login_required
        def edit(request: HttpRequest, body_id: int, **url_kwargs) -> HttpResponse:
            body, parent, obj = self._object(request, body_id, url_kwargs)
            return form_page(
                request,
                form=self.form_class(
                    request.POST or None, instance=obj, **self.form_kwargs(parent)
                ),
                save=lambda data: self.services.update(
                    actor=request.user, **{self.arg: obj}, **data
                ),
                success_url=parent.get_absolute_url(),
                title=self.title(obj),
                body=body,
                extra={"history_of": obj},
            )

        @login_required
        def delete(request: HttpRequest, body_id: int, **url_kwargs) -> HttpResponse:
            body, parent, obj = self._object(request, body_id, url_kwargs)
            return confirm_delete(
                request,
                obj=obj,
                delete=lambda: self.services.delete(actor=request.user, **{self.arg: obj}),
                success_url=parent.get_absolute_url(),
                body=body,
            )

        return new, edit, delete

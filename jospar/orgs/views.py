from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jospar.accounts.middleware import note_enrolment_due
from jospar.lib.history import history_rows, history_target
from jospar.lib.views import (
    ObjectPages,
    attempt,
    body_for,
    body_form_view,
    confirm_delete,
    form_page,
    object_in_body,
    service_save,
)
from jospar.orgs import services
from jospar.orgs.forms import BudgetProgramForm, NewUserForm, RoleForm, UnitForm, UserForm
from jospar.orgs.models import RoleAssignment, StateBody, User
from jospar.orgs.policy import Perm, can
from jospar.orgs.selectors import body_members, unit_tree
from jospar.reminders.selectors import schedule_of


@login_required
def body_detail(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id)
    context = {
        "body": body,
        "units": unit_tree(body),
        "programs": body.budget_programs.all(),
        "plans": body.development_plans.all(),
        "operational_plans": body.operational_plans.all(),
        "may_manage": can(request.user, Perm.MANAGE_ORG, body),
        "may_edit_strategy": can(request.user, Perm.EDIT_STRATEGY, body),
        "reminder_schedule": schedule_of(body),
    }
    return render(request, "orgs/body.html", context)


@login_required
@require_POST
def body_two_factor(request: HttpRequest, body_id: int) -> HttpResponse:
    """The administrator turns the body's two-factor requirement on or off."""
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    required = request.POST.get("require_two_factor") == "on"
    done = (
        _("Administrators and officials of the body now log in with a second factor.")
        if required
        else _("The body no longer requires two-factor login.")
    )
    attempt(
        request,
        lambda: services.body_set_two_factor(actor=request.user, body=body, required=required),
        done,
    )
    note_enrolment_due(request, request.user)  # the administrator may be one it applies to
    return redirect(body)


UNITS = ObjectPages(
    form_class=UnitForm,
    services=services.UNITS,
    new_title=gettext_lazy("New unit"),
    title=lambda unit: _("Unit: %s") % unit,
    perm=Perm.MANAGE_ORG,
    form_kwargs=lambda body: {"body": body},
)

PROGRAMS = ObjectPages(
    form_class=BudgetProgramForm,
    services=services.PROGRAMS,
    new_title=gettext_lazy("New budget program"),
    title=lambda program: _("Budget program %s") % program.code,
    perm=Perm.MANAGE_ORG,
)


@login_required
def members(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    return render(request, "orgs/members.html", {"body": body, "members": body_members(body)})


def _member(request: HttpRequest, body_id: int, user_id: int) -> tuple[StateBody, User]:
    """The body, for its manager, and one of the body's users."""
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    return body, get_object_or_404(User.objects.filter(roles__body=body).distinct(), pk=user_id)


def _members_url(body: StateBody) -> str:
    return reverse("orgs:members", args=[body.pk])


member_new = body_form_view(
    perm=Perm.MANAGE_ORG,
    form_class=NewUserForm,
    create=services.user_create,
    title=gettext_lazy("New user"),
    success_url=_members_url,
    form_kwargs=lambda body: {"body": body},
)


def _member_form(request, body, member, form, service, title, extra=None) -> HttpResponse:
    """`form` about a user of the body, handed to `service`; back to the members when saved."""
    return form_page(
        request,
        form=form,
        save=service_save(request, service, form, body=body, user=member),
        success_url=_members_url(body),
        title=title,
        body=body,
        extra=extra,
    )


@login_required
def member_edit(request: HttpRequest, body_id: int, user_id: int) -> HttpResponse:
    body, member = _member(request, body_id, user_id)
    form = UserForm(request.POST or None, instance=member)
    title = _("User: %s") % member
    return _member_form(
        request, body, member, form, services.user_update, title, {"history_of": member}
    )


@login_required
def member_role_new(request: HttpRequest, body_id: int, user_id: int) -> HttpResponse:
    body, member = _member(request, body_id, user_id)
    form = RoleForm(request.POST or None, body=body)
    return _member_form(
        request, body, member, form, services.role_assign, _("New role for %s") % member
    )


@login_required
def member_role_delete(request: HttpRequest, body_id: int, role_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    assignment = object_in_body(RoleAssignment, body, role_id)
    return confirm_delete(
        request,
        obj=assignment,
        delete=lambda: services.role_revoke(actor=request.user, assignment=assignment),
        success_url=_members_url(body),
        body=body,
    )


@login_required
def history(request: HttpRequest, body_id: int, model: str, object_id: int) -> HttpResponse:
    body = body_for(request, body_id)
    obj = history_target(body, model, object_id, user=request.user)
    context = {"body": body, "object": obj, "rows": history_rows(obj)}
    return render(request, "history.html", context)

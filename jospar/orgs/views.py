from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib.history import history_rows, history_target
from jospar.lib.views import (
    ObjectPages,
    body_for,
    body_form_page,
    confirm_delete,
    form_page,
    object_in_body,
)
from jospar.orgs import services
from jospar.orgs.forms import BudgetProgramForm, NewUserForm, RoleForm, UnitForm, UserForm
from jospar.orgs.models import BudgetProgram, RoleAssignment, StateBody, Unit, User
from jospar.orgs.policy import Perm, can
from jospar.orgs.selectors import body_members, unit_tree
from jospar.orgs.visibility import visible


@login_required
def home(request: HttpRequest) -> HttpResponse:
    bodies = list(visible(request.user, StateBody.objects.all()))
    if len(bodies) == 1:
        return redirect(bodies[0])
    return render(request, "orgs/home.html", {"bodies": bodies})


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
    }
    return render(request, "orgs/body.html", context)


UNITS = ObjectPages(
    model=Unit,
    form_class=UnitForm,
    arg="unit",
    create=services.unit_create,
    update=services.unit_update,
    delete=services.unit_delete,
    new_title=gettext_lazy("New unit"),
    title=lambda unit: _("Unit: %s") % unit,
    perm=Perm.MANAGE_ORG,
    form_kwargs=lambda body: {"body": body},
)

PROGRAMS = ObjectPages(
    model=BudgetProgram,
    form_class=BudgetProgramForm,
    arg="program",
    create=services.budget_program_create,
    update=services.budget_program_update,
    delete=services.budget_program_delete,
    new_title=gettext_lazy("New budget program"),
    title=lambda program: _("Budget program %s") % program.code,
    perm=Perm.MANAGE_ORG,
)


@login_required
def members(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    return render(request, "orgs/members.html", {"body": body, "members": body_members(body)})


def _member(body, user_id: int) -> User:
    return get_object_or_404(User.objects.filter(roles__body=body).distinct(), pk=user_id)


@login_required
def member_new(request: HttpRequest, body_id: int) -> HttpResponse:
    return body_form_page(
        request,
        body_id,
        perm=Perm.MANAGE_ORG,
        form_class=NewUserForm,
        create=services.user_create,
        title=_("New user"),
        success_url=lambda body: reverse("orgs:members", args=[body.pk]),
        form_kwargs=lambda body: {"body": body},
    )


@login_required
def member_edit(request: HttpRequest, body_id: int, user_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    member = _member(body, user_id)
    return form_page(
        request,
        form=UserForm(request.POST or None, instance=member),
        save=lambda data: services.user_update(actor=request.user, body=body, user=member, **data),
        success_url=reverse("orgs:members", args=[body.pk]),
        title=_("User: %s") % member,
        body=body,
        extra={"history_of": member},
    )


@login_required
def member_role_new(request: HttpRequest, body_id: int, user_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    member = _member(body, user_id)
    return form_page(
        request,
        form=RoleForm(request.POST or None, body=body),
        save=lambda data: services.role_assign(actor=request.user, body=body, user=member, **data),
        success_url=reverse("orgs:members", args=[body.pk]),
        title=_("New role for %s") % member,
        body=body,
    )


@login_required
def member_role_delete(request: HttpRequest, body_id: int, role_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    assignment = object_in_body(RoleAssignment, body, role_id)
    return confirm_delete(
        request,
        obj=assignment,
        delete=lambda: services.role_revoke(actor=request.user, assignment=assignment),
        success_url=reverse("orgs:members", args=[body.pk]),
        body=body,
    )


@login_required
def history(request: HttpRequest, body_id: int, model: str, object_id: int) -> HttpResponse:
    body = body_for(request, body_id)
    obj = history_target(body, model, object_id, user=request.user)
    context = {"body": body, "object": obj, "rows": history_rows(obj)}
    return render(request, "history.html", context)

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jospar.lib.history import history_rows, history_target
from jospar.lib.views import body_for, confirm_delete, form_page, object_in_body
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


@login_required
def unit_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    form = UnitForm(request.POST or None, body=body)
    return form_page(
        request,
        form=form,
        save=lambda data: services.unit_create(actor=request.user, body=body, **data),
        success_url=body.get_absolute_url(),
        title=_("New unit"),
        body=body,
    )


@login_required
def unit_edit(request: HttpRequest, body_id: int, unit_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    unit = object_in_body(Unit, body, unit_id)
    form = UnitForm(request.POST or None, instance=unit, body=body)
    return form_page(
        request,
        form=form,
        save=lambda data: services.unit_update(actor=request.user, unit=unit, **data),
        success_url=body.get_absolute_url(),
        title=_("Unit: %s") % unit,
        body=body,
        extra={"history_of": unit},
    )


@login_required
def unit_delete(request: HttpRequest, body_id: int, unit_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    unit = object_in_body(Unit, body, unit_id)
    return confirm_delete(
        request,
        obj=unit,
        delete=lambda: services.unit_delete(actor=request.user, unit=unit),
        success_url=body.get_absolute_url(),
        body=body,
    )


@login_required
def program_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    return form_page(
        request,
        form=BudgetProgramForm(request.POST or None),
        save=lambda data: services.budget_program_create(actor=request.user, body=body, **data),
        success_url=body.get_absolute_url(),
        title=_("New budget program"),
        body=body,
    )


@login_required
def program_edit(request: HttpRequest, body_id: int, program_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    program = object_in_body(BudgetProgram, body, program_id)
    return form_page(
        request,
        form=BudgetProgramForm(request.POST or None, instance=program),
        save=lambda data: services.budget_program_update(
            actor=request.user, program=program, **data
        ),
        success_url=body.get_absolute_url(),
        title=_("Budget program %s") % program.code,
        body=body,
        extra={"history_of": program},
    )


@login_required
def program_delete(request: HttpRequest, body_id: int, program_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    program = object_in_body(BudgetProgram, body, program_id)
    return confirm_delete(
        request,
        obj=program,
        delete=lambda: services.budget_program_delete(actor=request.user, program=program),
        success_url=body.get_absolute_url(),
        body=body,
    )


@login_required
def members(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    return render(request, "orgs/members.html", {"body": body, "members": body_members(body)})


def _member(body, user_id: int) -> User:
    return get_object_or_404(User.objects.filter(roles__body=body).distinct(), pk=user_id)


@login_required
def member_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    return form_page(
        request,
        form=NewUserForm(request.POST or None, body=body),
        save=lambda data: services.user_create(actor=request.user, body=body, **data),
        success_url=reverse("orgs:members", args=[body.pk]),
        title=_("New user"),
        body=body,
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

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jospar.accounts.middleware import note_enrolment_due
from jospar.lib.files import CONTENT_TYPES
from jospar.lib.forms import attach_errors
from jospar.lib.history import history_rows, history_target
from jospar.lib.uploads import discard_kept, keep_upload, kept_upload, posted_form, read_kept
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
from jospar.notifications.services import password_link_send
from jospar.orgs import services
from jospar.orgs.forms import (
    BudgetProgramForm,
    NewBodyForm,
    NewUserForm,
    RoleForm,
    SignatureUseForm,
    UnitForm,
    UserForm,
)
from jospar.orgs.models import RoleAssignment, StateBody, User
from jospar.orgs.orgsheet import MAX_MB as ORG_MAX_MB
from jospar.orgs.orgsheet import org_template as org_template_bytes
from jospar.orgs.orgsheet import read_org_sheet
from jospar.orgs.policy import Perm, can
from jospar.orgs.selectors import body_members, unit_tree
from jospar.orgs.visibility import sees_all
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
        # the body-wide readers reach each approved plan's execution dashboard from here
        "sees_reports": sees_all(request.user, "reports.report", body.pk),
        "signature_form": SignatureUseForm(instance=body),
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


@login_required
@require_POST
def body_signatures(request: HttpRequest, body_id: int) -> HttpResponse:
    """The administrator chooses, for each signed step, whether the body signs it with the
    digital signature: not used, optional or required."""
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    form = SignatureUseForm(request.POST, instance=StateBody.objects.get(pk=body.pk))
    if form.is_valid():
        attempt(
            request,
            lambda: services.body_set_signatures(
                actor=request.user, body=body, **form.cleaned_data
            ),
            _("The use of the digital signature has been saved."),
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(body.get_absolute_url() + "#signatures")


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
@require_POST
def member_password_link(request: HttpRequest, body_id: int, user_id: int) -> HttpResponse:
    """The link at which a person imported without a password sets one, shown to the
    administrator to hand over."""
    body, member = _member(request, body_id, user_id)
    try:
        link = services.member_password_link(actor=request.user, body=body, user=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_members_url(body))
    context = {"body": body, "member": member, "link": link}
    return render(request, "orgs/password_link.html", context)


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


# --- a new body (installation administrators) -------------------------------------------------


@login_required
def body_new(request: HttpRequest) -> HttpResponse:
    """An installation administrator creates a state body and its first administrator, who is
    e-mailed the link to set a password, or shown here to be handed over."""
    if not services.may_create_bodies(request.user):
        raise PermissionDenied
    form = NewBodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body, admin = services.body_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            link = services.password_link(admin)
            sent = password_link_send(user=admin, link=link, body=body)
            context = {"body": body, "admin": admin, "link": "" if sent else link, "sent": sent}
            return render(request, "orgs/body_created.html", context, status=201)
    context = {"form": form, "title": _("New state body"), "cancel_url": reverse("home")}
    return render(request, "form.html", context, status=400 if form.is_bound else 200)


# --- units and people from a spreadsheet --------------------------------------------------------

ORG_SALT = "jospar.orgs.org_import"


class OrgUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


@login_required
def org_template(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    response = HttpResponse(org_template_bytes(body), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{body.code}-units-people.xlsx"'
    return response


def _org_page(request, body, *, form=None, sheet=None, token="", status=200) -> HttpResponse:
    context = {
        "body": body,
        "form": form or OrgUploadForm(),
        "sheet": sheet,
        "token": token,
        "max_mb": ORG_MAX_MB,
    }
    return render(request, "orgs/org_import.html", context, status=status)


@login_required
def org_import(request: HttpRequest, body_id: int) -> HttpResponse:
    """Upload the filled template: the dry run, with every problem by sheet, row and column."""
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    form, shown = posted_form(request, OrgUploadForm, lambda **kw: _org_page(request, body, **kw))
    if shown is not None:
        return shown
    upload = form.cleaned_data["file"]
    sheet = read_org_sheet(upload, body=body, actor=request.user)
    if not sheet.ok:
        return _org_page(request, body, form=form, sheet=sheet, status=400)
    if not sheet.changes:
        return _org_page(request, body, sheet=sheet)
    token = keep_upload(request, upload, salt=ORG_SALT, body=body.pk)
    return _org_page(request, body, sheet=sheet, token=token)


@login_required
@require_POST
def org_import_confirm(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    ticket = kept_upload(request, salt=ORG_SALT, body=body.pk)
    if ticket is None:
        return _org_page(request, body, status=400)
    sheet = read_kept(ticket, lambda stored: read_org_sheet(stored, body=body, actor=request.user))
    try:
        services.org_import(actor=request.user, body=body, sheet=sheet)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _org_page(request, body, sheet=sheet, status=400)
    discard_kept(ticket)
    messages.success(request, sheet.summary())
    return redirect(body)

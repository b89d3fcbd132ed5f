from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from jospar.deadlines.calendar import countdown
from jospar.lib.converters import int64
from jospar.lib.forms import attach_errors
from jospar.lib.records import Conflict
from jospar.lib.views import (
    attempt,
    body_for,
    body_form_view,
    form_page,
    object_in_body,
    posted_step,
    service_save,
)
from jospar.lib.workflow import allowed_steps
from jospar.orgs.models import UNIT_ROLES, SignatureUse, Unit
from jospar.orgs.policy import Perm, can, units_of
from jospar.orgs.visibility import sees_all, visible
from jospar.plans import services
from jospar.plans.carryover import next_year_offer
from jospar.plans.checks import check_plan, missing_texts
from jospar.plans.diff import (
    acceptance_changes,
    actions_of_draft,
    actions_of_revision,
    compare,
    diff_xlsx,
)
from jospar.plans.forms import (
    ActionForm,
    AdjustmentForm,
    CompletionFormForm,
    DeclineForm,
    NextYearForm,
    OperationalPlanForm,
    ProposalForm,
    ReturnForm,
    TaskForm,
)
from jospar.plans.models import (
    Action,
    OperationalPlan,
    PlanStatus,
    Proposal,
    ProposalStatus,
    Revision,
)
from jospar.plans.selectors import next_revision_number, plan_layout, plan_proposals, plans_read
from jospar.plans.table import plan_rows
from jospar.signatures.services import latest_signature, latest_signatures
from jospar.signatures.views import document_response, with_ncalayer


def _editable_plan(request, body_id: int, plan_id: int):
    body, plan = _plan(request, body_id, plan_id, Perm.EDIT_PLAN)
    if not plan.is_editable:
        raise PermissionDenied(
            _("The plan is %(status)s and cannot be changed.")
            % {"status": plan.get_status_display()}
        )
    return body, plan


def _plan(request, body_id: int, plan_id: int, perm: Perm = Perm.VIEW):
    body = body_for(request, body_id)
    plan = object_in_body(OperationalPlan, body, plan_id, plans_read("basis_amendment"))
    if perm != Perm.VIEW and not can(request.user, perm, plan):
        raise PermissionDenied
    return body, plan


@login_required
def plan_list(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id)
    context = {
        "body": body,
        "plans": body.operational_plans.select_related("development_plan"),
        "may_edit": can(request.user, Perm.EDIT_PLAN, body),
        "tasks": body.tasks.all(),
    }
    return render(request, "plans/plan_list.html", context)


@login_required
def plan_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.EDIT_PLAN)
    form = OperationalPlanForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(plan)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "body": body,
            "title": _("New operational plan"),
            "cancel_url": reverse("plans:list", args=[body.pk]),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def plan_edit(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    """The plan's own details (year, development plan, basis, planning unit) while it is a
    draft or returned; a save after another planner's is a conflict (VersionedForm)."""
    body, plan = _editable_plan(request, body_id, plan_id)
    form = OperationalPlanForm(request.POST or None, instance=plan, body=body)
    return form_page(
        request,
        form=form,
        save=service_save(request, services.plan_update, form, plan=plan),
        success_url=plan.get_absolute_url(),
        title=str(plan),
        body=body,
        extra={"history_of": plan},
    )


def _table_context(request, body, plan) -> dict:
    unit_id = int64(request.GET.get("unit") or request.POST.get("unit_filter"))
    steps = allowed_steps(request.user, plan, services.PLAN_STEPS)
    may_edit = "edit" in steps
    layout = plan_layout(plan, unit_id=unit_id)
    rows = plan_rows(
        layout,
        body_id=body.pk,
        plan_id=plan.pk,
        may_edit=may_edit,
        unit_filter=unit_id,
    )
    return {
        "body": body,
        "plan": plan,
        "table_rows": rows,
        "missing_texts": missing_texts(layout),
        "unit_filter": unit_id,
        "steps": steps,
        "may_edit": may_edit,
    }


@login_required
def plan_detail(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    context = _table_context(request, body, plan)
    basis = plan.approval_basis
    deadline = basis.deadline if basis else None
    context |= {
        "approval_basis": basis,
        "units": body.units.all(),
        "deadline": deadline,
        "countdown": countdown(deadline, plan.approved_on) if deadline else None,
        "revision": plan.revisions.select_related("approved_by").order_by("number").last(),
        "events": plan.events.select_related("actor"),
        "return_form": ReturnForm(),
        "may_propose": bool(units_of(request.user, body.pk)) and plan.is_editable,
        "may_monitor": can(request.user, Perm.MONITOR, plan),
        "sees_reports": sees_all(request.user, "reports.report", body.pk),
        "applied_recommendations": _applied(plan),
    }
    context["next_year"] = _next_year(request.user, plan, context["revision"])
    context["signature"] = latest_signature(context["revision"])
    context |= _eds_context(body, "revision", "approve" in context["steps"])
    response = render(request, "plans/plan.html", context)
    return with_ncalayer(response) if context["eds"] else response


def _eds_context(body, kind: str, may_sign: bool) -> dict:
    """Whether the page offers to sign its step (`kind`) with the digital signature: the body
    uses it there and the person may take the step; where it is required, the step's own
    button is not offered (the server would refuse it)."""
    use = body.eds_use(kind)
    eds = may_sign and use != SignatureUse.OFF
    return {
        "eds": eds,
        "eds_required": eds and use == SignatureUse.REQUIRED,
        "ncalayer_url": settings.NCALAYER_URL,
    }


def _next_year(user, plan: OperationalPlan, revision) -> int | None:
    """The year whose plan the planner may prepare from this one, if any."""
    year = plan.year + 1
    if revision is None or year not in plan.development_plan.years:
        return None
    if not can(user, Perm.EDIT_PLAN, plan):
        return None
    if OperationalPlan.objects.filter(body_id=plan.body_id, year=year).exists():
        return None
    return year


def _applied(plan: OperationalPlan) -> list:
    """Recommendations of quarterly reports applied to the open adjustment (R16 → R18)."""
    if plan.status == PlanStatus.APPROVED:
        return []
    return list(
        plan.applied_recommendations.filter(
            applied_revision_number=next_revision_number(plan)
        ).select_related("report__plan", "action")
    )


def _table(
    request, body, plan, status: int = 200, clear_editor: bool = False, focus: str = ""
) -> HttpResponse:
    """The table alone, for HTMX; `focus` is the anchor of the row that the page scrolls into
    view and focuses once it is swapped in (the action just saved or moved)."""
    context = _table_context(request, body, plan) | {
        "clear_editor": clear_editor,
        "focus_row": focus,
        "fragment": True,  # rendered alone: it shows the messages itself
    }
    return render(request, "plans/plan_table.html", context, status=status)


def _editor(request, context: dict, form) -> HttpResponse:
    """The action form; with errors, HTMX gets it back into the editor (HTMX does not swap an
    error status), and a plain POST gets 400."""
    context["unit_filter"] = request.GET.get("unit") or request.POST.get("unit_filter", "")
    response = render(request, "plans/action_form.html", context)
    if form.is_bound and form.errors:
        if request.headers.get("HX-Request"):
            response["HX-Retarget"] = "#action-editor"
            response["HX-Reswap"] = "innerHTML"
        else:
            response.status_code = 400
    return response


def _action_editor(request, body, plan, form, save, action=None) -> HttpResponse:
    """The inline editor of an action: on a valid POST `save` (a service call) and answer with
    the table; otherwise the editor, with the form's errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.service_data())
        except ValidationError as error:
            attach_errors(form, error)
        except Conflict as conflict:
            form.show_conflict(conflict)
        else:
            focus = f"action-{saved.pk}" if isinstance(saved, Action) else ""
            return _table(request, body, plan, clear_editor=True, focus=focus)
    if action is None:
        post_url = reverse("plans:action_new", args=[body.pk, plan.pk])
    else:
        post_url = reverse("plans:action_edit", args=[body.pk, plan.pk, action.pk])
    context = {"form": form, "body": body, "plan": plan, "action": action, "post_url": post_url}
    return _editor(request, context, form)


@login_required
def action_new(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _editable_plan(request, body_id, plan_id)
    initial = {"anchor": request.GET.get("anchor", "")}
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    save = service_save(request, services.action_create, form, plan=plan)
    return _action_editor(request, body, plan, form, save)


def _action(request, body_id, plan_id, action_id):
    body, plan = _plan(request, body_id, plan_id, Perm.EDIT_PLAN)
    action = object_in_body(Action, body, action_id)
    if action.plan_id != plan.pk or action.removed:
        raise Http404
    return body, plan, action


@login_required
def action_edit(request: HttpRequest, body_id: int, plan_id: int, action_id: int) -> HttpResponse:
    body, plan, action = _action(request, body_id, plan_id, action_id)
    _editable_plan(request, body_id, plan_id)
    form = ActionForm(request.POST or None, instance=action, plan=plan)
    save = service_save(request, services.action_update, form, action=action)
    return _action_editor(request, body, plan, form, save, action)


def _act_and_render_table(request, body, plan, operation) -> HttpResponse:
    # A refusal is shown in the swapped table; HTMX does not swap an error status: a 200.
    # The table is read before the commit: a database gone right after it fails nothing saved.
    with transaction.atomic():
        done = attempt(request, operation, joined=True)
        focus = f"action-{done.pk}" if isinstance(done, Action) else ""
        return _table(request, body, plan, focus=focus)


@login_required
@require_POST
def action_move(request: HttpRequest, body_id: int, plan_id: int, action_id: int) -> HttpResponse:
    body, plan, action = _action(request, body_id, plan_id, action_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    return _act_and_render_table(
        request,
        body,
        plan,
        lambda: services.action_move(actor=request.user, action=action, offset=offset),
    )


@login_required
@require_POST
def action_delete(request: HttpRequest, body_id: int, plan_id: int, action_id: int):
    body, plan, action = _action(request, body_id, plan_id, action_id)
    return _act_and_render_table(
        request, body, plan, lambda: services.action_delete(actor=request.user, action=action)
    )


@login_required
def plan_check(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    problems = check_plan(plan)
    context = {
        "body": body,
        "plan": plan,
        "problems": problems,
        "errors": sum(p.is_error for p in problems),
    }
    return render(request, "plans/check.html", context)


@login_required
@require_POST
def plan_transition(request: HttpRequest, body_id: int, plan_id: int, step: str) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    operations = {
        "submit": lambda: services.plan_submit(actor=request.user, plan=plan),
        "approve": lambda: services.plan_approve(
            actor=request.user, plan=plan, cms=request.POST.get("cms", "")
        ),
        "return": lambda: services.plan_return(
            actor=request.user, plan=plan, comment=request.POST.get("comment", "")
        ),
    }
    if posted_step(request, operations, step, joined=True) is None:
        if step == "submit":
            return redirect("plans:check", body.pk, plan.pk)
    else:
        messages.success(
            request, _("Done: %s.") % plan.__class__.objects.get(pk=plan.pk).get_status_display()
        )
    return redirect(plan)


@login_required
def approval_document(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    """The canonical document the official signs to approve the plan: its working copy as the
    approval will freeze it (to whoever may approve it now)."""
    _body, plan = _plan(request, body_id, plan_id)
    if "approve" not in services.allowed_transitions(request.user, plan):
        raise PermissionDenied
    return document_response("revision", plan)


# --- revisions and adjustments (R18) ---------------------------------------------------------


@login_required
def adjustment_new(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id, Perm.EDIT_PLAN)
    form = AdjustmentForm(request.POST or None, plan=plan)
    return form_page(
        request,
        form=form,
        save=lambda data: services.adjustment_start(actor=request.user, plan=plan, **data),
        success_url=plan.get_absolute_url(),
        title=_("Start an adjustment of the operational plan for %(year)s") % {"year": plan.year},
        body=body,
    )


@login_required
def next_year(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    """Prepare next year's plan from this one: the recurring actions go on, the unfinished ones
    are offered one by one."""
    body, plan = _plan(request, body_id, plan_id, Perm.EDIT_PLAN)
    offer = next_year_offer(plan)
    form = NextYearForm(request.POST or None, offer=offer)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.plan_prepare_next(
                actor=request.user, plan=plan, carry=form.cleaned_data["carry"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            count = new.actions.count()
            messages.success(
                request,
                ngettext(
                    "The plan for %(year)s is prepared: %(count)s action carried over.",
                    "The plan for %(year)s is prepared: %(count)s actions carried over.",
                    count,
                )
                % {"year": new.year, "count": count},
            )
            for warning in offer.warnings:
                messages.warning(request, warning)
            return redirect(new)
    chosen = form["carry"].value() or []
    context = {
        "body": body,
        "plan": plan,
        "offer": offer,
        "form": form,
        "chosen": {str(value) for value in chosen},
    }
    return render(request, "plans/next_year.html", context, status=400 if form.is_bound else 200)


@login_required
def revisions(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    items = list(plan.revisions.select_related("approved_by", "basis_amendment"))
    applied: dict[int, list] = {}
    for recommendation in plan.applied_recommendations.select_related("report__plan"):
        applied.setdefault(recommendation.applied_revision_number, []).append(recommendation)
    signatures = latest_signatures(items)
    for item in items:
        item.recommendations = applied.get(item.number, [])
        item.eds_signature = signatures.get(item.pk)
    context = {
        "body": body,
        "plan": plan,
        "revisions": items,
        "has_draft": plan.status != PlanStatus.APPROVED and bool(items),
    }
    return render(request, "plans/revisions.html", context)


def _side(plan: OperationalPlan, value: str | None):
    """A side of a comparison: a revision number, or "draft" for the open working copy.
    Returns its label, a token safe for a file name, and its entries."""
    if value == "draft":
        return _("draft"), "draft", actions_of_draft(plan)
    if not (value or "").isdigit():
        raise Http404
    try:
        revision = plan.revisions.get(number=int(value))
    except Revision.DoesNotExist:
        raise Http404 from None
    return str(revision), str(revision.number), actions_of_revision(revision)


@login_required
def compare_revisions(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    old_label, old_token, old = _side(plan, request.GET.get("a"))
    new_label, new_token, new = _side(plan, request.GET.get("b"))
    diff = compare(old, new)
    title = f"{plan}: {old_label} → {new_label}"
    if request.GET.get("download") == "xlsx":
        response = HttpResponse(
            diff_xlsx(diff, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"plan-{plan.year}-{old_token}-{new_token}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {
        "body": body,
        "plan": plan,
        "diff": diff,
        "title": title,
        "query": request.GET.urlencode(),
    }
    return render(request, "plans/compare.html", context)


# --- proposals ---------------------------------------------------------------------------------


@login_required
def proposals(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    my_units = units_of(request.user, body.pk)
    items = list(visible(request.user, plan_proposals(plan)))
    signatures = latest_signatures(items)
    for proposal in items:
        proposal.steps = services.allowed_proposal_steps(request.user, proposal)
        accepted = list(proposal.actions.all())
        proposal.changes = acceptance_changes(proposal, accepted[0]) if accepted else []
        proposal.eds_signature = signatures.get(proposal.pk)
    signing = any("sign" in proposal.steps for proposal in items)
    context = _eds_context(body, "proposal", signing) | {
        "body": body,
        "plan": plan,
        "proposals": items,
        "steps": allowed_steps(request.user, plan, services.PLAN_STEPS),
        "my_units": Unit.objects.filter(pk__in=my_units),
        "propose_units": units_of(request.user, body.pk, UNIT_ROLES),
    }
    response = render(request, "plans/proposals.html", context)
    return with_ncalayer(response) if context["eds"] else response


@login_required
def proposal_new(request: HttpRequest, body_id: int, plan_id: int, unit_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    unit = object_in_body(Unit, body, unit_id)
    if not can(request.user, Perm.PROPOSE, unit):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, plan=plan, initial={"lead_unit": unit})
    return form_page(
        request,
        form=form,
        save=lambda data: services.proposal_create(
            actor=request.user, plan=plan, unit=unit, **form.service_data()
        ),
        success_url=reverse("plans:proposals", args=[body.pk, plan.pk]),
        title=_("New proposal of %s") % unit,
        body=body,
    )


def _proposal(request, body_id, plan_id, proposal_id, perm: Perm = Perm.VIEW):
    """The body, the plan and its proposal the URL names, if the user holds `perm` on it."""
    body, plan = _plan(request, body_id, plan_id)
    proposal = object_in_body(Proposal, body, proposal_id)
    if proposal.plan_id != plan.pk:
        raise Http404
    if perm != Perm.VIEW and not can(request.user, perm, proposal):
        raise PermissionDenied
    return body, plan, proposal


def _proposal_row(proposal) -> str:
    """The proposal's row on the plan's proposals page, which lands in view and focused."""
    url = reverse("plans:proposals", args=[proposal.plan.body_id, proposal.plan_id])
    return f"{url}#proposal-{proposal.pk}"


def _proposal_form(request, plan, proposal, form, service, title, extra=None) -> HttpResponse:
    """`form` on the proposal, handed to `service`; back to the proposal's row of the plan's
    proposals when saved or cancelled."""
    return form_page(
        request,
        form=form,
        save=service_save(request, service, form, proposal=proposal),
        success_url=_proposal_row(proposal),
        title=title,
        body=plan.body,
        extra=extra,
    )


@login_required
def proposal_edit(request, body_id: int, plan_id: int, proposal_id: int) -> HttpResponse:
    _body, plan, proposal = _proposal(request, body_id, plan_id, proposal_id, Perm.PROPOSE)
    form = ProposalForm(request.POST or None, instance=proposal, plan=plan)
    title = _("Proposal of %s") % proposal.unit
    extra = {"history_of": proposal}
    if proposal.status == ProposalStatus.RETURNED:
        extra["returned"] = proposal
    return _proposal_form(request, plan, proposal, form, services.proposal_update, title, extra)


@login_required
@require_POST
def proposal_sign(request, body_id: int, plan_id: int, proposal_id: int) -> HttpResponse:
    _body, _plan, proposal = _proposal(request, body_id, plan_id, proposal_id)
    cms = request.POST.get("cms", "")
    return _proposal_step(
        request,
        proposal,
        lambda **known: services.proposal_sign(**known, cms=cms),
        _("Signed off: %s"),
    )


@login_required
def proposal_sign_document(request, body_id: int, plan_id: int, proposal_id: int) -> HttpResponse:
    """The canonical document the unit head signs to sign the proposal off (to whoever may
    sign it off now)."""
    _body, _plan, proposal = _proposal(request, body_id, plan_id, proposal_id)
    if "sign" not in services.allowed_proposal_steps(request.user, proposal):
        raise PermissionDenied
    return document_response("proposal", proposal)


@login_required
def proposal_return(request, body_id: int, plan_id: int, proposal_id: int) -> HttpResponse:
    """The unit head returns the draft to its executor with what to change."""
    _body, plan, proposal = _proposal(request, body_id, plan_id, proposal_id, Perm.SIGN_OFF)
    form = ReturnForm(request.POST or None)
    form.fields["comment"].label = _("What the executor should change")
    title = _("Return the proposal “%s” to its executor") % proposal
    return _proposal_form(request, plan, proposal, form, services.proposal_return, title)


@login_required
@require_POST
def proposal_resubmit(request, body_id: int, plan_id: int, proposal_id: int) -> HttpResponse:
    _body, _plan, proposal = _proposal(request, body_id, plan_id, proposal_id, Perm.PROPOSE)
    return _proposal_step(
        request, proposal, services.proposal_resubmit, _("Sent to the unit head again: %s")
    )


def _proposal_step(request, proposal, service, done: str) -> HttpResponse:
    """A posted button's step of a proposal (`done` says it, with the proposal's name), then
    back to its row."""
    attempt(
        request,
        lambda: service(actor=request.user, proposal=proposal),
        done % proposal,
        joined=True,
    )
    return redirect(_proposal_row(proposal))


@login_required
def proposal_accept(request, body_id: int, plan_id: int, proposal_id: int) -> HttpResponse:
    """The planner sees the proposal as an action form, edits it if needed and accepts it."""
    body, plan, proposal = _proposal(request, body_id, plan_id, proposal_id, Perm.EDIT_PLAN)
    form = ActionForm(
        request.POST or None,
        plan=plan,
        instance=Action(**proposal.content()),
        initial={
            "budget_programs": list(proposal.budget_programs.all()),
            "co_executors": list(proposal.co_executors.all()),
        },
    )
    if proposal.status != ProposalStatus.SIGNED:
        messages.error(request, _("Only a proposal signed off by the unit head can be accepted."))
        return redirect(_proposal_row(proposal))
    title = _("Accept the proposal of %s into the plan") % proposal.unit
    return _proposal_form(request, plan, proposal, form, services.proposal_accept, title)


@login_required
def proposal_decline(request, body_id: int, plan_id: int, proposal_id: int) -> HttpResponse:
    _body, plan, proposal = _proposal(request, body_id, plan_id, proposal_id, Perm.EDIT_PLAN)
    form = DeclineForm(request.POST or None)
    title = _("Decline the proposal “%s”") % proposal
    return _proposal_form(request, plan, proposal, form, services.proposal_decline, title)


# --- reference lists ------------------------------------------------------------------------------


task_new = body_form_view(
    perm=Perm.EDIT_PLAN,
    form_class=TaskForm,
    create=services.task_create,
    title=gettext_lazy("New task from the regulation"),
    success_url=lambda body: reverse("plans:list", args=[body.pk]),
)

completion_form_new = body_form_view(
    perm=Perm.MANAGE_ORG,
    form_class=CompletionFormForm,
    create=services.completion_form_create,
    title=gettext_lazy("New form of completion"),
)

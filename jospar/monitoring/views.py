from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jospar.deadlines.calendar import countdown, information_deadline
from jospar.lib.converters import int64
from jospar.lib.files import download_response
from jospar.lib.forms import error_text
from jospar.lib.views import attempt, body_for, htmx_status, object_in_body, posted_step
from jospar.monitoring import services
from jospar.monitoring.models import (
    EntryStatus,
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionEvent,
)
from jospar.monitoring.selectors import (
    UNSIGNED,
    attach_progress,
    board,
    entry_problems,
    seen_token,
    unit_actions,
    unit_quarter,
)
from jospar.orgs.models import UNIT_ROLES, SignatureUse, Unit
from jospar.orgs.policy import Perm, can, units_of
from jospar.orgs.visibility import sees_all, sees_unit
from jospar.plans.models import OperationalPlan
from jospar.reminders.selectors import reminded_today, reminders_of
from jospar.signatures.services import latest_signature
from jospar.signatures.views import document_response, with_ncalayer
from jospar.strategy.models import Indicator


def quarter_plan(request, body_id: int, plan_id: int, quarter: int):
    """The body and its plan for a quarter's pages; a quarter other than 1–4 is a 404."""
    if quarter not in (1, 2, 3, 4):
        raise Http404
    body = body_for(request, body_id)
    plan = object_in_body(OperationalPlan, body, plan_id)
    return body, plan


def _unit(request, body, unit_id: int) -> Unit:
    unit = object_in_body(Unit, body, unit_id)
    if not sees_unit(request.user, Submission, unit):
        raise Http404  # a unit's work in progress is its own and the body-wide roles'
    return unit


@login_required
def quarter(request: HttpRequest, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    """The way into a quarter: the monitor's board, or the user's own unit's information."""
    body, plan = quarter_plan(request, body_id, plan_id, quarter)
    if sees_all(request.user, Submission, body.pk):
        return redirect("monitoring:board", body.pk, plan.pk, quarter)
    mine = sorted(units_of(request.user, body.pk, UNIT_ROLES))
    if len(mine) == 1:
        return redirect("monitoring:submission", body.pk, plan.pk, quarter, mine[0])
    units = Unit.objects.filter(pk__in=mine)
    return render(
        request,
        "monitoring/choose_unit.html",
        {"body": body, "plan": plan, "quarter": quarter, "units": units},
    )


@login_required
def board_page(request: HttpRequest, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    body, plan = quarter_plan(request, body_id, plan_id, quarter)
    if not sees_all(request.user, Submission, body.pk):
        raise PermissionDenied  # the board shows every unit's information
    rows, clock = board(plan, quarter)
    may_remind = can(request.user, Perm.MONITOR, body)
    if may_remind:
        reminded = reminded_today(plan, quarter)
        for row in rows:
            row.reminded = reminded.get(row.unit.pk)
            row.remindable = row.state in UNSIGNED and row.due > 0
    context = {
        "body": body,
        "plan": plan,
        "quarter": quarter,
        "rows": rows,
        "may_remind": may_remind,
        "countdown": clock,
        "deadline": clock.deadline,
    }
    return render(request, "monitoring/board.html", context)


def _problems(request, submission, items, may_report: bool) -> list[str]:
    """What keeps the information from being signed off, for those who fill it in or sign it."""
    if submission is None or not submission.is_editable:
        return []
    if may_report or can(request.user, Perm.SIGN_OFF, submission.unit):
        return entry_problems(items)
    return []


def _filled(items) -> tuple[int, int]:
    due = sum(item.due for item in items)
    filled = sum(1 for item in items if item.due and item.progress and item.progress.is_filled)
    return filled, due


def _submission_context(request, body, plan, unit, quarter, submission):
    items, indicators = unit_quarter(plan, unit, quarter, submission)
    deadline = information_deadline(plan.year, quarter)
    may_report = (
        submission is not None
        and submission.is_editable
        and can(request.user, Perm.ENTER_INFORMATION, unit)
    )
    return {
        "body": body,
        "plan": plan,
        "unit": unit,
        "quarter": quarter,
        "submission": submission,
        "items": items,
        "filled_count": _filled(items)[0],
        "due_count": _filled(items)[1],
        "indicators": indicators,
        "deadline": deadline,
        "countdown": countdown(deadline),
        "may_report": may_report,
        "may_open": submission is None and can(request.user, Perm.ENTER_INFORMATION, unit),
        "steps": services.allowed_submission_steps(request.user, submission) if submission else [],
        "seen": seen_token(submission) if submission else "",
        "problems": _problems(request, submission, items, may_report),
        "events": submission.events.select_related("actor") if submission else [],
        "unit_reminders": reminders_of(plan, quarter, unit),
        "statuses": EntryStatus.choices,
        "eds": _eds_on(body, submission),
        "signature": latest_signature(submission),
    }


def _eds_on(body, submission) -> bool:
    """Whether the head's sign-off of this information is signed with the digital signature."""
    return submission is not None and body.eds_use("submission") != SignatureUse.OFF


@login_required
def submission_page(
    request: HttpRequest, body_id: int, plan_id: int, quarter: int, unit_id: int
) -> HttpResponse:
    body, plan = quarter_plan(request, body_id, plan_id, quarter)
    unit = _unit(request, body, unit_id)
    submission = Submission.objects.filter(plan=plan, unit=unit, quarter=quarter).first()
    if request.method == "POST":  # open the quarter's information for the unit
        attempt(
            request,
            lambda: services.submission_open(
                actor=request.user, plan=plan, unit=unit, quarter=quarter
            ),
            joined=True,
        )
        return redirect("monitoring:submission", body.pk, plan.pk, quarter, unit.pk)
    context = _submission_context(request, body, plan, unit, quarter, submission)
    context["ncalayer_url"] = settings.NCALAYER_URL
    response = render(request, "monitoring/submission.html", context)
    return with_ncalayer(response) if context["eds"] and "sign" in context["steps"] else response


@login_required
def sign_off_document(request, body_id: int, plan_id: int, quarter: int, unit_id: int):
    """The canonical document of the information, base64, that the head's digital signature
    of the sign-off signs (read when they press the button, so it is what they see then)."""
    submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
    if "sign" not in services.allowed_submission_steps(request.user, submission):
        raise PermissionDenied
    return document_response("submission", submission)


def _own_submission(request, body_id, plan_id, quarter, unit_id) -> Submission:
    body, plan = quarter_plan(request, body_id, plan_id, quarter)
    unit = _unit(request, body, unit_id)
    return get_object_or_404(
        Submission.objects.select_related("plan", "unit"), plan=plan, unit=unit, quarter=quarter
    )


@login_required
@require_POST
def entry_save(request, body_id: int, plan_id: int, quarter: int, unit_id: int, action_id: int):
    """Autosave of one action's entry (HTMX): answers with out-of-band updates of the entry's
    version and saved-at mark, or with the other person's text on a conflict. A save is one
    statement after the login's on PostgreSQL, its own transaction (three in one on SQLite:
    services.entry_autosave, the submission locked only that long), answered with what it
    wrote, with no read after its commit; what it cannot settle (a refusal, a conflict) goes
    the long way, through the page's checks and entry_save()."""
    version = int64(request.POST.get("version", "0"))
    version = -1 if version is None else version
    fields = {
        "action_id": action_id,
        "status": request.POST.get("status", ""),
        "actual": request.POST.get("actual", ""),
        "reasons": request.POST.get("reasons", ""),
        "version": version,
    }
    where = {"plan_id": plan_id, "plan__body_id": body_id, "unit_id": unit_id, "quarter": quarter}
    entry = services.entry_autosave(actor=request.user, where=where, **fields)
    if entry is not None:
        return _saved(HttpResponse(saved_fragment(action_id, entry)))
    with transaction.atomic():  # the answer is read before the commit
        submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
        context = {"action_id": action_id, "submission": submission}
        try:
            entry = services.entry_save(actor=request.user, submission=submission, **fields)
        except services.Conflict as conflict:
            context["conflict"] = conflict.current
            return render(request, "monitoring/entry_saved.html", context)
        except ValidationError as error:
            context["error"] = " ".join(error_text(error, ProgressEntry))
            status = htmx_status(request, 400)
            return render(request, "monitoring/entry_saved.html", context, status=status)
        context["entry"] = entry
        return _saved(render(request, "monitoring/entry_saved.html", context))


# monitoring/entry_saved.html's answer to a save, written here for the autosave: the template
# engine took longer to render it than the save took to write.
SAVED = (
    '<input type="hidden" name="version" id="version-{action}" value="{version}" '
    'hx-swap-oob="true">\n'
    '<span class="saved" id="saved-{action}" hx-swap-oob="true">{mark}</span>\n'
    '<div class="conflict" id="conflict-{action}" hx-swap-oob="true"></div>\n\n'
)


def saved_fragment(action_id: int, entry: ProgressEntry) -> str:
    """The out-of-band updates after a save: the entry's version and its saved-at mark."""
    time = timezone.localtime(entry.updated_at).strftime("%H:%M:%S")  # the template's H:i:s
    mark = _("saved at %(time)s") % {"time": time}
    return SAVED.format(action=int(action_id), version=int(entry.version), mark=mark)


# The event an entry's save raises on the page: the sign-off state reloads on it (its own
# request, so that the save keeps to its few statements).
ENTRY_SAVED = "entry-saved"


def _saved(response: HttpResponse) -> HttpResponse:
    response["HX-Trigger"] = ENTRY_SAVED
    return response


@login_required
def sign_off_state(request, body_id: int, plan_id: int, quarter: int, unit_id: int):
    """What stands between the information and its sign-off, read again after each autosave
    (HTMX): the problems panel, the sign-off button (disabled while problems remain, saying
    why) and the count of filled actions, all out of band."""
    submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
    items = unit_actions(submission.plan, submission.unit, quarter)
    attach_progress(items, submission, quarter)
    may_report = submission.is_editable and can(
        request.user, Perm.ENTER_INFORMATION, submission.unit
    )
    filled, due = _filled(items)
    context = {
        "body": submission.plan.body,
        "plan": submission.plan,
        "unit": submission.unit,
        "quarter": quarter,
        "submission": submission,
        "items": items,
        "filled_count": filled,
        "due_count": due,
        "steps": services.allowed_submission_steps(request.user, submission),
        "problems": _problems(request, submission, items, may_report),
        "eds": _eds_on(submission.plan.body, submission),
        "ncalayer_url": settings.NCALAYER_URL,
        "oob": True,
    }
    return render(request, "monitoring/sign_off.html", context)


def _htmx_change(view):
    """A posted change answered with a fragment of the page, read before the commit."""
    return login_required(require_POST(transaction.atomic(view)))


@_htmx_change
def actual_save(request, body_id: int, plan_id: int, quarter: int, unit_id: int, indicator_id: int):
    submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
    indicator = object_in_body(Indicator, submission.plan.body, indicator_id)
    version = int64(request.POST.get("version", "0"))
    version = -1 if version is None else version
    context = {"indicator_id": indicator.pk, "submission": submission}
    try:
        context["actual"] = services.actual_save(
            actor=request.user,
            submission=submission,
            indicator=indicator,
            value=request.POST.get("value", ""),
            comment=request.POST.get("comment", ""),
            version=version,
        )
    except services.Conflict as conflict:
        context["conflict"] = conflict.current
    except ValidationError as error:
        context["error"] = " ".join(error_text(error, IndicatorActual))
        return render(
            request, "monitoring/actual_saved.html", context, status=htmx_status(request, 400)
        )
    return render(request, "monitoring/actual_saved.html", context)


@_htmx_change
def evidence_upload(
    request, body_id: int, plan_id: int, quarter: int, unit_id: int, action_id: int
):
    submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
    entry = submission.entries.filter(action_id=action_id).first()
    upload = request.FILES.get("file")
    if upload is None:
        error = _("Choose a file.")
    elif entry is None:
        error = _("Fill in the entry before attaching files to it.")
    else:
        error = _refusal(
            lambda: services.evidence_add(actor=request.user, entry=entry, upload=upload)
        )
    status = htmx_status(request, 400) if error else 200
    return _evidence_list(request, submission, action_id, entry, error, status=status)


@_htmx_change
def evidence_delete(
    request, body_id: int, plan_id: int, quarter: int, unit_id: int, evidence_id: int
):
    submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
    evidence = get_object_or_404(Evidence, pk=evidence_id, entry__submission=submission)
    action_id = evidence.entry.action_id
    error = _refusal(lambda: services.evidence_remove(actor=request.user, evidence=evidence))
    entry = submission.entries.get(action_id=action_id)
    return _evidence_list(request, submission, action_id, entry, error)


def _refusal(change) -> str | None:
    """Make the change; None, or its refusal's messages in one line."""
    try:
        change()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _evidence_list(request, submission, action_id: int, entry, error, *, status: int = 200):
    """An entry's files (none while it is not filled in) after an upload or a removal."""
    context = {
        "submission": submission,
        "action_id": action_id,
        "files": entry.evidence.all() if entry else [],
        "error": error,
        "may_report": True,
    }
    return render(request, "monitoring/evidence_list.html", context, status=status)


@login_required
def evidence_download(
    request, body_id: int, plan_id: int, quarter: int, unit_id: int, evidence_id: int
):
    submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
    evidence = get_object_or_404(Evidence, pk=evidence_id, entry__submission=submission)
    return download_response(evidence.file, name=evidence.name, kind=evidence.kind)


@login_required
@require_POST
def submission_step(
    request, body_id: int, plan_id: int, quarter: int, unit_id: int, step: str
) -> HttpResponse:
    submission = _own_submission(request, body_id, plan_id, quarter, unit_id)
    operations = {
        "sign": lambda: services.submission_sign(
            actor=request.user,
            submission=submission,
            seen=request.POST.get("seen", ""),
            cms=request.POST.get("cms", ""),  # the digital signature, where the body uses it
        ),
        "return": lambda: services.submission_return(
            actor=request.user, submission=submission, comment=request.POST.get("comment", "")
        ),
        "accept": lambda: services.submission_accept(actor=request.user, submission=submission),
        "reopen": lambda: services.submission_reopen(
            actor=request.user, submission=submission, reason=request.POST.get("reason", "")
        ),
    }
    done = posted_step(request, operations, step, model=SubmissionEvent)
    if done is not None:
        messages.success(request, _("Done: %s.") % done.get_status_display())
    return redirect(submission)

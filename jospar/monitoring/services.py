"""Quarterly monitoring (R11–R14): units enter their information, the unit head signs it off,
the monitor returns it with a comment or accepts it. Each operation takes the acting user,
asks the policy, validates and saves in one transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.deadlines.calendar import days_late, information_deadline, quarter_start, today
from jospar.lib.files import sniff_evidence, stored_name
from jospar.lib.records import check_fields, delete_record, save_record
from jospar.lib.workflow import Step, allowed_steps, take_step
from jospar.monitoring.models import (
    EntryStatus,
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from jospar.monitoring.selectors import (
    attach_progress,
    changed_since,
    entry_problems,
    revision_in_force,
    seen_token,
    unit_actions,
)
from jospar.orgs.models import Unit
from jospar.orgs.policy import Perm, require
from jospar.plans.models import OperationalPlan, RevisionAction
from jospar.strategy.models import Indicator


class Conflict(Exception):
    """Someone else saved the same entry since this user loaded it."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current


@transaction.atomic
def submission_open(*, actor, plan: OperationalPlan, unit: Unit, quarter: int) -> Submission:
    """The unit's submission for the quarter, created when the quarter has started."""
    require(actor, Perm.ENTER_INFORMATION, unit)
    if unit.body_id != plan.body_id:
        raise PermissionDenied
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    existing = Submission.objects.filter(plan=plan, unit=unit, quarter=quarter).first()
    if existing is not None:
        return existing
    opens = quarter_start(plan.year, quarter)
    if today() < opens:
        raise ValidationError(
            _("Information for quarter %(q)s opens on %(date)s.")
            % {"q": quarter, "date": opens.strftime("%d.%m.%Y")}
        )
    if revision_in_force(plan, quarter) is None:
        raise ValidationError(_("The plan has not been approved yet."))
    submission = Submission(plan=plan, unit=unit, quarter=quarter)
    try:
        with transaction.atomic():
            return save_record(submission, actor=actor)
    except ValidationError:
        # Two members of the unit opened it at the same moment: take the one that was saved.
        return Submission.objects.get(plan=plan, unit=unit, quarter=quarter)


def _require_editable(submission: Submission) -> None:
    if not submission.is_editable:
        raise ValidationError(
            _("The information is %(status)s and cannot be changed.")
            % {"status": submission.get_status_display()}
        )


def _unit_action(submission: Submission, action_id: int):
    for item in unit_actions(submission.plan, submission.unit, submission.quarter, action_id):
        return item
    raise ValidationError(
        {"action": _("This action is not one your unit reports on in this quarter.")}
    )


@transaction.atomic
def entry_save(
    *,
    actor,
    submission: Submission,
    action_id: int,
    status: str,
    actual: str,
    reasons: str,
    version: int,
) -> ProgressEntry:
    """Save a unit's entry on one action. `version` is the version the user started from: if
    someone saved the entry since, nothing is written and Conflict carries their text."""
    require(actor, Perm.ENTER_INFORMATION, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_editable(submission)
    _unit_action(submission, action_id)
    if status and status not in EntryStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    fields = {
        "status": status or "",
        "actual": (actual or "").strip(),
        "reasons": (reasons or "").strip(),
        "updated_by": actor,
        "updated_at": timezone.now(),
    }
    check_fields(ProgressEntry, actual=fields["actual"], reasons=fields["reasons"])
    if version == 0:
        try:
            with transaction.atomic():
                entry = ProgressEntry(submission=submission, action_id=action_id, version=1)
                for name, value in fields.items():
                    setattr(entry, name, value)
                entry._history_user = actor
                entry.save()
                return entry
        except IntegrityError:
            raise Conflict(_current(submission, action_id)) from None
    updated = ProgressEntry.objects.filter(
        submission=submission, action_id=action_id, version=version
    ).update(version=F("version") + 1, **fields)
    if not updated:
        current = ProgressEntry.objects.filter(submission=submission, action_id=action_id)
        if not current.exists():
            raise ValidationError({"version": _("The entry has not been saved yet; reload it.")})
        raise Conflict(_current(submission, action_id))
    entry = ProgressEntry.objects.get(submission=submission, action_id=action_id)
    # update() writes no history row: record this save like any other.
    entry._history_user = actor
    entry.save(update_fields=["updated_at"])
    return entry


def _current(submission: Submission, action_id: int) -> ProgressEntry:
    return ProgressEntry.objects.select_related("updated_by").get(
        submission=submission, action_id=action_id
    )


@transaction.atomic
def evidence_add(*, actor, entry: ProgressEntry, upload) -> Evidence:
    """Attach a file to an entry: PDF, DOCX, XLSX or an image, checked by its content."""
    require(actor, Perm.ENTER_INFORMATION, entry.submission)
    _require_editable(entry.submission)
    limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.EVIDENCE_MAX_MB}}
        )
    kind = sniff_evidence(upload)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, DOCX, XLSX, PNG, JPEG or GIF files are accepted; this is not one."
                )
            }
        )
    evidence = Evidence(
        entry=entry, name=upload.name[:255], kind=kind, size=upload.size, uploaded_by=actor
    )
    evidence.file.save(stored_name(kind), upload, save=False)  # never the client's name
    stored = evidence.file
    # The file is written before the row; if the row is not kept, neither is the file.
    try:
        return save_record(evidence, actor=actor)
    except Exception:
        stored.delete(save=False)
        raise


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    require(actor, Perm.ENTER_INFORMATION, evidence.entry.submission)
    _require_editable(evidence.entry.submission)
    stored = evidence.file
    delete_record(evidence, actor=actor)
    transaction.on_commit(lambda: stored.delete(save=False))


@transaction.atomic
def actual_save(
    *, actor, submission: Submission, indicator: Indicator, value, comment: str, version: int
) -> IndicatorActual:
    """The actual value of a target indicator the unit answers for."""
    require(actor, Perm.ENTER_INFORMATION, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_editable(submission)
    if (
        indicator.responsible_unit_id != submission.unit_id
        or indicator.kind != Indicator.Kind.TARGET
        or indicator.plan_id != submission.plan.development_plan_id
    ):
        raise ValidationError({"indicator": _("Your unit does not answer for this indicator.")})
    if value in (None, ""):
        number = None
    else:
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValidationError({"value": _("Enter a number, e.g. 12.5.")}) from None
        if not number.is_finite():
            raise ValidationError({"value": _("Enter a number, e.g. 12.5.")})
    actual = IndicatorActual.objects.filter(submission=submission, indicator=indicator).first()
    if actual is None:
        actual = IndicatorActual(submission=submission, indicator=indicator)
    if actual.version != version:
        raise Conflict(actual)
    actual.value = number
    actual.comment = (comment or "").strip()
    actual.version += 1
    return save_record(actual, actor=actor)


# --- sign-off and review -------------------------------------------------------------------


# Every allowed step of a submission, written once.
STEPS: dict[str, Step] = {
    "sign": Step(
        frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}),
        SubmissionStatus.SUBMITTED,
        Perm.SIGN_OFF,
        SubmissionEvent.Kind.SIGNED,
    ),
    "return": Step(
        frozenset({SubmissionStatus.SUBMITTED}),
        SubmissionStatus.RETURNED,
        Perm.MONITOR,
        SubmissionEvent.Kind.RETURNED,
    ),
    "accept": Step(
        frozenset({SubmissionStatus.SUBMITTED}),
        SubmissionStatus.ACCEPTED,
        Perm.MONITOR,
        SubmissionEvent.Kind.ACCEPTED,
    ),
    "reopen": Step(
        frozenset({SubmissionStatus.ACCEPTED}),
        SubmissionStatus.RETURNED,
        Perm.MONITOR,
        SubmissionEvent.Kind.REOPENED,
    ),
}


def allowed_submission_steps(user, submission: Submission) -> list[str]:
    return allowed_steps(user, submission, STEPS)


def _next_round(submission: Submission, step: Step) -> dict:
    """The event belongs to the round it ends; a return starts a new round."""
    event = {"round": submission.round}
    if step.target == SubmissionStatus.RETURNED:
        submission.round += 1
    return event


def _step(actor, submission: Submission, name: str, comment: str = "", then=None) -> Submission:
    """Take the step; `then(locked)` sets what the step records on the submission itself, so
    that the step is saved once, with one history row."""

    def before_save(locked: Submission, step: Step) -> dict:
        if then is not None:
            then(locked)
        return _next_round(locked, step)

    return take_step(actor, submission, STEPS, name, comment, before_save=before_save)


class SignConflict(ValidationError):
    """The information changed between the head's reading and their sign-off: `actions` and
    `indicators` (ids) are what changed."""

    def __init__(self, message: str, actions: set[int], indicators: set[int]):
        super().__init__(message, code="conflict")
        self.actions, self.indicators = actions, indicators


@transaction.atomic
def submission_sign(*, actor, submission: Submission, seen: str | None = None) -> Submission:
    """The unit head signs the information off (R14); the time is recorded against R13.
    `seen` is the seen_token of the page or answer the head read: if the information changed
    since (by someone else), nothing is signed and SignConflict names what changed. The check
    and the entries' completeness are judged under the submission's lock, which every save of
    an entry takes too, so no save slips in between."""
    require(actor, Perm.SIGN_OFF, submission)

    def signed(locked: Submission) -> None:
        if seen is not None:
            _require_unchanged(actor, locked, seen)
        items = unit_actions(locked.plan, locked.unit, locked.quarter)
        attach_progress(items, locked, locked.quarter)
        problems = entry_problems(items)
        if problems:
            raise ValidationError(problems)
        locked.signed_by = actor
        locked.signed_at = timezone.now()
        deadline = information_deadline(locked.plan.year, locked.quarter)
        locked.days_late = days_late(deadline, locked.signed_at)

    return _step(actor, submission, "sign", then=signed)


def _require_unchanged(actor, submission: Submission, seen: str) -> None:
    actions, indicators = changed_since(seen, seen_token(submission), actor)
    indicators = {  # the values the head entered themselves they have seen
        actual.indicator_id
        for actual in submission.actuals.filter(indicator__in=indicators)
        if getattr(actual.history.first(), "history_user_id", None) != actor.pk
    } | (indicators - set(submission.actuals.values_list("indicator_id", flat=True)))
    if not actions and not indicators:
        return
    names = [
        str(row.number)
        for row in RevisionAction.objects.filter(
            revision=revision_in_force(submission.plan, submission.quarter), action__in=actions
        ).order_by("number")
    ]
    names += [
        str(indicator)
        for indicator in Indicator.objects.filter(pk__in=indicators).order_by("number")
    ]
    raise SignConflict(
        _("The information changed after you opened it: %(what)s. Read it again, then sign it off.")
        % {"what": ", ".join(names)},
        actions,
        indicators,
    )


def _comment(comment: str, field: str = "comment") -> str:
    text = (comment or "").strip()
    if not text:
        raise ValidationError({field: _("Say what must be corrected; the unit sees it.")})
    return text


@transaction.atomic
def submission_return(*, actor, submission: Submission, comment: str) -> Submission:
    require(actor, Perm.MONITOR, submission)
    return _step(actor, submission, "return", _comment(comment))


@transaction.atomic
def submission_accept(*, actor, submission: Submission) -> Submission:
    return _step(actor, submission, "accept")


@transaction.atomic
def submission_reopen(*, actor, submission: Submission, reason: str) -> Submission:
    """An accepted submission opens again for correction, with the reason kept."""
    require(actor, Perm.MONITOR, submission)
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("State why the information is reopened.")})
    return _step(actor, submission, "reopen", text)

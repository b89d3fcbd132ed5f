"""Reads for quarterly monitoring, shared by the submission page, the monitor's board and the
API: which actions a unit reports on in a quarter, and the state of every unit's submission.
Each makes a fixed number of queries, whatever the number of actions or units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from jospar.deadlines.calendar import countdown, information_deadline, is_due, quarter_start
from jospar.monitoring.models import (
    EntryStatus,
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionStatus,
)
from jospar.orgs.models import Unit
from jospar.plans.models import OperationalPlan, Revision, RevisionAction
from jospar.plans.terms import RECURRING
from jospar.strategy.models import Indicator


def revision_in_force(plan: OperationalPlan, quarter: int) -> Revision | None:
    """The revision that governed the quarter: the last one approved by the quarter's end
    (or the first, if the plan was approved only later)."""
    end = quarter_start(plan.year, quarter + 1) if quarter < 4 else dt.date(plan.year + 1, 1, 1)
    revisions = plan.revisions.order_by("number")
    before = revisions.filter(approved_on__lt=end).last()
    return before if before is not None else revisions.first()


def executed_earlier(
    plan: OperationalPlan, quarter: int, action_id: int | None = None
) -> set[tuple[int, int]]:
    """(unit, action) pairs: the unit reported the action executed in its accepted submission
    of an earlier quarter. Each unit answers for its own part: a co-executor's "executed" does
    not close the action for the lead, nor the other way round."""
    entries = ProgressEntry.objects.filter(
        submission__plan=plan,
        submission__quarter__lt=quarter,
        submission__status=SubmissionStatus.ACCEPTED,
        status=EntryStatus.EXECUTED,
    )
    if action_id is not None:
        entries = entries.filter(action_id=action_id)
    return set(entries.values_list("submission__unit_id", "action_id"))


def _done(row: RevisionAction, unit_id: int, done: set[tuple[int, int]]) -> bool:
    """A one-off action the unit has executed is left out; a recurring one never is."""
    return row.term_kind not in RECURRING and (unit_id, row.action_id) in done


@dataclass
class DueAction:
    planned: RevisionAction  # the action as the plan in force holds it
    due: bool
    lead: bool  # the unit leads it (else it is a co-executor)
    progress: ProgressEntry | None = None
    others: list[ProgressEntry] = field(default_factory=list)  # co-executors' entries
    # The unit's last accepted entry of an earlier quarter, offered as the start of this one
    # while the unit has not saved its own (see `carried_entries`).
    carried: ProgressEntry | None = None

    @property
    def offered(self) -> ProgressEntry | None:
        """What the entry form shows: the unit's own entry, else the one carried over."""
        return self.progress or self.carried


# What the last accepted information offers to the next quarter: a recurring action's account
# (done again each quarter, the text changes little), and an unfinished one-off's.
CARRIED_STATUSES = {
    True: (EntryStatus.EXECUTED, EntryStatus.PARTIAL, EntryStatus.NOT_EXECUTED),
    False: (EntryStatus.PARTIAL, EntryStatus.NOT_EXECUTED),
}


def carried_entries(items: list[DueAction], submission: Submission, quarter: int) -> None:
    """Offer each item without an entry of its own the unit's entry from its last accepted
    information of an earlier quarter (one query): for a recurring action whatever it said,
    for a one-off only "partially" or "not executed" (an executed one-off is left out of the
    quarter already). Offered, not saved: it counts once the executor saves it."""
    waiting = {item.planned.action_id: item for item in items if item.progress is None}
    if not waiting or quarter == 1:
        return
    entries = ProgressEntry.objects.filter(
        submission__plan_id=submission.plan_id,
        submission__unit_id=submission.unit_id,
        submission__quarter__lt=quarter,
        submission__status=SubmissionStatus.ACCEPTED,
        action_id__in=list(waiting),
    ).select_related("submission")
    for entry in entries.order_by("submission__quarter"):  # the last quarter's wins
        item = waiting[entry.action_id]
        recurring = item.planned.term_kind in RECURRING
        item.carried = entry if entry.status in CARRIED_STATUSES[recurring] else None


def unit_actions(
    plan: OperationalPlan, unit: Unit, quarter: int, action_id: int | None = None
) -> list[DueAction]:
    """The actions of the plan in force for which the unit is lead or co-executor, each marked
    due or not yet due in the quarter (an action already executed earlier is left out).
    With `action_id`, only that action if it is one of them (what an autosave checks)."""
    revision = revision_in_force(plan, quarter)
    if revision is None:
        return []
    done = executed_earlier(plan, quarter, action_id)
    rows = revision.actions.select_related("indicator", "task", "lead_unit", "completion_form")
    if action_id is not None:
        rows = rows.filter(action_id=action_id)
    result = []
    for row in rows.order_by("number"):
        lead = row.lead_unit_id == unit.pk
        if not lead and unit.pk not in row.co_executor_ids:
            continue
        if _done(row, unit.pk, done):
            continue
        result.append(DueAction(row, is_due(row.term, quarter), lead))
    return result


EVIDENCE = Prefetch("evidence", Evidence.objects.select_related("uploaded_by"))


def attach_progress(items: list[DueAction], submission: Submission | None, quarter: int) -> None:
    """Put the unit's own entries and, for the actions it leads, the co-executors' entries
    of the same quarter on each item (two queries)."""
    ids = [item.planned.action_id for item in items]
    if submission is not None:
        own = {
            e.action_id: e
            for e in submission.entries.filter(action_id__in=ids)
            .select_related("updated_by")
            .prefetch_related(EVIDENCE)
        }
        for item in items:
            item.progress = own.get(item.planned.action_id)
    led = [item.planned.action_id for item in items if item.lead]
    if not led or submission is None:
        return
    others = (
        ProgressEntry.objects.filter(
            action_id__in=led,
            submission__plan_id=submission.plan_id,
            submission__quarter=quarter,
        )
        .exclude(submission=submission)
        .select_related("submission__unit")
        .prefetch_related(EVIDENCE)
    )
    by_action: dict[int, list[ProgressEntry]] = {}
    for entry in others:
        by_action.setdefault(entry.action_id, []).append(entry)
    for item in items:
        item.others = by_action.get(item.planned.action_id, [])


def unit_indicators(plan: OperationalPlan, unit: Unit) -> list[Indicator]:
    """Target indicators the unit answers for, with their planned value for the plan year."""
    indicators = Indicator.objects.filter(
        plan=plan.development_plan_id, kind=Indicator.Kind.TARGET, responsible_unit=unit
    ).prefetch_related("values")
    result = []
    for indicator in indicators.order_by("goal__direction__number", "goal__number", "number"):
        indicator.planned_this_year = next(
            (v.planned for v in indicator.values.all() if v.year == plan.year), None
        )
        result.append(indicator)
    return result


def actuals_of(submission: Submission | None) -> dict[int, IndicatorActual]:
    if submission is None:
        return {}
    return {a.indicator_id: a for a in submission.actuals.all()}


def unit_quarter(
    plan: OperationalPlan, unit: Unit, quarter: int, submission: Submission | None
) -> tuple[list[DueAction], list[Indicator]]:
    """What the unit's information for the quarter is made of, as its page and its API read
    show it: the actions it reports on with the entries on them, and the indicators it answers
    for, each with its actual value for the quarter as `actual` (None while not entered)."""
    items = unit_actions(plan, unit, quarter)
    attach_progress(items, submission, quarter)
    if submission is not None and submission.is_editable:
        carried_entries(items, submission, quarter)
    indicators = unit_indicators(plan, unit)
    actuals = actuals_of(submission)
    for indicator in indicators:
        indicator.actual = actuals.get(indicator.pk)
    return items, indicators


def entry_problems(items: list[DueAction]) -> list[str]:
    """What keeps the submission from being signed off: every due action needs a status other
    than "not yet due", an account of what was done, and reasons when not (fully) executed."""
    from django.utils.translation import gettext as _

    problems = []
    for item in items:
        if not item.due:
            continue
        number = item.planned.number
        entry = item.progress
        if entry is not None and entry.status == EntryStatus.NOT_DUE:
            problems.append(
                _(
                    "Action %(n)s is due in this quarter, so it cannot be “not yet due”:"
                    " choose how it was executed."
                )
                % {"n": number}
            )
            continue
        if entry is None or not entry.status:
            problems.append(_("Action %(n)s is due this quarter: give its status.") % {"n": number})
            continue
        if entry.status in (EntryStatus.EXECUTED, EntryStatus.PARTIAL) and not entry.actual.strip():
            problems.append(_("Action %(n)s: describe the actual execution.") % {"n": number})
        if (
            entry.status in (EntryStatus.NOT_EXECUTED, EntryStatus.PARTIAL)
            and not entry.reasons.strip()
        ):
            problems.append(
                _("Action %(n)s is not fully executed: give the reasons.") % {"n": number}
            )
    return problems


# --- the monitor's board ---------------------------------------------------------------------


class BoardState:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    NOTHING_DUE = "nothing_due"


# The states of a unit that has not signed its information (yet, or again once returned).
UNSIGNED = frozenset({BoardState.NOT_STARTED, BoardState.DRAFT, BoardState.RETURNED})


@dataclass
class BoardRow:
    unit: Unit
    submission: Submission | None
    due: int
    filled: int
    state: str
    days_late: int | None = None  # signed: as recorded; not signed after the deadline: today's
    overdue: bool = False  # not signed and the deadline has passed


def board(plan: OperationalPlan, quarter: int) -> tuple[list[BoardRow], object]:
    """Every unit of the body with its submission's state and completeness for the quarter,
    and the countdown to the R13 deadline. After the deadline the units that have not signed
    (not started, in draft, returned) come first, overdue, with the days late; the others keep
    the units' order. A fixed number of queries."""
    units = list(plan.body.units.all())
    revision = revision_in_force(plan, quarter)
    done = executed_earlier(plan, quarter)
    due_by_unit: dict[int, set[int]] = {u.pk: set() for u in units}
    if revision is not None:
        for row in revision.actions.all():
            if not is_due(row.term, quarter):
                continue
            for unit_id in [row.lead_unit_id, *row.co_executor_ids]:
                if unit_id in due_by_unit and not _done(row, unit_id, done):
                    due_by_unit[unit_id].add(row.action_id)
    submissions = {s.unit_id: s for s in Submission.objects.filter(plan=plan, quarter=quarter)}
    filled_by_submission: dict[int, set[int]] = {}
    entries = (
        ProgressEntry.objects.filter(submission__plan=plan, submission__quarter=quarter)
        .filter(~Q(status=""))
        .only("submission_id", "action_id", "status", "actual")
    )
    for entry in entries:
        if entry.is_filled:
            filled_by_submission.setdefault(entry.submission_id, set()).add(entry.action_id)
    clock = countdown(information_deadline(plan.year, quarter))
    rows = []
    for unit in units:
        submission = submissions.get(unit.pk)
        due = due_by_unit[unit.pk]
        filled = len(filled_by_submission.get(submission.pk, set()) & due) if submission else 0
        row = BoardRow(unit, submission, len(due), filled, _state(submission, due))
        if row.state in UNSIGNED:
            row.overdue = clock.is_late
            row.days_late = clock.days_late if clock.is_late else None
        elif submission is not None:
            row.days_late = submission.days_late
        rows.append(row)
    rows.sort(key=lambda row: not row.overdue)  # stable: the units' order within each part
    return rows, clock


def _state(submission: Submission | None, due: set[int]) -> str:
    if submission is None:
        return BoardState.NOT_STARTED if due else BoardState.NOTHING_DUE
    if submission.status == SubmissionStatus.ACCEPTED:
        return BoardState.ACCEPTED
    if submission.status == SubmissionStatus.RETURNED:
        return BoardState.RETURNED
    if submission.status == SubmissionStatus.SUBMITTED:
        return BoardState.LATE if submission.days_late else BoardState.ON_TIME
    return BoardState.DRAFT


def seen_token(submission: Submission) -> str:
    """What the information is at this moment, as a short text the sign-off form carries: each
    entry's version and last writer, each indicator value's version, the evidence files and
    who added them. The head signs what their page showed; a different token at sign-off
    means it changed since."""
    entries = submission.entries.order_by("action_id").values_list(
        "action_id", "version", "updated_by_id"
    )
    actuals = submission.actuals.order_by("indicator_id").values_list("indicator_id", "version")
    files = (
        Evidence.objects.filter(entry__submission=submission)
        .order_by("pk")
        .values_list("pk", "entry__action_id", "uploaded_by_id")
    )
    return "|".join(
        (
            ",".join(f"{action}.{version}.{writer or 0}" for action, version, writer in entries),
            ",".join(f"{indicator}.{version}" for indicator, version in actuals),
            ",".join(f"{pk}.{action}.{uploader}" for pk, action, uploader in files),
        )
    )


def changed_since(seen: str, now: str, actor) -> tuple[set[int], set[int]]:
    """The actions and the indicators whose information differs between two seen_tokens,
    leaving out the entries the actor saved last (they saw what they wrote)."""

    def parts(token: str) -> tuple[dict, dict, set]:
        try:
            entries, actuals, files = (part.split(",") if part else [] for part in token.split("|"))
            return (
                {int(a): (int(v), int(w)) for a, v, w in (e.split(".") for e in entries)},
                {int(i): int(v) for i, v in (e.split(".") for e in actuals)},
                {tuple(map(int, f.split("."))) for f in files},
            )
        except ValueError:  # not a token of ours: everything counts as changed
            return {}, {}, set()

    old_entries, old_actuals, old_files = parts(seen)
    new_entries, new_actuals, new_files = parts(now)
    actions = {
        action
        for action in old_entries.keys() | new_entries.keys()
        if old_entries.get(action) != new_entries.get(action)
        and (new_entries.get(action) or (0, 0))[1] != actor.pk
    }
    actions |= {action for _pk, action, uploader in old_files ^ new_files if uploader != actor.pk}
    indicators = {
        indicator
        for indicator in old_actuals.keys() | new_actuals.keys()
        if old_actuals.get(indicator) != new_actuals.get(indicator)
    }
    return actions, indicators

"""What a body's people are to be reminded of on a day: each item with a deadline that is not
done (a unit's quarterly information, R13; the quarterly report, R15; a plan's approval, R6;
a decision's due date, R17) and who is reminded of it. A fixed number of queries per body
whatever the number of people, plus the monitoring board's few for each quarter whose
information deadline makes the day a reminder day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.deadlines.calendar import countdown, information_deadline, quarter_end, report_deadline
from jospar.inbox.selectors import open_quarters, plan_deadline
from jospar.monitoring.selectors import UNSIGNED, board
from jospar.orgs.models import Role, RoleAssignment, StateBody
from jospar.plans.models import OperationalPlan, PlanStatus
from jospar.reminders.models import Schedule, UnitReminder
from jospar.reminders.schedule import is_reminder_day
from jospar.reports.models import Decision, DecisionStatus, Report, ReportStatus

UNIT_PEOPLE = (Role.EXECUTOR, Role.UNIT_HEAD)

# What each reminder says, filled in the reader's language when the message is written.
TEXTS = {
    "information": lambda p: (
        _(
            "The information of %(unit)s for quarter %(quarter)s of %(year)s is due on %(date)s "
            "(R13): %(when)s"
        )
        % p
    ),
    "report": lambda p: (
        _("The report on quarter %(quarter)s of %(year)s is due on %(date)s (R15): %(when)s") % p
    ),
    "approval": lambda p: (
        _("The operational plan for %(year)s awaits your approval by %(date)s (R6): %(when)s") % p
    ),
    "decision": lambda p: _("The decision “%(text)s” is due on %(date)s: %(when)s") % p,
}


@dataclass
class Due:
    """One item to remind of and the people to remind."""

    key: str
    kind: str
    deadline: dt.date
    link: str
    params: dict
    recipients: list = field(default_factory=list)
    on: dt.date | None = None

    def text(self) -> str:
        """The reminder's sentence in the active language."""
        date = self.deadline.strftime("%d.%m.%Y")
        if self.params.get("basis"):  # R6: what the ten days run from, in the reader's words
            date = f"{date} ({self.params['basis']})"
        params = {
            **self.params,
            "date": date,
            "when": str(countdown(self.deadline, self.on)),
        }
        return TEXTS[self.kind](params)


class People:
    """The active people of a body by role (and unit), one query."""

    def __init__(self, body: StateBody):
        self.by_role: dict[str, dict] = defaultdict(dict)
        self.by_unit: dict[tuple[str, int], dict] = defaultdict(dict)
        for assignment in RoleAssignment.objects.filter(
            body=body, user__is_active=True
        ).select_related("user"):
            user = assignment.user
            self.by_role[assignment.role][user.pk] = user
            if assignment.unit_id is not None:
                self.by_unit[(assignment.role, assignment.unit_id)][user.pk] = user

    def holding(self, roles, units=None) -> list:
        found = {}
        for role in roles:
            if units is None:
                found.update(self.by_role.get(role, {}))
            else:
                for unit in units:
                    found.update(self.by_unit.get((role, unit), {}))
        return list(found.values())


def schedule_of(body: StateBody) -> Schedule:
    """The body's schedule, or the defaults (unsaved) when it has none."""
    try:
        return body.reminder_schedule
    except Schedule.DoesNotExist:
        return Schedule(body=body)


def due_reminders(body: StateBody, on: dt.date, schedule: Schedule | None = None) -> list[Due]:
    """The items of the body whose reminder day `on` is, each with the people to remind."""
    schedule = schedule or schedule_of(body)
    if not schedule.enabled:
        return []
    options = {
        "before": schedule.before,
        "on_the_day": schedule.on_the_day,
        "every_after": schedule.every_after,
    }

    def today_for(deadline) -> bool:
        return deadline is not None and is_reminder_day(deadline, on, **options)

    people = People(body)
    plans = list(
        OperationalPlan.objects.filter(body=body)
        .select_related("body", "development_plan", "basis_amendment")
        .order_by("year")
    )
    reports = {(r.plan_id, r.quarter): r for r in Report.objects.filter(plan__in=plans)}
    result: list[Due] = []
    for plan in plans:
        for quarter in open_quarters(plan, on):
            names = {"quarter": quarter, "year": plan.year}
            if today_for(information_deadline(plan.year, quarter)):
                result += _information(body, plan, quarter, people, on)
            report = reports.get((plan.pk, quarter))
            due_on = report_deadline(plan.year, quarter)
            ended = quarter_end(plan.year, quarter) < on
            pending = report is None or report.status == ReportStatus.DRAFT
            if ended and pending and today_for(due_on):
                result.append(
                    Due(
                        f"report:{plan.pk}:{quarter}",
                        "report",
                        due_on,
                        reverse("reports:report", args=[body.pk, plan.pk, quarter]),
                        names,
                        people.holding([Role.MONITOR]),
                        on,
                    )
                )
        if plan.status == PlanStatus.SUBMITTED:
            due_on = plan_deadline(plan)
            if today_for(due_on):
                result.append(
                    Due(
                        f"approval:{plan.pk}",
                        "approval",
                        due_on,
                        plan.get_absolute_url(),
                        {"year": plan.year, "basis": plan.approval_basis},
                        people.holding([Role.OFFICIAL]),
                        on,
                    )
                )
    for decision in open_decisions(body):
        if today_for(decision.due_on):
            result.append(
                Due(
                    f"decision:{decision.pk}",
                    "decision",
                    decision.due_on,
                    reverse("reports:decisions", args=[body.pk]) + f"#decision-{decision.pk}",
                    {"text": _short(decision.text)},
                    people.holding(UNIT_PEOPLE, decision.unit_ids),
                    on,
                )
            )
    return [due for due in result if due.recipients]


def _information(body, plan, quarter, people: People, on) -> list[Due]:
    rows, clock = board(plan, quarter)
    result = []
    for row in rows:
        if row.state not in UNSIGNED or not row.due:
            continue
        result.append(
            Due(
                f"information:{plan.pk}:{quarter}:{row.unit.pk}",
                "information",
                clock.deadline,
                reverse("monitoring:submission", args=[body.pk, plan.pk, quarter, row.unit.pk]),
                {"unit": str(row.unit), "quarter": quarter, "year": plan.year},
                people.holding(UNIT_PEOPLE, [row.unit.pk]),
                on,
            )
        )
    return result


def open_decisions(body: StateBody) -> list[Decision]:
    """The body's decisions not yet carried out, each with `unit_ids`: two queries."""
    decisions = list(
        Decision.objects.filter(report__plan__body=body)
        .exclude(status=DecisionStatus.DONE)
        .select_related("report__plan", "decided_by")
        .order_by("due_on", "pk")
    )
    units = defaultdict(list)
    through = Decision.units.through.objects.filter(decision__in=decisions)
    for decision_id, unit_id in through.values_list("decision_id", "unit_id"):
        units[decision_id].append(unit_id)
    for decision in decisions:
        decision.unit_ids = units[decision.pk]
    return decisions


def _short(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reminded_today(plan, quarter: int) -> dict[int, UnitReminder]:
    """The board's units reminded today by a monitor, by unit id: one query."""
    return {
        r.unit_id: r
        for r in UnitReminder.objects.filter(
            plan=plan, quarter=quarter, day=timezone.localdate()
        ).select_related("sent_by")
    }


def reminders_of(plan, quarter: int, unit):
    """A unit's reminders from the monitors for the quarter, the latest first (lazy)."""
    return UnitReminder.objects.filter(plan=plan, quarter=quarter, unit=unit).select_related(
        "sent_by"
    )

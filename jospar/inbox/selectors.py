"""My work: every item waiting for a user across their bodies and roles, with its deadline
and the days left or late, the most urgent first, each with the page where it is done.

One read, `my_work(user)`, shared by the home page, the count in every page's header and
`GET /api/v1/my-work/`. It makes a fixed number of queries for a user, whatever the number of
items: a few per body, and the monitoring board's few per open quarter of a plan.

What waits, by role (R5, R6, R13, R15, R17, R18):
- executor: the unit's quarterly information to fill (not started, in draft) and returned;
  proposals to draft while a later year's plan is open, and those the head returned; the open
  decisions assigned to the unit;
- unit head: the same information once every due action is filled (to sign off), the
  unit's draft proposals (to sign off);
- planner: signed proposals to decide, a draft or returned plan to submit, recommendations to
  amend in a submitted report not yet applied, an amendment of the development plan that no
  operational plan is based on yet;
- monitor: signed information to accept or return, units that have not signed after the
  deadline, the quarterly report to compile and submit;
- official: plans submitted for approval, submitted reports with no decision yet, open
  decisions past their due date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jospar.deadlines.calendar import (
    approval_deadline,
    countdown,
    quarter_end,
    quarter_start,
    report_deadline,
    today,
)
from jospar.monitoring.models import SubmissionStatus
from jospar.monitoring.selectors import BoardRow, BoardState, board
from jospar.orgs.models import Role, StateBody
from jospar.orgs.policy import held_roles
from jospar.plans.models import OperationalPlan, PlanStatus, Proposal, ProposalStatus
from jospar.reports.models import (
    Decision,
    DecisionStatus,
    Report,
    ReportStatus,
)
from jospar.strategy.models import Amendment


class Kind:
    INFORMATION = "information"  # executor: the unit's quarterly information to fill
    RETURNED = "returned"  # executor: the information came back
    PROPOSALS_OPEN = "proposals_open"  # executor: proposals for an open plan
    PROPOSALS_RETURNED = "proposals_returned"  # executor: the head returned the unit's drafts
    DECISION = "decision"  # executor, unit head: a decision assigned to the unit
    SIGN_INFORMATION = "sign_information"  # unit head
    SIGN_PROPOSALS = "sign_proposals"  # unit head
    DECIDE_PROPOSALS = "decide_proposals"  # planner
    SUBMIT_PLAN = "submit_plan"  # planner
    APPLY_RECOMMENDATIONS = "apply_recommendations"  # planner
    REFLECT_AMENDMENT = "reflect_amendment"  # planner
    ACCEPT_INFORMATION = "accept_information"  # monitor
    UNITS_OVERDUE = "units_overdue"  # monitor
    REPORT = "report"  # monitor
    APPROVE_PLAN = "approve_plan"  # official
    DECIDE_REPORT = "decide_report"  # official
    DECISION_OVERDUE = "decision_overdue"  # official

    CHOICES = (
        INFORMATION,
        RETURNED,
        PROPOSALS_OPEN,
        PROPOSALS_RETURNED,
        DECISION,
        SIGN_INFORMATION,
        SIGN_PROPOSALS,
        DECIDE_PROPOSALS,
        SUBMIT_PLAN,
        APPLY_RECOMMENDATIONS,
        REFLECT_AMENDMENT,
        ACCEPT_INFORMATION,
        UNITS_OVERDUE,
        REPORT,
        APPROVE_PLAN,
        DECIDE_REPORT,
        DECISION_OVERDUE,
    )


@dataclass
class Item:
    kind: str
    role: str
    body: StateBody
    title: str
    url: str
    deadline: dt.date | None = None
    count: int = 1
    on: dt.date | None = None  # the day the countdown is taken on

    @property
    def countdown(self):
        return None if self.deadline is None else countdown(self.deadline, self.on)

    @property
    def days_left(self) -> int | None:
        clock = self.countdown
        return None if clock is None else max(0, clock.days_left)

    @property
    def days_late(self) -> int:
        clock = self.countdown
        return 0 if clock is None else clock.days_late

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def sort_key(self):
        # Dated items first, the earliest deadline (the latest) first; then the rest.
        return (self.deadline is None, self.deadline or dt.date.max, self.body.name, self.title)


def plan_deadline(plan: OperationalPlan) -> dt.date | None:
    """R6: ten days from the plan's basis (deadlines.calendar.approval_basis); none for an
    adjustment on monitoring or of another basis, or while no basis date is known."""
    basis = plan.approval_basis
    return basis.deadline if basis else None


def open_quarters(plan: OperationalPlan, on: dt.date) -> list[int]:
    """The quarters of an approved plan whose information is asked for on the day: the started
    quarters of this year's plan, and the 4th quarter of last year's (due in January)."""
    if plan.approved_on is None:
        return []
    if plan.year == on.year:
        return [q for q in (1, 2, 3, 4) if quarter_start(plan.year, q) <= on]
    if plan.year == on.year - 1:
        return [4]
    return []


def _unit_roles(held: set[tuple[str, int | None]]) -> dict[int, set[str]]:
    units: dict[int, set[str]] = defaultdict(set)
    for role, unit_id in held:
        if unit_id is not None and role in (Role.EXECUTOR, Role.UNIT_HEAD):
            units[unit_id].add(role)
    return units


def my_work(user) -> list[Item]:
    """Every item waiting for the user, the most urgent first."""
    if not user.is_authenticated:
        return []
    held = held_roles(user)
    if not held:
        return []
    on = today()
    bodies = {b.pk: b for b in StateBody.objects.filter(pk__in=held)}
    plans = list(
        OperationalPlan.objects.filter(body__in=bodies)
        .select_related("body", "development_plan", "basis_amendment")
        .order_by("body_id", "year")
    )
    items: list[Item] = []
    for body_id, body in bodies.items():
        roles = {role for role, _unit in held[body_id]}
        units = _unit_roles(held[body_id])
        body_plans = [p for p in plans if p.body_id == body_id]
        ctx = _Context(body=body, plans=body_plans, roles=roles, units=units, on=on)
        items.extend(ctx.items())
    items.sort(key=Item.sort_key)
    return items


@dataclass
class _Context:
    body: StateBody
    plans: list[OperationalPlan]
    roles: set[str]
    units: dict[int, set[str]]
    on: dt.date

    def item(self, kind, role, title, url, deadline=None, count=1) -> Item:
        return Item(kind, role, self.body, title, url, deadline, count, self.on)

    def items(self) -> list[Item]:
        result: list[Item] = []
        if self.units or Role.MONITOR in self.roles:
            result += self.quarters()
        if self.units:
            result += self.unit_proposals()
        if self.units or Role.OFFICIAL in self.roles:
            result += self.decisions()
        if Role.PLANNER in self.roles:
            result += self.planner()
        if Role.OFFICIAL in self.roles:
            result += self.official_plans()
        if Role.MONITOR in self.roles or Role.OFFICIAL in self.roles or Role.PLANNER in self.roles:
            result += self.reports()
        return result

    # --- the quarterly information (R13) and the report (R15) --------------------------------

    def quarters(self) -> list[Item]:
        result = []
        monitor = Role.MONITOR in self.roles
        for plan in self.plans:
            for quarter in open_quarters(plan, self.on):
                rows, clock = board(plan, quarter)
                deadline = clock.deadline
                for row in rows:
                    if row.unit.pk in self.units:
                        result += self.unit_quarter(plan, quarter, row, deadline)
                if monitor:
                    result += self.monitor_quarter(plan, quarter, rows, deadline)
        return result

    def unit_quarter(self, plan, quarter: int, row: BoardRow, deadline) -> list[Item]:
        """The executor fills the information (or corrects it once returned); the head signs
        it off once every due action has a complete entry."""
        if row.state not in (BoardState.NOT_STARTED, BoardState.DRAFT, BoardState.RETURNED):
            return []
        roles = self.units[row.unit.pk]
        url = reverse("monitoring:submission", args=[self.body.pk, plan.pk, quarter, row.unit.pk])
        names = {"unit": row.unit, "quarter": quarter, "year": plan.year}
        ready = row.state != BoardState.NOT_STARTED and row.filled >= row.due
        result = []
        if row.state == BoardState.RETURNED and Role.EXECUTOR in roles:
            # Returned: corrected by the executor, whatever was filled, then signed again.
            title = _(
                "Correct the returned information of %(unit)s, quarter %(quarter)s of %(year)s"
            )
            result.append(self.item(Kind.RETURNED, Role.EXECUTOR, title % names, url, deadline))
        if ready and Role.UNIT_HEAD in roles:
            title = _("Sign off the information of %(unit)s, quarter %(quarter)s of %(year)s")
            result.append(
                self.item(Kind.SIGN_INFORMATION, Role.UNIT_HEAD, title % names, url, deadline)
            )
        if ready or row.state == BoardState.RETURNED or Role.EXECUTOR not in roles:
            return result
        title = _(
            "Fill the information of %(unit)s, quarter %(quarter)s of %(year)s: "
            "%(filled)s of %(due)s actions filled"
        )
        names.update(filled=row.filled, due=row.due)
        result.append(self.item(Kind.INFORMATION, Role.EXECUTOR, title % names, url, deadline))
        return result

    def monitor_quarter(self, plan, quarter: int, rows: list[BoardRow], deadline) -> list[Item]:
        result = []
        names = {"quarter": quarter, "year": plan.year}
        report_due = report_deadline(plan.year, quarter)
        for row in rows:
            if row.submission is not None and row.submission.status == SubmissionStatus.SUBMITTED:
                url = reverse(
                    "monitoring:submission", args=[self.body.pk, plan.pk, quarter, row.unit.pk]
                )
                title = _(
                    "Accept or return the information of %(unit)s, quarter %(quarter)s of %(year)s"
                )
                result.append(
                    self.item(
                        Kind.ACCEPT_INFORMATION,
                        Role.MONITOR,
                        title % {**names, "unit": row.unit},
                        url,
                        report_due,
                    )
                )
        missing = [r for r in rows if r.state in (BoardState.NOT_STARTED, BoardState.DRAFT)]
        if missing and self.on > deadline:
            url = reverse("monitoring:board", args=[self.body.pk, plan.pk, quarter])
            title = ngettext(
                "%(n)s unit has not signed its information for quarter %(quarter)s of %(year)s",
                "%(n)s units have not signed their information for quarter %(quarter)s of %(year)s",
                len(missing),
            ) % {**names, "n": len(missing)}
            result.append(
                self.item(Kind.UNITS_OVERDUE, Role.MONITOR, title, url, deadline, len(missing))
            )
        return result

    def reports(self) -> list[Item]:
        """The monitor's reports to compile and submit, the officials' reports to decide on,
        the planners' recommendations to apply: one query each, for every plan of the body."""
        plan_ids = [p.pk for p in self.plans]
        by_key = {
            (r.plan_id, r.quarter): r
            for r in Report.objects.filter(plan_id__in=plan_ids).annotate(
                n_decisions=Count("decisions"),
                n_open=Count("amendments", filter=Q(amendments__applied_at__isnull=True)),
            )
        }
        result = []
        for plan in self.plans:
            quarters = open_quarters(plan, self.on)
            for quarter in (1, 2, 3, 4):
                report = by_key.get((plan.pk, quarter))
                url = reverse("reports:report", args=[self.body.pk, plan.pk, quarter])
                names = {"quarter": quarter, "year": plan.year}
                if Role.MONITOR in self.roles and quarter in quarters:
                    ended = quarter_end(plan.year, quarter) < self.on
                    if ended and (report is None or report.status == ReportStatus.DRAFT):
                        title = _(
                            "Compile and submit the report on quarter %(quarter)s of %(year)s"
                        )
                        result.append(
                            self.item(
                                Kind.REPORT,
                                Role.MONITOR,
                                title % names,
                                url,
                                report_deadline(plan.year, quarter),
                            )
                        )
                if report is None or report.status != ReportStatus.SUBMITTED:
                    continue
                if Role.OFFICIAL in self.roles and not report.n_decisions:
                    title = _("Decide on the report on quarter %(quarter)s of %(year)s")
                    result.append(self.item(Kind.DECIDE_REPORT, Role.OFFICIAL, title % names, url))
                if Role.PLANNER in self.roles and report.n_open:
                    title = ngettext(
                        "%(n)s recommendation to amend the plan to apply "
                        "(report on quarter %(quarter)s of %(year)s)",
                        "%(n)s recommendations to amend the plan to apply "
                        "(report on quarter %(quarter)s of %(year)s)",
                        report.n_open,
                    ) % {**names, "n": report.n_open}
                    result.append(
                        self.item(
                            Kind.APPLY_RECOMMENDATIONS,
                            Role.PLANNER,
                            title,
                            url,
                            count=report.n_open,
                        )
                    )
        return result

    # --- proposals (R5) and the plan (R6, R18) ----------------------------------------------

    def _proposal_counts(self) -> dict[tuple[int, int, str], int]:
        rows = (
            Proposal.objects.filter(
                plan_id__in=[p.pk for p in self.plans if p.is_editable],
                status__in=(ProposalStatus.DRAFT, ProposalStatus.RETURNED, ProposalStatus.SIGNED),
            )
            .values_list("plan_id", "unit_id", "status")
            .annotate(n=Count("pk"))
        )
        if not hasattr(self, "_proposals"):
            self._proposals = {(plan, unit, status): n for plan, unit, status, n in rows}
        return self._proposals

    def _open_plans(self) -> list[tuple]:
        """The plans still open to changes (a draft or returned), each with its deadline."""
        return [(plan, plan_deadline(plan)) for plan in self.plans if plan.is_editable]

    def unit_proposals(self) -> list[Item]:
        result = []
        counts = self._proposal_counts()
        for plan, deadline in self._open_plans():
            url = reverse("plans:proposals", args=[self.body.pk, plan.pk])
            for unit_id, roles in self.units.items():
                drafts = counts.get((plan.pk, unit_id, ProposalStatus.DRAFT), 0)
                if Role.UNIT_HEAD in roles and drafts:
                    title = ngettext(
                        "%(n)s proposal for the plan for %(year)s to sign off",
                        "%(n)s proposals for the plan for %(year)s to sign off",
                        drafts,
                    ) % {"n": drafts, "year": plan.year}
                    result.append(
                        self.item(Kind.SIGN_PROPOSALS, Role.UNIT_HEAD, title, url, deadline, drafts)
                    )
                returned = counts.get((plan.pk, unit_id, ProposalStatus.RETURNED), 0)
                if Role.EXECUTOR in roles and returned:
                    title = ngettext(
                        "%(n)s proposal for the plan for %(year)s returned by the head: "
                        "change it and send it again",
                        "%(n)s proposals for the plan for %(year)s returned by the head: "
                        "change them and send them again",
                        returned,
                    ) % {"n": returned, "year": plan.year}
                    result.append(
                        self.item(
                            Kind.PROPOSALS_RETURNED, Role.EXECUTOR, title, url, deadline, returned
                        )
                    )
                if Role.EXECUTOR in roles and plan.year > self.on.year:
                    title = _("Proposals for the plan for %(year)s are open") % {"year": plan.year}
                    result.append(
                        self.item(Kind.PROPOSALS_OPEN, Role.EXECUTOR, title, url, deadline)
                    )
        return result

    def planner(self) -> list[Item]:
        result = []
        counts = self._proposal_counts()
        for plan, deadline in self._open_plans():
            signed = sum(
                n for (p, _u, s), n in counts.items() if p == plan.pk and s == ProposalStatus.SIGNED
            )
            if signed:
                title = ngettext(
                    "%(n)s proposal for the plan for %(year)s to decide",
                    "%(n)s proposals for the plan for %(year)s to decide",
                    signed,
                ) % {"n": signed, "year": plan.year}
                url = reverse("plans:proposals", args=[self.body.pk, plan.pk])
                result.append(
                    self.item(Kind.DECIDE_PROPOSALS, Role.PLANNER, title, url, deadline, signed)
                )
            if plan.status == PlanStatus.RETURNED:
                title = _("The returned plan for %(year)s: revise and submit it")
            else:
                title = _("The draft plan for %(year)s: complete and submit it")
            result.append(
                self.item(
                    Kind.SUBMIT_PLAN,
                    Role.PLANNER,
                    title % {"year": plan.year},
                    plan.get_absolute_url(),
                    deadline,
                )
            )
        # R18: an amendment of the development plan that no operational plan is based on yet.
        development_ids = {p.development_plan_id for p in self.plans}
        based = {p.basis_amendment_id for p in self.plans if p.basis_amendment_id}
        amendments = Amendment.objects.filter(plan_id__in=development_ids).exclude(pk__in=based)
        latest = {}
        for plan in self.plans:
            latest[plan.development_plan_id] = plan  # the plans are ordered by year
        for amendment in amendments:
            plan = latest[amendment.plan_id]
            if plan.basis_amendment_id and plan.basis_amendment.signed_on >= amendment.signed_on:
                continue
            title = _(
                "The amendment of the development plan signed on %(date)s: "
                "no adjustment of the operational plan reflects it yet"
            ) % {"date": amendment.signed_on.strftime("%d.%m.%Y")}
            result.append(
                self.item(
                    Kind.REFLECT_AMENDMENT,
                    Role.PLANNER,
                    title,
                    plan.get_absolute_url(),
                    approval_deadline(amendment.signed_on),
                )
            )
        return result

    def official_plans(self) -> list[Item]:
        result = []
        for plan in self.plans:
            if plan.status == PlanStatus.SUBMITTED:
                title = _("The plan for %(year)s awaits your approval") % {"year": plan.year}
                basis = plan.approval_basis
                if plan.has_approval_deadline:  # R6: with what its day runs from
                    title += f" ({basis if basis else _('basis date not recorded')})"
                result.append(
                    self.item(
                        Kind.APPROVE_PLAN,
                        Role.OFFICIAL,
                        title,
                        plan.get_absolute_url(),
                        plan_deadline(plan),
                    )
                )
        return result

    # --- decisions (R17) --------------------------------------------------------------------

    def decisions(self) -> list[Item]:
        rows = (
            Decision.objects.filter(report__plan_id__in=[p.pk for p in self.plans])
            .exclude(status=DecisionStatus.DONE)
            .values_list("pk", "text", "due_on", "units")
        )
        url = reverse("reports:decisions", args=[self.body.pk])
        result = []
        seen_overdue, seen_assigned = set(), set()
        for pk, text, due_on, unit_id in rows:
            if unit_id in self.units and pk not in seen_assigned:
                seen_assigned.add(pk)
                roles = self.units[unit_id]
                role = Role.EXECUTOR if Role.EXECUTOR in roles else Role.UNIT_HEAD
                title = _("Decision to carry out: %(text)s") % {"text": text[:120]}
                result.append(self.item(Kind.DECISION, role, title, f"{url}#decision-{pk}", due_on))
            if Role.OFFICIAL in self.roles and due_on < self.on and pk not in seen_overdue:
                seen_overdue.add(pk)
                title = _("Overdue decision: %(text)s") % {"text": text[:120]}
                result.append(
                    self.item(
                        Kind.DECISION_OVERDUE, Role.OFFICIAL, title, f"{url}#decision-{pk}", due_on
                    )
                )
        return result


def count_of(user) -> int:
    return len(my_work(user))

"""Next year's plan from this one: which actions of the plan in force go on into the next year.

An action whose term recurs (monthly, quarterly, semi-annually, during the year) is carried over
as it is; an action that the last quarterly report found not executed or partially executed is
offered, and the planner chooses. The read here is what the page shows and what the service
(`services.plan_prepare_next`) checks the planner's choice against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jospar.monitoring.models import EntryStatus
from jospar.plans.models import OperationalPlan, RevisionAction
from jospar.plans.terms import RECURRING, TermKind
from jospar.strategy.models import IndicatorValue

# The terms that come back every year: the action is carried over without asking.
CARRIED_OVER = RECURRING | {TermKind.YEAR}
UNFINISHED = (EntryStatus.NOT_EXECUTED, EntryStatus.PARTIAL)


@dataclass
class Candidate:
    """An action of the plan in force as the page offers it for next year."""

    action: RevisionAction  # as the revision in force holds it
    status: str = ""  # the last report's status of it ("" when no report says)
    warnings: list[str] = field(default_factory=list)

    @property
    def action_id(self) -> int:
        return self.action.action_id

    @property
    def status_display(self) -> str:
        return str(dict(EntryStatus.choices).get(self.status, ""))


@dataclass
class Offer:
    plan: OperationalPlan
    year: int
    problem: str = ""  # why no plan for `year` can be prepared from this one
    next_plan: OperationalPlan | None = None  # the plan for `year`, if it exists already
    report: object = None  # the last quarterly report, whose statuses were read
    recurring: list[Candidate] = field(default_factory=list)
    unfinished: list[Candidate] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [w for c in self.recurring + self.unfinished for w in c.warnings]


def next_year_offer(plan: OperationalPlan) -> Offer:
    """What preparing the plan for the year after `plan.year` would carry over (a fixed number
    of queries however many actions)."""
    year = plan.year + 1
    offer = Offer(plan=plan, year=year)
    offer.next_plan = OperationalPlan.objects.filter(body_id=plan.body_id, year=year).first()
    development = plan.development_plan
    revision = plan.revisions.order_by("number").last()
    if offer.next_plan is not None:
        offer.problem = _("The plan for %(year)s exists already.") % {"year": year}
    elif revision is None:
        offer.problem = _(
            "The plan for %(year)s is prepared from the plan in force: approve this plan first."
        ) % {"year": year}
    elif year not in development.years:
        offer.problem = _(
            "The development plan %(title)s ends in %(end)s: the plan for %(year)s rests on the "
            "next development plan and is created from it."
        ) % {"title": development.title, "end": development.end_year, "year": year}
    if offer.problem:
        return offer
    offer.report = plan.reports.order_by("quarter").last()
    statuses = {}
    if offer.report is not None:
        statuses = dict(offer.report.rows.values_list("action_id", "status"))
    valued = set(
        IndicatorValue.objects.filter(indicator__plan=development, year=year).values_list(
            "indicator_id", flat=True
        )
    )
    actions = revision.actions.select_related("indicator").order_by("number")
    for action in actions:
        candidate = Candidate(action=action, status=statuses.get(action.action_id, ""))
        if action.indicator_id and action.indicator_id not in valued:
            candidate.warnings.append(
                _(
                    "Action %(number)s: the indicator “%(indicator)s” has no planned value "
                    "for %(year)s."
                )
                % {"number": action.number, "indicator": action.indicator, "year": year}
            )
        if action.term_kind in CARRIED_OVER:
            offer.recurring.append(candidate)
        elif candidate.status in UNFINISHED:
            offer.unfinished.append(candidate)
    return offer


def shifted_date(day: dt.date | None, year: int) -> dt.date | None:
    """A term's date in the next year (29 February becomes the 28th)."""
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)

"""Reads of the quarterly report (R15–R16, Appendix 2) shared by its page, the API and the
forms: the rows laid out as Appendix 2 lays them out, the summary, the target indicators'
progress, the units' timeliness and the decisions still open. Each makes a fixed number of
queries, whatever the number of actions or units."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jospar.deadlines.calendar import information_deadline, report_deadline
from jospar.monitoring.models import EntryStatus, IndicatorActual, Submission, SubmissionStatus
from jospar.orgs.models import Unit
from jospar.orgs.visibility import visible
from jospar.plans.models import signature_of
from jospar.plans.selectors import Row, appendix_layout, frozen_headings
from jospar.reports.models import (
    AmendmentRecommendation,
    Decision,
    DecisionProgress,
    DecisionStatus,
    Report,
    ReportRow,
)
from jospar.strategy.models import Indicator


def report_rows_query(report: Report) -> QuerySet:
    """The report's rows with their actions as planned and as they are. Every row's planned
    action is one of the report's revision's, and its action one of the plan's: said in the
    query, PostgreSQL reads those through their indexes (revision, plan) instead of hashing
    every body's revision actions and actions (a scan that grew with the number of bodies)."""
    return (
        report.rows.filter(planned__revision_id=report.revision_id, action__plan_id=report.plan_id)
        .select_related("planned")
        .order_by("planned__number")
    )


def report_rows(report: Report) -> list[ReportRow]:
    rows = report_rows_query(report)
    amendments: dict[int, list[AmendmentRecommendation]] = defaultdict(list)
    for recommendation in report.amendments.select_related("lead_unit", "completion_form"):
        if recommendation.action_id:
            amendments[recommendation.action_id].append(recommendation)
    result = []
    for row in rows:
        row.amendment_list = amendments.get(row.action_id, [])
        result.append(row)
    return result


def describe_recommendation(recommendation: AmendmentRecommendation) -> str:
    kind = recommendation.get_kind_display()
    if recommendation.kind == "term" and recommendation.term:
        detail = str(recommendation.term)
    elif recommendation.kind == "executor" and recommendation.lead_unit_id:
        detail = str(recommendation.lead_unit)
    elif recommendation.kind == "wording":
        detail = recommendation.name
    else:
        detail = ""
    text = _("%(kind)s: %(detail)s") % {"kind": kind, "detail": detail} if detail else kind
    if recommendation.justification:
        text += f" ({recommendation.justification})"
    return text


def recommendation_text(row: ReportRow) -> str:
    """Column 8: the monitor's recommendation on the action and the changes of the plan
    recommended for it."""
    parts = [row.recommendation.strip()] if row.recommendation.strip() else []
    parts += [describe_recommendation(a) for a in getattr(row, "amendment_list", [])]
    return "\n".join(parts)


def _decorate(row: ReportRow) -> ReportRow:
    """The attributes the page and the forms read, named as the Appendix 2 columns."""
    planned = row.planned
    row.number = planned.number
    row.name = planned.name
    row.lead_name = planned.executors_display
    row.term_text = planned.term_display
    row.completion = planned.completion_display
    row.actual_text = row.actual or (
        _("Executed in an earlier quarter.") if row.executed_earlier else ""
    )
    row.recommendation_text = recommendation_text(row)
    return row


def report_layout(report: Report) -> list[Row]:
    """The report as Appendix 2 lays it out: the headings of the development plan and the
    tasks of the regulation as its revision froze them, each followed by its actions
    (ReportRows, in their numbers)."""
    rows = [_decorate(r) for r in report_rows(report)]
    plan = report.plan
    return appendix_layout(
        plan.development_plan,
        plan.body_id,
        rows,
        under=lambda row: row.planned,
        headings=frozen_headings(report.revision_id),
    )


def report_signature(report: Report) -> dict:
    """The body and the signatory of Appendix 2 (`plans.models.signature_of`): as submitted,
    or as they are now while the report is in preparation."""
    if report.frozen_summary:
        return report.frozen_summary["signature"]
    return signature_of(report.plan.body, report.monitoring_unit)


# --- the summary ----------------------------------------------------------------------------


@dataclass
class Tally:
    """Due actions of a group and how they stand at the end of the quarter."""

    label: str
    due: int = 0
    executed: int = 0
    partial: int = 0
    not_executed: int = 0
    no_information: int = 0

    def add(self, row: ReportRow) -> None:
        if not row.due:
            return
        self.due += 1
        if row.status == EntryStatus.EXECUTED:
            self.executed += 1
        elif row.status == EntryStatus.PARTIAL:
            self.partial += 1
        elif row.status == EntryStatus.NOT_EXECUTED:
            self.not_executed += 1
        else:
            self.no_information += 1

    @property
    def executed_share(self) -> int:
        return round(100 * self.executed / self.due) if self.due else 0

    def share(self, count: int) -> float:
        """Percent of the due actions, for the bars of the chart."""
        return round(100 * count / self.due, 1) if self.due else 0.0

    @property
    def bars(self) -> list[tuple[str, float, float]]:
        """(css class, start %, width %) of the stacked bar."""
        result, start = [], 0.0
        for css, count in (
            ("executed", self.executed),
            ("partial", self.partial),
            ("not-executed", self.not_executed),
            ("no-information", self.no_information),
        ):
            width = self.share(count)
            if width:
                result.append((css, start, width))
            start += width
        return result


@dataclass
class IndicatorProgress:
    indicator: Indicator
    planned: Decimal | None
    actual: Decimal | None
    quarter: int | None  # the quarter of the latest accepted value

    @property
    def percent(self) -> int | None:
        if self.planned in (None, 0) or self.actual is None:
            return None
        return round(100 * self.actual / self.planned)


@dataclass
class Timeliness:
    unit: object
    submission: Submission | None
    deadline: object
    days_late: int | None

    @property
    def state(self) -> str:
        if self.submission is None or self.submission.signed_at is None:
            return "missing"
        return "late" if self.days_late else "on_time"


@dataclass
class Summary:
    overall: Tally
    by_direction: list[Tally] = field(default_factory=list)
    by_goal: list[Tally] = field(default_factory=list)
    by_unit: list[Tally] = field(default_factory=list)
    indicators: list[IndicatorProgress] = field(default_factory=list)
    timeliness: list[Timeliness] = field(default_factory=list)
    missing_units: list = field(default_factory=list)


@dataclass
class Tallies:
    """The due actions of a report's layout counted for the whole plan and by group, each
    group by its key: a heading's anchor ("direction-3", "goal-7", "section-2" for section II)
    or, for a unit, the responsible executor's name as the revision froze it."""

    overall: Tally
    by_direction: dict[str, Tally] = field(default_factory=dict)
    by_goal: dict[str, Tally] = field(default_factory=dict)
    by_unit: dict[str, Tally] = field(default_factory=dict)


def tally_layout(layout: list[Row]) -> Tallies:
    """Count a report's layout (no query): every direction and goal in the form's order (due
    or not), section II when something in it is due, every responsible executor named."""
    tallies = Tallies(Tally(_("All due actions")))
    section2 = Tally(_("II. Tasks defined by the regulation"))
    direction = goal = None
    for row in layout:
        if row.kind == "direction":
            direction, goal = Tally(str(row.obj)), None
            tallies.by_direction[row.anchor] = direction
        elif row.kind == "goal":
            goal = Tally(str(row.obj))
            tallies.by_goal[row.anchor] = goal
        elif row.kind == "section" and row.obj == 2:
            direction = goal = None
        elif row.kind == "action":
            report_row = row.obj
            tallies.overall.add(report_row)
            (direction or section2).add(report_row)
            if goal is not None:
                goal.add(report_row)
            lead = report_row.planned.lead_name or _("no responsible executor")
            tallies.by_unit.setdefault(lead, Tally(lead)).add(report_row)
    if section2.due:
        tallies.by_direction["section-2"] = section2
    return tallies


def report_summary(report: Report, layout: list[Row] | None = None) -> Summary:
    layout = layout if layout is not None else report_layout(report)
    tallies = tally_layout(layout)
    missing = sorted({name for r in layout if r.kind == "action" for name in r.obj.missing_units})
    if report.frozen_summary:  # submitted: as the units' information stood on that day
        indicators, units_timeliness = thaw_summary(report)
    else:
        indicators = indicator_progress(report)
        units_timeliness = timeliness(report, _submissions(report))
    return Summary(
        overall=tallies.overall,
        by_direction=list(tallies.by_direction.values()),
        by_goal=[t for t in tallies.by_goal.values() if t.due],
        by_unit=sorted((t for t in tallies.by_unit.values() if t.due), key=lambda t: t.label),
        indicators=indicators,
        timeliness=units_timeliness,
        missing_units=missing,
    )


def _submissions(report: Report) -> dict[int, Submission]:
    return {
        s.unit_id: s for s in Submission.objects.filter(plan=report.plan_id, quarter=report.quarter)
    }


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def freeze_summary(report: Report) -> dict:
    """The parts of the report read live (the target indicators and their values, the units'
    timeliness, the body and the signatory), as they stand now: stored on submission, so that
    later acceptances, returns, late information or renamings do not change the submitted
    report."""
    return {
        "signature": signature_of(report.plan.body, report.monitoring_unit),
        "indicators": [
            {
                "indicator": p.indicator.pk,
                "number": p.indicator.number,
                "name": p.indicator.name,
                "unit_of_measure": p.indicator.unit_of_measure,
                "planned": _number(p.planned),
                "actual": _number(p.actual),
                "quarter": p.quarter,
            }
            for p in indicator_progress(report)
        ],
        "timeliness": [
            {
                "unit": t.unit.pk,
                "unit_name": str(t.unit),
                "submission": t.submission.pk if t.submission else None,
                "status": t.submission.status if t.submission else None,
                "signed_at": (
                    t.submission.signed_at.isoformat()
                    if t.submission and t.submission.signed_at
                    else None
                ),
                "days_late": t.days_late,
            }
            for t in timeliness(report, _submissions(report))
        ],
    }


def thaw_summary(report: Report) -> tuple[list[IndicatorProgress], list[Timeliness]]:
    """The indicators and their values, the units and their timeliness as `freeze_summary`
    stored them, named as they were then (no query)."""
    progress = thaw_indicators(report)
    deadline = information_deadline(report.plan.year, report.quarter)
    result = []
    for item in report.frozen_summary["timeliness"]:
        unit = Unit(pk=item["unit"], name=item["unit_name"])
        submission = None
        if item["submission"] is not None:
            submission = Submission(
                pk=item["submission"],
                plan_id=report.plan_id,
                unit=unit,
                quarter=report.quarter,
                status=item["status"],
                signed_at=parse_datetime(item["signed_at"]) if item["signed_at"] else None,
                days_late=item["days_late"],
            )
        result.append(Timeliness(unit, submission, deadline, item["days_late"]))
    return progress, result


def thaw_indicators(report: Report) -> list[IndicatorProgress]:
    """The target indicators and their values as `freeze_summary` stored them (no query)."""
    frozen = report.frozen_summary

    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    progress = [
        IndicatorProgress(
            Indicator(
                pk=item["indicator"],
                kind=Indicator.Kind.TARGET,
                number=item["number"],
                name=item["name"],
                unit_of_measure=item["unit_of_measure"],
            ),
            number(item["planned"]),
            number(item["actual"]),
            item["quarter"],
        )
        for item in frozen["indicators"]
    ]
    return progress


def indicator_progress(report: Report) -> list[IndicatorProgress]:
    """Each target indicator's planned value for the year against the latest actual value an
    accepted submission gave for it by the end of the quarter."""
    return indicator_progress_by_quarter(report.plan, [report.quarter])[report.quarter]


def indicator_progress_by_quarter(plan, quarters) -> dict[int, list[IndicatorProgress]]:
    """`indicator_progress` at the end of each of these quarters of the plan's year, in the
    same three queries for one quarter or four."""
    quarters = sorted(set(quarters))
    if not quarters:
        return {}
    indicators = list(
        Indicator.objects.filter(plan=plan.development_plan_id, kind=Indicator.Kind.TARGET)
        .select_related("goal__direction")
        .prefetch_related("values")
        .order_by("goal__direction__number", "goal__number", "number")
    )
    actuals = (
        IndicatorActual.objects.filter(
            submission__plan=plan,
            submission__quarter__lte=quarters[-1],
            submission__status=SubmissionStatus.ACCEPTED,
            value__isnull=False,
        )
        .order_by("submission__quarter", "pk")
        .values_list("indicator_id", "value", "submission__quarter")
    )
    actuals = list(actuals)
    planned = {
        indicator.pk: next((v.planned for v in indicator.values.all() if v.year == plan.year), None)
        for indicator in indicators
    }
    result = {}
    for end in quarters:
        latest = {
            indicator_id: (value, quarter)
            for indicator_id, value, quarter in actuals
            if quarter <= end
        }
        result[end] = [
            IndicatorProgress(
                indicator, planned[indicator.pk], *latest.get(indicator.pk, (None, None))
            )
            for indicator in indicators
        ]
    return result


def timeliness(report: Report, submissions: dict[int, Submission]) -> list[Timeliness]:
    """Every unit that had its part of an action due in the quarter (a part it executed in an
    earlier quarter is not due again), or that has information for it, with when its
    information was signed off against the R13 deadline."""
    deadline = information_deadline(report.plan.year, report.quarter)
    # A due part is either in an accepted submission or named among the row's missing units.
    missing = {
        name
        for names in report.rows.filter(due=True).order_by().values_list("missing_units", flat=True)
        for name in names
    }
    all_units = list(report.plan.body.units.all())
    involved = {u.pk for u in all_units if str(u) in missing} | set(submissions)
    result = []
    for unit in (u for u in all_units if u.pk in involved):
        submission = submissions.get(unit.pk)
        days_late = submission.days_late if submission is not None else None
        result.append(Timeliness(unit, submission, deadline, days_late))
    return result


def report_due(report: Report):
    return report_deadline(report.plan.year, report.quarter)


# --- decisions ------------------------------------------------------------------------------

# What a decision shows: its units and the units' notes with their authors.
DECISION_PREFETCH = ("units", "progress__unit", "progress__author")


def progress_seen_by(user) -> Prefetch:
    """The units' notes on each decision, as far as `user` sees them: the executors and head of
    one assigned unit see their unit's notes, not those of the other units the decision is
    assigned to (jospar.orgs.visibility's rule for progress on decisions)."""
    notes = DecisionProgress.objects.select_related("unit", "author").order_by("at", "pk")
    return Prefetch("progress", visible(user, notes))


def report_decisions(report: Report) -> list[Decision]:
    return list(
        report.decisions.select_related("decided_by")
        .prefetch_related(*DECISION_PREFETCH)
        .order_by("pk")
    )


def open_decisions_before(report: Report) -> list[Decision]:
    """Decisions on the body's earlier reports that are not yet done: they reappear in every
    later report until closed."""
    plan = report.plan
    earlier = Decision.objects.filter(report__plan__body=plan.body_id).exclude(
        status=DecisionStatus.DONE
    )
    earlier = earlier.filter(report__plan__year__lt=plan.year) | earlier.filter(
        report__plan__year=plan.year, report__quarter__lt=report.quarter
    )
    return list(
        earlier.select_related("report__plan__body", "decided_by")
        .prefetch_related(*DECISION_PREFETCH)
        .order_by("report__plan__year", "report__quarter", "pk")
    )


def unit_decisions(
    body, unit_ids: set[int] | None = None, *, include_done: bool = False, viewer=None
):
    """The decisions of the body assigned to these units (to any, by default), the earliest due
    first, with the notes `viewer` sees on them (all, without one). Which decisions a user
    sees is jospar.orgs.visibility's question."""
    assigned = {"units__isnull": False} if unit_ids is None else {"units__in": unit_ids}
    decisions = Decision.objects.filter(report__plan__body=body, **assigned).distinct()
    if not include_done:
        decisions = decisions.exclude(status=DecisionStatus.DONE)
    notes = DECISION_PREFETCH if viewer is None else ("units", progress_seen_by(viewer))
    return (
        decisions.select_related("report__plan", "decided_by")
        .prefetch_related(*notes)
        .order_by("due_on", "pk")
    )

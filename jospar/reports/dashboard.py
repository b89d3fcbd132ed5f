"""The execution dashboard of a plan year: for each quarter with a report, the share of the
due actions executed, partially executed, not executed and without information, for the whole
plan and by strategic direction, goal and responsible executor, and each target indicator's
plan against its actual values. Plain data for the page, its charts and its workbook.

Each quarter is read from its report (one per quarter): as submitted to the officials, or, while
it is in preparation, as last compiled; a quarter without a report is shown as having none. The
figures are the report's own (`tally_layout`, `indicator_progress_by_quarter`,
`thaw_indicators`), read for all quarters at once: a fixed number of queries, whatever the
number of actions or quarters."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jospar.plans.models import OperationalPlan, RevisionHeading
from jospar.plans.selectors import appendix_layout
from jospar.reports.models import Report, ReportRow, ReportStatus
from jospar.reports.selectors import (
    IndicatorProgress,
    Tally,
    indicator_progress_by_quarter,
    tally_layout,
    thaw_indicators,
)

QUARTERS = (1, 2, 3, 4)
GROUPINGS = ("direction", "goal", "unit")


@dataclass
class QuarterSource:
    """Where a quarter's figures come from: its report (None: no report yet)."""

    quarter: int
    report: Report | None = None

    @property
    def state(self) -> str:
        if self.report is None:
            return "none"
        return "submitted" if self.report.status == ReportStatus.SUBMITTED else "draft"

    @property
    def state_label(self) -> str:
        if self.report is None:
            return _("no report yet")
        if self.state == "submitted":
            return _("report submitted to the officials")
        return _("report in preparation (as last compiled)")

    @property
    def at(self):
        """When the figures were taken: the submission, else the last compilation."""
        if self.report is None:
            return None
        return self.report.submitted_at or self.report.compiled_at


@dataclass
class Group:
    """A line of a chart: a group's tally in each quarter that has a report."""

    key: str
    label: str
    tallies: dict[int, Tally] = field(default_factory=dict)

    def tally(self, quarter: int) -> Tally | None:
        return self.tallies.get(quarter)

    @property
    def due_anywhere(self) -> bool:
        return any(t.due for t in self.tallies.values())


@dataclass
class IndicatorSeries:
    """A target indicator's plan for the year and its latest accepted actual value at the end
    of each quarter that has a report."""

    key: int
    label: str
    unit_of_measure: str
    points: dict[int, IndicatorProgress] = field(default_factory=dict)

    def point(self, quarter: int) -> IndicatorProgress | None:
        return self.points.get(quarter)

    @property
    def planned(self) -> Decimal | None:
        """The plan for the year as the latest quarter read it."""
        for quarter in sorted(self.points, reverse=True):
            if self.points[quarter].planned is not None:
                return self.points[quarter].planned
        return None


@dataclass
class Dashboard:
    plan: OperationalPlan
    quarters: list[QuarterSource]
    overall: Group
    groups: dict[str, list[Group]]
    indicators: list[IndicatorSeries]

    @property
    def reported(self) -> list[int]:
        return [q.quarter for q in self.quarters if q.report is not None]


def quarter_reports(plan: OperationalPlan) -> list[Report]:
    """The plan's reports that have figures: submitted, or compiled at least once."""
    reports = list(
        Report.objects.filter(plan=plan)
        .filter(Q(status=ReportStatus.SUBMITTED) | Q(compiled_at__isnull=False))
        .order_by("quarter")
    )
    for report in reports:
        report.plan = plan  # read by the indicators' reading; no query for it
    return reports


def execution_dashboard(plan: OperationalPlan) -> Dashboard:
    reports = quarter_reports(plan)
    by_quarter = {r.quarter: r for r in reports}
    rows: dict[int, list[ReportRow]] = defaultdict(list)
    query = (
        ReportRow.objects.filter(report__in=[r.pk for r in reports], action__plan_id=plan.pk)
        .select_related("planned")
        .order_by("report", "planned__number")
    )
    for row in query if reports else ():
        rows[row.report_id].append(row)
    headings: dict[int, list[RevisionHeading]] = defaultdict(list)
    revisions = {r.revision_id for r in reports}
    for heading in (
        RevisionHeading.objects.filter(revision__in=revisions).order_by("revision", "position")
        if revisions
        else ()
    ):
        headings[heading.revision_id].append(heading)

    overall = Group("all", _("All due actions"))
    groups: dict[str, dict[str, Group]] = {name: {} for name in GROUPINGS}
    for report in reports:
        layout = appendix_layout(
            plan.development_plan_id,  # not read: the headings are the revision's
            plan.body_id,
            rows[report.pk],
            under=lambda row: row.planned,
            number=lambda row: row.planned.number,
            headings=headings[report.revision_id],
        )
        tallies = tally_layout(layout)
        overall.tallies[report.quarter] = tallies.overall
        for name, tallied in (
            ("direction", tallies.by_direction),
            ("goal", tallies.by_goal),
            ("unit", tallies.by_unit),
        ):
            for key, tally in tallied.items():
                group = groups[name].setdefault(key, Group(key, tally.label))
                group.label = tally.label  # as the latest report names it
                group.tallies[report.quarter] = tally

    return Dashboard(
        plan=plan,
        quarters=[QuarterSource(q, by_quarter.get(q)) for q in QUARTERS],
        overall=overall,
        groups={
            "direction": [g for g in groups["direction"].values() if g.due_anywhere],
            "goal": [g for g in groups["goal"].values() if g.due_anywhere],
            "unit": sorted(
                (g for g in groups["unit"].values() if g.due_anywhere), key=lambda g: g.label
            ),
        },
        indicators=_indicators(plan, reports),
    )


def _indicators(plan: OperationalPlan, reports: list[Report]) -> list[IndicatorSeries]:
    """Each quarter's target indicators as its report reads them: frozen on submission, live
    (the latest accepted values by the quarter's end) while it is in preparation."""
    live = indicator_progress_by_quarter(plan, [r.quarter for r in reports if not r.frozen_summary])
    series: dict[int, IndicatorSeries] = {}
    for report in reports:
        progress = thaw_indicators(report) if report.frozen_summary else live[report.quarter]
        for p in progress:
            indicator = p.indicator
            line = series.setdefault(
                indicator.pk, IndicatorSeries(indicator.pk, "", indicator.unit_of_measure)
            )
            line.label = str(indicator)
            line.unit_of_measure = indicator.unit_of_measure
            line.points[report.quarter] = p
    return list(series.values())


# --- the tables beside the charts (the page) and in the workbook ----------------------------


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list]  # numbers as numbers (None: nothing to show), text as text
    group_column: bool = False


def _share_rows(group: Group, quarters: list[QuarterSource], with_group: bool) -> list[list]:
    rows = []
    for source in quarters:
        if source.report is None and with_group:
            continue  # the group tables list the quarters that have a report
        tally = group.tally(source.quarter)
        row = [group.label] if with_group else []
        row += [source.quarter, source.state_label]
        if tally is None:
            row += [None] * 6
        else:
            row += [
                tally.due,
                tally.executed,
                tally.partial,
                tally.not_executed,
                tally.no_information,
                tally.share(tally.executed) if tally.due else None,
            ]
        rows.append(row)
    return rows


def dashboard_tables(dashboard: Dashboard, titles: dict[str, str]) -> list[Table]:
    """The figures of each chart (`titles` by chart name) as a table."""
    counts = [
        pgettext("count of due actions", "Due"),
        _("Executed"),
        _("Partially"),
        _("Not executed"),
        _("No information"),
        _("Executed, per cent of due"),
    ]
    head = [_("Quarter"), _("Source of the figures")]
    group_heads = {
        "direction": _("Strategic direction"),
        "goal": _("Goal"),
        "unit": _("Responsible executor"),
    }
    tables = [
        Table(
            "overall",
            titles["overall"],
            head + counts,
            _share_rows(dashboard.overall, dashboard.quarters, False),
        )
    ]
    for name in GROUPINGS:
        rows = [
            row
            for group in dashboard.groups[name]
            for row in _share_rows(group, dashboard.quarters, True)
        ]
        tables.append(Table(name, titles[name], [group_heads[name], *head, *counts], rows, True))
    indicator_rows = []
    for line in dashboard.indicators:
        actuals = []
        for quarter in QUARTERS:
            point = line.point(quarter)
            actuals.append(point.actual if point is not None else None)
        indicator_rows.append([line.label, line.unit_of_measure, line.planned, *actuals])
    tables.append(
        Table(
            "indicators",
            titles["indicators"],
            [
                _("Target indicator"),
                _("Unit of measure"),
                _("Plan for the year"),
                *(_("Actual, Q%(quarter)s") % {"quarter": q} for q in QUARTERS),
            ],
            indicator_rows,
        )
    )
    return tables

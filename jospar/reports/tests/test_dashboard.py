"""The execution dashboard of a plan year: its figures are the quarterly reports' own, its
charts and files say the same, and it costs the same whatever the number of actions or
quarters."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jospar.orgs.models import Role
from jospar.reports import services as reports
from jospar.reports.charts import chart
from jospar.reports.dashboard import execution_dashboard
from jospar.reports.selectors import report_summary
from tests.factories import UnitFactory, member
from tests.worlds import (
    AFTER_Q2,
    IN_Q2,
    approved_plan_of_size,
    at,
    monitoring_world,
    q2_report,
    shared_world,
)

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


def figures(tally):
    if tally is None:
        return None
    return (tally.due, tally.executed, tally.partial, tally.not_executed, tally.no_information)


def url(world, name="execution", *extra):
    return reverse(f"reports:{name}", args=[world.body.pk, world.plan.pk, *extra])


def test_a_plan_without_reports_shows_every_quarter_without_one(world):
    dashboard = execution_dashboard(world.plan)
    assert [q.state for q in dashboard.quarters] == ["none"] * 4
    assert dashboard.reported == [] and dashboard.indicators == []
    assert all(not groups for groups in dashboard.groups.values())
    assert "No quarter has a report yet." in chart("overall", dashboard)


def test_the_figures_are_the_reports_own_by_quarter_and_group(world, clock):
    report = q2_report(world)
    clock(AFTER_Q2)
    dashboard = execution_dashboard(world.plan)
    assert [q.state for q in dashboard.quarters] == ["none", "draft", "none", "none"]
    assert dashboard.reported == [2]
    summary = report_summary(report)
    # due in Q2: q1 (carried), q2 (partial), other_q2 (no information), quarterly
    assert figures(dashboard.overall.tally(2)) == figures(summary.overall) == (4, 2, 1, 0, 1)
    assert dashboard.overall.tally(1) is None
    assert [figures(g.tally(2)) for g in dashboard.groups["direction"]] == [
        figures(t) for t in summary.by_direction
    ]
    assert [g.label for g in dashboard.groups["goal"]] == [t.label for t in summary.by_goal]
    units = {g.label: figures(g.tally(2)) for g in dashboard.groups["unit"]}
    assert units == {str(world.unit): (3, 2, 1, 0, 0), str(world.other): (1, 0, 0, 0, 1)}
    series = {s.key: s for s in dashboard.indicators}
    assert series[world.indicator.pk].planned == Decimal(40)
    assert series[world.indicator.pk].point(1) is None


def test_a_submitted_quarter_reads_as_submitted_and_the_next_one_as_compiled(world, clock):
    report = q2_report(world)
    reports.report_submit(actor=world.monitor, report=report)
    clock("2026-10-13 10:00")
    with at("2026-10-05"):
        world.accepted(3, only={world.actions["partner_q3"].pk: "not_executed"})
    reports.report_compile(actor=world.monitor, plan=world.plan, quarter=3)
    dashboard = execution_dashboard(world.plan)
    assert [q.state for q in dashboard.quarters] == ["none", "submitted", "draft", "none"]
    assert figures(dashboard.overall.tally(2)) == (4, 2, 1, 0, 1)
    q3 = dashboard.overall.tally(3)
    assert q3 is not None and q3.due > 0
    series = {s.key: s for s in dashboard.indicators}
    assert set(series[world.indicator.pk].points) == {2, 3}


def test_an_official_reads_the_page_the_chart_and_the_workbook(client, world, clock):
    q2_report(world)
    clock(AFTER_Q2)
    client.force_login(world.official)
    page = client.get(url(world) + "?by=unit")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and 'id="group-table"' in html and str(world.other) in html
    svg = client.get(url(world, "execution_chart", "unit"))
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg["Content-Disposition"] == 'attachment; filename="execution-2026-unit.svg"'
    assert str(world.other).encode() in svg.content
    assert client.get(url(world, "execution_chart", "nothing")).status_code == 404
    workbook = client.get(url(world, "execution_export"))
    assert workbook["Content-Disposition"] == 'attachment; filename="execution-2026.xlsx"'
    book = load_workbook(BytesIO(workbook.content))
    quarters = book.worksheets[0]
    q2 = [row for row in quarters.iter_rows(min_row=4, values_only=True) if row[0] == 2][0]
    assert q2[2:] == (4, 2, 1, 0, 1, 50)
    assert len(book.worksheets) == 5


def test_the_page_is_for_the_body_wide_roles(client, world, viewer):
    client.force_login(world.executor)
    assert client.get(url(world)).status_code == 403
    assert client.get(url(world, "execution_export")).status_code == 403
    for reader in (world.official, world.planner, world.monitor, viewer):
        client.force_login(reader)
        assert client.get(url(world)).status_code == 200


def test_the_body_the_plan_and_the_report_link_to_it(client, world, clock):
    q2_report(world)
    clock(AFTER_Q2)
    client.force_login(world.official)
    link = f'href="{url(world)}" id="execution-link"'.encode()
    assert link in client.get(world.plan.get_absolute_url()).content
    report_page = reverse("reports:report", args=[world.body.pk, world.plan.pk, 2])
    assert link in client.get(report_page).content
    body_link = f'href="{url(world)}" id="execution-link-{world.plan.pk}"'.encode()
    assert body_link in client.get(world.body.get_absolute_url()).content
    client.force_login(world.executor)  # a unit's executor does not read the reports
    assert url(world).encode() not in client.get(world.body.get_absolute_url()).content


@pytest.mark.parametrize("per_unit, quarters", [(2, 1), (6, 3)])  # 8 and 24 actions
def test_the_page_and_the_workbook_cost_the_same_for_any_number_of_actions_or_quarters(
    client, body, unit, clock, per_unit, quarters, django_assert_max_num_queries
):
    clock("2027-10-13 10:00")
    units = [unit, *(UnitFactory(body=body) for _ in range(3))]
    plan, _indicator = approved_plan_of_size(units, actions_per_unit=per_unit)
    monitor = member(body, Role.MONITOR)
    for quarter in range(1, quarters + 1):
        reports.report_compile(actor=monitor, plan=plan, quarter=quarter)
    client.force_login(member(body, Role.VIEWER, username="reader"))
    page = reverse("reports:execution", args=[body.pk, plan.pk])
    for by in ("direction", "goal", "unit"):
        with django_assert_max_num_queries(11):
            assert client.get(page, {"by": by}).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(page + "execution.xlsx").status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(page + "charts/indicators.svg").status_code == 200


def test_a_late_report_is_counted_in_its_own_quarter(world, clock):
    """Information accepted in Q2 for Q2 counts in Q2's report, not in Q1's (no report)."""
    with at(IN_Q2):
        world.accepted(2)
    clock(AFTER_Q2)
    reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    dashboard = execution_dashboard(world.plan)
    assert dashboard.overall.tally(1) is None
    assert dashboard.overall.tally(2).executed >= 3

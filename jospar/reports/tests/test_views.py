"""The report pages: who sees and does what, what each POST leaves, and the query shape."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.orgs.models import Role
from jospar.plans.models import PlanStatus
from jospar.reports import services as reports
from jospar.reports.models import (
    AmendmentRecommendation,
    Decision,
    DecisionStatus,
    Report,
    ReportStatus,
)
from tests.factories import UnitFactory, member
from tests.worlds import approved_plan_of_size, monitoring_world, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture(autouse=True)
def after_the_quarter(clock):
    """The 2nd quarter has ended; its report is due on 15 July."""
    clock("2026-07-13 10:00")


def url(world, name="report", *extra):
    return reverse(f"reports:{name}", args=[world.body.pk, world.plan.pk, 2, *extra])


def as_user(client, user):
    client.force_login(user)
    return client


def submitted(world) -> Report:
    report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    return reports.report_submit(actor=world.monitor, report=report)


def decided(world, text, units=None, kind="problems") -> Decision:
    """The Q2 report compiled and submitted, and the official's decision on it."""
    return reports.decision_create(
        actor=world.official,
        report=submitted(world),
        kind=kind,
        text=text,
        units=units or [world.unit],
        due_on=dt.date(2026, 9, 1),
    )


def test_the_monitor_compiles_the_report_from_the_page(client, world):
    as_user(client, world.monitor)
    page = client.get(url(world))
    assert page.status_code == 200 and b'id="compile"' in page.content
    response = client.post(url(world, "report_compile"))
    assert response.status_code == 302
    report = Report.objects.get()
    page = client.get(url(world))
    assert page.status_code == 200
    assert page.content.count(b'class="action ') == report.rows.count() == len(world.actions)
    assert b"No accepted information from" in page.content
    assert b"<svg" in page.content


def test_a_units_executor_does_not_see_the_report(client, world, outsider):
    as_user(client, world.executor)
    assert client.get(url(world)).status_code == 403
    assert client.post(url(world, "report_compile")).status_code == 403
    as_user(client, outsider)
    assert client.get(url(world)).status_code == 404


def test_a_viewer_compiles_nothing(client, world, viewer):
    as_user(client, viewer)
    assert client.post(url(world, "report_compile")).status_code == 403
    assert not Report.objects.exists()


def test_a_recommendation_is_autosaved_and_refused_once_submitted(client, world):
    report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    row = report.rows.first()
    as_user(client, world.monitor)
    response = client.post(
        url(world, "row_recommend", row.pk), {"recommendation": "Hurry"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and b"saved" in response.content
    row.refresh_from_db()
    assert row.recommendation == "Hurry"
    reports.report_submit(actor=world.monitor, report=report)
    response = client.post(url(world, "row_recommend", row.pk), {"recommendation": "Later"})
    assert response.status_code == 400 and b"frozen" in response.content


def test_a_recommendation_to_amend_names_the_missing_field(client, world):
    reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    as_user(client, world.monitor)
    response = client.post(
        url(world, "amendment_recommendation_new"),
        {"kind": "term", "justification": "Late"},
        follow=True,
    )
    assert b"Choose the action the change is about." in response.content
    assert not AmendmentRecommendation.objects.exists()


def test_submit_decide_and_apply_through_the_pages(client, world):
    report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    row = report.rows.first()
    as_user(client, world.monitor)
    client.post(
        url(world, "amendment_recommendation_new"),
        {
            "kind": "term",
            "action": row.action_id,
            "term_kind": "quarter",
            "term_quarter": "3",
            "justification": "The contractor is late",
        },
    )
    recommendation = AmendmentRecommendation.objects.get()
    assert client.post(url(world, "report_submit")).status_code == 302
    assert Report.objects.get().status == ReportStatus.SUBMITTED
    as_user(client, world.official)
    response = client.post(
        url(world, "decision_new"),
        {
            "kind": "problems",
            "text": "Meet the contractor",
            "units": [world.unit.pk],
            "due_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    as_user(client, world.executor)
    page = client.get(reverse("reports:decisions", args=[world.body.pk]))
    assert b"Meet the contractor" in page.content and b"Record progress" in page.content
    client.post(
        reverse(
            "reports:decision_progress",
            args=[world.body.pk, decision.pk, world.unit.pk],
        ),
        {"status": "done", "text": "Met on 1 August"},
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE
    as_user(client, world.planner)
    response = client.post(url(world, "amendment_recommendation_apply", recommendation.pk))
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.DRAFT
    assert response.url.startswith(world.plan.get_absolute_url())
    page = client.get(world.plan.get_absolute_url())
    assert b'id="applied-recommendations"' in page.content
    revisions = client.get(reverse("plans:revisions", args=[world.body.pk, world.plan.pk]))
    assert revisions.status_code == 200


def test_another_units_person_records_no_progress(client, world):
    decision = decided(world, "Draft the order", units=[world.other])
    as_user(client, world.executor)
    page = client.get(reverse("reports:decisions", args=[world.body.pk]))
    assert b"Draft the order" not in page.content
    for unit in (world.other, world.unit):
        response = client.post(
            reverse("reports:decision_progress", args=[world.body.pk, decision.pk, unit.pk]),
            {"status": "done", "text": "Not ours"},
        )
        assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OPEN and not decision.progress.exists()


def test_each_assigned_unit_sees_its_own_notes_on_the_decisions_page(client, world):
    """The other unit's notes on a decision assigned to both stay theirs (the state walk
    found them on this page)."""
    decision = decided(world, "Line the canal together", units=[world.unit, world.partner])
    for actor, unit, text in (
        (world.executor, world.unit, "Meeting planned"),
        (world.partner_head, world.partner, "Paid the contractor"),
    ):
        reports.decision_progress_add(
            actor=actor, decision=decision, unit=unit, status="in_progress", text=text
        )
    page = as_user(client, world.partner_head).get(
        reverse("reports:decisions", args=[world.body.pk])
    )
    assert b"Line the canal together" in page.content
    assert b"Paid the contractor" in page.content and b"Meeting planned" not in page.content
    page = as_user(client, world.monitor).get(reverse("reports:decisions", args=[world.body.pk]))
    assert b"Paid the contractor" in page.content and b"Meeting planned" in page.content


@pytest.mark.parametrize("per_unit", [2, 20])
def test_the_report_page_costs_the_same_for_any_number_of_actions(
    client, body, unit, clock, per_unit, django_assert_max_num_queries
):
    clock("2027-07-13 10:00")
    units = [unit, *(UnitFactory(body=body) for _ in range(3))]
    plan, _indicator = approved_plan_of_size(units, actions_per_unit=per_unit)
    monitor = member(body, Role.MONITOR)
    reports.report_compile(actor=monitor, plan=plan, quarter=2)
    as_user(client, monitor)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("reports:report", args=[body.pk, plan.pk, 2]))
    assert page.status_code == 200


def test_the_official_closes_a_decision_from_the_report(client, world):
    decision = decided(world, "Reassign the tender", kind="effectiveness")
    status_url = reverse("reports:decision_status", args=[world.body.pk, decision.pk])
    as_user(client, world.monitor)
    assert client.post(status_url, {"status": "done"}).status_code == 403
    as_user(client, world.official)
    assert b"Change the status" in client.get(url(world)).content
    assert client.post(status_url, {"status": "done"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE and decision.closed_on is not None
    assert list(decision.units.all()) == [world.unit]


def test_the_amendment_form_marks_which_fields_each_kind_of_change_uses(client, world):
    reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    as_user(client, world.monitor)
    html = client.get(url(world)).content.decode()
    assert 'name="kind" data-changes="1"' in html
    assert 'name="lead_unit" data-kinds="executor add"' in html
    assert 'data-kinds="term add" data-term="quarter"' in html


def test_a_closed_decision_takes_no_more_progress_from_the_page(client, world):
    decision = decided(world, "Sign the contract")
    as_user(client, world.executor)
    page = client.get(reverse("reports:decisions", args=[world.body.pk]))
    assert b"Record progress" in page.content
    assert b'<option value="open"' not in page.content  # a unit reports in progress or done
    reports.decision_progress_add(
        actor=world.executor, decision=decision, unit=world.unit, status="done", text="Done"
    )
    page = client.get(reverse("reports:decisions", args=[world.body.pk]) + "?done=1")
    assert b"Sign the contract" in page.content and b"Record progress" not in page.content


def test_the_official_corrects_a_decision(client, world):
    decision = decided(world, "Meet the contractor")
    edit_url = reverse("reports:decision_edit", args=[world.body.pk, decision.pk])
    as_user(client, world.monitor)
    assert client.get(edit_url).status_code == 403
    as_user(client, world.official)
    assert b"decision-edit" in client.get(url(world)).content
    assert client.get(edit_url).status_code == 200
    data = {
        "kind": "effectiveness",
        "text": "Meet the contractor and the akimat",
        "units": [world.unit.pk, world.other.pk],
        "due_on": "2026-09-15",
    }
    response = client.post(edit_url, {**data, "due_on": "2026-01-01"})
    assert response.status_code == 400
    decision.refresh_from_db()
    assert decision.text == "Meet the contractor"  # nothing written
    response = client.post(edit_url, data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.kind, decision.text, decision.due_on) == (
        "effectiveness",
        "Meet the contractor and the akimat",
        dt.date(2026, 9, 15),
    )
    assert set(decision.units.all()) == {world.unit, world.other}
    assert decision.status == DecisionStatus.OPEN


def test_a_decision_the_page_cannot_take_is_refused_with_each_field_named(client, world):
    submitted(world)
    as_user(client, world.official)
    response = client.post(
        url(world, "decision_new"),
        {"kind": "whim", "text": "   ", "units": ["abc"], "due_on": "soon"},
        follow=True,
    )
    assert response.status_code == 200
    errors = [str(m) for m in response.context["messages"]]
    assert errors == [
        "Aimed at: Select a valid choice. whim is not one of the available choices.",
        "Decision: This field is required.",
        "Assigned units: “abc” is not a valid value.",
        "Due date: Enter a valid date.",
    ]
    data = {"kind": "problems", "text": "Act", "units": [world.unit.pk], "due_on": "2026-01-05"}
    response = client.post(url(world, "decision_new"), data, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Due date: The due date cannot be in the past."  # the service's error, named as well
    ]
    assert not Decision.objects.exists()


def test_progress_the_page_cannot_take_names_the_field(client, world):
    decision = decided(world, "Sign the contract")
    as_user(client, world.executor)
    progress_url = reverse(
        "reports:decision_progress", args=[world.body.pk, decision.pk, world.unit.pk]
    )
    response = client.post(progress_url, {"status": "done", "text": "  "}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "What was done: This field is required."
    ]
    assert not decision.progress.exists()


def test_decisions_show_days_left_due_today_or_late_and_none_once_done(client, world, clock):
    """The countdown next to a decision's due date (1 September 2026), on the decisions page
    and the report page; a done decision counts down no more."""
    decision = decided(world, "Repair the sluice")
    decisions_url = reverse("reports:decisions", args=[world.body.pk])
    for now, text in (
        ("2026-08-29 10:00", "(3 days left)"),
        ("2026-09-01 18:00", "(due today)"),
        ("2026-09-03 09:00", "(2 days late)"),
    ):
        clock(now)
        as_user(client, world.monitor)  # a fresh session on the day
        for page_url in (decisions_url, url(world)):
            html = client.get(page_url).content.decode()
            assert "Due: 01.09.2026 <span" in html, page_url
            assert text in html, (now, page_url)
    reports.decision_progress_add(
        actor=world.executor, decision=decision, unit=world.unit, status="done", text="Done"
    )
    html = client.get(decisions_url + "?done=1").content.decode()
    assert "Repair the sluice" in html
    assert "Due: 01.09.2026." in html and "late)" not in html and "left)" not in html

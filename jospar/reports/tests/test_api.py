"""The REST API of the quarterly report and the officials' decisions: compiling, reading with
the summary and the Appendix 2 layout, the monitor's recommendations, submission and the frozen
report, recommendations to amend the plan applied as an adjustment, decisions and the units'
follow-up; who sees and does what; and bounded queries."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from jospar.orgs.models import Role
from jospar.plans.terms import TermKind
from jospar.reports import services as reports
from jospar.reports.models import (
    AmendmentKind,
    AmendmentRecommendation,
    Decision,
    DecisionStatus,
    Report,
)
from tests.factories import RoleFactory, UnitFactory, member
from tests.worlds import (
    AFTER_Q2,
    IN_Q2,
    approved_plan_of_size,
    monitoring_world,
    q2_report,
    shared_world,
)

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

REPORTS = "/api/v1/reports/"
ROWS = "/api/v1/report-rows/"
AMENDMENTS = "/api/v1/amendment-recommendations/"
DECISIONS = "/api/v1/decisions/"


@pytest.fixture
def report(world, clock):
    """The second quarter's report, compiled on 13 July from the unit's accepted information
    (q2 partially executed; the partner and the other unit sent nothing); it is 13 July."""
    report = q2_report(world)
    clock(AFTER_Q2)
    return report


@pytest.fixture
def submitted(world, report):
    return reports.report_submit(actor=world.monitor, report=report)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def row_of(world, report, key):
    return report.rows.get(action=world.actions[key])


def decide(world, report, units, **fields):
    return reports.decision_create(
        actor=world.official,
        report=report,
        kind=fields.get("kind", "problems"),
        text=fields.get("text", "Hold a meeting with the contractor"),
        units=units,
        due_on=fields.get("due_on", dt.date(2026, 9, 1)),
    )


# The report


def test_the_monitor_compiles_the_report_and_compiling_again_keeps_it(api, world, clock):
    clock(IN_Q2)
    world.accepted(2)
    clock(AFTER_Q2)
    client = api(world.monitor)
    payload = {"plan": world.plan.pk, "quarter": 2}
    response = client.post(f"{REPORTS}compile/", payload, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["quarter"], data["year"], data["status"]) == (2, 2026, "draft")
    assert (data["revision_number"], data["deadline"], data["steps"]) == (
        1,
        "2026-07-15",
        ["submit"],
    )
    assert data["countdown"] == "2 days left"
    again = client.post(f"{REPORTS}compile/", payload, format="json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert Report.objects.count() == 1


def test_compiling_names_what_is_wrong(api, world, clock):
    clock(IN_Q2)
    client = api(world.monitor)
    response = client.post(f"{REPORTS}compile/", {"plan": world.plan.pk, "quarter": 3})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Quarter 3 has not started yet."]}
    response = client.post(f"{REPORTS}compile/", {"plan": world.plan.pk, "quarter": 5})
    assert response.status_code == 400 and "quarter" in response.json()
    assert not Report.objects.exists()


def test_a_report_reads_with_its_summary_and_the_appendix_2_layout(api, world, report):
    data = api(world.monitor).get(f"{REPORTS}{report.pk}/").json()
    kinds = [row["kind"] for row in data["rows"]]
    assert kinds[0] == "section" and {"direction", "goal", "target", "task"} <= set(kinds)
    assert kinds.index("target") < kinds.index("action")
    assert kinds[kinds.index("section", 1) + 1] == "task"
    assert all((row["row"] is None) == (row["kind"] != "action") for row in data["rows"])
    actions = {row["row"]["action"]: row["row"] for row in data["rows"] if row["row"]}
    assert set(actions) == {action.pk for action in world.actions.values()}
    q2 = actions[world.actions["q2"].pk]
    assert (q2["number"], q2["name"], q2["section"]) == (
        world.number("q2"),
        "Repair the canals",
        1,
    )
    assert q2["executors"] == f"{world.unit}, {world.partner}"
    assert (q2["term_display"], q2["completion_display"]) == ("2 quarter", "Report")
    assert (q2["due"], q2["status"], q2["actual"]) == (True, "partial", "Done as planned")
    assert q2["reasons"] == "The contractor was late"
    assert q2["missing_units"] == [str(world.partner)]
    assert actions[world.actions["annual"].pk]["section"] == 2
    summary = data["summary"]
    overall = summary["overall"]
    assert (overall["due"], overall["executed"], overall["partial"]) == (4, 2, 1)
    assert overall["no_information"] == 1 and overall["executed_share"] == 50
    assert [t["due"] for t in summary["by_direction"]] == [4]
    assert {t["label"]: t["due"] for t in summary["by_unit"]} == {
        str(world.unit): 3,
        str(world.other): 1,
    }
    assert summary["missing_units"] == sorted([str(world.partner), str(world.other)])
    states = {t["unit"]: t["state"] for t in summary["timeliness"]}
    assert states[world.unit.pk] == "on_time" and states[world.other.pk] == "missing"
    indicator = next(i for i in summary["indicators"] if i["indicator"] == world.indicator.pk)
    assert indicator["planned"] == "40"


def test_the_list_filters_by_plan_and_quarter(api, world, report, clock):
    clock(dt.date(2026, 10, 12))
    q3 = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=3)
    client = api(world.monitor)

    def ids(**query) -> set[int]:
        return {row["id"] for row in results(client.get(REPORTS, query))}

    assert ids() == {report.pk, q3.pk}
    assert ids(plan=world.plan.pk, quarter=3) == {q3.pk}
    assert ids(quarter=1) == set()
    assert ids(status="draft") == {report.pk, q3.pk}
    assert client.get(REPORTS, {"quarter": "second"}).status_code == 400


def test_the_monitor_writes_recommendations_and_submits(api, world, report):
    client = api(world.monitor)
    response = client.patch(
        f"{REPORTS}{report.pk}/",
        {"general_recommendations": "  Speed up the tenders ", "monitoring_unit": world.other.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["general_recommendations"] == "Speed up the tenders"
    assert (data["monitoring_unit"], data["monitoring_unit_name"]) == (
        world.other.pk,
        str(world.other),
    )
    # a field not given stays
    response = client.patch(f"{REPORTS}{report.pk}/", {"monitoring_unit": None}, format="json")
    assert response.json()["general_recommendations"] == "Speed up the tenders"
    assert response.json()["monitoring_unit"] is None
    row = row_of(world, report, "q2")
    response = client.patch(f"{ROWS}{row.pk}/", {"recommendation": "Sign the contract"})
    assert response.status_code == 200, response.content
    assert response.json()["recommendation"] == "Sign the contract"
    assert response.json()["recommendation_display"] == "Sign the contract"
    response = client.post(f"{REPORTS}{report.pk}/submit/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["days_late"], data["steps"]) == ("submitted", 0, [])
    assert data["countdown"] == "2 days left"  # on the day of submission
    assert data["submitted_by"] == world.monitor.pk


def test_a_unit_in_another_body_must_not_be_responsible_for_the_report(
    api, world, report, other_body
):
    stranger = UnitFactory(body=other_body)
    response = api(world.monitor).patch(
        f"{REPORTS}{report.pk}/", {"monitoring_unit": stranger.pk}, format="json"
    )
    assert response.status_code == 404 and "monitoring_unit" in response.json()


def test_a_submitted_report_is_frozen(api, world, submitted):
    client = api(world.monitor)
    frozen = ["The report has been submitted to the officials; it is frozen."]
    response = client.patch(
        f"{REPORTS}{submitted.pk}/", {"general_recommendations": "Late"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"non_field_errors": frozen})
    row = row_of(world, submitted, "q2")
    response = client.patch(f"{ROWS}{row.pk}/", {"recommendation": "Late thought"})
    assert (response.status_code, response.json()) == (400, {"non_field_errors": frozen})
    response = client.post(f"{REPORTS}compile/", {"plan": world.plan.pk, "quarter": 2})
    assert response.status_code == 400
    response = client.post(
        AMENDMENTS,
        {
            "report": submitted.pk,
            "kind": "remove",
            "action": world.actions["q1"].pk,
            "justification": "x",
        },
    )
    assert (response.status_code, response.json()) == (400, {"non_field_errors": frozen})
    assert client.post(f"{REPORTS}{submitted.pk}/submit/").status_code == 400
    row.refresh_from_db()
    assert row.recommendation == ""


def test_who_sees_and_writes_the_report(api, world, report, outsider, viewer):
    row = row_of(world, report, "q2")
    for user in (outsider, world.executor, world.head):  # not a body-wide role: not seen
        client = api(user)
        assert results(client.get(REPORTS)) == []
        assert client.get(f"{REPORTS}{report.pk}/").status_code == 404
        assert client.get(f"{ROWS}{row.pk}/").status_code == 404
        assert client.patch(f"{ROWS}{row.pk}/", {"recommendation": "x"}).status_code == 404
        assert client.post(f"{REPORTS}{report.pk}/submit/").status_code == 404
    response = api(outsider).post(f"{REPORTS}compile/", {"plan": world.plan.pk, "quarter": 2})
    assert response.status_code == 404 and "plan" in response.json()
    # the unit's executor sees the plan, but compiling is the monitor's
    response = api(world.executor).post(f"{REPORTS}compile/", {"plan": world.plan.pk, "quarter": 2})
    assert response.status_code == 403
    for user in (viewer, world.planner, world.official):
        client = api(user)
        assert client.get(f"{REPORTS}{report.pk}/").status_code == 200
        assert client.get(f"{ROWS}{row.pk}/").status_code == 200
        assert client.get(f"{REPORTS}{report.pk}/").json()["steps"] == []
        response = client.patch(f"{REPORTS}{report.pk}/", {"general_recommendations": "x"})
        assert response.status_code == 403
        assert client.patch(f"{ROWS}{row.pk}/", {"recommendation": "x"}).status_code == 403
        assert client.post(f"{REPORTS}{report.pk}/submit/").status_code == 403
    report.refresh_from_db()
    assert (report.status, report.general_recommendations) == ("draft", "")


# Recommendations to amend the plan


def amendment_payload(world, report, kind="term", key="q2", **fields):
    return {
        "report": report.pk,
        "kind": kind,
        "action": world.actions[key].pk if key else None,
        "justification": "The monitoring shows it",
    } | fields


def test_the_monitor_recommends_amendments_and_deletes_one(api, world, report):
    client = api(world.monitor)
    response = client.post(
        AMENDMENTS,
        amendment_payload(
            world, report, term_kind=TermKind.QUARTER, term_quarter=3, lead_unit=world.other.pk
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    term = response.json()
    assert (term["kind"], term["term_quarter"], term["lead_unit"]) == ("term", 3, None)
    assert term["applied_plan"] is None
    response = client.post(
        AMENDMENTS, amendment_payload(world, report, "remove", "q1"), format="json"
    )
    assert response.status_code == 201, response.content
    removal = response.json()
    listed = results(client.get(AMENDMENTS, {"report": report.pk}))
    assert [a["id"] for a in listed] == [term["id"], removal["id"]]
    # the report shows them in column 8 of their actions
    row = row_of(world, report, "q2")
    shown = client.get(f"{ROWS}{row.pk}/").json()["recommendation_display"]
    assert shown.startswith("change the term of execution: ")
    assert client.delete(f"{AMENDMENTS}{removal['id']}/").status_code == 204
    assert list(AmendmentRecommendation.objects.values_list("pk", flat=True)) == [term["id"]]


@pytest.mark.parametrize(
    "kind, key, fields, field",
    [
        ("term", "q2", {}, "term_kind"),
        ("executor", "q2", {}, "lead_unit"),
        ("wording", "q2", {"name": " "}, "name"),
        ("add", None, {"name": "New"}, "lead_unit"),
        ("remove", "q2", {"justification": ""}, "justification"),
    ],
)
def test_a_recommendation_names_what_it_lacks(api, world, report, kind, key, fields, field):
    response = api(world.monitor).post(
        AMENDMENTS, amendment_payload(world, report, kind, key, **fields), format="json"
    )
    assert response.status_code == 400 and field in response.json(), response.content
    assert not AmendmentRecommendation.objects.exists()


def test_a_recommendation_without_justification_gets_the_pages_message(api, world, report):
    payload = amendment_payload(world, report, "remove", "q1", justification=" ")
    response = api(world.monitor).post(AMENDMENTS, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"justification": ["Explain why the plan should change."]}


def test_who_recommends_amendments(api, world, report, outsider, viewer):
    payload = amendment_payload(world, report, "remove", "q1")
    for user in (viewer, world.planner, world.official, world.executor):
        assert api(user).post(AMENDMENTS, payload, format="json").status_code == 403
    response = api(outsider).post(AMENDMENTS, payload, format="json")
    assert response.status_code == 404 and "report" in response.json()
    recommendation = reports.amendment_recommendation_create(
        actor=world.monitor,
        report=report,
        kind=AmendmentKind.REMOVE,
        action=world.actions["q1"],
        justification="Done already",
    )
    assert results(api(outsider).get(AMENDMENTS)) == []
    assert results(api(world.executor).get(AMENDMENTS)) == []
    assert api(outsider).get(f"{AMENDMENTS}{recommendation.pk}/").status_code == 404
    assert api(outsider).delete(f"{AMENDMENTS}{recommendation.pk}/").status_code == 404
    assert api(viewer).delete(f"{AMENDMENTS}{recommendation.pk}/").status_code == 403
    assert api(outsider).post(f"{AMENDMENTS}{recommendation.pk}/apply/").status_code == 404
    assert AmendmentRecommendation.objects.count() == 1


def test_an_applied_recommendation_and_the_adjustment_name_each_other(api, world, report):
    recommendation = reports.amendment_recommendation_create(
        actor=world.monitor,
        report=report,
        kind=AmendmentKind.TERM,
        action=world.actions["q2"],
        term_kind=TermKind.QUARTER,
        term_quarter=3,
        justification="The contractor needs a quarter more",
    )
    planner = api(world.planner)
    response = planner.post(f"{AMENDMENTS}{recommendation.pk}/apply/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The report must be submitted to the officials first."]
    }
    reports.report_submit(actor=world.monitor, report=report)
    assert api(world.monitor).post(f"{AMENDMENTS}{recommendation.pk}/apply/").status_code == 403
    response = planner.post(f"{AMENDMENTS}{recommendation.pk}/apply/")
    assert response.status_code == 200, response.content
    data = response.json()
    action = world.actions["q2"]
    assert (data["applied_plan"], data["applied_revision_number"], data["applied_action"]) == (
        world.plan.pk,
        2,
        action.pk,
    )
    assert data["applied_by"] == world.planner.pk and data["applied_at"]
    # the plan's draft adjustment names the report and the recommendation …
    plan = planner.get(f"/api/v1/operational-plans/{world.plan.pk}/").json()
    assert (plan["status"], plan["basis"]) == ("draft", "monitoring")
    assert str(report) in plan["basis_reference"]
    changed = planner.get(f"/api/v1/actions/{action.pk}/").json()
    assert (changed["term_kind"], changed["term_quarter"]) == ("quarter", 3)
    # … and the recommendations applied to it are found from the plan
    applied = results(planner.get(AMENDMENTS, {"applied_plan": world.plan.pk}))
    assert [a["id"] for a in applied] == [recommendation.pk]
    again = planner.post(f"{AMENDMENTS}{recommendation.pk}/apply/")
    assert again.status_code == 400
    # a recommendation of a submitted report is no longer deleted
    response = api(world.monitor).delete(f"{AMENDMENTS}{recommendation.pk}/")
    assert response.status_code == 400


# Decisions (R17)


def test_an_official_records_and_closes_a_decision(api, world, submitted, clock):
    official = api(world.official)
    payload = {
        "report": submitted.pk,
        "kind": "problems",
        "text": "Hold a meeting with the contractor",
        "units": [world.unit.pk, world.partner.pk],
        "due_on": "2026-09-01",
    }
    response = official.post(DECISIONS, payload, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["decided_by"], data["decided_on"]) == (
        "open",
        world.official.pk,
        "2026-07-13",
    )
    assert (data["year"], data["quarter"], sorted(data["units"])) == (
        2026,
        2,
        sorted([world.unit.pk, world.partner.pk]),
    )
    decision = data["id"]
    clock(dt.date(2026, 8, 20))
    official = api(world.official)  # a new session: the first one has expired since
    response = official.patch(
        f"{DECISIONS}{decision}/", {"status": "done", "units": [world.unit.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["closed_on"], data["units"]) == (
        "done",
        "2026-08-20",
        [world.unit.pk],
    )
    assert data["text"] == "Hold a meeting with the contractor"  # not given: kept


def test_a_decision_names_what_is_wrong(api, world, report):
    official = api(world.official)
    payload = {
        "report": report.pk,
        "kind": "problems",
        "text": "Meet",
        "units": [world.unit.pk],
        "due_on": "2026-09-01",
    }
    response = official.post(DECISIONS, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Decisions are taken on a submitted report."]}
    reports.report_submit(actor=world.monitor, report=report)
    response = official.post(DECISIONS, payload | {"units": []}, format="json")
    assert response.status_code == 400 and "units" in response.json()
    response = official.post(DECISIONS, payload | {"due_on": "2026-01-01"}, format="json")
    assert response.status_code == 400 and "due_on" in response.json()
    assert not Decision.objects.exists()


def test_who_decides(api, world, submitted, outsider, viewer):
    payload = {
        "report": submitted.pk,
        "kind": "effectiveness",
        "text": "Find other measures",
        "units": [world.unit.pk],
        "due_on": "2026-09-01",
    }
    for user in (viewer, world.monitor, world.planner, world.head):
        assert api(user).post(DECISIONS, payload, format="json").status_code == 403
    response = api(outsider).post(DECISIONS, payload, format="json")
    assert response.status_code == 404
    decision = decide(world, submitted, [world.unit])
    for user in (viewer, world.monitor):
        response = api(user).patch(f"{DECISIONS}{decision.pk}/", {"status": "done"})
        assert response.status_code == 403
    assert api(outsider).patch(f"{DECISIONS}{decision.pk}/", {"text": "x"}).status_code == 404
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OPEN


def test_the_list_of_decisions_filters_and_units_see_their_own(api, world, submitted, outsider):
    mine = decide(world, submitted, [world.unit])
    theirs = decide(world, submitted, [world.partner, world.other])
    done = decide(world, submitted, [world.other])
    reports.decision_update(
        actor=world.official,
        decision=done,
        kind=done.kind,
        text=done.text,
        units=[world.other],
        due_on=done.due_on,
        status=DecisionStatus.DONE,
    )

    def ids(user, **query) -> set[int]:
        return {row["id"] for row in results(api(user).get(DECISIONS, query))}

    assert ids(world.monitor) == {mine.pk, theirs.pk, done.pk}
    assert ids(world.monitor, report=submitted.pk, open="true") == {mine.pk, theirs.pk}
    assert ids(world.monitor, open="false") == {done.pk}
    assert ids(world.monitor, unit=world.other.pk) == {theirs.pk, done.pk}
    assert ids(world.executor) == {mine.pk}
    assert ids(world.partner_head) == {theirs.pk}
    assert ids(outsider) == set()
    response = api(world.monitor).get(DECISIONS, {"open": "maybe"})
    assert response.status_code == 400 and "open" in response.json()
    assert api(world.executor).get(f"{DECISIONS}{theirs.pk}/").status_code == 404
    assert api(world.executor).get(f"{DECISIONS}{mine.pk}/").json()["my_units"] == [world.unit.pk]


def test_each_assigned_unit_sees_its_own_notes_on_a_shared_decision(api, world, submitted):
    """A decision assigned to two units is both units', but each unit's notes on it are its
    own work: the other unit's people never get them (the state walk found them shown)."""
    decision = decide(world, submitted, [world.unit, world.partner])
    for actor, unit, text in (
        (world.executor, world.unit, "Meeting planned"),
        (world.partner_head, world.partner, "Paid the contractor"),
    ):
        reports.decision_progress_add(
            actor=actor, decision=decision, unit=unit, status="in_progress", text=text
        )

    def notes(user) -> set[str]:
        one = api(user).get(f"{DECISIONS}{decision.pk}/").json()["progress"]
        listed = [row for row in results(api(user).get(DECISIONS)) if row["id"] == decision.pk]
        assert [row["progress"] for row in listed] == [one]
        return {note["text"] for note in one}

    assert notes(world.executor) == {"Meeting planned"}
    assert notes(world.partner_head) == {"Paid the contractor"}
    assert notes(world.monitor) == {"Meeting planned", "Paid the contractor"}


def test_an_assigned_unit_follows_a_decision_up(api, world, submitted, viewer, outsider):
    decision = decide(world, submitted, [world.unit, world.partner])
    url = f"{DECISIONS}{decision.pk}/progress/"
    note = {"unit": world.unit.pk, "status": "in_progress", "text": "Meeting planned"}
    response = api(world.executor).post(url, note, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "in_progress"
    assert [(p["unit"], p["text"], p["author"]) for p in data["progress"]] == [
        (world.unit.pk, "Meeting planned", world.executor.pk)
    ]
    response = api(world.executor).post(url, note | {"text": " "}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    # someone of another assigned unit speaks for their own unit only
    assert api(world.partner_head).post(url, note, format="json").status_code == 403
    assert api(viewer).post(url, note, format="json").status_code == 403
    assert api(outsider).post(url, note, format="json").status_code == 404
    response = api(world.partner_head).post(
        url, note | {"unit": world.partner.pk, "status": "done", "text": "Paid"}, format="json"
    )
    assert response.status_code == 201
    decision.refresh_from_db()  # one of the two assigned units is done: not yet the decision
    assert (decision.status, decision.closed_on) == (DecisionStatus.IN_PROGRESS, None)
    response = api(world.executor).post(
        url, note | {"status": "done", "text": "Meeting held"}, format="json"
    )
    assert response.status_code == 201
    decision.refresh_from_db()
    assert (decision.status, decision.closed_on) == (DecisionStatus.DONE, AFTER_Q2)
    assert decision.progress.count() == 3
    # a closed decision takes no more notes until the official reopens it
    response = api(world.executor).post(url, note, format="json")
    assert response.status_code == 400 and "closed" in str(response.json())


# Bad input: a 400 or 404 naming the field, never a 500


@pytest.mark.parametrize(
    "url, query",
    [
        (REPORTS, {"plan": "abc"}),
        (REPORTS, {"status": "sent"}),
        (AMENDMENTS, {"report": "1.5"}),
        (AMENDMENTS, {"applied_plan": "x"}),
        (DECISIONS, {"unit": "abc"}),
        (DECISIONS, {"status": "closed"}),
    ],
)
def test_a_bad_list_filter_is_refused_by_name(api, world, url, query):
    response = api(world.monitor).get(url, query)
    (name,) = query
    assert response.status_code == 400 and list(response.json()) == [name], response.content


def test_bad_payloads_are_refused_by_field(api, world, submitted, other_body):
    """Missing fields, wrong types, unknown choices; a unit of another body is not found for
    a user of one body, and refused by the service for a user of both."""
    stranger = UnitFactory(body=other_body)
    monitor, official = api(world.monitor), api(world.official)
    row = row_of(world, submitted, "q2")
    decision = decide(world, submitted, [world.unit])
    progress = f"{DECISIONS}{decision.pk}/progress/"
    cases = [
        (monitor.post(f"{REPORTS}compile/", {}, format="json"), 400, {"plan", "quarter"}),
        (monitor.post(f"{REPORTS}compile/", {"plan": "x", "quarter": 2}), 400, {"plan"}),
        (
            monitor.patch(f"{REPORTS}{submitted.pk}/", {"monitoring_unit": "x"}),
            400,
            {"monitoring_unit"},
        ),
        (monitor.patch(f"{ROWS}{row.pk}/", {}, format="json"), 400, {"recommendation"}),
        (monitor.post(AMENDMENTS, {}, format="json"), 400, {"report", "kind", "justification"}),
        (
            monitor.post(AMENDMENTS, amendment_payload(world, submitted, "renumber")),
            400,
            {"kind"},
        ),
        (
            monitor.post(AMENDMENTS, amendment_payload(world, submitted, action="x")),
            400,
            {"action"},
        ),
        (
            monitor.post(
                AMENDMENTS, amendment_payload(world, submitted, "executor", lead_unit=stranger.pk)
            ),
            404,
            {"lead_unit"},
        ),
        (
            official.post(DECISIONS, {"report": submitted.pk, "units": 5}, format="json"),
            400,
            {"kind", "text", "units", "due_on"},
        ),
        (
            official.post(
                DECISIONS,
                {
                    "report": submitted.pk,
                    "kind": "problems",
                    "text": "t",
                    "units": [stranger.pk],
                    "due_on": "2026-09-01",
                },
                format="json",
            ),
            404,
            {"units"},
        ),
        (official.patch(f"{DECISIONS}{decision.pk}/", {"status": "closed"}), 400, {"status"}),
        (official.patch(f"{DECISIONS}{decision.pk}/", {"due_on": "soon"}), 400, {"due_on"}),
        (api(world.executor).post(progress, {}), 400, {"unit", "status", "text"}),
    ]
    for response, code, fields in cases:
        assert (response.status_code, set(response.json())) == (code, fields), response.content
    # a user of both bodies sees the stranger unit: the service refuses it
    RoleFactory(user=world.official, body=other_body, role=Role.VIEWER)
    response = api(world.official).patch(
        f"{DECISIONS}{decision.pk}/", {"units": [stranger.pk]}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["units"]), response.content
    decision.refresh_from_db()
    assert list(decision.units.all()) == [world.unit] and decision.status == DecisionStatus.OPEN


# Shape


@pytest.mark.parametrize("per_unit", [2, 10])  # 8 and 40 actions
def test_a_report_reads_in_the_same_number_of_queries_for_any_number_of_actions(
    api, body, unit, clock, per_unit, django_assert_max_num_queries
):
    clock(dt.date(2027, 7, 13))
    units = [unit, *(UnitFactory(body=body) for _ in range(3))]
    plan, _indicator = approved_plan_of_size(units, actions_per_unit=per_unit)
    monitor = member(body, Role.MONITOR)
    report = reports.report_compile(actor=monitor, plan=plan, quarter=2)
    client = api(monitor)
    with django_assert_max_num_queries(20):
        response = client.get(f"{REPORTS}{report.pk}/")
    rows = [row for row in response.json()["rows"] if row["kind"] == "action"]
    assert len(rows) == 4 * per_unit
    # the write (with the summary it freezes), then the same read with the report's signature
    # (+ savepoints on PG); the notification reads its content type once per process, counted
    # here whatever ran before
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(52):
        assert client.post(f"{REPORTS}{report.pk}/submit/").status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_lists_cost_the_same_for_any_number_of_rows(
    api, world, submitted, count, django_assert_max_num_queries
):
    for n in range(count):
        decide(world, submitted, [world.unit, world.partner], text=f"Decision {n}")
        reports.decision_progress_add(
            actor=world.executor,
            decision=Decision.objects.latest("pk"),
            unit=world.unit,
            status=DecisionStatus.IN_PROGRESS,
            text="Started",
        )
    AmendmentRecommendation.objects.bulk_create(
        AmendmentRecommendation(
            report=submitted,
            kind=AmendmentKind.EXECUTOR,
            action=world.actions["q2"],
            lead_unit=world.other,
            justification=f"Reason {n}",
        )
        for n in range(count)
    )
    client = api(world.monitor)
    with django_assert_max_num_queries(8):
        assert len(results(client.get(DECISIONS))) == count
    with django_assert_max_num_queries(6):
        assert len(results(client.get(AMENDMENTS))) == count
    if count > 2:  # the first quarter's report too: two reports cost what one does
        reports.report_compile(actor=world.monitor, plan=world.plan, quarter=1)
    with django_assert_max_num_queries(6):
        assert len(results(client.get(REPORTS))) == (1 if count == 2 else 2)


def test_the_schema_builds_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/v1/reports/compile/", "/api/v1/decisions/{id}/progress/"):
        assert f"{path}:" in schema
    assert "ReportStatusEnum" in schema and "DecisionStatusEnum" in schema

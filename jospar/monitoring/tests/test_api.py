"""The REST API of quarterly monitoring: submissions seen by their unit and the body-wide roles,
entries with optimistic locking (409 with the other person's text), indicator values, evidence
files, the sign-off and the monitor's steps, the board, and bounded queries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from jospar.monitoring import services as monitoring
from jospar.monitoring.models import Evidence, ProgressEntry, Submission
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.plans.models import CompletionForm, RevisionBasis
from jospar.plans.terms import TermKind
from tests.factories import GoalFactory, TargetIndicatorFactory, UnitFactory, member
from tests.openapi import served_schema
from tests.worlds import monitoring_world, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

SUBMISSIONS = "/api/v1/submissions/"
BOARD = "/api/v1/board/"
Q1 = dt.date(2026, 2, 16)
Q2 = dt.date(2026, 5, 15)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def opened(world, clock):
    """The unit's information for the first quarter, opened on 16 February."""
    clock(Q1)
    return world.open(1)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def sign(client, submission):
    """The head's sign-off of what they have just read."""
    seen = client.get(f"{SUBMISSIONS}{submission.pk}/").json().get("seen", "")
    return client.post(f"{SUBMISSIONS}{submission.pk}/sign/", {"seen": seen}, format="json")


def post_entry(client, submission, action, version=0, **fields):
    data = {"action": action.pk, "status": "executed", "actual": "Done", "version": version}
    return client.post(f"{SUBMISSIONS}{submission.pk}/entries/", data | fields, format="json")


# Listing and reading


def test_the_unit_sees_its_own_information_and_the_monitor_all(api, world, clock, outsider):
    clock(Q2)
    mine = world.open(2)
    theirs = world.open(2, unit=world.partner)
    auditor = member(world.plan.body, Role.VIEWER, username="auditor")

    def seen_by(user) -> set[int]:
        return {row["id"] for row in results(api(user).get(SUBMISSIONS))}

    assert seen_by(world.monitor) == seen_by(auditor) == {mine.pk, theirs.pk}
    assert seen_by(world.executor) == {mine.pk}
    assert seen_by(world.partner_head) == {theirs.pk}
    assert seen_by(outsider) == set()
    assert api(world.executor).get(f"{SUBMISSIONS}{theirs.pk}/").status_code == 404
    assert api(outsider).get(f"{SUBMISSIONS}{mine.pk}/").status_code == 404


def test_the_list_filters_by_plan_quarter_unit_and_status(api, world, clock):
    clock(Q2)
    first = world.open(1)
    second = world.open(2)
    partner = world.open(2, unit=world.partner)
    client = api(world.monitor)

    def ids(**query) -> set[int]:
        return {row["id"] for row in results(client.get(SUBMISSIONS, query))}

    assert ids(plan=world.plan.pk, quarter=2) == {second.pk, partner.pk}
    assert ids(quarter=1) == {first.pk}
    assert ids(unit=world.partner.pk) == {partner.pk}
    assert ids(status="draft", unit=world.unit.pk) == {first.pk, second.pk}
    assert ids(status="accepted") == set()
    response = client.get(SUBMISSIONS, {"status": "finished"})
    assert response.status_code == 400 and "status" in response.json()


def test_a_submission_reads_with_its_actions_entries_and_indicators(api, world, clock):
    clock(Q2)
    partner = world.open(2, unit=world.partner)
    monitoring.entry_save(
        actor=world.partner_head,
        submission=partner,
        action_id=world.actions["q2"].pk,
        status="partial",
        actual="Paid half",
        reasons="Budget",
        version=0,
    )
    submission = world.open(2)
    monitoring.entry_save(
        actor=world.executor,
        submission=submission,
        action_id=world.actions["q1"].pk,
        status="executed",
        actual="Audited",
        reasons="",
        version=0,
    )
    monitoring.actual_save(
        actor=world.executor,
        submission=submission,
        indicator=world.indicator,
        value="12,5",
        comment="",
        version=0,
    )
    data = api(world.executor).get(f"{SUBMISSIONS}{submission.pk}/").json()
    assert (data["unit"], data["quarter"], data["status"], data["year"]) == (
        world.unit.pk,
        2,
        "draft",
        2026,
    )
    assert data["deadline"] == "2026-07-10"
    assert data["countdown"] == "56 days left"
    assert data["steps"] == []  # an executor neither signs nor reviews
    actions = {row["action"]: row for row in data["actions"]}
    names = {world.actions[key].pk: key for key in world.actions}
    assert {names[pk]: row["due"] for pk, row in actions.items()} == {
        "q1": True,
        "q2": True,
        "partner_q3": False,
        "quarterly": True,
        "annual": False,
    }
    q1 = actions[world.actions["q1"].pk]
    assert q1["entry"]["actual"] == "Audited" and q1["entry"]["version"] == 1
    assert q1["entry"]["updated_by_name"] == str(world.executor)
    assert q1["term_display"] == "1 quarter" and q1["completion_display"] == "Report"
    q2 = actions[world.actions["q2"].pk]
    assert q2["lead"] is True and q2["entry"] is None
    assert [(e["unit"], e["actual"]) for e in q2["co_executor_entries"]] == [
        (world.partner.pk, "Paid half")
    ]
    assert actions[world.actions["partner_q3"].pk]["lead"] is False
    assert data["indicators"] == [
        {
            "indicator": world.indicator.pk,
            "name": str(world.indicator),
            "unit_of_measure": "units",
            "planned": "40",
            "actual": {
                "indicator": world.indicator.pk,
                "value": "12.5",
                "comment": "",
                "version": 1,
            },
        }
    ]
    assert len(data["problems"]) == 2  # q2 and the quarterly report have no status yet
    head_view = api(world.head).get(f"{SUBMISSIONS}{submission.pk}/").json()
    assert head_view["steps"] == ["sign"]


# Opening a quarter


def test_the_unit_opens_a_quarter_once(api, world, clock):
    clock(Q1)
    data = {"plan": world.plan.pk, "unit": world.unit.pk, "quarter": 1}
    client = api(world.executor)
    first = client.post(f"{SUBMISSIONS}open/", data, format="json")
    assert first.status_code == 201, first.content
    again = client.post(f"{SUBMISSIONS}open/", data, format="json")
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"] == Submission.objects.get().pk


def test_a_quarter_is_not_opened_early_nor_for_another_unit(api, world, clock, other_body):
    clock(Q1)
    client = api(world.executor)
    early = client.post(
        f"{SUBMISSIONS}open/", {"plan": world.plan.pk, "unit": world.unit.pk, "quarter": 2}
    )
    assert early.status_code == 400
    assert early.json() == {"non_field_errors": ["Information for quarter 2 opens on 01.04.2026."]}
    foreign = client.post(
        f"{SUBMISSIONS}open/", {"plan": world.plan.pk, "unit": world.partner.pk, "quarter": 1}
    )
    assert foreign.status_code == 403
    stranger = UnitFactory(body=other_body)
    hidden = client.post(
        f"{SUBMISSIONS}open/", {"plan": world.plan.pk, "unit": stranger.pk, "quarter": 1}
    )
    assert hidden.status_code == 404 and "unit" in hidden.json()
    assert not Submission.objects.exists()


# Entries


def test_an_entry_is_saved_and_a_stale_save_gets_409(api, world, opened):
    action = world.actions["q1"]
    first = post_entry(api(world.executor), opened, action, actual="Audited two reservoirs")
    assert first.status_code == 200, first.content
    assert (first.json()["version"], first.json()["updated_by"]) == (1, world.executor.pk)
    # the executor and the head both loaded version 1; the executor saves first
    post_entry(api(world.executor), opened, action, version=1, actual="Audited all three")
    stale = post_entry(api(world.head), opened, action, version=1, actual="Audited one")
    assert stale.status_code == 409
    answer = stale.json()
    assert str(world.executor) in answer["detail"]
    assert answer["current"] == {
        "actual": "Audited all three",
        "reasons": "",
        "status": "executed",
        "version": 2,
        "updated_by": world.executor.pk,
        "updated_by_name": str(world.executor),
    }
    entry = ProgressEntry.objects.get()
    assert (entry.actual, entry.version) == ("Audited all three", 2)
    assert [row.history_user for row in entry.history.order_by("history_id")] == [
        world.executor,
        world.executor,
    ]


def test_a_wrong_entry_is_a_400_naming_the_field(api, world, opened):
    client = api(world.executor)
    other = post_entry(client, opened, world.actions["other_q2"])
    assert other.status_code == 400 and "action" in other.json()
    status = post_entry(client, opened, world.actions["q1"], status="done-ish")
    assert status.status_code == 400 and "status" in status.json()
    version = post_entry(client, opened, world.actions["q1"], version=-1)
    assert version.status_code == 400 and "version" in version.json()
    assert not ProgressEntry.objects.exists()


def test_only_the_units_people_write_entries(api, world, opened, outsider):
    assert post_entry(api(world.monitor), opened, world.actions["q1"]).status_code == 403
    assert post_entry(api(world.partner_head), opened, world.actions["q1"]).status_code == 404
    assert post_entry(api(outsider), opened, world.actions["q1"]).status_code == 404
    assert not ProgressEntry.objects.exists()


def test_a_signed_submission_takes_no_more_entries(api, world, opened):
    world.fill(opened)
    assert sign(api(world.head), opened).status_code == 200
    response = post_entry(api(world.executor), opened, world.actions["q1"], version=1)
    assert response.status_code == 400
    assert "cannot be changed" in str(response.json())


# Indicator values


def test_an_indicator_value_is_saved_as_a_number(api, world, opened, body):
    client = api(world.executor)
    url = f"{SUBMISSIONS}{opened.pk}/actuals/"
    saved = client.post(url, {"indicator": world.indicator.pk, "value": "12,5", "version": 0})
    assert saved.status_code == 200, saved.content
    assert (saved.json()["value"], saved.json()["version"]) == ("12.5", 1)
    words = client.post(url, {"indicator": world.indicator.pk, "value": "twelve", "version": 1})
    assert words.status_code == 400 and "value" in words.json()
    foreign = client.post(
        url, {"indicator": world.foreign_indicator.pk, "value": "1", "version": 0}
    )
    assert foreign.status_code == 400 and "indicator" in foreign.json()
    stale = client.post(url, {"indicator": world.indicator.pk, "value": "13", "version": 0})
    assert stale.status_code == 409
    assert stale.json()["current"] == {"value": "12.5", "comment": "", "version": 1}


def test_another_bodys_indicator_is_not_found(api, world, opened, other_plan):
    stray = TargetIndicatorFactory(goal=GoalFactory(direction__plan=other_plan))
    response = api(world.executor).post(
        f"{SUBMISSIONS}{opened.pk}/actuals/", {"indicator": stray.pk, "value": "1", "version": 0}
    )
    assert response.status_code == 404 and "indicator" in response.json()


# Evidence files


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, submission, action, name="act.pdf", content=PDF):
    return client.post(
        f"{SUBMISSIONS}{submission.pk}/evidence/",
        {"action": action.pk, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


@pytest.mark.parametrize("action", ["-16053699898136059371847680", "9223372036854775808"])
def test_an_action_id_past_64_bits_is_a_400_naming_it(api, world, opened, media, action):
    """The fuzz test's find: such an id reached a lookup through a foreign key, which the
    database driver could not convert (a 500)."""
    client = api(world.executor)
    evidence = client.post(
        f"{SUBMISSIONS}{opened.pk}/evidence/",
        {"action": action, "file": SimpleUploadedFile("act.pdf", PDF)},
        format="multipart",
    )
    entry = client.post(
        f"{SUBMISSIONS}{opened.pk}/entries/", {"action": action, "version": 0}, format="json"
    )
    for response in (evidence, entry):
        assert response.status_code == 400 and list(response.json()) == ["action"]


def test_evidence_is_attached_downloaded_and_removed(api, world, opened, media):
    client = api(world.executor)
    action = world.actions["q1"]
    no_entry = upload(client, opened, action)
    assert no_entry.status_code == 400 and "action" in no_entry.json()
    post_entry(client, opened, action)
    attached = upload(client, opened, action)
    assert attached.status_code == 201, attached.content
    data = attached.json()
    assert (data["action"], data["name"], data["kind"], data["size"]) == (
        action.pk,
        "act.pdf",
        "pdf",
        len(PDF),
    )
    assert data["uploaded_by_name"] == str(world.executor)
    read = client.get(f"{SUBMISSIONS}{opened.pk}/").json()
    q1 = next(row for row in read["actions"] if row["action"] == action.pk)
    assert [e["id"] for e in q1["entry"]["evidence"]] == [data["id"]]
    download = api(world.monitor).get(f"/api/v1/evidence/{data['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"  # the kind its content is
    assert download["Content-Disposition"] == 'attachment; filename="act.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert api(world.partner_head).get(f"/api/v1/evidence/{data['id']}/").status_code == 404
    assert api(world.monitor).delete(f"/api/v1/evidence/{data['id']}/").status_code == 403
    assert client.delete(f"/api/v1/evidence/{data['id']}/").status_code == 204
    assert not Evidence.objects.exists()


def test_a_file_is_judged_by_its_content(api, world, opened, media, settings):
    client = api(world.executor)
    action = world.actions["q1"]
    post_entry(client, opened, action)
    fake = upload(client, opened, action, content=b"plain text pretending to be a PDF")
    assert fake.status_code == 400 and "file" in fake.json()
    polyglot = upload(client, opened, action, name="poly.html", content=b"GIF89a<html></html>")
    assert polyglot.status_code == 400 and "file" in polyglot.json()
    settings.EVIDENCE_MAX_MB = 0.001
    big = upload(client, opened, action, content=PDF + b"0" * 2000)
    assert big.status_code == 400 and "larger than" in big.json()["file"][0]
    assert not Evidence.objects.exists()


# Sign-off and review


def test_the_rounds_of_a_submission(api, world, opened, clock):
    url = f"{SUBMISSIONS}{opened.pk}/"
    head, monitor, executor = api(world.head), api(world.monitor), api(world.executor)
    assert sign(executor, opened).status_code == 403
    blocked = sign(head, opened)
    assert blocked.status_code == 400
    assert len(blocked.json()["non_field_errors"]) == 2
    world.fill(opened)
    clock(dt.date(2026, 4, 13), dt.time(9))  # three days late; the sessions start again
    head, monitor, executor = api(world.head), api(world.monitor), api(world.executor)
    signed = sign(head, opened)
    assert signed.status_code == 200, signed.content
    assert (signed.json()["status"], signed.json()["days_late"]) == ("submitted", 3)
    assert signed.json()["countdown"] == "3 days late"
    assert signed.json()["signed_by"] == world.head.pk
    assert head.post(f"{url}accept/").status_code == 403
    silent = monitor.post(f"{url}return/", {"comment": " "})
    assert silent.status_code == 400 and "comment" in silent.json()
    returned = monitor.post(f"{url}return/", {"comment": "Attach the protocol"})
    assert (returned.status_code, returned.json()["status"]) == (200, "returned")
    assert returned.json()["round"] == 2
    q1 = world.actions["q1"]
    assert post_entry(executor, opened, q1, version=1, actual="Protocol No. 4").status_code == 200
    assert sign(head, opened).json()["status"] == "submitted"
    assert monitor.post(f"{url}accept/").json()["status"] == "accepted"
    assert monitor.post(f"{url}accept/").status_code == 400
    no_reason = monitor.post(f"{url}reopen/", {"reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    reopened = monitor.post(f"{url}reopen/", {"reason": "The protocol was annulled"})
    assert reopened.json()["status"] == "returned"
    events = [(e["kind"], e["round"], e["actor"], e["comment"]) for e in reopened.json()["events"]]
    assert events == [
        ("signed", 1, world.head.pk, ""),
        ("returned", 1, world.monitor.pk, "Attach the protocol"),
        ("signed", 2, world.head.pk, ""),
        ("accepted", 2, world.monitor.pk, ""),
        ("reopened", 2, world.monitor.pk, "The protocol was annulled"),
    ]


# The board


def test_the_board_shows_every_unit(api, world, clock, outsider):
    clock(Q2)
    submission = world.open(2)
    monitoring.entry_save(
        actor=world.executor,
        submission=submission,
        action_id=world.actions["q1"].pk,
        status="executed",
        actual="Audited",
        reasons="",
        version=0,
    )
    query = {"plan": world.plan.pk, "quarter": 2}
    response = api(world.monitor).get(BOARD, query)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["deadline"], data["days_left"], data["days_late"]) == ("2026-07-10", 56, 0)
    rows = {row["unit"]: row for row in data["rows"]}
    mine = rows[world.unit.pk]
    assert (mine["submission"], mine["status"], mine["state"]) == (submission.pk, "draft", "draft")
    assert (mine["due"], mine["filled"]) == (3, 1)
    partner = rows[world.partner.pk]
    assert (partner["submission"], partner["status"], partner["state"]) == (
        None,
        None,
        "not_started",
    )
    assert api(world.executor).get(BOARD, query).status_code == 403
    assert api(outsider).get(BOARD, query).status_code == 404
    missing = api(world.monitor).get(BOARD, {"plan": world.plan.pk})
    assert missing.status_code == 400 and "quarter" in missing.json()


# Bounded queries


def grow(world, clock, units: int, actions_per_unit: int) -> None:
    """Adjust the plan in the first quarter: more units, each leading actions due in Q1 with
    the world's unit as a co-executor; every unit fills its entries, with a file each."""
    clock(dt.date(2026, 1, 20))
    plan, planner = world.plan, world.planner
    plans.adjustment_start(actor=planner, plan=plan, basis=RevisionBasis.OTHER, basis_text="More")
    form = CompletionForm.objects.get(name="Report")
    body = plan.body
    new_units = [UnitFactory(body=body) for _ in range(units)]
    for index, lead in enumerate([world.unit, *new_units]):
        for n in range(actions_per_unit):
            plans.action_create(
                actor=planner,
                plan=plan,
                indicator=world.indicator,
                name=f"Extra action {index}.{n}",
                lead_unit=lead,
                co_executors=[new_units[0]] if lead == world.unit else [world.unit],
                term_kind=TermKind.QUARTER,
                term_quarter=1,
                completion_form=form,
            )
    plans.plan_submit(actor=planner, plan=plan)
    plans.plan_approve(actor=world.official, plan=plan)
    clock(Q1)
    for lead in new_units:
        submission = Submission.objects.create(plan=plan, unit=lead, quarter=1)
        for action in plan.actions.filter(Q(lead_unit=lead) | Q(co_executors=lead)):
            ProgressEntry.objects.create(
                submission=submission, action=action, status="executed", actual="Done", version=1
            )


def fill_with_files(world, submission):
    world.fill(submission)
    for entry in submission.entries.all():
        Evidence.objects.create(
            entry=entry,
            file="evidence/x.pdf",
            name="x.pdf",
            kind="pdf",
            size=3,
            uploaded_by=world.executor,
        )


def count(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200, response.content
    return len(queries)


def test_a_submission_read_costs_the_same_for_few_and_many_actions(
    api, world, clock, django_assert_max_num_queries
):
    clock(Q1)
    submission = world.open(1)
    fill_with_files(world, submission)
    partner = world.open(1, unit=world.partner)  # the co-executor of q2, with a file
    q2 = monitoring.entry_save(
        actor=world.partner_head,
        submission=partner,
        action_id=world.actions["q2"].pk,
        status="not_due",
        actual="",
        reasons="",
        version=0,
    )
    fill_with_files(world, partner)
    client = api(world.executor)
    url = f"{SUBMISSIONS}{submission.pk}/"
    few = count(client, url)
    # session, user, bodies, roles, submission, events, the selectors and the three reads of
    # the `seen` token (entries, values, files)
    assert few <= 19
    assert q2.evidence.exists()
    grow(world, clock, units=6, actions_per_unit=5)
    fill_with_files(world, submission)
    with django_assert_max_num_queries(few):
        data = client.get(url).json()
    assert len(data["actions"]) > 30
    assert sum(len(row["co_executor_entries"]) for row in data["actions"]) == 6
    assert sum(1 for row in data["actions"] if row["entry"] and row["entry"]["evidence"]) > 30


def test_the_board_costs_the_same_for_few_and_many_units(
    api, world, clock, django_assert_max_num_queries
):
    clock(Q1)
    fill_with_files(world, world.open(1))
    client = api(world.monitor)
    query = {"plan": world.plan.pk, "quarter": 1}
    few = count(client, BOARD, query)
    grow(world, clock, units=15, actions_per_unit=3)
    with django_assert_max_num_queries(few):
        data = client.get(BOARD, query).json()
    assert len(data["rows"]) == 18


def test_the_list_costs_the_same_for_few_and_many_submissions(
    api, world, clock, django_assert_max_num_queries
):
    clock(Q1)
    world.open(1)
    client = api(world.monitor)
    few = count(client, SUBMISSIONS)
    grow(world, clock, units=15, actions_per_unit=1)
    with django_assert_max_num_queries(few):
        assert client.get(SUBMISSIONS).json()["count"] == 16


def test_the_schema_lists_the_monitoring_resources(api, viewer):
    paths = served_schema(api(viewer))["paths"]
    for path in (
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/",
        "/api/v1/submissions/open/",
        "/api/v1/submissions/{id}/entries/",
        "/api/v1/submissions/{id}/actuals/",
        "/api/v1/submissions/{id}/evidence/",
        "/api/v1/submissions/{id}/sign/",
        "/api/v1/submissions/{id}/return/",
        "/api/v1/submissions/{id}/accept/",
        "/api/v1/submissions/{id}/reopen/",
        "/api/v1/evidence/{id}/",
        "/api/v1/board/",
    ):
        assert path in paths
    entry = paths["/api/v1/submissions/{id}/entries/"]["post"]["responses"]
    assert {"200", "409"} <= set(entry)


def test_the_board_lists_the_units_overdue_first_as_the_page_does(api, client, world, clock):
    clock(Q2)
    world.open(2)
    clock("2026-07-13")
    response = api(world.monitor).get(BOARD, {"plan": world.plan.pk, "quarter": 2})
    rows = response.json()["rows"]
    # All three have not signed: overdue, in the units' order (by name).
    assert [(r["unit"], r["state"], r["overdue"], r["days_late"]) for r in rows] == [
        (world.partner.pk, "not_started", True, 3),
        (world.unit.pk, "draft", True, 3),
        (world.other.pk, "not_started", True, 3),
    ]
    client.force_login(world.monitor)
    page = client.get(
        f"/bodies/{world.body.pk}/operational-plans/{world.plan.pk}/quarters/2/board/",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    positions = [page.index(f'data-unit="{r["unit"]}"') for r in rows]
    assert positions == sorted(positions)
    assert page.count('class="state-') == 3 and page.count(" overdue") == 3
    assert page.count("3 days late") == 3

"""The autosave of a progress entry in a few statements (issue 15): a save through the page's
endpoint or the API reads and locks its submission once, writes the entry and writes its
history row, and still refuses a stale version, a stranger and a closed quarter. The counts are
of a committed transaction, as a server makes it (a test's own transaction would add the
savepoints of a nested one)."""

import datetime as dt
import threading
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from jospar.accounts.services import token_issue
from jospar.monitoring import services
from jospar.monitoring.models import ProgressEntry, SubmissionStatus
from jospar.monitoring.selectors import revision_in_force, seen_token
from jospar.monitoring.services import revision_in_force_sql
from jospar.orgs.models import Role
from jospar.plans.models import OperationalPlan, Revision
from tests.factories import member
from tests.worlds import monitoring_world

pytestmark = pytest.mark.django_db(transaction=True)

# The login's reads (session and user, or token and user in one), the submission read with
# its checks and lock, the entry's write and its history row: five at most, six allowed. On
# PostgreSQL the save is one statement, its own transaction on the page (the API's writes
# run in one of their own, AtomicWrites): three at most.
MOST = 6
MOST_POSTGRESQL = 3


@pytest.fixture
def one_save(django_assert_max_num_queries):
    """At most MOST statements in one transaction: Django logs the transaction's BEGIN and
    COMMIT as queries as well, so the count allows for those two and no more. On PostgreSQL,
    at most MOST_POSTGRESQL statements besides those."""

    @contextmanager
    def counted():
        with django_assert_max_num_queries(MOST + 2) as captured:
            yield
        statements = [query["sql"] for query in captured.captured_queries]
        control = [sql for sql in statements if sql.split()[0] in ("BEGIN", "COMMIT")]
        kinds = [sql.split()[0] for sql in control]
        if connection.vendor == "postgresql":
            assert kinds in ([], ["BEGIN", "COMMIT"]), statements
            assert len(statements) - len(control) <= MOST_POSTGRESQL, statements
        else:
            assert kinds == ["BEGIN", "COMMIT"], statements
            assert len(statements) - len(control) <= MOST, statements

    return counted


@pytest.fixture
def world(reference_rows, clock):
    world = monitoring_world()
    clock("2026-07-02 10:00")  # the 2nd quarter has ended; its information is due on 10 July
    world.submission = world.open(2)
    return world


def page_url(world, action) -> str:
    plan = world.plan
    return reverse(
        "monitoring:entry_save", args=[plan.body_id, plan.pk, 2, world.unit.pk, action.pk]
    )


def history_of(world, action) -> list[tuple[str, int, str, int]]:
    entry = ProgressEntry.objects.get(submission=world.submission, action=action)
    return [
        (row.history_type, row.version, row.actual, row.history_user_id)
        for row in entry.history.order_by("history_id")
    ]


def test_a_page_autosave_makes_at_most_six_statements(client, world, one_save):
    action = world.actions["q2"]
    client.force_login(world.executor)
    for version in (0, 1, 2):
        with one_save():
            response = client.post(
                page_url(world, action),
                {"version": version, "status": "partial", "actual": f"Save {version}"},
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200
        assert f'value="{version + 1}"' in response.content.decode()
    executor = world.executor.pk
    assert history_of(world, action) == [
        ("+", 1, "Save 0", executor),
        ("~", 2, "Save 1", executor),
        ("~", 3, "Save 2", executor),
    ]
    # A stale version writes nothing and shows the other text, as before.
    response = client.post(
        page_url(world, action),
        {"version": 1, "status": "executed", "actual": "Stale"},
        HTTP_HX_REQUEST="true",
    )
    assert "was not saved" in response.content.decode() and "Save 2" in response.content.decode()
    assert ProgressEntry.objects.get(action=action).actual == "Save 2"
    assert len(history_of(world, action)) == 3


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_autosaves_answer_is_the_templates(client, world, language):
    """The answer written without the template engine is the one monitoring/entry_saved.html
    renders for the same save, in each language, and the history row is the one
    simple-history writes: who, when (the save's time), how, no reason."""
    action = world.actions["q2"]
    client.force_login(world.executor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for version in (0, 1):
        response = client.post(
            page_url(world, action),
            {"version": version, "status": "partial", "actual": f"Save {version}"},
            HTTP_HX_REQUEST="true",
        )
        entry = ProgressEntry.objects.get(submission=world.submission, action=action)
        with translation.override(language):
            expected = render_to_string(
                "monitoring/entry_saved.html",
                {"action_id": action.pk, "submission": world.submission, "entry": entry},
            )
        assert response.content.decode() == expected
        assert ("сохранено в" in expected) == (language == "ru")
        assert response["HX-Trigger"] == "entry-saved"
        row = entry.history.order_by("-history_id").first()
        assert (row.history_type, row.history_user_id) == (
            "~" if version else "+",
            entry.updated_by_id,
        )
        assert (row.history_date, row.history_change_reason) == (entry.updated_at, "")


def test_an_api_autosave_makes_at_most_six_statements(api, world, one_save):
    action = world.actions["q2"]
    url = f"/api/v1/submissions/{world.submission.pk}/entries/"
    client = api(world.executor)
    for version in (0, 1):
        with one_save():
            response = client.post(
                url,
                {"action": action.pk, "status": "executed", "actual": f"API {version}",
                 "version": version},
                format="json",
            )  # fmt: skip
        assert response.status_code == 200, response.content
        data = response.json()
        assert (data["version"], data["actual"]) == (version + 1, f"API {version}")
        assert data["evidence"] == []
        assert data["updated_by"] == world.executor.pk
    # A token's client likewise: the token and its user are one read.
    _token, key = token_issue(user=world.executor, name="autosave")
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.post(url, {"action": action.pk, "actual": "warm", "version": 2}, format="json")
    with one_save():
        response = client.post(
            url, {"action": action.pk, "actual": "By token", "version": 3}, format="json"
        )
    assert response.json()["version"] == 4
    stale = client.post(url, {"action": action.pk, "actual": "Stale", "version": 3}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["actual"] == "By token"
    assert [row[:3] for row in history_of(world, action)] == [
        ("+", 1, "API 0"),
        ("~", 2, "API 1"),
        ("~", 3, "warm"),
        ("~", 4, "By token"),
    ]


def test_the_autosave_refuses_what_entry_save_refuses(api, world):
    """Every refusal goes the long way and is answered as before: a stranger, an action of
    another unit, a closed quarter, a first save of an entry someone saved meanwhile."""
    stranger = member(world.body, Role.EXECUTOR, unit=world.other)
    foreign = world.plan.actions.filter(lead_unit=world.other).first()
    url = f"/api/v1/submissions/{world.submission.pk}/entries/"
    action = world.actions["q2"]
    payload = {"action": action.pk, "actual": "X", "version": 0}
    assert api(stranger).post(url, payload, format="json").status_code == 404
    mine = api(world.executor)
    answer = mine.post(url, payload | {"action": foreign.pk}, format="json")
    assert answer.status_code == 400 and "not one your unit reports on" in str(answer.json())
    assert mine.post(url, payload, format="json").status_code == 200
    again = mine.post(url, payload | {"actual": "Y"}, format="json")
    assert again.status_code == 409 and again.json()["current"]["actual"] == "X"
    world.submission.status = SubmissionStatus.SUBMITTED
    world.submission.save(update_fields=["status"])
    closed = mine.post(url, payload | {"version": 1}, format="json")
    assert closed.status_code == 400
    assert ProgressEntry.objects.get(action=action).actual == "X"


def test_the_autosaves_revision_in_force_is_the_selectors(world):
    """The autosave's query finds the revision revision_in_force() finds, in every quarter of
    a plan approved in January and adjusted in May and in November, and of the next year's."""
    plan = world.plan
    first = plan.revisions.get()
    for number, day in ((2, dt.date(2026, 5, 20)), (3, dt.date(2026, 11, 2))):
        Revision.objects.create(
            plan=plan, number=number, basis=first.basis, approved_on=day,
            approved_by=first.approved_by,
        )  # fmt: skip
    for year in (2026, 2025, 2027):
        plan.year = year  # the same revisions seen from the plan of another year
        plan.save(update_fields=["year"])
        for quarter in (1, 2, 3, 4):
            found = (
                OperationalPlan.objects.filter(pk=plan.pk)
                .annotate(
                    found=revision_in_force_sql(OuterRef("pk"), OuterRef("year"), Value(quarter)),
                )
                .values_list("found", flat=True)
                .get()
            )
            assert found == revision_in_force(plan, quarter).pk, (year, quarter)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_two_autosaves_from_one_version_one_wins(world, round_):
    action = world.actions["q2"]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(text):
        barrier.wait()
        try:
            entry = services.entry_autosave(
                actor=world.executor,
                where={"pk": world.submission.pk},
                action_id=action.pk,
                status="executed",
                actual=text,
                reasons="",
                version=0,
            )
            outcomes.append("saved" if entry is not None else "left to entry_save")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["left to entry_save", "saved"]
    entry = ProgressEntry.objects.get(action=action)
    assert entry.version == 1 and len(history_of(world, action)) == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_an_autosave_and_the_sign_off_at_once_never_both_succeed(world, round_):
    """As test_sign_off_race, through the autosave: the head signs what they read while the
    executor empties the reasons of a partially executed action; one of the two wins."""
    world.fill(world.submission, status="partial")
    seen = seen_token(world.submission)
    entry = world.submission.entries.get(action=world.actions["q2"])
    barrier = threading.Barrier(2)
    outcomes = {}

    def save():
        barrier.wait()
        try:
            saved = services.entry_autosave(
                actor=world.executor,
                where={"pk": world.submission.pk},
                action_id=entry.action_id,
                status=entry.status,
                actual=entry.actual,
                reasons="",
                version=entry.version,
            )
            outcomes["save"] = "saved" if saved is not None else "refused"
        finally:
            connection.close()

    def sign():
        barrier.wait()
        try:
            services.submission_sign(actor=world.head, submission=world.submission, seen=seen)
            outcomes["sign"] = "signed"
        except Exception as error:  # noqa: BLE001 - any refusal counts as not signed
            outcomes["sign"] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save), threading.Thread(target=sign)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [outcomes["save"] == "saved", outcomes["sign"] == "signed"].count(True) == 1, outcomes
    world.submission.refresh_from_db()
    entry.refresh_from_db()
    if world.submission.status == SubmissionStatus.SUBMITTED:
        assert entry.reasons  # the head signed the text they read
    else:
        assert entry.reasons == ""


def test_the_autosave_leaves_out_what_the_unit_no_longer_reports_on(world):
    """An action executed in an accepted earlier quarter is not saved again (entry_save then
    refuses it), unless its term recurs; an action the unit co-executes is saved."""
    world.accepted(1)  # every action due in the 1st quarter executed, signed off, accepted

    def autosave(key):
        return services.entry_autosave(
            actor=world.executor,
            where={"pk": world.submission.pk},
            action_id=world.actions[key].pk,
            status="executed",
            actual="Again",
            reasons="",
            version=0,
        )

    assert autosave("q1") is None  # executed in the 1st quarter
    assert autosave("quarterly") is not None  # executed then too, but it recurs
    assert autosave("partner_q3") is not None  # the partner's lead, this unit co-executes
    assert autosave("other_q2") is None  # another unit's alone
    saved = ProgressEntry.objects.filter(submission=world.submission)
    assert sorted(saved.values_list("action_id", flat=True)) == sorted(
        [world.actions["quarterly"].pk, world.actions["partner_q3"].pk]
    )

import re

import pytest
from django.urls import reverse

from jospar.monitoring.models import ProgressEntry, Submission, SubmissionStatus
from jospar.orgs.models import Role
from tests.factories import UnitFactory, member
from tests.worlds import approved_plan_of_size, monitoring_world, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture(autouse=True)
def early_july(clock):
    """The 2nd quarter has ended; its information is due on 10 July."""
    clock("2026-07-02 10:00")


@pytest.fixture
def stranger(body, world):
    """An executor of another unit."""
    return member(body, Role.EXECUTOR, unit=world.other)


def sign(client, world):
    """The head signs off what the page showed them."""
    page = client.get(url("submission", world)).content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    return client.post(url("step", world, "sign"), {"seen": seen.group(1) if seen else ""})


def url(name, world, *extra, quarter=2, unit=None):
    plan = world.plan
    return reverse(
        f"monitoring:{name}", args=[plan.body_id, plan.pk, quarter, (unit or world.unit).pk, *extra]
    )


def test_an_executor_opens_fills_and_the_head_signs(client, world, clock):
    client.force_login(world.executor)
    assert client.post(url("submission", world)).status_code == 302
    submission = Submission.objects.get()
    page = client.get(url("submission", world)).content.decode()
    assert str(world.unit) in page and "Repair the canals" in page
    action = world.actions["q2"]
    world.fill(submission, skip=["q2"])  # the unit's other due actions, through the service
    response = client.post(
        url("entry_save", world, action.pk),
        {"version": 0, "status": "not_executed", "actual": "Draft agreed", "reasons": ""},
        HTTP_HX_REQUEST="true",
    )
    assert 'value="1"' in response.content.decode()  # the new version, out of band
    client.force_login(world.head)
    sign(client, world)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT  # stopped: no reasons given
    client.force_login(world.executor)
    client.post(
        url("entry_save", world, action.pk),
        {
            "version": 1,
            "status": "not_executed",
            "actual": "Draft agreed",
            "reasons": "The ministry of finance has not agreed the budget",
        },
        HTTP_HX_REQUEST="true",
    )
    clock("2026-07-13 09:00")
    client.force_login(world.head)
    sign(client, world)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.days_late == 3


def test_a_conflicting_save_shows_the_other_text(client, world):
    client.force_login(world.executor)
    client.post(url("submission", world))
    action = world.plan.actions.filter(lead_unit=world.unit).first()
    client.post(
        url("entry_save", world, action.pk),
        {"version": 0, "status": "executed", "actual": "Mine first"},
    )
    response = client.post(
        url("entry_save", world, action.pk),
        {"version": 0, "status": "executed", "actual": "Second writer"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Mine first" in page and "was not saved" in page
    assert ProgressEntry.objects.get().actual == "Mine first"


def test_another_units_executor_can_neither_see_nor_write(client, world, stranger):
    client.force_login(world.executor)
    client.post(url("submission", world))
    action = world.plan.actions.filter(lead_unit=world.unit).first()
    client.force_login(stranger)
    assert client.get(url("submission", world)).status_code == 404
    response = client.post(url("entry_save", world, action.pk), {"version": 0, "actual": "X"})
    assert response.status_code == 404
    assert not ProgressEntry.objects.exists()


def test_an_entry_for_another_units_action_is_refused(client, world):
    client.force_login(world.executor)
    client.post(url("submission", world))
    foreign = world.plan.actions.filter(lead_unit=world.other).first()
    response = client.post(url("entry_save", world, foreign.pk), {"version": 0, "actual": "X"})
    assert response.status_code == 400
    assert "not one your unit reports on" in response.content.decode()
    assert not ProgressEntry.objects.exists()


def test_a_non_numeric_indicator_value_is_refused(client, world):
    client.force_login(world.executor)
    client.post(url("submission", world))
    response = client.post(
        url("actual_save", world, world.indicator.pk), {"version": 0, "value": "about forty"}
    )
    assert response.status_code == 400
    assert "Enter a number" in response.content.decode()


def test_the_quarter_is_not_open_before_it_starts(client, world):
    client.force_login(world.executor)
    response = client.post(url("submission", world, quarter=4), follow=True)
    assert "opens on 01.10.2026" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_monitor_returns_and_accepts(client, world, clock):
    submission = Submission.objects.create(
        plan=world.plan, unit=world.unit, quarter=2, status=SubmissionStatus.SUBMITTED
    )
    client.force_login(world.monitor)
    client.post(url("step", world, "return"), {"comment": ""})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    client.post(url("step", world, "return"), {"comment": "Attach the protocol"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    client.force_login(world.executor)
    assert "Attach the protocol" in client.get(url("submission", world)).content.decode()


@pytest.mark.parametrize("units", [2, 20])
def test_the_board_costs_the_same_queries_for_any_number_of_units(
    client, body, planner, units, clock, django_assert_max_num_queries
):
    clock("2027-07-02 10:00")
    all_units = [UnitFactory(body=body) for _ in range(units)]
    plan, _indicator = approved_plan_of_size(all_units, actions_per_unit=3)
    for unit in all_units[: units // 2]:
        Submission.objects.create(plan=plan, unit=unit, quarter=2)
    client.force_login(member(body, Role.MONITOR))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("monitoring:board", args=[body.pk, plan.pk, 2]))
    assert body.units.count() == units + 3  # the world's three units and the new ones
    assert page.content.decode().count("data-unit=") == body.units.count()


@pytest.mark.parametrize("actions", [2, 40])
def test_the_submission_page_costs_the_same_queries_for_any_number_of_actions(
    client, body, planner, unit, actions, clock, django_assert_max_num_queries
):
    clock("2027-07-02 10:00")
    plan, _indicator = approved_plan_of_size([unit], actions_per_unit=actions)
    executor = member(body, Role.EXECUTOR, unit=unit)
    submission = Submission.objects.create(plan=plan, unit=unit, quarter=2)
    for action in plan.actions.all():
        ProgressEntry.objects.create(
            submission=submission, action=action, status="executed", actual="Done", version=1
        )
    client.force_login(executor)
    with django_assert_max_num_queries(25):
        client.get(reverse("monitoring:submission", args=[body.pk, plan.pk, 2, unit.pk]))


def test_another_unit_cannot_read_a_drafts_history(client, world, stranger):
    client.force_login(world.executor)
    client.post(url("submission", world))
    submission = Submission.objects.get()
    history = reverse(
        "orgs:history", args=[world.plan.body_id, "monitoring.submission", submission.pk]
    )
    assert client.get(history).status_code == 200
    client.force_login(stranger)
    assert client.get(history).status_code == 404
    client.force_login(world.monitor)
    assert client.get(history).status_code == 200


# The sign-off's state follows the autosave (issue 18)

DISABLED = re.compile(r'<button type="submit" form="sign-form" class="primary" disabled')


def test_an_autosave_asks_the_page_to_read_the_sign_off_state_again(client, world):
    client.force_login(world.executor)
    client.post(url("submission", world))
    action = world.actions["q2"]
    response = client.post(
        url("entry_save", world, action.pk),
        {"version": 0, "status": "executed", "actual": "Done"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Trigger"] == "entry-saved"
    page = client.get(url("submission", world)).content.decode()
    assert 'hx-get="{}"'.format(url("sign_off_state", world)) in page
    assert 'hx-trigger="entry-saved from:body"' in page
    stale = client.post(
        url("entry_save", world, action.pk),
        {"version": 0, "status": "executed", "actual": "Stale"},
        HTTP_HX_REQUEST="true",
    )
    assert "HX-Trigger" not in stale  # a conflict changes nothing


def test_the_head_sees_why_sign_off_is_unavailable_until_the_last_problem_is_fixed(client, world):
    client.force_login(world.executor)
    client.post(url("submission", world))
    submission = Submission.objects.get()
    world.fill(submission, skip=["q2"])
    action = world.actions["q2"]
    client.post(
        url("entry_save", world, action.pk),
        {"version": 0, "status": "not_due", "actual": ""},
        HTTP_HX_REQUEST="true",
    )
    number = world.number("q2")
    client.force_login(world.head)
    page = client.get(url("submission", world)).content.decode()
    assert DISABLED.search(page)
    assert '<a href="#problems" id="sign-off-reason" class="reason">1 thing to do' in page
    assert f"Action {number} is due in this quarter, so it cannot be “not yet due”" in page
    state = client.get(url("sign_off_state", world), HTTP_HX_REQUEST="true").content.decode()
    assert DISABLED.search(state) and 'id="problems-panel" hx-swap-oob="true"' in state
    assert "1 thing to do before sign-off" in state
    client.post(
        url("entry_save", world, action.pk),
        {"version": 1, "status": "executed", "actual": "Repaired"},
        HTTP_HX_REQUEST="true",
    )
    state = client.get(url("sign_off_state", world), HTTP_HX_REQUEST="true").content.decode()
    assert not DISABLED.search(state)
    assert 'form="sign-form" class="primary">Sign off and submit</button>' in state
    assert "thing to do" not in state and "sign-off-reason" not in state
    assert re.search(r'id="filled-count" hx-swap-oob="true"> · (\d+) of \1 due', state)
    # The executor sees the same panel, with no button.
    client.force_login(world.executor)
    state = client.get(url("sign_off_state", world), HTTP_HX_REQUEST="true").content.decode()
    assert "Sign off and submit" not in state and 'id="sign-off"' in state
    client.force_login(world.head)
    sign(client, world)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_another_unit_cannot_read_the_sign_off_state(client, world, stranger):
    client.force_login(world.executor)
    client.post(url("submission", world))
    client.force_login(stranger)
    assert client.get(url("sign_off_state", world)).status_code == 404

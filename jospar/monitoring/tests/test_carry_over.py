"""A unit's new quarter starts from its last accepted information: a recurring action's account
and an unfinished one-off's are offered, marked, and count only once the executor saves them."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.monitoring import services
from jospar.monitoring.selectors import entry_problems, unit_quarter
from tests.worlds import IN_Q2, at, monitoring_world, shared_world

IN_Q3 = dt.date(2026, 8, 10)


def carried_world():
    """The unit's information for Q2 accepted: q2 partially executed, the rest executed; its
    information for Q3 opened. Built once for the module."""
    world = monitoring_world()
    with at(IN_Q2):
        world.accepted(2, only={world.actions["q2"].pk: "partial"})
    with at(IN_Q3):
        world.q3 = world.open(3)
    return world


world_once, world = shared_world(carried_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


def by_key(world, items) -> dict:
    keys = {action.pk: key for key, action in world.actions.items()}
    return {keys[item.planned.action_id]: item for item in items}


def test_recurring_and_unfinished_actions_offer_the_last_accepted_entry(world):
    items = by_key(world, unit_quarter(world.plan, world.unit, 3, world.q3)[0])

    q2 = items["q2"].carried
    assert (q2.status, q2.actual, q2.reasons) == (
        "partial",
        "Done as planned",
        "The contractor was late",
    )
    assert q2.submission.quarter == 2
    assert items["quarterly"].carried.status == "executed"
    # an executed one-off (q1, done in Q2) has left the quarter; nothing carried is saved
    assert "q1" not in items
    assert all(item.progress is None for item in items.values())


def test_an_offered_entry_counts_only_once_the_executor_saves_it(world):
    items, _indicators = unit_quarter(world.plan, world.unit, 3, world.q3)
    number = by_key(world, items)["q2"].planned.number
    assert f"Action {number} is due this quarter: give its status." in entry_problems(items)

    with at(IN_Q3):
        services.entry_save(
            actor=world.executor,
            submission=world.q3,
            action_id=world.actions["q2"].pk,
            status="partial",
            actual="Done as planned",
            reasons="The contractor was late",
            version=0,
        )
    items, _indicators = unit_quarter(world.plan, world.unit, 3, world.q3)
    again = by_key(world, items)["q2"]
    assert again.carried is None and again.progress.status == "partial"
    assert f"Action {number} is due this quarter: give its status." not in entry_problems(items)


def test_information_not_yet_accepted_is_not_carried(world):
    with at(IN_Q3):
        world.q3.entries.all().delete()
    items = None
    with at(dt.date(2026, 11, 5)):
        # Q3 filled and signed off, but not accepted by the monitor: Q4 offers Q2's account
        world.fill(world.q3, status="executed")
        services.submission_sign(actor=world.head, submission=world.q3)
        q4 = world.open(4)
        items = by_key(world, unit_quarter(world.plan, world.unit, 4, q4)[0])
    assert items["quarterly"].carried.submission.quarter == 2


def test_a_signed_quarter_offers_nothing(world):
    with at(IN_Q3):
        world.fill(world.q3, skip=["quarterly"])
    world.q3.refresh_from_db()
    world.q3.status = "signed"
    items = by_key(world, unit_quarter(world.plan, world.unit, 3, world.q3)[0])
    assert items["quarterly"].carried is None


def test_the_page_marks_what_is_carried_and_the_api_offers_it(client, api, world):
    url = reverse("monitoring:submission", args=[world.body.pk, world.plan.pk, 3, world.unit.pk])
    client.force_login(world.executor)
    with at(IN_Q3):
        page = client.get(url).content.decode()
    assert page.count("Carried over from quarter 2 as accepted") == 2
    assert ">The contractor was late</textarea>" in page

    with at(IN_Q3):
        data = api(world.executor).get(f"/api/v1/submissions/{world.q3.pk}/").json()
    rows = {row["action"]: row for row in data["actions"]}
    carried = rows[world.actions["q2"].pk]["carried"]
    assert carried == {
        "quarter": 2,
        "status": "partial",
        "actual": "Done as planned",
        "reasons": "The contractor was late",
    }
    assert rows[world.actions["q2"].pk]["entry"] is None

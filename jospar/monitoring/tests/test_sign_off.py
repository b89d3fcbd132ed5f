"""The head signs what they read: a change by someone else between the reading and the
sign-off stops it with a conflict naming what changed; the completeness check runs under the
submission's lock, so an executor's save and the sign-off never both succeed."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from jospar.monitoring import services
from jospar.monitoring.models import Submission, SubmissionStatus
from jospar.monitoring.selectors import seen_token
from tests.worlds import monitoring_world, shared_world

Q1 = dt.date(2026, 2, 16)

world_once, world = shared_world(monitoring_world)


@pytest.fixture
def filled(world, clock):
    clock(Q1)
    submission = world.open(1)
    world.fill(submission)
    return submission


def resave(world, submission, key, actor, **fields):
    entry = submission.entries.get(action=world.actions[key])
    data = {"status": entry.status, "actual": entry.actual, "reasons": entry.reasons}
    return services.entry_save(
        actor=actor,
        submission=submission,
        action_id=entry.action_id,
        version=entry.version,
        **(data | fields),
    )


def number_of(world, key) -> int:
    return world.plan.revisions.get().actions.get(action=world.actions[key]).number


@pytest.mark.django_db
def test_a_change_by_someone_else_after_the_reading_stops_the_sign_off(world, filled):
    seen = seen_token(filled)
    resave(world, filled, "q1", world.executor, actual="Changed after the head read it")
    with pytest.raises(services.SignConflict) as conflict:
        services.submission_sign(actor=world.head, submission=filled, seen=seen)
    assert conflict.value.actions == {world.actions["q1"].pk}
    assert str(number_of(world, "q1")) in conflict.value.message
    filled.refresh_from_db()
    assert filled.status == SubmissionStatus.DRAFT and filled.signed_by is None
    signed = services.submission_sign(actor=world.head, submission=filled, seen=seen_token(filled))
    assert signed.status == SubmissionStatus.SUBMITTED


@pytest.mark.django_db
def test_the_heads_own_changes_are_what_they_saw(world, filled):
    seen = seen_token(filled)
    resave(world, filled, "q1", world.head, actual="Corrected by the head before signing")
    signed = services.submission_sign(actor=world.head, submission=filled, seen=seen)
    assert signed.status == SubmissionStatus.SUBMITTED


@pytest.mark.django_db
def test_the_api_answers_a_conflict_with_what_changed(api, world, filled):
    head = api(world.head)
    seen = head.get(f"/api/v1/submissions/{filled.pk}/").json()["seen"]
    resave(world, filled, "q1", world.executor, actual="Changed meanwhile")
    answer = head.post(f"/api/v1/submissions/{filled.pk}/sign/", {"seen": seen}, format="json")
    assert answer.status_code == 409
    assert answer.json()["actions"] == [world.actions["q1"].pk]
    assert answer.json()["detail"].startswith("The information changed after you opened it")
    fresh = head.get(f"/api/v1/submissions/{filled.pk}/").json()["seen"]
    signed = head.post(f"/api/v1/submissions/{filled.pk}/sign/", {"seen": fresh}, format="json")
    assert signed.json()["status"] == "submitted"


@pytest.mark.django_db
def test_the_page_says_what_changed_and_signs_on_the_second_reading(client, world, filled):
    plan = world.plan
    args = [plan.body_id, plan.pk, 1, world.unit.pk]
    page_url = reverse("monitoring:submission", args=args)
    sign_url = reverse("monitoring:step", args=[*args, "sign"])
    client.force_login(world.head)

    def seen_on_page():
        page = client.get(page_url).content.decode()
        return re.search(r'name="seen" value="([^"]*)"', page).group(1)

    seen = seen_on_page()
    resave(world, filled, "q1", world.executor, actual="Changed meanwhile")
    page = client.post(sign_url, {"seen": seen}, follow=True).content.decode()
    assert "The information changed after you opened it" in page
    assert Submission.objects.get(pk=filled.pk).status == SubmissionStatus.DRAFT
    client.post(sign_url, {"seen": seen_on_page()})
    assert Submission.objects.get(pk=filled.pk).status == SubmissionStatus.SUBMITTED

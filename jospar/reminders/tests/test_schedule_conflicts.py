"""Two administrators editing the body's reminder schedule: the second save, started from the
version before the first, is told who saved in between and what, and writes nothing (before,
the last one won without a word) — the body's defaults, never saved, included."""

import pytest
from django.test import Client
from django.urls import reverse

from jospar.lib.records import Conflict
from jospar.orgs.models import Role
from jospar.reminders import services
from jospar.reminders.models import Schedule
from tests.factories import member

pytestmark = pytest.mark.django_db

SETTINGS = {"enabled": True, "days_before": "5, 1", "on_the_day": True, "every_after": 2}


@pytest.fixture
def other_admin(body):
    return member(body, Role.ADMINISTRATOR, first_name="Marat", last_name="Seitov")


def stored(body) -> Schedule:
    return Schedule.objects.get(body=body)


def test_a_save_from_an_older_version_is_a_conflict(body, admin_user, other_admin):
    services.schedule_update(actor=admin_user, body=body, **SETTINGS, version=0)
    read = stored(body).version
    assert read == 1
    theirs = SETTINGS | {"every_after": 3}
    services.schedule_update(actor=other_admin, body=body, **theirs, version=read)
    with pytest.raises(Conflict) as conflict:
        services.schedule_update(
            actor=admin_user, body=body, **SETTINGS | {"every_after": 5}, version=read
        )
    assert "Seitov Marat saved this at" in conflict.value.message
    assert conflict.value.current.every_after == 3
    assert stored(body).every_after == 3
    services.schedule_update(
        actor=admin_user, body=body, **SETTINGS | {"every_after": 5}, version=read + 1
    )
    assert (stored(body).every_after, stored(body).version) == (5, read + 2)


def test_a_save_over_the_first_one_from_the_defaults_is_a_conflict(body, admin_user, other_admin):
    services.schedule_update(actor=other_admin, body=body, **SETTINGS | {"enabled": False})
    with pytest.raises(Conflict):
        services.schedule_update(actor=admin_user, body=body, **SETTINGS, version=0)
    assert stored(body).enabled is False
    assert stored(body).history.first().history_user == other_admin


def page_data(response, **changes) -> dict:
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is False:
            continue  # an unticked box is not posted
        if value is not None:
            data[field.html_name] = "on" if value is True else value
    return data | changes


@pytest.mark.parametrize("saved_before", [True, False], ids=["saved", "defaults"])
def test_the_page_keeps_my_input_and_shows_theirs(body, admin_user, other_admin, saved_before):
    if saved_before:
        services.schedule_update(actor=admin_user, body=body, **SETTINGS)
    url = reverse("reminders:schedule", args=[body.pk])
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(other_admin)
    mine, theirs = first.get(url), second.get(url)
    assert mine.status_code == theirs.status_code == 200
    assert second.post(url, page_data(theirs, days_before="10, 3")).status_code == 302
    response = first.post(url, page_data(mine, days_before="7"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Seitov Marat saved this at" in page
    assert "They saved: 10, 3" in page
    assert 'value="7"' in page  # what I typed is still in the form
    assert stored(body).days_before == "10, 3"
    version = response.context["form"].data["version"]
    again = first.post(url, page_data(mine, days_before="7", version=version))
    assert again.status_code == 302
    assert stored(body).days_before == "7"
    assert stored(body).history.first().history_user == admin_user

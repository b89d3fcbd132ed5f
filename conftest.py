"""Shared fixtures. The named users follow one pattern: `planner`, `admin`, … hold a role in
`body`; `outsider` holds every role, but in `other_body` — so every permission test has an
obvious stranger."""

import pytest
from rest_framework.test import APIClient

from jospar.orgs.models import Role
from tests.factories import DevelopmentPlanFactory, StateBodyFactory, UnitFactory, member


@pytest.fixture
def body(db):
    return StateBodyFactory(name="Ministry of Water Resources", code="MWR")


@pytest.fixture
def other_body(db):
    return StateBodyFactory(name="Ministry of Tourism", code="MTR")


@pytest.fixture
def unit(body):
    return UnitFactory(body=body, code="D1", name="Department of strategic planning")


@pytest.fixture
def planner(body):
    return member(body, Role.PLANNER, username="planner")


@pytest.fixture
def admin_user(body):
    return member(body, Role.ADMINISTRATOR, username="bodyadmin")


@pytest.fixture
def viewer(body):
    return member(body, Role.VIEWER, username="viewer")


@pytest.fixture
def executor(body, unit):
    return member(body, Role.EXECUTOR, unit=unit, username="executor")


@pytest.fixture
def outsider(other_body):
    """Holds every role — but in another body."""
    user = member(other_body, Role.ADMINISTRATOR, username="outsider")
    for role in (Role.PLANNER, Role.MONITOR, Role.OFFICIAL, Role.VIEWER):
        from tests.factories import RoleFactory

        RoleFactory(user=user, body=other_body, role=role)
    return user


@pytest.fixture
def clock():
    """Move the clock (Asia/Almaty): `clock("2026-07-10 16:00")`; every later call moves it."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    travellers = []

    def travel(when: str):
        moment = dt.datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Asia/Almaty"))
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def api():
    """An API client, logged in as `user` when given, speaking English so that the messages can
    be compared."""
    def client_for(user=None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@pytest.fixture
def plan(body):
    return DevelopmentPlanFactory(body=body, title="Development plan 2025–2029")


@pytest.fixture
def other_plan(other_body):
    return DevelopmentPlanFactory(body=other_body, title="Tourism development plan")

"""Shared fixtures. The named users follow one pattern: `planner`, `admin`, … hold a role in
`body`; `outsider` holds every role, but in `other_body` — so every permission test has an
obvious stranger."""

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from rest_framework.test import APIClient

from jospar.orgs.models import Role
from tests import worlds
from tests.factories import DevelopmentPlanFactory, StateBodyFactory, member


@pytest.fixture
def body(db):
    """The Ministry of Water Resources (MWR): a module's shared world holds the same one."""
    return worlds.the_body()


@pytest.fixture
def other_body(db):
    return StateBodyFactory(name="Ministry of Tourism", code="MTR")


@pytest.fixture
def unit(body):
    return worlds.the_unit(body)


@pytest.fixture
def planner(body):
    return worlds.the_member(body, Role.PLANNER, "planner")


@pytest.fixture
def admin_user(body):
    return member(body, Role.ADMINISTRATOR, username="bodyadmin")


@pytest.fixture
def viewer(body):
    return member(body, Role.VIEWER, username="viewer")


@pytest.fixture
def executor(body, unit):
    return worlds.the_member(body, Role.EXECUTOR, "executor", unit=unit)


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
    """The one clock of the tests (time-machine): `clock("2026-07-10 16:00")`, `clock(date)`
    (noon) or `clock(date, time)` stops it at that moment in Almaty for everything in the
    process (the services, the deadline calendar, the history, a live server) and returns the
    moment; every later call moves it. `tick=True` lets it run on from there."""
    travellers = []

    def travel(when, time=dt.time(12), *, tick: bool = False) -> dt.datetime:
        moment = worlds.moment(when, time)
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=tick)
        traveller.start()
        travellers.append(traveller)
        return moment

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


@pytest.fixture
def reference_rows(transactional_db):
    """The rows the data migrations wrote (the shared forms of completion). A transactional
    test flushes the database when it ends, these rows too, so a transactional test that needs
    them asks for this fixture whatever ran before it."""
    import_module("jospar.plans.migrations.0002_completion_forms").add_forms(apps, None)

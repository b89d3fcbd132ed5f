"""Fixtures of the API tests: a client logged in as one of the named users of /conftest.py,
speaking English so that the messages can be compared."""

import pytest
from rest_framework.test import APIClient

from tests.factories import DevelopmentPlanFactory


@pytest.fixture
def api():
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

"""Fixtures of the API tests of the development plan."""

import pytest

from tests.factories import DevelopmentPlanFactory


@pytest.fixture
def plan(body):
    return DevelopmentPlanFactory(body=body, title="Development plan 2025–2029")


@pytest.fixture
def other_plan(other_body):
    return DevelopmentPlanFactory(body=other_body, title="Tourism development plan")

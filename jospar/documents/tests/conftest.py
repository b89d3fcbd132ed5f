import pytest

from tests.worlds import import_target_world


@pytest.fixture
def world(body):
    """The plan the import tests fill (tests.worlds.import_target_world)."""
    return import_target_world(body)

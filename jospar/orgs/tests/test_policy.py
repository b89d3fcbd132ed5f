import pytest

from jospar.orgs.models import Role
from jospar.orgs.policy import Perm, can
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "view", "manage", "edit_strategy"),
    [
        (Role.EXECUTOR, True, False, False),
        (Role.UNIT_HEAD, True, False, False),
        (Role.PLANNER, True, False, True),
        (Role.MONITOR, True, False, False),
        (Role.OFFICIAL, True, False, False),
        (Role.VIEWER, True, False, False),
        (Role.ADMINISTRATOR, True, True, False),
    ],
)
def test_each_role_holds_its_permissions(body, unit, role, view, manage, edit_strategy):
    user = member(body, role, unit=unit if role in (Role.EXECUTOR, Role.UNIT_HEAD) else None)
    assert can(user, Perm.VIEW, unit) is view
    assert can(user, Perm.MANAGE_ORG, body) is manage
    assert can(user, Perm.EDIT_STRATEGY, body) is edit_strategy


def test_roles_do_not_carry_over_to_another_body(body, other_body, outsider):
    assert can(outsider, Perm.MANAGE_ORG, other_body)
    for perm in Perm:
        assert not can(outsider, perm, body)


def test_a_user_without_roles_may_do_nothing(body):
    stranger = UserFactory()
    assert not any(can(stranger, perm, body) for perm in Perm)


def test_superuser_may_do_everything(body):
    root = UserFactory(is_superuser=True)
    assert all(can(root, perm, body) for perm in Perm)


def test_inactive_user_may_do_nothing(body):
    user = member(body, Role.ADMINISTRATOR)
    user.is_active = False
    assert not can(user, Perm.VIEW, body)


def test_roles_are_loaded_once_per_user(body, unit, planner, django_assert_num_queries):
    can(planner, Perm.VIEW, body)
    with django_assert_num_queries(0):
        for _ in range(10):
            can(planner, Perm.EDIT_STRATEGY, unit)

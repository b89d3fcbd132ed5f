import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jospar.accounts.services import profile_update
from jospar.orgs import services
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, Unit, User
from tests.factories import BudgetProgramFactory, RoleFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_a_unit_and_the_history_names_them(body, admin_user):
    unit = services.unit_create(
        actor=admin_user, body=body, code="D7", name="Legal department", head_name="Seitkali A."
    )
    assert unit.body == body
    record = unit.history.get()
    assert record.history_user == admin_user
    assert record.history_type == "+"


def test_it_rejects_a_duplicate_unit_code_on_the_field(body, admin_user, unit):
    with pytest.raises(ValidationError) as error:
        services.unit_create(actor=admin_user, body=body, code=unit.code, name="X", head_name="Y")
    assert "code" in error.value.message_dict
    assert Unit.objects.filter(body=body).count() == 1


def test_the_same_code_is_fine_in_another_body(body, other_body, admin_user, unit):
    UnitFactory(body=other_body, code="D9")
    services.unit_create(actor=admin_user, body=body, code="D9", name="X", head_name="Y")


def test_it_rejects_a_unit_under_itself(body, admin_user, unit):
    child = UnitFactory(body=body, parent=unit)
    with pytest.raises(ValidationError) as error:
        services.unit_update(actor=admin_user, unit=unit, parent=child)
    assert "parent" in error.value.message_dict
    unit.refresh_from_db()
    assert unit.parent is None


def test_it_rejects_a_parent_from_another_body(body, other_body, admin_user, unit):
    foreign = UnitFactory(body=other_body)
    with pytest.raises(ValidationError):
        services.unit_update(actor=admin_user, unit=unit, parent=foreign)


def test_a_unit_with_subunits_cannot_be_deleted(body, admin_user, unit):
    UnitFactory(body=body, parent=unit)
    with pytest.raises(ValidationError):
        services.unit_delete(actor=admin_user, unit=unit)
    assert Unit.objects.filter(pk=unit.pk).exists()


@pytest.mark.parametrize("role_fixture", ["planner", "viewer", "executor", "outsider"])
def test_only_the_administrator_manages_units(request, body, unit, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=user, body=body, code="Z", name="Z", head_name="Z")
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=user, unit=unit, name="Renamed")
    unit.refresh_from_db()
    assert unit.name != "Renamed"


def test_budget_program_codes_are_three_digits_and_unique(body, admin_user):
    services.budget_program_create(actor=admin_user, body=body, code="001", name="Administration")
    with pytest.raises(ValidationError) as duplicate:
        services.budget_program_create(actor=admin_user, body=body, code="001", name="Other")
    assert "code" in duplicate.value.message_dict
    with pytest.raises(ValidationError) as malformed:
        services.budget_program_create(actor=admin_user, body=body, code="1a", name="Bad")
    assert "code" in malformed.value.message_dict
    assert BudgetProgram.objects.filter(body=body).count() == 1


def test_budget_program_update_and_delete(body, admin_user):
    program = BudgetProgramFactory(body=body, code="002")
    services.budget_program_update(actor=admin_user, program=program, name="Renamed")
    assert program.history.first().history_user == admin_user
    services.budget_program_delete(actor=admin_user, program=program)
    assert not BudgetProgram.objects.filter(pk=program.pk).exists()


def test_admin_creates_a_user_with_a_unit_role(body, admin_user, unit):
    user = services.user_create(
        actor=admin_user,
        body=body,
        password="a-long-enough-password",
        role=Role.EXECUTOR,
        unit=unit,
        username="new.exec",
        last_name="Omarova",
        first_name="Dana",
    )
    assert user.check_password("a-long-enough-password")
    assert user.roles.get().unit == unit


def test_an_executor_role_needs_a_unit_and_nothing_is_half_written(body, admin_user):
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=admin_user,
            body=body,
            password="pw-long-enough",
            role=Role.EXECUTOR,
            username="no.unit",
        )
    assert "unit" in error.value.message_dict
    assert not User.objects.filter(username="no.unit").exists()


def test_a_duplicate_login_is_refused(body, admin_user, planner):
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=admin_user,
            body=body,
            password="x-long-enough",
            role=Role.VIEWER,
            username=planner.username,
        )
    assert "username" in error.value.message_dict


def test_a_unit_of_another_body_cannot_be_given(body, other_body, admin_user, planner):
    foreign = UnitFactory(body=other_body)
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=admin_user, body=body, user=planner, role=Role.UNIT_HEAD, unit=foreign
        )


def test_the_same_role_twice_is_refused(body, admin_user, planner):
    with pytest.raises(ValidationError) as error:
        services.role_assign(actor=admin_user, body=body, user=planner, role=Role.PLANNER)
    assert "role" in error.value.message_dict


def test_admin_cannot_edit_a_user_of_another_body(body, admin_user, outsider):
    with pytest.raises(ValidationError):
        services.user_update(actor=admin_user, body=body, user=outsider, first_name="Hacked")
    outsider.refresh_from_db()
    assert outsider.first_name != "Hacked"


def test_deactivating_removes_roles_and_the_last_one_deactivates(body, admin_user, viewer):
    services.user_deactivate(actor=admin_user, body=body, user=viewer)
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert not RoleAssignment.objects.filter(user=viewer).exists()


def test_who_a_person_of_two_bodies_is_changes_only_by_them_or_a_superuser(
    body, other_body, admin_user, viewer, django_user_model
):
    """The person also works for another body: this body's administrator may not rename
    them or change their e-mail or password (the other body would lose them)."""
    RoleFactory(user=viewer, body=other_body, role=Role.VIEWER)
    for fields in ({"first_name": "Renamed"}, {"email": "taken@example.kz"}, {"username": "x"}):
        with pytest.raises(ValidationError) as error:
            services.user_update(actor=admin_user, body=body, user=viewer, **fields)
        assert (
            "also works for another state body" in error.value.message_dict[next(iter(fields))][0]
        )
    with pytest.raises(ValidationError):
        services.user_set_password(actor=admin_user, body=body, user=viewer, password="Another-1")
    services.user_update(actor=admin_user, body=body, user=viewer, position="Chief expert")
    profile_update(actor=viewer, first_name="Own choice")
    root = django_user_model.objects.create_superuser("root", password="Root-password-1")
    services.user_update(actor=root, body=body, user=viewer, last_name="Set by a superuser")
    viewer.refresh_from_db()
    assert (viewer.first_name, viewer.last_name, viewer.position) == (
        "Own choice",
        "Set by a superuser",
        "Chief expert",
    )


def test_a_person_of_one_body_is_renamed_by_its_administrator(body, admin_user, viewer):
    services.user_update(actor=admin_user, body=body, user=viewer, first_name="Renamed")
    viewer.refresh_from_db()
    assert viewer.first_name == "Renamed"

import pytest

from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, Unit, User
from tests.factories import PASSWORD, BudgetProgramFactory, RoleFactory, UnitFactory, member

pytestmark = pytest.mark.django_db

UNIT = {"code": "D7", "name": "Legal department", "head_name": "Seitkali A."}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# State bodies


def test_a_member_sees_their_body_with_their_roles(api, body, other_body, planner):
    response = api(planner).get("/api/v1/bodies/")
    assert ids(response) == [body.pk]
    assert response.json()["results"][0]["roles"] == ["planner"]


def test_an_outsider_sees_only_their_own_body(api, body, other_body, outsider):
    client = api(outsider)
    assert ids(client.get("/api/v1/bodies/")) == [other_body.pk]
    assert client.get(f"/api/v1/bodies/{body.pk}/").status_code == 404


def test_bodies_are_read_only(api, body, admin_user):
    response = api(admin_user).patch(f"/api/v1/bodies/{body.pk}/", {"name": "X"})
    assert response.status_code == 405


def test_an_anonymous_client_is_refused(api, body):
    assert api().get("/api/v1/bodies/").status_code in (401, 403)


# Units


def test_a_member_lists_the_units_of_their_body(api, body, unit, viewer):
    UnitFactory(body=body, code="D2")
    assert len(ids(api(viewer).get("/api/v1/units/"))) == 2


def test_an_outsider_sees_no_unit_of_another_body(api, unit, outsider):
    client = api(outsider)
    assert ids(client.get("/api/v1/units/")) == []
    assert client.get(f"/api/v1/units/{unit.pk}/").status_code == 404


def test_units_are_filtered_by_body(api, body, other_body, unit):
    user = member(body, Role.VIEWER)
    RoleAssignment.objects.create(user=user, body=other_body, role=Role.VIEWER)
    foreign = UnitFactory(body=other_body)
    client = api(user)
    assert ids(client.get("/api/v1/units/", {"body": other_body.pk})) == [foreign.pk]
    assert ids(client.get("/api/v1/units/", {"body": body.pk})) == [unit.pk]


def test_a_filter_that_is_not_an_id_is_a_400(api, unit, viewer):
    response = api(viewer).get("/api/v1/units/", {"body": "water"})
    assert response.status_code == 400
    assert "body" in response.json()


def test_the_administrator_adds_a_unit_and_the_history_names_them(api, body, admin_user):
    response = api(admin_user).post("/api/v1/units/", {"body": body.pk, **UNIT})
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(pk=response.json()["id"])
    assert (unit.body, unit.code) == (body, "D7")
    assert unit.history.first().history_user == admin_user


@pytest.mark.parametrize("role", ["viewer", "executor", "planner"])
def test_only_the_administrator_adds_units(request, api, body, unit, role):
    user = request.getfixturevalue(role)
    response = api(user).post("/api/v1/units/", {"body": body.pk, **UNIT})
    assert response.status_code == 403
    assert Unit.objects.count() == 1


def test_an_outsider_cannot_add_a_unit_to_another_body(api, body, outsider):
    response = api(outsider).post("/api/v1/units/", {"body": body.pk, **UNIT})
    assert response.status_code == 404
    assert not Unit.objects.exists()


def test_a_duplicate_unit_code_is_a_400_on_the_field(api, body, unit, admin_user):
    data = {"body": body.pk, **UNIT, "code": unit.code}
    response = api(admin_user).post("/api/v1/units/", data)
    assert response.status_code == 400
    assert response.json() == {"code": ["Another unit of this body has this code."]}
    assert Unit.objects.count() == 1


def test_a_malformed_code_is_a_400_on_the_field(api, body, admin_user):
    response = api(admin_user).post("/api/v1/units/", {"body": body.pk, **UNIT, "code": "a b"})
    assert response.status_code == 400
    assert list(response.json()) == ["code"]


def test_a_parent_of_another_body_is_not_found(api, body, other_body, admin_user):
    foreign = UnitFactory(body=other_body)
    data = {"body": body.pk, **UNIT, "parent": foreign.pk}
    response = api(admin_user).post("/api/v1/units/", data)
    assert response.status_code == 404
    assert "parent" in response.json()
    assert not Unit.objects.filter(body=body).exists()


def test_the_administrator_changes_a_unit_but_not_its_body(api, other_body, unit, admin_user):
    RoleAssignment.objects.create(user=admin_user, body=other_body, role=Role.ADMINISTRATOR)
    response = api(admin_user).patch(
        f"/api/v1/units/{unit.pk}/", {"name": "Renamed", "body": other_body.pk}
    )
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert unit.name == "Renamed"
    assert unit.body_id != other_body.pk
    assert unit.history.first().history_user == admin_user


def test_a_full_update_keeps_the_unit_valid(api, body, unit, admin_user):
    client = api(admin_user)
    data = client.get(f"/api/v1/units/{unit.pk}/").json() | {"head_name": "Omarov B."}
    response = client.put(f"/api/v1/units/{unit.pk}/", data, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["head_name"] == "Omarov B."


def test_a_unit_under_itself_is_a_400(api, body, unit, admin_user):
    child = UnitFactory(body=body, parent=unit)
    response = api(admin_user).patch(f"/api/v1/units/{unit.pk}/", {"parent": child.pk})
    assert response.status_code == 400
    assert "parent" in response.json()
    unit.refresh_from_db()
    assert unit.parent is None


def test_the_viewer_cannot_change_a_unit(api, unit, viewer):
    response = api(viewer).patch(f"/api/v1/units/{unit.pk}/", {"name": "Renamed"})
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.name != "Renamed"


def test_an_outsider_cannot_change_or_delete_a_unit(api, unit, outsider):
    client = api(outsider)
    assert client.patch(f"/api/v1/units/{unit.pk}/", {"name": "X"}).status_code == 404
    assert client.delete(f"/api/v1/units/{unit.pk}/").status_code == 404
    assert Unit.objects.get(pk=unit.pk).name != "X"


def test_the_administrator_deletes_a_unit_and_the_history_names_them(api, body, admin_user):
    unit = UnitFactory(body=body)
    assert api(admin_user).delete(f"/api/v1/units/{unit.pk}/").status_code == 204
    assert not Unit.objects.filter(pk=unit.pk).exists()
    record = Unit.history.filter(id=unit.pk).first()
    assert (record.history_type, record.history_user) == ("-", admin_user)


def test_a_unit_with_subunits_is_not_deleted(api, body, unit, admin_user):
    UnitFactory(body=body, parent=unit)
    response = api(admin_user).delete(f"/api/v1/units/{unit.pk}/")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Unit.objects.filter(pk=unit.pk).exists()


# Budget programs


def test_the_administrator_adds_a_budget_program(api, body, admin_user):
    response = api(admin_user).post(
        "/api/v1/budget-programs/", {"body": body.pk, "code": "001", "name": "Services"}
    )
    assert response.status_code == 201, response.content
    program = BudgetProgram.objects.get()
    assert program.history.first().history_user == admin_user


def test_a_duplicate_program_code_is_a_400_on_the_field(api, body, admin_user):
    BudgetProgramFactory(body=body, code="001")
    response = api(admin_user).post(
        "/api/v1/budget-programs/", {"body": body.pk, "code": "001", "name": "Again"}
    )
    assert response.status_code == 400
    assert response.json() == {"code": ["The body already has a program with this code."]}
    assert BudgetProgram.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "executor"])
def test_only_the_administrator_changes_programs(request, api, body, role):
    program = BudgetProgramFactory(body=body)
    client = api(request.getfixturevalue(role))
    url = f"/api/v1/budget-programs/{program.pk}/"
    assert client.patch(url, {"name": "X"}).status_code == 403
    assert client.delete(url).status_code == 403
    assert BudgetProgram.objects.get().name == program.name


def test_an_outsider_sees_no_program_of_another_body(api, body, outsider):
    program = BudgetProgramFactory(body=body)
    client = api(outsider)
    assert ids(client.get("/api/v1/budget-programs/")) == []
    assert client.get(f"/api/v1/budget-programs/{program.pk}/").status_code == 404


def test_the_administrator_deletes_a_program(api, body, admin_user):
    program = BudgetProgramFactory(body=body)
    assert api(admin_user).delete(f"/api/v1/budget-programs/{program.pk}/").status_code == 204
    assert not BudgetProgram.objects.exists()


# Role assignments


def test_the_administrator_lists_the_roles_of_their_body(api, body, admin_user, viewer, outsider):
    found = ids(api(admin_user).get("/api/v1/role-assignments/"))
    assert set(found) == set(RoleAssignment.objects.filter(body=body).values_list("pk", flat=True))


@pytest.mark.parametrize("role", ["viewer", "executor", "outsider"])
def test_only_administrators_see_roles(request, api, body, admin_user, role):
    user = request.getfixturevalue(role)
    client = api(user)
    assignment = admin_user.roles.get()
    assert ids(client.get("/api/v1/role-assignments/", {"body": body.pk})) == []
    assert client.get(f"/api/v1/role-assignments/{assignment.pk}/").status_code == 404


def test_the_administrator_gives_a_member_another_role(api, body, unit, executor, admin_user):
    data = {"user": executor.pk, "body": body.pk, "role": "unit_head", "unit": unit.pk}
    response = api(admin_user).post("/api/v1/role-assignments/", data)
    assert response.status_code == 201, response.content
    assignment = RoleAssignment.objects.get(pk=response.json()["id"])
    assert assignment.history.first().history_user == admin_user


def test_a_unit_role_without_a_unit_is_a_400_on_the_field(api, body, viewer, admin_user):
    data = {"user": viewer.pk, "body": body.pk, "role": "executor"}
    response = api(admin_user).post("/api/v1/role-assignments/", data)
    assert response.status_code == 400
    assert response.json() == {"unit": ["Executors and unit heads hold their role for a unit."]}
    assert viewer.roles.count() == 1


def test_a_user_of_another_body_is_not_found(api, body, outsider, admin_user):
    data = {"user": outsider.pk, "body": body.pk, "role": "viewer"}
    response = api(admin_user).post("/api/v1/role-assignments/", data)
    assert response.status_code == 404
    assert "user" in response.json()
    assert not outsider.roles.filter(body=body).exists()


def test_a_user_seen_in_another_body_must_be_a_member_of_this_one(
    api, body, other_body, admin_user
):
    RoleAssignment.objects.create(user=admin_user, body=other_body, role=Role.VIEWER)
    stranger = member(other_body, Role.VIEWER)
    data = {"user": stranger.pk, "body": body.pk, "role": "viewer"}
    response = api(admin_user).post("/api/v1/role-assignments/", data)
    assert response.status_code == 400
    assert "user" in response.json()
    assert not stranger.roles.filter(body=body).exists()


def test_the_viewer_cannot_give_roles(api, body, viewer):
    data = {"user": viewer.pk, "body": body.pk, "role": "administrator"}
    response = api(viewer).post("/api/v1/role-assignments/", data)
    assert response.status_code == 403
    assert viewer.roles.count() == 1


def test_the_administrator_takes_a_role_away(api, body, viewer, admin_user):
    assignment = viewer.roles.get()
    response = api(admin_user).delete(f"/api/v1/role-assignments/{assignment.pk}/")
    assert response.status_code == 204
    assert not viewer.roles.exists()
    record = RoleAssignment.history.filter(id=assignment.pk).first()
    assert (record.history_type, record.history_user) == ("-", admin_user)


def test_a_role_assignment_is_not_changed_in_place(api, viewer, admin_user):
    url = f"/api/v1/role-assignments/{viewer.roles.get().pk}/"
    assert api(admin_user).patch(url, {"role": "planner"}).status_code == 405


# Users

NEW_USER = {
    "username": "aigerim",
    "last_name": "Nurlanova",
    "first_name": "Aigerim",
    "position": "Chief expert",
    "password": PASSWORD,
    "role": "executor",
}


def test_the_administrator_creates_a_user_with_a_first_role(api, body, unit, admin_user):
    data = {**NEW_USER, "body": body.pk, "unit": unit.pk}
    response = api(admin_user).post("/api/v1/users/", data)
    assert response.status_code == 201, response.content
    user = User.objects.get(username="aigerim")
    assert user.check_password(PASSWORD)
    assert "password" not in response.json()
    assert [(r["body"], r["role"], r["unit"]) for r in response.json()["roles"]] == [
        (body.pk, "executor", unit.pk)
    ]
    assert user.history.first().history_user == admin_user
    assert user.roles.get().history.first().history_user == admin_user


def test_a_weak_password_is_a_400_on_the_field(api, body, admin_user):
    data = {**NEW_USER, "role": "viewer", "body": body.pk, "password": "12345"}
    response = api(admin_user).post("/api/v1/users/", data)
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not User.objects.filter(username="aigerim").exists()


def test_a_taken_login_is_a_400_on_the_field(api, body, viewer, admin_user):
    data = {**NEW_USER, "role": "viewer", "body": body.pk, "username": viewer.username}
    response = api(admin_user).post("/api/v1/users/", data)
    assert response.status_code == 400
    assert response.json() == {"username": ["This login is taken."]}
    assert User.objects.filter(username=viewer.username).count() == 1


def test_an_executor_without_a_unit_is_not_created(api, body, admin_user):
    response = api(admin_user).post("/api/v1/users/", {**NEW_USER, "body": body.pk})
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not User.objects.filter(username="aigerim").exists()


@pytest.mark.parametrize("role", ["viewer", "executor", "planner"])
def test_only_the_administrator_creates_users(request, api, body, role):
    user = request.getfixturevalue(role)
    data = {**NEW_USER, "role": "viewer", "body": body.pk}
    assert api(user).post("/api/v1/users/", data).status_code == 403
    assert not User.objects.filter(username="aigerim").exists()


def test_an_outsider_cannot_create_a_user_in_another_body(api, body, outsider):
    data = {**NEW_USER, "role": "viewer", "body": body.pk}
    assert api(outsider).post("/api/v1/users/", data).status_code == 404
    assert not User.objects.filter(username="aigerim").exists()


def test_users_are_listed_for_administrators_only(api, body, admin_user, viewer, outsider):
    assert set(ids(api(admin_user).get("/api/v1/users/"))) == {admin_user.pk, viewer.pk}
    assert ids(api(viewer).get("/api/v1/users/")) == []
    assert ids(api(outsider).get("/api/v1/users/", {"body": body.pk})) == []
    assert api(outsider).get(f"/api/v1/users/{viewer.pk}/").status_code == 404


def test_the_administrator_changes_a_users_details(api, viewer, admin_user):
    response = api(admin_user).patch(
        f"/api/v1/users/{viewer.pk}/", {"position": "Auditor", "role": "administrator"}
    )
    assert response.status_code == 200, response.content
    viewer.refresh_from_db()
    assert viewer.position == "Auditor"
    assert list(viewer.roles.values_list("role", flat=True)) == ["viewer"]
    assert viewer.history.first().history_user == admin_user


def test_users_are_changed_with_patch_only(api, viewer, admin_user):
    response = api(admin_user).put(f"/api/v1/users/{viewer.pk}/", {"username": "v"})
    assert response.status_code == 405


def test_an_outsider_cannot_change_a_user(api, viewer, outsider):
    response = api(outsider).patch(f"/api/v1/users/{viewer.pk}/", {"position": "X"})
    assert response.status_code == 404
    viewer.refresh_from_db()
    assert viewer.position != "X"


def test_another_bodys_administrator_cannot_rename_a_shared_person(
    api, body, other_body, admin_user, viewer
):
    RoleFactory(user=viewer, body=other_body, role=Role.VIEWER)
    answer = api(admin_user).patch(
        f"/api/v1/users/{viewer.pk}/", {"first_name": "Hacked", "email": "h@example.kz"}
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"first_name", "email"}
    viewer.refresh_from_db()
    assert viewer.first_name != "Hacked"

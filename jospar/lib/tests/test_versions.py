"""Every object that several people edit through the pages and the API carries a version
(lib.models.Versioned): two people read it, A saves, B saves from the version both read —
B is told who saved in between and what, and nothing of B's is written; A's stays. The report's
rows, the report and decisions are tested in reports/tests/test_conflicts.py, actions in
plans/tests/test_action_conflicts.py, the operational plan's details in
plans/tests/test_plan_conflicts.py, the reminder schedule in
reminders/tests/test_schedule_conflicts.py."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from jospar.lib.records import Conflict
from jospar.orgs import services as orgs
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.strategy import services as strategy
from tests.factories import (
    AmendmentFactory,
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    ProposalFactory,
    RegulationTaskFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)
from tests.openapi import served_schema

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    make: Callable  # (body, unit) -> the object
    role: str  # of the two editors (for a unit role, in the unit)
    update: Callable  # the service
    arg: str  # the object's name in it
    field: str  # a text both edit
    api: str  # the API's list URL
    page: Callable | None  # obj -> (URL name, args) of its edit page; None: the API only


def _plan_part(name: str):
    return lambda obj: (name, [obj.plan.body_id, obj.plan_id, obj.pk])


def _user_update(*, actor, user, **fields):
    """user_update in the body where the user and both administrators work."""
    return orgs.user_update(actor=actor, body=user.roles.get().body, user=user, **fields)


CASES = {
    "unit": Case(
        lambda body, unit: UnitFactory(body=body),
        Role.ADMINISTRATOR,
        orgs.unit_update,
        "unit",
        "name",
        "/api/v1/units/",
        lambda obj: ("orgs:unit_edit", [obj.body_id, obj.pk]),
    ),
    "budget program": Case(
        lambda body, unit: BudgetProgramFactory(body=body),
        Role.ADMINISTRATOR,
        orgs.budget_program_update,
        "program",
        "name",
        "/api/v1/budget-programs/",
        lambda obj: ("orgs:program_edit", [obj.body_id, obj.pk]),
    ),
    "user": Case(  # several administrators of a body may edit the same person
        lambda body, unit: member(body, Role.EXECUTOR, unit=unit, username="edited"),
        Role.ADMINISTRATOR,
        _user_update,
        "user",
        "position",
        "/api/v1/users/",
        lambda obj: ("orgs:member_edit", [obj.roles.get().body_id, obj.pk]),
    ),
    "development plan": Case(
        lambda body, unit: DevelopmentPlanFactory(body=body),
        Role.PLANNER,
        strategy.development_plan_update,
        "plan",
        "title",
        "/api/v1/development-plans/",
        lambda obj: ("strategy:plan_edit", [obj.body_id, obj.pk]),
    ),
    "amendment": Case(
        lambda body, unit: AmendmentFactory(plan__body=body),
        Role.PLANNER,
        strategy.amendment_update,
        "amendment",
        "description",
        "/api/v1/amendments/",
        _plan_part("strategy:amendment_edit"),
    ),
    "direction": Case(
        lambda body, unit: DirectionFactory(plan__body=body),
        Role.PLANNER,
        strategy.direction_update,
        "direction",
        "name",
        "/api/v1/directions/",
        _plan_part("strategy:direction_edit"),
    ),
    "goal": Case(
        lambda body, unit: GoalFactory(direction__plan__body=body),
        Role.PLANNER,
        strategy.goal_update,
        "goal",
        "name",
        "/api/v1/goals/",
        lambda obj: (
            "strategy:goal_edit",
            [obj.direction.plan.body_id, obj.direction.plan_id, obj.pk],
        ),
    ),
    "indicator": Case(
        lambda body, unit: TargetIndicatorFactory(goal__direction__plan__body=body),
        Role.PLANNER,
        strategy.indicator_update,
        "indicator",
        "name",
        "/api/v1/indicators/",
        _plan_part("strategy:indicator_edit"),
    ),
    "task": Case(
        lambda body, unit: RegulationTaskFactory(body=body),
        Role.PLANNER,
        plans.task_update,
        "task",
        "name",
        "/api/v1/regulation-tasks/",
        None,
    ),
    "proposal": Case(
        lambda body, unit: ProposalFactory(plan=operational_plan(body), unit=unit),
        Role.EXECUTOR,
        plans.proposal_update,
        "proposal",
        "name",
        "/api/v1/proposals/",
        _plan_part("plans:proposal_edit"),
    ),
}


@pytest.fixture(params=CASES, ids=str)
def case(request) -> Case:
    return CASES[request.param]


@pytest.fixture
def obj(case, body, unit):
    return case.make(body, unit)


@pytest.fixture
def editors(case, body, unit):
    """A and B, who both edit the object: B is Seitov Marat."""
    scope = {"unit": unit} if case.role == Role.EXECUTOR else {}
    first = member(body, case.role, username="editor.a", **scope)
    second = member(
        body, case.role, username="editor.b", first_name="Marat", last_name="Seitov", **scope
    )
    return first, second


def fresh(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


def test_a_save_from_an_older_version_is_a_conflict(case, obj, editors):
    first, second = editors
    read = obj.version
    case.update(actor=second, **{case.arg: fresh(obj)}, version=read, **{case.field: "Theirs"})
    with pytest.raises(Conflict) as conflict:
        case.update(actor=first, **{case.arg: fresh(obj)}, version=read, **{case.field: "Mine"})
    assert "Seitov Marat saved this at" in conflict.value.message
    assert getattr(conflict.value.current, case.field) == "Theirs"
    assert getattr(fresh(obj), case.field) == "Theirs"
    case.update(actor=first, **{case.arg: fresh(obj)}, version=read + 1, **{case.field: "Mine"})
    assert getattr(fresh(obj), case.field) == "Mine"
    assert fresh(obj).version == read + 2


def test_the_api_answers_409_to_a_stale_version(api, case, obj, editors):
    first, second = editors
    url = f"{case.api}{obj.pk}/"
    read = api(first).get(url).json()["version"]
    assert api(second).get(url).json()["version"] == read
    theirs = api(second).patch(url, {case.field: "Theirs", "version": read}, format="json")
    assert theirs.status_code == 200, theirs.content
    stale = api(first).patch(url, {case.field: "Mine", "version": read}, format="json")
    assert stale.status_code == 409
    assert stale.json() == {"detail": stale.json()["detail"], "version": read + 1}
    assert "Seitov Marat saved this at" in stale.json()["detail"]
    assert getattr(fresh(obj), case.field) == "Theirs"
    unversioned = api(first).patch(url, {case.field: "Mine, knowingly"}, format="json")
    assert unversioned.status_code == 200  # an older client that sends no version


def test_a_new_object_takes_no_version_from_the_api(api, body, planner):
    created = api(planner).post(
        "/api/v1/regulation-tasks/", {"body": body.pk, "number": 9, "name": "New", "version": 7}
    )
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 0


def test_the_schema_documents_the_409_of_each(api, viewer):
    schema = served_schema(api(viewer))
    for case in CASES.values():
        responses = schema["paths"][case.api + "{id}/"]["patch"]["responses"]
        assert responses["409"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Conflict"
        }


def posted(form) -> dict:
    """What the browser posts for `form` as the page shows it."""
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


PAGES = [name for name, case in CASES.items() if case.page is not None]


@pytest.mark.parametrize("case", [CASES[name] for name in PAGES], ids=PAGES)
def test_the_page_keeps_my_text_and_shows_theirs(client, case, obj, editors):
    first, second = editors
    name, args = case.page(obj)
    url = reverse(name, args=args)
    client.force_login(first)
    opened = client.get(url)
    assert opened.status_code == 200
    form = opened.context["form"]
    # a text held in each language is asked in each: the page's language is English here
    field = case.field if case.field in form.fields else f"{case.field}_en"
    data = posted(form) | {field: "Mine, typed at length"}
    case.update(
        actor=second, **{case.arg: fresh(obj)}, version=obj.version, **{case.field: "Theirs"}
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Seitov Marat saved this at" in page
    assert "They saved: Theirs" in page
    assert "Mine, typed at length" in page
    assert getattr(fresh(obj), case.field) == "Theirs"
    again = client.post(url, data | {"version": response.context["form"].data["version"]})
    assert again.status_code == 302
    assert getattr(fresh(obj), case.field) == "Mine, typed at length"

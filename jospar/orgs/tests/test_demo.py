from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jospar.orgs import demo
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = (
    StateBody,
    Unit,
    BudgetProgram,
    User,
    RoleAssignment,
    DevelopmentPlan,
    Amendment,
    StrategicDirection,
    Goal,
    Indicator,
    IndicatorValue,
)


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_loads_a_whole_ministry():
    load()
    body = StateBody.objects.get(code=demo.DEMO_CODE)
    assert body.is_demo
    assert 10 <= body.units.count() <= 14
    assert body.units.filter(kind=Unit.Kind.SUBORDINATE).count() == 3
    assert body.units.filter(parent__isnull=False).exists()
    assert not body.units.filter(head_name="").exists()
    assert body.budget_programs.count() == 6
    plan = body.development_plans.get()
    assert (plan.start_year, plan.end_year) == (2025, 2029)
    assert plan.signed_on.weekday() < 5
    amendment = plan.amendments.get()
    assert amendment.signed_on > plan.signed_on
    assert plan.directions.count() == 2
    assert plan.indicators.filter(kind=Indicator.Kind.MACRO).count() == 4
    goals = Goal.objects.filter(direction__plan=plan).select_related("direction")
    assert sorted(goal.code for goal in goals) == ["1.1", "1.2", "2.1", "2.2"]
    targets = plan.indicators.filter(kind=Indicator.Kind.TARGET)
    assert targets.count() == 8
    for indicator in targets:
        assert indicator.unit_of_measure
        assert indicator.baseline_year == 2024 and indicator.baseline is not None
        assert indicator.responsible_unit.body == body
        assert list(indicator.values.values_list("year", flat=True)) == list(plan.years)


def test_every_role_has_one_demo_user_with_the_demo_password():
    load()
    body = StateBody.objects.get(code=demo.DEMO_CODE)
    for role in Role:
        assignments = RoleAssignment.objects.filter(body=body, role=role)
        assert assignments.exists(), role
        for assignment in assignments:
            assert assignment.user.check_password(demo.DEMO_PASSWORD)
            assert (assignment.unit is not None) == (role in {Role.EXECUTOR, Role.UNIT_HEAD})
    executor_units = RoleAssignment.objects.filter(body=body, role=Role.EXECUTOR).values("unit")
    assert executor_units.distinct().count() == 2
    root = User.objects.get(username=demo.SUPERUSER)
    assert root.is_superuser and root.is_staff
    assert root.check_password(demo.DEMO_PASSWORD)


def test_loading_twice_changes_nothing():
    load()
    before = counts()
    output = load()
    assert counts() == before
    assert "already loaded" in output


def test_the_output_names_the_url_every_login_and_the_password(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    output = load()
    assert "http://127.0.0.1:8123/" in output
    for spec in demo.USERS:
        assert f"  {spec.username} " in output
    assert f"  {demo.SUPERUSER} " in output
    assert demo.DEMO_PASSWORD in output


def test_every_change_is_recorded_with_who_made_it():
    load()
    root = User.objects.get(username=demo.SUPERUSER)
    admin = User.objects.get(username=demo.ADMINISTRATOR.username)
    planner = User.objects.get(username=demo.PLANNER.username)
    for model in MODELS:
        records = model.history.all()
        if model is User:
            # The superuser is the bootstrap: nobody created it.
            records = records.exclude(id=root.pk)
        assert records.exists(), model
        assert not records.filter(history_user__isnull=True).exists(), model
    assert set(Unit.history.values_list("history_user", flat=True)) == {admin.pk}
    assert set(BudgetProgram.history.values_list("history_user", flat=True)) == {admin.pk}
    assert set(Indicator.history.values_list("history_user", flat=True)) == {planner.pk}
    assert set(IndicatorValue.history.values_list("history_user", flat=True)) == {planner.pk}
    assert StateBody.history.get().history_user == root


def test_reset_loads_it_afresh():
    load()
    before = counts()
    old_body = StateBody.objects.get(code=demo.DEMO_CODE)
    output = load("--reset")
    assert counts() == before
    assert StateBody.objects.get(code=demo.DEMO_CODE).pk != old_body.pk
    assert "Loaded" in output


def test_a_taken_login_stops_it_before_anything_is_written():
    UserFactory(username="planner")
    before = counts()
    with pytest.raises(CommandError, match="planner"):
        load()
    assert counts() == before


def test_it_refuses_a_root_that_is_not_a_superuser():
    UserFactory(username=demo.SUPERUSER)
    with pytest.raises(CommandError, match=demo.SUPERUSER):
        load()
    assert not StateBody.objects.exists()

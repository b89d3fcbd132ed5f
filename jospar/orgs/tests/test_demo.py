from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jospar.orgs import demo
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.plans.checks import check_plan, plan_errors
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    PlanStatus,
    Proposal,
    ProposalStatus,
    RegulationTask,
)
from jospar.plans.terms import TermKind
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
    RegulationTask,
    OperationalPlan,
    Action,
    Proposal,
)
PLAN_MODELS = (RegulationTask, OperationalPlan, Action, Proposal)


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
    for model in (RegulationTask, OperationalPlan, Action):
        assert set(model.history.values_list("history_user", flat=True)) == {planner.pk}, model
    executor = User.objects.get(username="executor")
    head = User.objects.get(username="head")
    assert set(Proposal.history.values_list("history_user", flat=True)) == {
        executor.pk,
        head.pk,
        planner.pk,
    }


def test_reset_loads_it_afresh():
    load()
    before = counts()
    old_body = StateBody.objects.get(code=demo.DEMO_CODE)
    output = load("--reset")
    assert counts() == before
    assert StateBody.objects.get(code=demo.DEMO_CODE).pk != old_body.pk
    assert "Loaded" in output


def test_reset_deletes_the_plan_records_one_by_one_with_who_deleted_them():
    load()
    load("--reset")
    root = User.objects.get(username=demo.SUPERUSER)
    for model in PLAN_MODELS:
        deleted = model.history.filter(history_type="-")
        assert deleted.exists(), model
        assert set(deleted.values_list("history_user", flat=True)) == {root.pk}, model


def test_the_2026_plan_is_a_draft_that_passes_the_completeness_check():
    load()
    body = StateBody.objects.get(code=demo.DEMO_CODE)
    plan = body.operational_plans.get()
    assert plan.year == 2026 and plan.status == PlanStatus.DRAFT
    development = body.development_plans.get()
    assert plan.development_plan == development
    assert plan.basis_amendment == development.amendments.get()
    assert plan.planning_unit == body.units.get(code="D01")
    assert plan_errors(plan) == []
    assert check_plan(plan) == []  # Section II has actions: not even a warning
    assert 4 >= body.tasks.count() >= 3


def test_the_plan_has_realistic_actions_of_every_kind():
    load()
    plan = OperationalPlan.objects.get(body__code=demo.DEMO_CODE, year=2026)
    actions = list(plan.actions.prefetch_related("budget_programs", "co_executors"))
    assert 25 <= len(actions) <= 32
    in_section_2 = [a for a in actions if a.task_id]
    assert 3 <= len(in_section_2) <= 5
    # Every indicator with a value for the year has an action.
    of_the_year = Indicator.objects.filter(plan=plan.development_plan, values__year=2026)
    assert set(of_the_year.values_list("pk", flat=True)) <= {a.indicator_id for a in actions}
    assert {a.term_kind for a in actions} == set(TermKind.values)
    for action in actions:
        assert action.term_display
        if action.term_kind == TermKind.DATE:
            assert action.term_date.year == 2026
        assert action.lead_unit.body_id == plan.body_id
        co = {unit.pk for unit in action.co_executors.all()}
        assert action.lead_unit_id not in co
        assert len(action.budget_programs.all()) <= 2
        assert bool(action.completion_form_id) != bool(action.completion_text)
        if action.completion_form_id:
            assert action.completion_form.body_id is None
    assert any(not a.budget_programs.all() for a in actions)
    assert any(len(a.budget_programs.all()) == 2 for a in actions)
    assert any(a.co_executors.all() for a in actions)
    assert 1 <= sum(bool(a.completion_text) for a in actions) <= 2
    assert not CompletionForm.objects.filter(body=plan.body).exists()
    # Positions run 1..n under each anchor.
    anchors: dict = {}
    for action in actions:
        anchors.setdefault((action.indicator_id, action.task_id), []).append(action.position)
    for positions in anchors.values():
        assert sorted(positions) == list(range(1, len(positions) + 1))


def test_the_executors_unit_has_a_proposal_in_each_state():
    load()
    plan = OperationalPlan.objects.get(body__code=demo.DEMO_CODE, year=2026)
    executor = User.objects.get(username="executor")
    proposals = {p.status: p for p in plan.proposals.all()}
    assert set(proposals) == {
        ProposalStatus.DRAFT,
        ProposalStatus.SIGNED,
        ProposalStatus.ACCEPTED,
    }
    unit = executor.roles.get().unit
    for proposal in proposals.values():
        assert proposal.author == executor and proposal.unit == unit
    for status in (ProposalStatus.SIGNED, ProposalStatus.ACCEPTED):
        assert proposals[status].signed_by.username == "head"
        assert proposals[status].signed_at is not None
    assert proposals[ProposalStatus.DRAFT].signed_by is None
    accepted = proposals[ProposalStatus.ACCEPTED]
    action = plan.actions.get(proposal__isnull=False)
    assert action.proposal == accepted
    assert action.name == accepted.name
    # The planner took it in edited: one more co-executor than the unit proposed.
    assert set(accepted.co_executors.all()) < set(action.co_executors.all())
    assert not proposals[ProposalStatus.SIGNED].actions.exists()


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

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.checks import check_plan
from jospar.plans.models import Action, CompletionForm, PlanStatus, ProposalStatus, RegulationTask
from jospar.plans.terms import TermKind
from tests.factories import (
    BudgetProgramFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(body):
    return operational_plan(body, 2026)


@pytest.fixture
def indicator(plan):
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    target = TargetIndicatorFactory(goal=goal)
    IndicatorValueFactory(indicator=target, year=2026, planned=Decimal(5))
    return target


@pytest.fixture
def task(body):
    return RegulationTask.objects.create(body=body, number=1, name="Informing the public")


@pytest.fixture
def form():
    return CompletionForm.objects.get(name="Order of the Minister")


def complete(indicator, unit, form, **extra):
    return {
        "indicator": indicator,
        "name": "Adopt the rules of water use",
        "lead_unit": unit,
        "term_kind": TermKind.QUARTER,
        "term_quarter": 2,
        "completion_form": form,
    } | extra


def test_planner_adds_an_action_and_numbers_follow_the_order(plan, planner, indicator, unit, form):
    first = services.action_create(actor=planner, plan=plan, **complete(indicator, unit, form))
    second = services.action_create(
        actor=planner, plan=plan, **complete(indicator, unit, form, name="Second")
    )
    assert (first.position, second.position) == (1, 2)
    services.action_move(actor=planner, action=second, offset=-1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.position, first.position) == (1, 2)
    services.action_delete(actor=planner, action=second)
    first.refresh_from_db()
    assert first.position == 1
    assert first.term_display == "2 quarter"


def test_budget_programs_and_co_executors_are_kept_and_audited(
    body, plan, planner, indicator, unit, form
):
    program = BudgetProgramFactory(body=body, code="001")
    co = UnitFactory(body=body, code="D5")
    action = services.action_create(
        actor=planner,
        plan=plan,
        budget_programs=[program],
        co_executors=[co],
        **complete(indicator, unit, form),
    )
    assert list(action.budget_programs.all()) == [program]
    assert "001" in action.history.get().history_change_reason


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"term_kind": TermKind.DATE, "term_date": dt.date(2027, 1, 10)}, "term_date"),
        ({"term_kind": TermKind.QUARTER, "term_quarter": 5}, "term_quarter"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_values_are_refused_on_their_field(plan, planner, indicator, unit, form, bad, field):
    with pytest.raises(ValidationError) as error:
        services.action_create(actor=planner, plan=plan, **complete(indicator, unit, form, **bad))
    assert field in error.value.message_dict
    assert not Action.objects.exists()


def test_an_unknown_budget_code_is_refused(other_body, plan, planner, indicator, unit, form):
    foreign = BudgetProgramFactory(body=other_body, code="999")
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=planner, plan=plan, budget_programs=[foreign], **complete(indicator, unit, form)
        )
    assert "999" in error.value.message_dict["budget_programs"][0]
    assert not Action.objects.exists()


def test_a_co_executor_equal_to_the_lead_is_refused(plan, planner, indicator, unit, form):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=planner, plan=plan, co_executors=[unit], **complete(indicator, unit, form)
        )
    assert "co_executors" in error.value.message_dict


def test_an_indicator_of_another_development_plan_is_refused(body, plan, planner, unit, form):
    from tests.factories import DevelopmentPlanFactory

    other = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    foreign = TargetIndicatorFactory(goal=GoalFactory(direction=DirectionFactory(plan=other)))
    with pytest.raises(ValidationError) as error:
        services.action_create(actor=planner, plan=plan, **complete(foreign, unit, form))
    assert "indicator" in error.value.message_dict


def test_the_check_lists_errors_and_warnings(plan, planner, indicator, unit, form):
    problems = check_plan(plan)
    assert [p.anchor for p in problems if p.is_error] == [f"indicator-{indicator.pk}"]
    assert any(p.level == "warning" and p.anchor == "section-2" for p in problems)
    action = services.action_create(
        actor=planner, plan=plan, indicator=indicator, name="Without term and form"
    )
    anchors = [p.anchor for p in check_plan(plan) if p.is_error]
    assert anchors.count(f"action-{action.pk}") == 3  # executor, term, form


def test_submission_is_refused_while_errors_remain(plan, planner):
    IndicatorValueFactory(
        indicator=TargetIndicatorFactory(
            goal=GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
        ),
        year=2026,
    )
    with pytest.raises(ValidationError):
        services.plan_submit(actor=planner, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


# --- the approval, as a table -----------------------------------------------------------------

STEPS = {
    "submit": lambda user, plan: services.plan_submit(actor=user, plan=plan),
    "approve": lambda user, plan: services.plan_approve(actor=user, plan=plan),
    "return": lambda user, plan: services.plan_return(actor=user, plan=plan, comment="Fix 3.1"),
}


@pytest.mark.parametrize(
    ("status", "step", "role", "outcome"),
    [
        (PlanStatus.DRAFT, "submit", Role.PLANNER, PlanStatus.SUBMITTED),
        (PlanStatus.RETURNED, "submit", Role.PLANNER, PlanStatus.SUBMITTED),
        (PlanStatus.SUBMITTED, "submit", Role.PLANNER, ValidationError),
        (PlanStatus.APPROVED, "submit", Role.PLANNER, ValidationError),
        (PlanStatus.DRAFT, "submit", Role.OFFICIAL, PermissionDenied),
        (PlanStatus.SUBMITTED, "approve", Role.OFFICIAL, PlanStatus.APPROVED),
        (PlanStatus.SUBMITTED, "approve", Role.PLANNER, PermissionDenied),
        (PlanStatus.SUBMITTED, "approve", Role.VIEWER, PermissionDenied),
        (PlanStatus.DRAFT, "approve", Role.OFFICIAL, ValidationError),
        (PlanStatus.APPROVED, "approve", Role.OFFICIAL, ValidationError),
        (PlanStatus.SUBMITTED, "return", Role.OFFICIAL, PlanStatus.RETURNED),
        (PlanStatus.SUBMITTED, "return", Role.PLANNER, PermissionDenied),
        (PlanStatus.APPROVED, "return", Role.OFFICIAL, ValidationError),
    ],
)
def test_transitions(body, plan, task, unit, form, status, step, role, outcome):
    services.action_create(
        actor=member(body, Role.PLANNER),
        plan=plan,
        task=task,
        name="Publish the report",
        lead_unit=unit,
        term_kind=TermKind.YEAR,
        completion_form=form,
    )
    plan.status = status
    plan.save()
    user = member(body, role)
    if isinstance(outcome, type) and issubclass(outcome, Exception):
        with pytest.raises(outcome):
            STEPS[step](user, plan)
        plan.refresh_from_db()
        assert plan.status == status
    else:
        assert STEPS[step](user, plan).status == outcome
        assert plan.events.get().actor == user


def test_an_approval_after_ten_days_is_recorded_late(body, task, unit, form):
    plan = operational_plan(body, 2026)
    official = member(body, Role.OFFICIAL)
    plan.status = PlanStatus.SUBMITTED
    plan.approval_basis_on = dt.date(2025, 12, 1)  # the 2026 values confirmed then (R6)
    plan.save()
    approved = services.plan_approve(actor=official, plan=plan)
    assert approved.approved_late  # ten days from 01.12.2025 have passed
    assert approved.approved_by == official
    # One history row for the approval, and it already names who approved and when.
    row = approved.history.filter(status=PlanStatus.APPROVED).get()
    assert (row.approved_by_id, row.approved_on) == (official.pk, approved.approved_on)


def test_a_later_year_without_a_basis_date_is_not_approved_late(body):
    plan = operational_plan(body, 2026)  # of 2025–2029, signed 20.12.2024: not recent
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    approved = services.plan_approve(actor=member(body, Role.OFFICIAL), plan=plan)
    assert not approved.approved_late


def test_an_approved_plan_is_read_only(plan, planner, task, unit, form):
    action = services.action_create(
        actor=planner,
        plan=plan,
        task=task,
        name="Publish",
        lead_unit=unit,
        term_kind=TermKind.YEAR,
        completion_form=form,
    )
    plan.status = PlanStatus.APPROVED
    plan.save()
    with pytest.raises(ValidationError):
        services.action_update(actor=planner, action=action, name="Changed")
    with pytest.raises(ValidationError):
        services.action_create(actor=planner, plan=plan, task=task, name="New")
    action.refresh_from_db()
    assert action.name == "Publish"


def test_a_return_needs_a_comment(body, plan):
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    with pytest.raises(ValidationError):
        services.plan_return(actor=member(body, Role.OFFICIAL), plan=plan, comment=" ")


# --- proposals ---------------------------------------------------------------------------------


def test_proposal_from_executor_to_head_to_plan(
    body, plan, indicator, unit, executor, planner, form
):
    head = member(body, Role.UNIT_HEAD, unit=unit)
    proposal = services.proposal_create(
        actor=executor,
        plan=plan,
        unit=unit,
        indicator=indicator,
        name="Inventory of canals",
        term_kind=TermKind.HALF,
        term_half=1,
        completion_form=form,
    )
    assert proposal.lead_unit == unit
    with pytest.raises(PermissionDenied):
        services.proposal_sign(actor=executor, proposal=proposal)
    with pytest.raises(ValidationError):  # not signed yet
        services.proposal_accept(actor=planner, proposal=proposal)
    services.proposal_sign(actor=head, proposal=proposal)
    action = services.proposal_accept(
        actor=planner, proposal=proposal, name="Inventory of main canals"
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert action.proposal == proposal
    assert action.name == "Inventory of main canals"
    assert action.term_display == "1 half-year"


def test_a_declined_proposal_keeps_the_reason(body, plan, indicator, unit, executor, planner):
    head = member(body, Role.UNIT_HEAD, unit=unit)
    proposal = services.proposal_create(
        actor=executor, plan=plan, unit=unit, indicator=indicator, name="Duplicate"
    )
    services.proposal_sign(actor=head, proposal=proposal)
    with pytest.raises(ValidationError):
        services.proposal_decline(actor=planner, proposal=proposal, reason="")
    services.proposal_decline(actor=planner, proposal=proposal, reason="Already in 1.1")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decline_reason == "Already in 1.1"


def test_an_executor_of_another_unit_cannot_propose_or_sign(body, plan, indicator, unit, executor):
    other_unit = UnitFactory(body=body)
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=executor, plan=plan, unit=other_unit, indicator=indicator, name="X"
        )
    other_head = member(body, Role.UNIT_HEAD, unit=other_unit)
    proposal = services.proposal_create(
        actor=executor, plan=plan, unit=unit, indicator=indicator, name="Mine"
    )
    with pytest.raises(PermissionDenied):
        services.proposal_sign(actor=other_head, proposal=proposal)


def test_a_plan_with_actions_keeps_its_development_plan(body, plan, planner, indicator, unit):
    from tests.factories import DevelopmentPlanFactory

    services.action_create(actor=planner, plan=plan, indicator=indicator, name="Anchored")
    other = DevelopmentPlanFactory(body=body, start_year=2026, end_year=2030)
    with pytest.raises(ValidationError) as error:
        services.plan_update(actor=planner, plan=plan, development_plan=other)
    assert "development_plan" in error.value.message_dict


def test_proposals_freeze_with_the_plan(body, plan, indicator, unit, executor, planner):
    head = member(body, Role.UNIT_HEAD, unit=unit)
    draft = services.proposal_create(
        actor=executor, plan=plan, unit=unit, indicator=indicator, name="Draft"
    )
    signed = services.proposal_create(
        actor=executor, plan=plan, unit=unit, indicator=indicator, name="Signed"
    )
    services.proposal_sign(actor=head, proposal=signed)
    plan.status = PlanStatus.APPROVED
    plan.save()
    for attempt in (
        lambda: services.proposal_update(actor=executor, proposal=draft, name="Changed"),
        lambda: services.proposal_delete(actor=executor, proposal=draft),
        lambda: services.proposal_sign(actor=head, proposal=draft),
        lambda: services.proposal_decline(actor=planner, proposal=signed, reason="Late"),
    ):
        with pytest.raises(ValidationError):
            attempt()
    draft.refresh_from_db()
    assert draft.name == "Draft"


def test_a_body_form_cannot_repeat_a_shared_one(body, admin_user):
    with pytest.raises(ValidationError) as error:
        services.completion_form_create(actor=admin_user, body=body, name="report")
    assert "name" in error.value.message_dict


def test_an_approval_within_ten_days_is_on_time(body, task, unit, form, clock):
    from tests.factories import DevelopmentPlanFactory

    clock("2026-01-05 10:00")
    development = DevelopmentPlanFactory(
        body=body, start_year=2026, end_year=2030, signed_on=dt.date(2025, 12, 29)
    )
    plan = operational_plan(body, 2026, development_plan=development)
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    approved = services.plan_approve(actor=member(body, Role.OFFICIAL), plan=plan)
    assert approved.approved_on == dt.date(2026, 1, 5)
    assert not approved.approved_late


def test_changing_an_approved_plan_on_a_page_says_why(client, body, plan, planner, indicator):
    from django.urls import reverse

    plan.status = PlanStatus.APPROVED
    plan.save()
    client.force_login(planner)
    response = client.get(reverse("plans:action_new", args=[body.pk, plan.pk]))
    assert response.status_code == 403
    assert "cannot be changed" in response.content.decode()


def test_a_used_budget_program_or_indicator_cannot_be_deleted(
    body, plan, planner, admin_user, indicator, unit, form
):
    from jospar.orgs import services as org_services
    from jospar.strategy import services as strategy_services

    program = BudgetProgramFactory(body=body, code="005")
    services.action_create(
        actor=planner, plan=plan, budget_programs=[program], **complete(indicator, unit, form)
    )
    with pytest.raises(ValidationError):
        org_services.budget_program_delete(actor=admin_user, program=program)
    with pytest.raises(ValidationError) as error:
        strategy_services.indicator_delete(actor=planner, indicator=indicator)
    assert "still used" in error.value.messages[0]


def test_the_development_plan_cannot_shrink_below_an_operational_plan(plan, planner):
    from jospar.strategy import services as strategy_services

    with pytest.raises(ValidationError) as error:
        strategy_services.development_plan_update(
            actor=planner, plan=plan.development_plan, end_year=2025
        )
    assert "end_year" in error.value.message_dict


def test_actions_create_makes_what_action_create_makes(body, plan, planner, indicator, unit, form):
    program = BudgetProgramFactory(body=body, code="001")
    co = UnitFactory(body=body, code="D5")
    links = {"budget_programs": [program], "co_executors": [co]}
    one = services.action_create(
        actor=planner, plan=plan, **complete(indicator, unit, form), **links
    )
    many = services.actions_create(
        actor=planner,
        plan=plan,
        actions=[complete(indicator, unit, form, name=f"Bulk {n}") | links for n in range(3)],
    )
    assert [action.position for action in many] == [2, 3, 4]  # appended under the anchor
    first = one.history.get()
    for action in Action.objects.filter(pk__in=[a.pk for a in many]):
        assert action.content() == one.content() | {"name_en": action.name_en}
        assert list(action.budget_programs.all()) == [program]
        assert list(action.co_executors.all()) == [co]
        row = action.history.get()
        assert (row.history_type, row.history_user) == ("+", planner)
        assert row.history_change_reason == first.history_change_reason


def test_actions_create_refuses_each_action_as_action_create_would(
    other_body, plan, planner, indicator, unit, form
):
    """The same checks and the same messages, by the index of each refused action; none of
    the actions is created."""
    gone = TargetIndicatorFactory(goal=indicator.goal)
    type(gone).objects.filter(pk=gone.pk).delete()  # the object lives on; its row does not
    bad = [
        {"name": "  "},
        {"term_kind": TermKind.QUARTER, "term_quarter": 5},
        {"lead_unit": UnitFactory(body=other_body, code="X1")},
        {"name": "x" * 10_001},
        {"completion_text": "y" * 501},
        {"indicator": gone},
    ]
    expected = {}
    for index, fields in enumerate(bad, start=1):
        with pytest.raises(ValidationError) as one:
            services.action_create(
                actor=planner, plan=plan, **(complete(indicator, unit, form) | fields)
            )
        expected[index] = one.value.messages
    items = [complete(indicator, unit, form)] + [complete(indicator, unit, form) | f for f in bad]
    with pytest.raises(ValidationError) as error:
        services.actions_create(actor=planner, plan=plan, actions=items)
    assert error.value.message_dict == expected
    assert not Action.objects.exists()


def test_tasks_create_refuses_a_number_the_body_has(body, planner, task):
    with pytest.raises(ValidationError) as error:
        services.tasks_create(actor=planner, body=body, tasks=[(2, "Two"), (1, "One again")])
    assert error.value.message_dict == {1: ["A task with this number exists."]}
    created = services.tasks_create(actor=planner, body=body, tasks=[(2, "Two"), (3, "Three")])
    assert [(t.number, t.history.get().history_user) for t in created] == [
        (2, planner),
        (3, planner),
    ]

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jospar.orgs.models import Role
from jospar.plans.models import Action, CompletionForm, PlanStatus, RegulationTask
from jospar.plans.terms import TermKind
from tests.factories import (
    BudgetProgramFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    MacroIndicatorFactory,
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
def target(plan):
    direction = DirectionFactory(plan=plan.development_plan, number=1)
    MacroIndicatorFactory(direction=direction)
    indicator = TargetIndicatorFactory(goal=GoalFactory(direction=direction, number=1))
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal(7))
    return indicator


def fill(plan, indicator, count: int, body) -> None:
    units = [UnitFactory(body=body) for _ in range(3)]
    programs = [BudgetProgramFactory(body=body) for _ in range(2)]
    form = CompletionForm.objects.first()
    for n in range(count):
        action = Action.objects.create(
            plan=plan,
            indicator=indicator,
            name=f"Action {n}",
            position=n + 1,
            lead_unit=units[n % 3],
            term_kind=TermKind.QUARTER,
            term_quarter=n % 4 + 1,
            completion_form=form,
        )
        action.budget_programs.set(programs)
        action.co_executors.set(units[1:])


@pytest.mark.parametrize("count", [5, 40])
def test_the_plan_page_costs_the_same_queries_at_any_size(
    client, body, plan, target, viewer, count, django_assert_max_num_queries
):
    fill(plan, target, count, body)
    client.force_login(viewer)
    # plan_actions reads each related table once (at most nine queries) instead of building
    # its rows per action through select_related and prefetch_related (three)
    with django_assert_max_num_queries(24):
        response = client.get(plan.get_absolute_url())
    assert response.content.decode().count('class="action"') == count


def test_the_plan_is_laid_out_as_appendix_1(client, body, plan, target, viewer):
    fill(plan, target, 2, body)
    RegulationTask.objects.create(body=body, number=1, name="Informing the public")
    client.force_login(viewer)
    page = client.get(plan.get_absolute_url()).content.decode()
    order = [
        "I. Actions",
        "Strategic direction 1",
        "Goal 1.1",
        "Target indicator",
        "Action 0",
        "Action 1",
        "II. Actions",
        "Informing the public",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert "1 quarter" in page and "2 quarter" in page


def test_filter_by_unit_keeps_numbers(client, body, plan, target, viewer):
    fill(plan, target, 6, body)
    lead = Action.objects.get(name="Action 1").lead_unit
    client.force_login(viewer)
    page = client.get(plan.get_absolute_url(), {"unit": lead.pk}).content.decode()
    assert "Action 1" in page and "Action 4" in page
    assert ">2</td>" in page  # Action 1 keeps its number in the whole plan


def test_planner_adds_an_action_inline(client, body, plan, target, planner, unit):
    program = BudgetProgramFactory(body=body, code="001")
    client.force_login(planner)
    url = reverse("plans:action_new", args=[body.pk, plan.pk])
    form = client.get(url, {"anchor": f"indicator:{target.pk}"}, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "anchor": f"indicator:{target.pk}",
            "name": "Modernise 120 km of canals",
            "budget_programs": [program.pk],
            "lead_unit": unit.pk,
            "term_kind": "date",
            "term_date": "2026-12-20",
            "completion_form": CompletionForm.objects.first().pk,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="plan-table"' in page
    assert "by 20 december" in page.lower()
    action = Action.objects.get()
    assert action.budget_programs.get() == program
    # The page focuses the new action's row and empties the editor, keeping its attributes.
    assert f'<div id="plan-table" data-focus="action-{action.pk}">' in page
    assert '<div id="action-editor" hx-swap-oob="innerHTML"></div>' in page


def test_a_moved_action_is_the_row_the_page_focuses(client, body, plan, target, planner):
    fill(plan, target, 3, body)
    first = Action.objects.get(name="Action 0")
    client.force_login(planner)
    response = client.post(
        reverse("plans:action_move", args=[body.pk, plan.pk, first.pk]),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert f'<div id="plan-table" data-focus="action-{first.pk}">' in page
    assert "hx-swap-oob" not in page  # an open editor stays open


def test_a_term_outside_the_year_is_shown_on_its_field(client, body, plan, target, planner):
    client.force_login(planner)
    response = client.post(
        reverse("plans:action_new", args=[body.pk, plan.pk]),
        {
            "anchor": f"indicator:{target.pk}",
            "name": "Late",
            "term_kind": "date",
            "term_date": "2027-01-15",
        },
    )
    assert response.status_code == 400
    assert "term_date" in response.context["form"].errors
    assert not Action.objects.exists()


def test_an_executor_cannot_edit_the_plan(client, body, plan, target, executor):
    client.force_login(executor)
    url = reverse("plans:action_new", args=[body.pk, plan.pk])
    assert client.post(url, {"anchor": f"indicator:{target.pk}", "name": "X"}).status_code == 403
    assert not Action.objects.exists()


def test_submit_with_errors_goes_to_the_check(client, body, plan, target, planner):
    client.force_login(planner)
    response = client.post(reverse("plans:transition", args=[body.pk, plan.pk, "submit"]))
    assert response["Location"] == reverse("plans:check", args=[body.pk, plan.pk])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    check = client.get(response["Location"]).content.decode()
    assert f"#indicator-{target.pk}" in check


def test_the_official_approves_and_the_plan_becomes_read_only(client, body, plan, planner):
    plan.approval_basis_on = dt.date(2025, 12, 1)
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    official = member(body, Role.OFFICIAL)
    client.force_login(official)
    client.post(reverse("plans:transition", args=[body.pk, plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    client.force_login(planner)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "+ action" not in page
    assert "late" in page


def test_an_htmx_form_error_goes_back_into_the_editor(client, body, plan, target, planner):
    client.force_login(planner)
    response = client.post(
        reverse("plans:action_new", args=[body.pk, plan.pk]),
        {"anchor": f"indicator:{target.pk}", "name": "", "term_kind": "quarter"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#action-editor"
    assert "name_en" in response.context["form"].errors  # the page's language


def test_a_unit_sees_only_its_own_proposals(client, body, plan, target, executor, viewer, unit):
    from jospar.plans.models import Proposal

    other_unit = UnitFactory(body=body, name="Legal department")
    Proposal.objects.create(
        plan=plan, unit=other_unit, author=viewer, indicator=target, name="Their proposal"
    )
    Proposal.objects.create(plan=plan, unit=unit, author=executor, indicator=target, name="Ours")
    url = reverse("plans:proposals", args=[body.pk, plan.pk])
    client.force_login(executor)
    page = client.get(url).content.decode()
    assert "Ours" in page and "Their proposal" not in page
    client.force_login(viewer)
    page = client.get(url).content.decode()
    assert "Ours" in page and "Their proposal" in page


def test_a_declined_proposal_shows_the_reason_to_the_unit(
    client, body, plan, target, executor, planner, unit
):
    from jospar.plans.models import Proposal, ProposalStatus

    proposal = Proposal.objects.create(
        plan=plan,
        unit=unit,
        author=executor,
        indicator=target,
        name="Ours",
        status=ProposalStatus.SIGNED,
    )
    client.force_login(planner)
    url = reverse("plans:proposal_decline", args=[body.pk, plan.pk, proposal.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Covered by action 3"})
    assert response.status_code == 302
    # Back at the proposal's row, which the page scrolls into view and focuses.
    proposals = reverse("plans:proposals", args=[body.pk, plan.pk])
    assert response["Location"] == f"{proposals}#proposal-{proposal.pk}"
    client.force_login(executor)
    page = client.get(reverse("plans:proposals", args=[body.pk, plan.pk])).content.decode()
    assert "Covered by action 3" in page

"""The trail of a proposal (R5): the unit head returns a draft to its executor with what to
change, the executor sends it again; the proposals page shows what the planner changed on
acceptance, side by side."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.inbox.selectors import Kind as WorkKind
from jospar.inbox.selectors import my_work
from jospar.notifications.models import Kind, Notification
from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.models import CompletionForm, ProposalStatus
from jospar.plans.terms import TermKind
from tests.factories import (
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
    return operational_plan(body, 2027)


@pytest.fixture
def indicator(plan):
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    target = TargetIndicatorFactory(goal=goal)
    IndicatorValueFactory(indicator=target, year=2027, planned=Decimal(5))
    return target


@pytest.fixture
def head(body, unit):
    return member(body, Role.UNIT_HEAD, unit=unit, username="head")


@pytest.fixture
def proposal(plan, indicator, unit, executor):
    return services.proposal_create(
        actor=executor,
        plan=plan,
        unit=unit,
        indicator=indicator,
        name="Inventory of canals",
        term_kind=TermKind.HALF,
        term_half=1,
        completion_form=CompletionForm.objects.get(name="Report"),
    )


def test_the_head_returns_a_draft_and_the_executor_sends_it_again(proposal, head, executor):
    with pytest.raises(ValidationError, match="Say what the executor should change"):
        services.proposal_return(actor=head, proposal=proposal, comment="  ")
    with pytest.raises(PermissionDenied):
        services.proposal_return(actor=executor, proposal=proposal, comment="Name the canals")

    returned = services.proposal_return(actor=head, proposal=proposal, comment="Name the canals")

    assert returned.status == ProposalStatus.RETURNED
    assert (returned.return_comment, returned.returned_by) == ("Name the canals", head)
    with pytest.raises(ValidationError, match="The proposal is returned to the executor"):
        services.proposal_sign(actor=head, proposal=returned)
    # the executor is told, and changes it
    note = Notification.objects.get(kind=Kind.PROPOSAL_RETURNED)
    assert note.recipient == executor
    assert note.params["comment"] == "Name the canals"
    changed = services.proposal_update(
        actor=executor, proposal=returned, name="Inventory of the main canals"
    )
    assert changed.status == ProposalStatus.RETURNED
    again = services.proposal_resubmit(actor=executor, proposal=changed)
    assert again.status == ProposalStatus.DRAFT
    assert services.proposal_sign(actor=head, proposal=again).status == ProposalStatus.SIGNED


def test_only_a_returned_proposal_is_sent_again(proposal, executor, head):
    with pytest.raises(ValidationError, match="The proposal is draft"):
        services.proposal_resubmit(actor=executor, proposal=proposal)
    services.proposal_sign(actor=head, proposal=proposal)
    with pytest.raises(ValidationError, match="signed off"):
        services.proposal_return(actor=head, proposal=proposal, comment="Too late")


def test_the_executor_finds_the_returned_proposal_in_their_work(proposal, head, executor):
    services.proposal_return(actor=head, proposal=proposal, comment="Name the canals")
    items = [item for item in my_work(executor) if item.kind == WorkKind.PROPOSALS_RETURNED]
    assert len(items) == 1
    assert items[0].title == (
        "1 proposal for the plan for 2027 returned by the head: change it and send it again"
    )


def test_the_edit_page_shows_the_heads_comment(client, proposal, head, executor):
    services.proposal_return(actor=head, proposal=proposal, comment="Name the canals")
    client.force_login(executor)
    url = reverse(
        "plans:proposal_edit", args=[proposal.plan.body_id, proposal.plan_id, proposal.pk]
    )
    page = client.get(url).content.decode()
    assert 'id="returned-comment"' in page and "Name the canals" in page


def test_the_pages_return_and_send_again(client, proposal, head, executor):
    args = [proposal.plan.body_id, proposal.plan_id, proposal.pk]
    client.force_login(head)
    refused = client.post(reverse("plans:proposal_return", args=args), {"comment": ""})
    assert refused.status_code == 400
    done = client.post(reverse("plans:proposal_return", args=args), {"comment": "Name them"})
    assert done.status_code == 302
    listing = client.get(reverse("plans:proposals", args=args[:2])).content.decode()
    assert "Name them" in listing

    client.force_login(executor)
    listing = client.get(reverse("plans:proposals", args=args[:2])).content.decode()
    assert "Send to the head again" in listing
    client.post(reverse("plans:proposal_resubmit", args=args))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_the_api_returns_and_sends_again(api, proposal, head, executor):
    url = f"/api/v1/proposals/{proposal.pk}/"
    assert api(head).post(url + "return/", {"comment": ""}).status_code == 400
    answer = api(head).post(url + "return/", {"comment": "Name the canals"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "returned"
    assert answer.json()["return_comment"] == "Name the canals"
    assert api(executor).post(url + "resubmit/").json()["status"] == "draft"


def accepted(proposal, head, planner, **edits):
    services.proposal_sign(actor=head, proposal=proposal)
    return services.proposal_accept(actor=planner, proposal=proposal, **edits)


def test_the_proposals_page_shows_what_the_planner_changed_on_acceptance(
    client, proposal, head, planner
):
    accepted(proposal, head, planner, name="Inventory of the main canals", term_half=2)
    client.force_login(planner)
    page = client.get(reverse("plans:proposals", args=[proposal.plan.body_id, proposal.plan_id]))
    html = page.content.decode()
    assert f'id="changes-{proposal.pk}"' in html
    assert "<del>Inventory of canals</del>" in html
    assert "<ins>Inventory of the main canals</ins>" in html
    assert "<del>1 half-year</del>" in html and "<ins>2 half-year</ins>" in html
    assert "change-lead" not in html  # what did not change is not listed


def test_a_proposal_taken_as_it_was_shows_no_changes(client, proposal, head, planner):
    accepted(proposal, head, planner)
    client.force_login(planner)
    page = client.get(reverse("plans:proposals", args=[proposal.plan.body_id, proposal.plan_id]))
    assert f'id="changes-{proposal.pk}"' not in page.content.decode()


def test_the_proposals_page_costs_the_same_queries_for_2_or_12_accepted(
    client, body, plan, indicator, unit, executor, head, planner
):
    client.force_login(planner)
    url = reverse("plans:proposals", args=[body.pk, plan.pk])
    partner = UnitFactory(body=body)
    counts = []
    for total in (2, 12):
        while plan.proposals.count() < total:
            made = services.proposal_create(
                actor=executor,
                plan=plan,
                unit=unit,
                indicator=indicator,
                name=f"Proposal {plan.proposals.count()}",
                term_kind=TermKind.QUARTER,
                term_quarter=3,
                co_executors=[partner],
            )
            accepted(made, head, planner, term_quarter=4)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

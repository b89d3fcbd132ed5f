"""The official approves the plan with the digital signature through NCALayer, and the unit
head signs a proposal off with it (issue 19), against the fake NCALayer (tests/e2e/ncalayer.py):
the signature is made of the document the page reads from its own URL, the page shows the
signer's certificate to confirm, the server verifies the signature and the page shows it; an
AUTH key is said in that panel before anything is posted, and nothing changes."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from jospar.orgs.models import Role, SignatureUse
from jospar.plans import services as plans
from jospar.plans.models import OperationalPlan, PlanStatus, Proposal, ProposalStatus
from jospar.plans.terms import TermKind
from jospar.signatures.models import Signature
from jospar.signatures.tests.pki import IIN
from tests.e2e.ncalayer import ANOTHER, CONFIRM, certificate_panel, confirm
from tests.e2e.test_accessibility import serious_violations
from tests.factories import member
from tests.worlds import plan_world

SIGN = "Sign with EDS"


@pytest.fixture
def world(transactional_db, clock):
    """The plan of `plan_world`, submitted for approval; the body signs the approval and the
    proposals' sign-off with the digital signature; the official's and the head's IIN is the
    one in the test certificates (each signs in a test of their own)."""
    clock("2026-01-05 10:00", tick=True)
    world = plan_world()
    world.body.eds_approval = SignatureUse.REQUIRED
    world.body.eds_sign_off = SignatureUse.REQUIRED
    world.body.save()
    world.official.iin = IIN
    world.official.save()
    return world


def plan_status(world):
    return OperationalPlan.objects.get(pk=world.plan.pk).status


def open_as_official(page, login, world):
    plans.plan_submit(actor=world.planner, plan=world.plan)
    login(world.official)
    page.goto(world.plan.get_absolute_url())
    expect(page.get_by_role("button", name="Approve the plan")).to_have_count(0)  # required
    button = page.get_by_role("button", name=SIGN)
    expect(button).to_be_enabled()
    return button


def test_the_official_approves_with_eds(page, login, world, ncalayer):
    open_as_official(page, login, world).click()
    confirm(page, "ТЕСТОВ ТЕСТ ТЕСТОВИЧ", IIN)

    expect(page.get_by_text("Done: approved.")).to_be_visible()
    signature = Signature.objects.get()
    expect(page.locator("#eds-signed")).to_have_text(
        re.compile(
            rf"^Signed with EDS: {re.escape(signature.signer_name)}, IIN {IIN}, "
            rf"05\.01\.2026 \d\d:\d\d, certificate {signature.certificate_serial}$"
        )
    )
    assert plan_status(world) == PlanStatus.APPROVED
    assert signature.signed_object == world.plan.revisions.get()
    assert len(ncalayer.requests) == 1
    assert serious_violations(page, Axe(), "the plan page signed with EDS") == []


def test_an_auth_key_is_said_on_the_approval(page, login, world, ncalayer, eds_ca):
    ncalayer.key = eds_ca.auth
    open_as_official(page, login, world).click()

    panel = certificate_panel(page)
    expect(panel).to_contain_text("This is an authentication (AUTH) key")
    expect(panel.get_by_role("button", name=CONFIRM)).to_have_count(0)
    assert serious_violations(page, Axe(), "the plan page, AUTH key said") == []
    panel.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name=SIGN)).to_be_enabled()
    expect(page.locator("#eds-signed")).to_have_count(0)
    assert plan_status(world) == PlanStatus.SUBMITTED
    assert not world.plan.revisions.exists() and not Signature.objects.exists()
    assert serious_violations(page, Axe(), "the plan page offering EDS") == []


def test_the_head_signs_a_proposal_off_with_eds(page, login, world, ncalayer, eds_ca):
    executor = member(world.body, Role.EXECUTOR, unit=world.unit, username="executor")
    head = member(world.body, Role.UNIT_HEAD, unit=world.unit, username="head")
    head.iin = IIN
    head.save()
    proposal = plans.proposal_create(
        actor=executor,
        plan=world.plan,
        unit=world.unit,
        indicator=world.indicator,
        name="Inventory of the canals",
        term_kind=TermKind.QUARTER,
        term_quarter=3,
        completion_form=world.form,
    )
    login(head)
    page.goto(reverse("plans:proposals", args=[world.body.pk, world.plan.pk]))
    row = page.locator(f"#proposal-{proposal.pk}")
    expect(row.get_by_role("button", name="Sign off")).to_have_count(0)  # required
    ncalayer.key = eds_ca.auth
    row.get_by_role("button", name=SIGN).click()
    panel = certificate_panel(page)
    expect(panel).to_contain_text("This is an authentication (AUTH) key")
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT

    ncalayer.key = eds_ca.signer
    panel.get_by_role("button", name=ANOTHER).click()
    confirm(page, IIN)

    expect(page.get_by_text("Signed off: Inventory of the canals")).to_be_visible()
    signature = Signature.objects.get()
    expect(page.locator(f"#eds-signed-{proposal.pk}")).to_contain_text(f"IIN {IIN}, 05.01.2026")
    assert signature.signed_object == proposal and signature.kind == "proposal"
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SIGNED
    assert serious_violations(page, Axe(), "the proposals page signed with EDS") == []

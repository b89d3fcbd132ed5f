"""A proposal's trail through the pages (R5): the unit head returns the draft to its executor
with what to change, the executor reads the comment, changes the proposal and sends it again,
the head signs it off, the planner accepts it with a sharper name and a later term, and the
proposals page shows the unit's wording beside the plan's."""

import pytest
from playwright.sync_api import expect

from jospar.plans import services
from jospar.plans.models import ProposalStatus
from jospar.plans.terms import TermKind
from tests.e2e.test_operational_plan import WATER, open_proposals, proposal_row
from tests.e2e.test_operational_plan import world as world  # noqa: F401 (the fixture)

DRAFT = "Line the canals"
CHANGED = "Line 12 km of the main irrigation canals"
IN_PLAN = "Line 12 km of the main irrigation canals of Turkistan region"
COMMENT = "Say how many kilometres and which canals"


@pytest.fixture
def proposal(world):  # noqa: F811
    return services.proposal_create(
        actor=world["executor"],
        plan=world["plan"],
        unit=world["water"],
        indicator=world["indicator"],
        name=DRAFT,
        term_kind=TermKind.QUARTER,
        term_quarter=2,
    )


def test_the_head_returns_a_proposal_and_the_planner_changes_it_on_acceptance(
    page,
    login,
    world,  # noqa: F811
    proposal,
):
    # The head reads the draft and returns it with what to change.
    login(world["head"])
    open_proposals(page)
    proposal_row(page, DRAFT).get_by_role("link", name="Return to the executor").click()
    page.get_by_label("What the executor should change").fill(COMMENT)
    page.get_by_role("button", name="Save").click()
    row = proposal_row(page, DRAFT)
    expect(row).to_contain_text("returned to the executor")
    expect(row).to_contain_text(COMMENT)
    expect(row.get_by_role("button", name="Sign off")).to_have_count(0)

    # The executor sees it in their work, reads the comment on the proposal, changes it.
    login(world["executor"])
    expect(page.locator("main")).to_contain_text("returned by the head")
    open_proposals(page)
    proposal_row(page, DRAFT).get_by_role("link", name="Edit").click()
    expect(page.locator("#returned-comment")).to_contain_text(COMMENT)
    page.get_by_role("textbox", name="Name (English)", exact=True).fill(CHANGED)
    page.get_by_role("button", name="Save").click()
    proposal_row(page, CHANGED).get_by_role("button", name="Send to the head again").click()
    expect(proposal_row(page, CHANGED)).to_contain_text("draft")

    # The head signs it off; the planner accepts it, sharpened and a quarter later.
    login(world["head"])
    open_proposals(page)
    proposal_row(page, CHANGED).get_by_role("button", name="Sign off").click()
    login(world["planner"])
    open_proposals(page)
    proposal_row(page, CHANGED).get_by_role("link", name="Accept").click()
    page.get_by_role("textbox", name="Name (English)", exact=True).fill(IN_PLAN)
    page.get_by_label("Term quarter").select_option("3")
    page.get_by_label("Form of completion", exact=True).select_option(label="Report")
    page.get_by_role("button", name="Save").click()

    changes = page.locator(f"#changes-{proposal.pk}")
    expect(changes).to_contain_text("The planner changed it on acceptance")
    expect(changes.locator("tr.change-name_en del")).to_have_text(CHANGED)
    expect(changes.locator("tr.change-name_en ins")).to_have_text(IN_PLAN)
    expect(changes.locator("tr.change-term del")).to_have_text("2 quarter")
    expect(changes.locator("tr.change-term ins")).to_have_text("3 quarter")
    expect(changes.locator("tr.change-lead")).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert WATER in page.locator("#proposals").inner_text()

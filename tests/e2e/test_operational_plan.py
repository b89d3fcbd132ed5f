"""The operational plan through its pages: a unit proposes an action, its head signs it off,
the planner accepts it and adds another inline (HTMX), submits; the official approves late
(R6); nobody outside the unit or the planner's role can touch it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jospar.deadlines.calendar import today
from jospar.orgs.models import Role
from jospar.plans.models import (
    Action,
    CompletionForm,
    PlanStatus,
    Proposal,
    ProposalStatus,
    RegulationTask,
)
from tests.factories import (
    PASSWORD,
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)

WATER = "Department of Water Resources"
DIGITAL = "Department of Digitalisation"
PROPOSED = "Line 12 km of the main irrigation canals"
ACCEPTED = "Line 12 km of the main irrigation canals of Turkistan region"
INLINE = "Hold a seminar on water-saving technologies for farmers"


@pytest.fixture
def world(transactional_db, body):
    """1. The body's development plan, its 2026 operational plan and the people who work on it."""
    development = DevelopmentPlanFactory(
        body=body, title="Development plan", start_year=2025, end_year=2029
    )
    goal = GoalFactory(
        direction=DirectionFactory(plan=development, number=1, name="Water security"),
        number=1,
        name="Reliable water supply of the regions",
    )
    indicator = TargetIndicatorFactory(
        goal=goal, number=1, name="Share of lined irrigation canals", unit_of_measure="%"
    )
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal("34"))
    RegulationTask.objects.create(body=body, number=1, name="Keep the state water cadastre")
    # The shared list comes from a data migration, which an earlier transactional test flushes.
    CompletionForm.objects.get_or_create(body=None, name="Order of the Minister")
    CompletionForm.objects.get_or_create(body=None, name="Report")
    program = BudgetProgramFactory(body=body, code="254", name="Development of irrigation")

    water = UnitFactory(body=body, code="D2", name=WATER)
    digital = UnitFactory(body=body, code="D3", name=DIGITAL)
    return {
        "water": water,
        "indicator": indicator,
        "program": program,
        "plan": operational_plan(body, 2026, development_plan=development),
        "executor": member(body, Role.EXECUTOR, unit=water, username="e2e.executor"),
        "head": member(body, Role.UNIT_HEAD, unit=water, username="e2e.head"),
        "stranger": member(body, Role.EXECUTOR, unit=digital, username="e2e.stranger"),
        "planner": member(body, Role.PLANNER, username="e2e.planner"),
        "official": member(body, Role.OFFICIAL, username="e2e.official"),
    }


def open_plan(page):
    """From the start page, as people do: the body, then its plan for 2026."""
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Operational plan for 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")


def open_proposals(page):
    open_plan(page)
    page.get_by_role("link", name="Proposals of the units").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposals of the units")


def proposal_row(page, name):
    # the proposal's own row (an accepted one may have a row of changes under it)
    return page.locator("#proposals > tbody > tr[id^='proposal-']", has_text=name)


def action_rows(page):
    return page.locator("#plan-table tr.action")


def post_from_the_browser(page, url: str, form: dict):
    """A POST with the user's session and CSRF token, as a hand-made request would send it."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, form=form, headers={"X-CSRFToken": csrf})


def assert_refused(response) -> None:
    assert response.status == 403, response.status
    assert "CSRF verification failed" not in response.text(), (
        "refused by the CSRF check, not by the policy"
    )


def test_operational_plan_from_a_unit_proposal_to_approval(page, login, world):
    plan, indicator = world["plan"], world["indicator"]
    indicator_label = "Target indicator 1. Share of lined irrigation canals"

    # 2. The executor proposes an action for the unit.
    login(world["executor"])
    open_proposals(page)
    page.get_by_role("link", name=f"Propose an action for {WATER}").click()
    page.get_by_label("In the plan under").select_option(label=indicator_label)
    page.get_by_role("textbox", name="Name (English)", exact=True).fill(PROPOSED)
    page.get_by_label("254 — Development of irrigation").check()
    page.get_by_label("Term of execution").select_option(label="in a quarter")
    page.get_by_label("Term quarter").select_option("2")
    page.get_by_label("Form of completion", exact=True).select_option(label="Order of the Minister")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    row = proposal_row(page, PROPOSED)
    expect(row).to_contain_text(WATER)
    expect(row).to_contain_text("2 quarter")
    expect(row).to_contain_text("draft")
    # An executor may edit the draft, but signing off is the unit head's.
    expect(row.get_by_role("link", name="Edit")).to_be_visible()
    expect(row.get_by_role("button", name="Sign off")).to_have_count(0)

    # 2b. The executor of another unit sees neither the draft nor a way to act on it.
    login(world["stranger"])
    open_proposals(page)
    expect(page.get_by_role("link", name=f"Propose an action for {DIGITAL}")).to_be_visible()
    expect(page.get_by_role("link", name=f"Propose an action for {WATER}")).to_have_count(0)
    expect(proposal_row(page, PROPOSED)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign off")).to_have_count(0)
    expect(page.locator("#proposals").get_by_role("link", name="Edit")).to_have_count(0)
    proposal = Proposal.objects.get(name=PROPOSED)
    args = [plan.body_id, plan.pk, proposal.pk]
    assert page.request.get(reverse("plans:proposal_edit", args=args)).status == 403
    assert_refused(post_from_the_browser(page, reverse("plans:proposal_sign", args=args), {}))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT

    # 3. The unit head signs the proposal off.
    login(world["head"])
    open_proposals(page)
    proposal_row(page, PROPOSED).get_by_role("button", name="Sign off").click()
    expect(page.get_by_text(f"Signed off: {PROPOSED}")).to_be_visible()
    expect(proposal_row(page, PROPOSED)).to_contain_text("signed off by the unit head")

    # 4. The planner accepts it, sharpening the name, and sees it as action 1 of the plan.
    login(world["planner"])
    open_proposals(page)
    proposal_row(page, PROPOSED).get_by_role("link", name="Accept").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Accept the proposal of {WATER} into the plan"
    )
    expect(page.get_by_label("In the plan under")).to_have_value(f"indicator:{indicator.pk}")
    page.get_by_role("textbox", name="Name (English)", exact=True).fill(ACCEPTED)
    page.get_by_role("button", name="Save").click()
    expect(proposal_row(page, PROPOSED)).to_contain_text("accepted into the plan")
    page.get_by_role("link", name="Back to the plan").click()
    expect(action_rows(page)).to_have_count(1)
    first = action_rows(page).first
    expect(first.locator("td.num")).to_have_text("1")
    expect(first).to_contain_text(ACCEPTED)
    expect(first).to_contain_text("254")
    expect(first).to_contain_text(WATER)
    expect(first).to_contain_text("2 quarter")
    expect(first).to_contain_text("Order of the Minister")

    # 5. The planner adds a second action under the same indicator, inline: no page reload.
    page.evaluate("window.notReloaded = true")
    page.locator(f"#indicator-{indicator.pk}").get_by_role("button", name="+ action").click()
    editor = page.locator("#action-editor")
    expect(editor.get_by_role("heading", name="New action")).to_be_visible()
    expect(editor.get_by_label("In the plan under")).to_have_value(f"indicator:{indicator.pk}")
    editor.get_by_role("textbox", name="Name (English)", exact=True).fill(INLINE)
    editor.get_by_label("Responsible executor").select_option(label=WATER)
    editor.get_by_label("Term of execution").select_option(label="by a date")
    # Only the field the kind of term uses is shown (plans.js).
    expect(editor.get_by_label("Term quarter")).to_be_hidden()
    editor.get_by_label("Term date").fill("2027-03-01")  # outside the plan year
    editor.get_by_label("Form of completion", exact=True).select_option(label="Report")
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("alert")).to_have_text("The date is outside the plan year 2026.")
    expect(action_rows(page)).to_have_count(1)

    editor.get_by_label("Term date").fill("2026-03-01")
    editor.get_by_role("button", name="Save").click()
    expect(action_rows(page)).to_have_count(2)
    expect(editor).to_be_empty()
    second = action_rows(page).nth(1)
    expect(second.locator("td.num")).to_have_text("2")
    expect(second).to_contain_text(INLINE)
    expect(second).to_contain_text("by 1 March")
    assert page.evaluate("window.notReloaded") is True

    # It comes first: moved up, the numbers follow the new order.
    second.get_by_role("button", name="↑").click()
    expect(action_rows(page).first).to_contain_text(INLINE)
    expect(action_rows(page).first.locator("td.num")).to_have_text("1")
    expect(action_rows(page).nth(1)).to_contain_text(ACCEPTED)
    expect(action_rows(page).nth(1).locator("td.num")).to_have_text("2")
    assert page.evaluate("window.notReloaded") is True

    # R6 for 2026 of a development plan signed on 20.12.2024: no basis date yet; the planner
    # records the day the development plan's values for 2026 were confirmed.
    deadline = page.locator("#approval-deadline")
    expect(deadline).to_contain_text("basis date not recorded")
    page.locator("#plan-edit-link").click()
    page.get_by_label("Approval basis date (R6)").fill("2025-12-01")
    page.get_by_role("button", name="Save").click()
    expect(deadline).to_contain_text(
        "11.12.2025 (10 days from the basis date recorded on the plan, 01.12.2025)"
    )

    page.get_by_role("button", name="Submit for approval").click()
    # `.first`: the page shows it twice (test_the_plan_page_shows_a_message_once).
    expect(page.get_by_text("Done: submitted for approval.").first).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("submitted for approval")
    expect(page.get_by_role("button", name="+ action")).to_have_count(0)

    # 6. The official approves; ten days from 01.12.2025 are past, so it is late.
    login(world["official"])
    open_plan(page)
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text("Done: approved.").first).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("approved")
    deadline = page.locator("#approval-deadline")
    expect(deadline).to_contain_text("11.12.2025")
    expect(deadline).to_contain_text(f"approved on {today():%d.%m.%Y}, late")
    expect(deadline).to_contain_text(re.compile(r"\d+ days late"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_late

    # 7. The executor of another unit: no way to act on the first unit's proposal or actions.
    login(world["stranger"])
    open_proposals(page)
    expect(proposal_row(page, PROPOSED)).to_have_count(0)
    for name in ("Sign off", "Accept", "Edit"):
        expect(page.locator("#proposals").get_by_role("button", name=name)).to_have_count(0)
        expect(page.locator("#proposals").get_by_role("link", name=name)).to_have_count(0)
    page.get_by_role("link", name="Back to the plan").click()
    expect(action_rows(page)).to_have_count(2)
    expect(page.locator("#plan-table").get_by_role("button")).to_have_count(0)
    action = Action.objects.get(name=ACCEPTED)
    edit_url = reverse("plans:action_edit", args=[plan.body_id, plan.pk, action.pk])
    assert page.request.get(edit_url).status == 403
    form = {"anchor": f"indicator:{indicator.pk}", "name": "Taken over by another unit"}
    assert_refused(post_from_the_browser(page, edit_url, form))
    action.refresh_from_db()
    assert action.name == ACCEPTED

    # An approved plan is frozen: no "+ action" even for the planner.
    login(world["planner"])
    open_plan(page)
    expect(action_rows(page)).to_have_count(2)
    expect(page.get_by_role("button", name="+ action")).to_have_count(0)
    expect(page.get_by_role("button", name="↑")).to_have_count(0)


# --- what the flow above works around: fails until the app is fixed -------------------------


@pytest.fixture
def complete_action(world):
    """The plan with one complete action under the indicator."""
    return Action.objects.create(
        plan=world["plan"],
        indicator=world["indicator"],
        name=ACCEPTED,
        lead_unit=world["water"],
        term_kind="date",
        term_date=dt.date(2026, 12, 20),
        completion_form=CompletionForm.objects.get(body=None, name="Report"),
        position=1,
    )


def test_the_plan_page_shows_a_message_once(page, login, world, complete_action):
    login(world["planner"])
    open_plan(page)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("h1 .status")).to_have_text("submitted for approval")
    expect(
        page.get_by_text("Done: submitted for approval."),
        "BUG: plan.html shows the messages twice, from base.html and again from the "
        "plan_table.html it includes; the table should show them only in an HTMX response.",
    ).to_have_count(1)


def test_a_refused_move_says_why(page, login, world, complete_action):
    Action.objects.create(
        plan=world["plan"],
        indicator=world["indicator"],
        name=INLINE,
        lead_unit=world["water"],
        term_kind="year",
        completion_form=complete_action.completion_form,
        position=2,
    )
    login(world["planner"])
    open_plan(page)
    # Meanwhile, in another tab, the plan goes for approval.
    plan = world["plan"]
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    action_rows(page).nth(1).get_by_role("button", name="↑").click()
    expect(
        page.get_by_text("The plan is submitted for approval and cannot be changed."),
        "BUG jospar/plans/views.py _act_and_render_table: the message is added after the "
        "table is rendered, and HTMX 2 does not swap the 400 response (nothing listens for "
        "josparError), so the planner's click does nothing visible.",
    ).to_be_visible()
    expect(action_rows(page).first).to_contain_text(ACCEPTED)


def test_two_planners_editing_one_action_do_not_overwrite_each_other(
    page, login, world, complete_action, chromium, live_server
):
    mine, theirs = "Line 12 km of the main canal", "Line the main canal by May"
    login(world["planner"])
    open_plan(page)
    action_rows(page).first.get_by_role("button", name="Edit").click()
    editor = page.locator("#action-editor")
    editor.get_by_role("textbox", name="Name (English)", exact=True).fill(mine)

    other = chromium.new_context(base_url=live_server.url, locale="en-GB")
    other.set_default_timeout(10_000)
    try:
        second = other.new_page()
        colleague = member(world["plan"].body, Role.PLANNER, username="e2e.planner2")
        second.goto("/accounts/login/")
        second.get_by_label("Username").fill(colleague.username)
        second.get_by_label("Password").fill(PASSWORD)
        second.get_by_role("button", name="Log in").click()
        open_plan(second)
        action_rows(second).first.get_by_role("button", name="Edit").click()
        their_editor = second.locator("#action-editor")
        their_editor.get_by_role("textbox", name="Name (English)", exact=True).fill(theirs)
        their_editor.get_by_role("button", name="Save").click()
        expect(action_rows(second).first).to_contain_text(theirs)
    finally:
        other.close()

    # The first planner saves what they typed: told, not written over the colleague's save.
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("alert").first).to_contain_text("saved this at")
    expect(editor).to_contain_text(f"They saved: {theirs}")
    expect(editor.get_by_role("textbox", name="Name (English)", exact=True)).to_have_value(mine)
    complete_action.refresh_from_db()
    assert complete_action.name == theirs
    # Saving again is a deliberate choice: now theirs is replaced.
    editor.get_by_role("button", name="Save").click()
    expect(action_rows(page).first).to_contain_text(mine)
    complete_action.refresh_from_db()
    assert complete_action.name == mine


def test_the_planner_adds_an_ongoing_action_under_section_two_without_a_task(page, login, world):
    """Section II's heading has its "+ action"; the ongoing term asks its text in each
    language and the table shows it as written."""
    login(world["planner"])
    open_plan(page)
    page.locator("#section-2").get_by_role("button", name="+ action").click()
    editor = page.locator("#action-editor")
    expect(editor.get_by_label("In the plan under")).to_have_value("section:2")
    editor.get_by_role("textbox", name="Name (English)", exact=True).fill("Answer the letters")
    editor.get_by_label("Responsible executor").select_option(label=WATER)
    russian = editor.get_by_role("textbox", name="Term as written (Russian)")
    expect(russian).to_be_hidden()  # no kind chosen yet
    editor.get_by_label("Term of execution").select_option(label="as needed / ongoing")
    expect(russian).to_be_visible()
    expect(editor.get_by_label("Term date")).to_be_hidden()
    russian.fill("по мере поступления")
    editor.get_by_role("textbox", name="Term as written (Kazakh)").fill("түсуіне қарай")
    editor.get_by_label("Form of completion", exact=True).select_option(label="Report")
    editor.get_by_role("button", name="Save").click()
    expect(action_rows(page)).to_have_count(1)
    row = page.locator("#section-2 + tr.action")
    expect(row).to_contain_text("Answer the letters")
    expect(row).to_contain_text("по мере поступления")  # English falls back to Russian
    action = Action.objects.get(plan=world["plan"])
    assert (action.indicator, action.task, action.term_kind) == (None, None, "ongoing")
    assert (action.term_text_ru, action.term_text_kk) == ("по мере поступления", "түсуіне қарай")

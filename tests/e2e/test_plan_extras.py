"""What the plan pages can do beyond the main flows: the planner deletes an action inline and
filters the plan by a unit; declines a proposal with a reason; the completeness check points at
what is missing; the official returns the plan with comments; the administrator adds a form of
completion of the body; a monitor reopens accepted quarterly information."""

import re
from decimal import Decimal
from urllib.parse import unquote_plus

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from jospar.monitoring import services as monitoring_services
from jospar.monitoring.models import EntryStatus, Submission, SubmissionStatus
from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.models import (
    Action,
    CompletionForm,
    PlanStatus,
    ProposalStatus,
    RegulationTask,
)
from jospar.plans.terms import TermKind
from tests.e2e.test_accessibility import serious_violations
from tests.factories import (
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
INDICATOR = "Target indicator 1. Share of lined irrigation canals"
LINING = "Line 12 km of the main irrigation canals of Turkistan region"
SEMINAR = "Hold a seminar on water-saving technologies for farmers"
PORTAL = "Launch the portal of the water users"
CADASTRE = "Update the state water cadastre for the irrigated lands"
METERS = "Install water meters at the heads of the canals"
OFFICIAL = "Abenov Nurlan"
MONITOR = "Monitorova Saule"


@pytest.fixture
def world(transactional_db, body):
    """The body's development plan with one target indicator for 2026 and a task of the
    regulation, its draft operational plan for 2026, two units and the people."""
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
    task = RegulationTask.objects.create(body=body, number=1, name="Keep the state water cadastre")
    # The shared list comes from a data migration, which an earlier transactional test flushes.
    report, _created = CompletionForm.objects.get_or_create(body=None, name="Report")
    order, _created = CompletionForm.objects.get_or_create(body=None, name="Order of the Minister")
    water = UnitFactory(body=body, code="D2", name=WATER)
    digital = UnitFactory(body=body, code="D3", name=DIGITAL)
    return {
        "body": body,
        "development": development,
        "goal": goal,
        "indicator": indicator,
        "task": task,
        "report": report,
        "order": order,
        "program": BudgetProgramFactory(body=body, code="254", name="Development of irrigation"),
        "water": water,
        "digital": digital,
        "plan": operational_plan(body, 2026, development_plan=development),
        "planner": member(body, Role.PLANNER, username="e2e.planner", first_name="Aliya"),
        "official": member(
            body, Role.OFFICIAL, username="e2e.official", first_name="Nurlan", last_name="Abenov"
        ),
        "admin": member(body, Role.ADMINISTRATOR, username="e2e.admin"),
        "executor": member(body, Role.EXECUTOR, unit=water, username="e2e.executor"),
        "head": member(body, Role.UNIT_HEAD, unit=water, username="e2e.head"),
    }


def add_action(world, name, *, lead, task=False, co_executors=(), quarter=None):
    """An action of the plan, added by the planner; under the indicator unless `task`."""
    term = {"term_kind": TermKind.YEAR}
    if quarter:
        term = {"term_kind": TermKind.QUARTER, "term_quarter": quarter}
    return services.action_create(
        actor=world["planner"],
        plan=world["plan"],
        name=name,
        indicator=None if task else world["indicator"],
        task=world["task"] if task else None,
        lead_unit=lead,
        co_executors=list(co_executors),
        completion_form=world["report"],
        **term,
    )


def open_plan(page):
    """From the start page, as people do: the body, then its plan for 2026."""
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Operational plan for 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")


def action_rows(page):
    return page.locator("#plan-table tr.action")


def action_row(page, name):
    return page.locator("#plan-table tr.action", has_text=name)


def unit_filter(page):
    """The "Unit" select above the plan (its label also holds the options' text)."""
    return page.get_by_role("combobox", name="Unit", exact=True)


def expect_numbered(page, *rows: tuple[str, str]):
    """The table shows exactly these actions, in this order, with these numbers."""
    expect(action_rows(page)).to_have_count(len(rows))
    for index, (number, name) in enumerate(rows):
        row = action_rows(page).nth(index)
        expect(row.locator("td.num")).to_have_text(number)
        expect(row).to_contain_text(name)


# --- 1. deleting inline, filtering by a unit ----------------------------------------------------


def test_planner_deletes_inline_and_works_on_the_plan_filtered_by_a_unit(page, login, world):
    water, digital = world["water"], world["digital"]
    lining = add_action(world, LINING, lead=water)
    add_action(world, SEMINAR, lead=digital, co_executors=[water])
    add_action(world, PORTAL, lead=digital)
    add_action(world, CADASTRE, lead=water, task=True)

    login(world["planner"])
    open_plan(page)
    expect_numbered(page, ("1", LINING), ("2", SEMINAR), ("3", PORTAL), ("4", CADASTRE))

    # Deleted inline, after a confirmation: the following numbers close up without a reload.
    page.evaluate("window.notReloaded = true")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    action_row(page, LINING).get_by_role("button", name="Delete").click()
    expect_numbered(page, ("1", SEMINAR), ("2", PORTAL), ("3", CADASTRE))
    assert asked == ["Delete this action?"]
    assert page.evaluate("window.notReloaded") is True
    assert not Action.objects.filter(pk=lining.pk).exists()

    # Filtered by the unit: the actions it leads or co-executes, with their whole-plan numbers.
    unit_filter(page).select_option(label=WATER)
    expect(page).to_have_url(re.compile(rf"\?unit={water.pk}$"))
    expect(unit_filter(page)).to_have_value(str(water.pk))
    expect_numbered(page, ("1", SEMINAR), ("3", CADASTRE))
    expect(action_row(page, SEMINAR)).to_contain_text(f"co-executors: {WATER}")
    expect(action_row(page, PORTAL)).to_have_count(0)

    # An action added inline while filtered: the table stays filtered.
    page.evaluate("window.notReloaded = true")
    indicator = world["indicator"]
    page.locator(f"#indicator-{indicator.pk}").get_by_role("button", name="+ action").click()
    editor = page.locator("#action-editor")
    expect(editor.get_by_role("heading", name="New action")).to_be_visible()
    expect(editor.get_by_label("In the plan under")).to_have_value(f"indicator:{indicator.pk}")
    editor.get_by_role("textbox", name="Name (English)", exact=True).fill(METERS)
    editor.get_by_label("Responsible executor").select_option(label=WATER)
    editor.get_by_label("Term of execution").select_option(label="in a quarter")
    editor.get_by_label("Term quarter").select_option("3")
    editor.get_by_label("Form of completion", exact=True).select_option(label="Report")
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_be_empty()
    expect_numbered(page, ("1", SEMINAR), ("3", METERS), ("4", CADASTRE))
    expect(action_row(page, METERS)).to_contain_text("3 quarter")
    expect(action_row(page, PORTAL)).to_have_count(0)
    expect(unit_filter(page)).to_have_value(str(water.pk))
    assert page.evaluate("window.notReloaded") is True

    # All units again: the new action sits in the whole plan at its number.
    unit_filter(page).select_option(label="all units")
    expect_numbered(page, ("1", SEMINAR), ("2", PORTAL), ("3", METERS), ("4", CADASTRE))


# --- 2. declining a proposal --------------------------------------------------------------------


def test_planner_declines_a_proposal_with_a_reason_the_unit_sees(page, login, world):
    proposal = services.proposal_create(
        actor=world["executor"],
        plan=world["plan"],
        unit=world["water"],
        indicator=world["indicator"],
        task=None,
        name=LINING,
        term_kind=TermKind.QUARTER,
        term_quarter=2,
        completion_form=world["order"],
    )
    services.proposal_sign(actor=world["head"], proposal=proposal)
    reason = "The lining is financed by the regional akimat in 2026"

    login(world["planner"])
    open_plan(page)
    page.get_by_role("link", name="Proposals of the units").click()
    row = page.locator("#proposals tbody tr", has_text=LINING)
    expect(row).to_contain_text("signed off by the unit head")
    row.get_by_role("link", name="Decline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decline the proposal “{LINING}”")

    page.get_by_role("button", name="Save").click()  # no reason: refused
    expect(page.get_by_role("alert")).to_have_text(
        "Say why the proposal is declined; the unit sees it."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SIGNED

    page.get_by_label("Reason (the unit sees it)").fill(reason)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    # Back on the proposals page at the proposal's row, in view and focused.
    assert page.url.endswith(f"/proposals/#proposal-{proposal.pk}"), page.url
    expect(row).to_be_focused()
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("declined")
    expect(row).to_contain_text(f"Reason: {reason}")
    expect(row.get_by_role("link", name="Accept")).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decline_reason == reason

    # The executor who proposed it sees it declined, and why.
    login(world["executor"])
    open_plan(page)
    page.get_by_role("link", name="Proposals of the units").click()
    expect(row).to_contain_text("declined")
    expect(row).to_contain_text(f"Reason: {reason}")
    expect(row.get_by_role("link", name="Edit")).to_have_count(0)


# --- 3. the completeness check ------------------------------------------------------------------


def test_the_check_lists_an_indicator_without_actions_and_submitting_is_refused(page, login, world):
    add_action(world, LINING, lead=world["water"])
    add_action(world, CADASTRE, lead=world["water"], task=True)
    meters = TargetIndicatorFactory(
        goal=world["goal"], number=2, name="Share of metered water intakes", unit_of_measure="%"
    )
    IndicatorValueFactory(indicator=meters, year=2026, planned=Decimal("60"))
    message = (
        "Target indicator 2. Share of metered water intakes has a value for 2026 but no actions."
    )

    login(world["planner"])
    open_plan(page)
    page.get_by_role("link", name="Completeness check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Completeness check: Operational plan for 2026"
    )
    expect(page.get_by_text("1 error blocks the submission.")).to_be_visible()
    # (besides the warnings of names the world wrote in English only: no Kazakh, no Russian)
    problems = page.locator("#problems li.error")
    expect(problems).to_have_count(1)
    expect(problems.first.locator(".tag")).to_have_text("error")

    # The error leads to the indicator's row in the plan.
    problems.first.get_by_role("link", name=message).click()
    expect(page).to_have_url(re.compile(rf"/operational-plans/{world['plan'].pk}/#indicator-"))
    assert page.url.endswith(f"#indicator-{meters.pk}"), page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")
    target = page.locator(":target")
    expect(target).to_have_attribute("id", f"indicator-{meters.pk}")
    expect(target).to_contain_text("Share of metered water intakes")
    expect(target).to_be_in_viewport()

    # Submitting is refused and goes to the check.
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Completeness check: Operational plan for 2026"
    )
    expect(
        page.get_by_text("The completeness check found 1 error; fix it before submitting.")
    ).to_be_visible()
    expect(page.get_by_role("link", name=message)).to_be_visible()
    world["plan"].refresh_from_db()
    assert world["plan"].status == PlanStatus.DRAFT


# --- 4. returned with comments ------------------------------------------------------------------


def test_the_official_returns_the_plan_with_comments_and_the_planner_resubmits(page, login, world):
    plan = world["plan"]
    add_action(world, LINING, lead=world["water"], quarter=2)
    add_action(world, CADASTRE, lead=world["water"], task=True)
    services.plan_submit(actor=world["planner"], plan=plan)
    comment = "Move the lining of the canals to the 3rd quarter, after the irrigation season"

    login(world["official"])
    open_plan(page)
    expect(page.locator("h1 .status")).to_have_text("submitted for approval")
    page.get_by_text("Return with comments").click()
    page.get_by_label("What must be corrected").fill(comment)
    page.get_by_role("button", name="Return the plan").click()
    expect(page.get_by_text("Done: returned for revision.")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("returned for revision")
    expect(page.get_by_role("button", name="Approve the plan")).to_have_count(0)

    # The planner sees the status and the comment in the plan's steps.
    login(world["planner"])
    open_plan(page)
    expect(page.locator("h1 .status")).to_have_text("returned for revision")
    returned = page.locator("ul.events li", has_text="returned with comments")
    expect(returned).to_contain_text(OFFICIAL)
    expect(returned.locator("q")).to_have_text(comment)

    # Edits as asked, inline, and submits again.
    action_row(page, LINING).get_by_role("button", name="Edit").click()
    editor = page.locator("#action-editor")
    expect(editor.get_by_role("heading", name="Edit the action")).to_be_visible()
    editor.get_by_label("Term quarter").select_option("3")
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_be_empty()
    expect(action_row(page, LINING)).to_contain_text("3 quarter")

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Done: submitted for approval.")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("submitted for approval")
    expect(page.locator("ul.events li", has_text="submitted for approval")).to_have_count(2)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


# --- 5. a form of completion of the body --------------------------------------------------------


def test_the_administrator_adds_a_form_of_completion_the_planner_then_picks(page, login, world):
    protocol = "Protocol of the basin water council"
    add_action(world, LINING, lead=world["water"])

    login(world["admin"])  # lands on "My work", whence the body is one click away
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.locator("ul.cards").get_by_role("link", name="Ministry of Water Resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ministry of Water Resources")
    page.get_by_role("link", name="Add a form of completion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New form of completion")
    page.get_by_role("textbox", name="Name (English)").fill("Report")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("The shared list already has this form.")
    page.get_by_role("textbox", name="Name (English)").fill(protocol)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert CompletionForm.objects.get(name=protocol).body == world["body"]

    login(world["planner"])
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.locator("ul.cards").get_by_role("link", name="Ministry of Water Resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ministry of Water Resources")
    expect(page.get_by_role("link", name="Add a form of completion")).to_have_count(0)
    open_plan(page)
    action_row(page, LINING).get_by_role("button", name="Edit").click()
    editor = page.locator("#action-editor")
    completion = editor.get_by_label("Form of completion", exact=True)
    expect(completion.locator("option", has_text=protocol)).to_have_count(1)
    completion.select_option(label=protocol)
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_be_empty()
    expect(action_row(page, LINING).locator("td").nth(5)).to_have_text(protocol)


# --- 6. reopening accepted quarterly information -------------------------------------------------


@pytest.fixture
def accepted(world, clock):
    """The plan approved in January; the Department of Water Resources' information for the
    2nd quarter signed off by its head and accepted by the monitor in July."""
    clock("2026-01-12 10:00")
    plan, water = world["plan"], world["water"]
    lining = add_action(world, LINING, lead=water, quarter=2)
    add_action(world, CADASTRE, lead=water, task=True)
    services.plan_submit(actor=world["planner"], plan=plan)
    plan = services.plan_approve(actor=world["official"], plan=plan)

    clock("2026-07-06 10:00")
    monitor = member(
        world["body"],
        Role.MONITOR,
        username="e2e.monitor",
        last_name="Monitorova",
        first_name="Saule",
    )
    submission = monitoring_services.submission_open(
        actor=world["executor"], plan=plan, unit=water, quarter=2
    )
    monitoring_services.entry_save(
        actor=world["executor"],
        submission=submission,
        action_id=lining.pk,
        status=EntryStatus.EXECUTED,
        actual="Lined 12.4 km of canals; acceptance certificate of 28 June",
        reasons="",
        version=0,
    )
    submission = monitoring_services.submission_sign(actor=world["head"], submission=submission)
    monitoring_services.submission_accept(actor=monitor, submission=submission)
    clock("2026-07-08 10:00")
    return {"lining": lining, "monitor": monitor}


def open_quarter(page, quarter: int = 2):
    page.goto("/")
    open_plan(page)
    page.locator("#monitoring-links").get_by_role(
        "link", name=f"Quarter {quarter}", exact=True
    ).click()


def autosave(page, action, change, typed: str):
    """Make `change` in the action's entry and wait for the autosave that carries `typed`."""
    page.wait_for_load_state("load")  # htmx wires the autosave once the page has loaded

    def carries(response):
        request = response.request
        return (
            request.method == "POST"
            and f"/entries/{action.pk}/" in request.url
            and typed in unquote_plus(request.post_data or "")
        )

    with page.expect_response(carries):
        change()
    expect(page.locator(f"#saved-{action.pk}")).to_have_text(re.compile(r"^saved at "))


def submission_status():
    return Submission.objects.get().status


def test_a_monitor_reopens_accepted_information_with_a_reason(page, login, world, accepted):
    lining = accepted["lining"]
    reason = "The acceptance certificate is dated after the end of the quarter"

    login(accepted["monitor"])
    open_quarter(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring: quarter 2 of 2026")
    page.locator("#board tbody tr", has_text=WATER).get_by_role("link", name=WATER).click()
    expect(page.locator("h1 .status")).to_have_text("accepted")
    page.locator("summary", has_text="Reopen").click()
    reopen = page.get_by_role("button", name="Reopen", exact=True)
    reopen.click()  # no reason: refused
    expect(page.locator(".messages")).to_have_text("State why the information is reopened.")
    expect(page.locator("h1 .status")).to_have_text("accepted")
    assert submission_status() == SubmissionStatus.ACCEPTED

    page.locator("summary", has_text="Reopen").click()
    page.get_by_label("Reason for reopening").fill(reason)
    reopen.click()
    expect(page.get_by_text("Done: returned for correction.")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("returned for correction")
    assert submission_status() == SubmissionStatus.RETURNED

    # The unit sees the reason in the rounds and can edit its information again.
    login(world["executor"])
    open_quarter(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{WATER}: information for quarter 2 of 2026"
    )
    expect(page.locator("h1 .status")).to_have_text("returned for correction")
    reopened = page.locator("#rounds li", has_text="reopened")
    expect(reopened).to_contain_text(MONITOR)
    expect(reopened.locator("q")).to_have_text(reason)

    corrected = "Lined 12.4 km of canals; acceptance certificate of 28 June, registered 30 June"
    field = page.locator(f"#action-{lining.pk}").get_by_label("Actual execution")
    expect(field).to_be_editable()
    autosave(page, lining, lambda: field.fill(corrected), corrected)
    autosave(page, lining, field.blur, corrected)  # the "change" save, before the next step
    assert Submission.objects.get().entries.get(action=lining).actual == corrected


# --- the plan's own details, edited by two planners ---------------------------------------------


def test_the_planner_edits_the_plans_details_and_meets_a_colleagues_save(page, login, world):
    login(world["planner"])
    open_plan(page)
    page.locator("#plan-edit-link").click()
    page.get_by_label("Unit responsible for the plan").select_option(label=WATER)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/operational-plans/\d+/$"))  # back on the plan
    world["plan"].refresh_from_db()
    assert world["plan"].planning_unit == world["water"]

    page.locator("#plan-edit-link").click()
    page.get_by_label("Unit responsible for the plan").select_option(label=DIGITAL)
    colleague = member(world["body"], Role.PLANNER, username="e2e.planner2", first_name="Dana")
    services.plan_update(  # a colleague saves while this page is open
        actor=colleague,
        plan=world["plan"],
        version=world["plan"].version,
        planning_unit=None,
        basis_text="Changed by the colleague",
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("saved this at")).to_be_visible()
    expect(page.get_by_text("nothing of yours was saved")).to_be_visible()
    # the planner's choice is kept in the form; saving again replaces the colleague's on purpose
    expect(page.get_by_label("Unit responsible for the plan")).to_have_value(
        str(world["digital"].pk)
    )
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/operational-plans/\d+/$"))  # back on the plan
    world["plan"].refresh_from_db()
    assert world["plan"].planning_unit == world["digital"]


# --- 8. a long plan: the editor and the check's links land where the person works ---------------

LONG_PLAN = 2000  # actions under the indicator: the task's row and row 150 are far below the top


def long_plan(world) -> list[Action]:
    """The indicator's 2,000 actions, made at once by the service, and one under the task."""
    common = {
        "lead_unit": world["water"],
        "completion_form": world["report"],
        "term_kind": TermKind.YEAR,
        "co_executors": [],
    }
    return services.actions_create(
        actor=world["planner"],
        plan=world["plan"],
        actions=[
            {"name": f"Line canal section {n}", "indicator": world["indicator"], **common}
            for n in range(1, LONG_PLAN + 1)
        ]
        + [{"name": CADASTRE, "task": world["task"], **common}],
    )


def first_field(editor):
    """The editor's first field a person fills (the anchor select that opens the form)."""
    return editor.locator("input:not([type=hidden]), select, textarea").first


def expect_editor_at(page, row_id: str):
    """The editor sits in a row of its own right after the row, its first field in view and
    focused."""
    editor = page.locator(f"#{row_id} + tr.editor-row #action-editor")
    expect(editor.locator("form")).to_have_count(1)
    expect(first_field(editor)).to_be_in_viewport()
    expect(first_field(editor)).to_be_focused()
    return editor


def expect_at_row(page, row_id: str):
    row = page.locator(f"#{row_id}")
    # (a page of 2,000 rows can take its time to arrive on a loaded machine)
    expect(row).to_be_in_viewport(timeout=30_000)
    expect(row).to_be_focused()
    return row


def test_on_a_long_plan_the_editor_and_the_checks_links_land_at_the_row(page, login, world):
    actions = long_plan(world)
    far, cadastre = actions[149], actions[-1]
    # A defect the completeness check points at, on row 1,500.
    defective = actions[1499]
    Action.objects.filter(pk=defective.pk).update(lead_unit=None)
    far_id, task_id = f"action-{far.pk}", f"task-{world['task'].pk}"

    login(world["planner"])
    page.goto(world["plan"].get_absolute_url())
    expect(page.locator(f"#{far_id}")).not_to_be_in_viewport()
    expect(page.locator(f"#{task_id}")).not_to_be_in_viewport()

    # "Edit" on row 150: the form opens right under it; Cancel brings the person back to the row.
    page.locator(f"#{far_id}").get_by_role("button", name="Edit").click()
    editor = expect_editor_at(page, far_id)
    expect(editor.get_by_role("heading", name="Edit the action")).to_be_visible()
    found = serious_violations(page, Axe(), "the plan with the editor open at a row")
    assert not found, "\n".join(found)
    editor.get_by_role("button", name="Cancel").click()
    expect(page.locator("#action-editor")).to_be_empty()
    expect(page.locator("tr.editor-row")).to_have_count(0)
    expect_at_row(page, far_id)

    # Escape closes it the same way.
    page.locator(f"#{far_id}").get_by_role("button", name="Edit").click()
    editor = expect_editor_at(page, far_id)
    page.keyboard.press("Escape")
    expect(page.locator("#action-editor")).to_be_empty()
    expect_at_row(page, far_id)

    # A refused save keeps the form at the row, its wrong field in view and focused.
    page.locator(f"#{far_id}").get_by_role("button", name="Edit").click()
    editor = expect_editor_at(page, far_id)
    name = editor.get_by_role("textbox", name="Name (English)", exact=True)
    name.fill("")
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator(".field.invalid")).to_have_count(1)
    expect(page.locator(f"#{far_id} + tr.editor-row #action-editor")).to_have_count(1)
    expect(name).to_be_in_viewport()
    expect(name).to_be_focused()

    # Saved: the table is redrawn and the person is back at the row, which shows the new name.
    name.fill("Line canal section 150, lined with concrete")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#action-editor")).to_be_empty()
    row = expect_at_row(page, far_id)
    expect(row).to_contain_text("Line canal section 150, lined with concrete")
    expect(row.locator("td.num")).to_have_text("150")

    # Moved down: the focus follows the moved row.
    row.locator("button[title='Move down']").click()
    expect(page.locator(f"#{far_id} td.num")).to_have_text("151")
    expect_at_row(page, far_id)

    # "+ action" under the task at the bottom: the form opens under the task's row.
    page.locator(f"#{task_id}").get_by_role("button", name="+ action").click()
    editor = expect_editor_at(page, task_id)
    expect(editor.get_by_role("heading", name="New action")).to_be_visible()
    expect(editor.get_by_label("In the plan under")).to_have_value(f"task:{world['task'].pk}")
    editor.get_by_role("textbox", name="Name (English)", exact=True).fill(METERS)
    editor.get_by_label("Responsible executor").select_option(label=WATER)
    editor.get_by_label("Term of execution").select_option(label="in a quarter")
    editor.get_by_label("Term quarter").select_option("3")
    editor.get_by_label("Form of completion", exact=True).select_option(label="Report")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#action-editor")).to_be_empty()
    meters = Action.objects.get(plan=world["plan"], name=METERS)
    row = expect_at_row(page, f"action-{meters.pk}")
    expect(row.locator("td.num")).to_have_text(str(LONG_PLAN + 2))
    assert page.locator(f"#action-{cadastre.pk} + tr").get_attribute("id") == f"action-{meters.pk}"

    # The completeness check's link lands with row 1,500 in view and focused; its editor too.
    page.get_by_role("link", name="Completeness check").click()
    page.get_by_role("link", name=re.compile(r"Line canal section 1500.*no responsible")).click()
    assert page.url.endswith(f"#action-{defective.pk}"), page.url
    row = expect_at_row(page, f"action-{defective.pk}")
    row.get_by_role("button", name="Edit").click()
    editor = expect_editor_at(page, f"action-{defective.pk}")
    editor.get_by_label("Responsible executor").select_option(label=WATER)
    editor.get_by_role("button", name="Save").click()
    expect_at_row(page, f"action-{defective.pk}")
    expect(page.locator(f"#action-{defective.pk}")).to_contain_text(WATER)

"""Quarterly monitoring through the pages (R11–R14): a unit enters its information for the
2nd quarter (autosaved, drafts survive a reload), its head is stopped from signing off while a
not executed action has no reasons, signs off late, the monitor returns the information with a
comment, the unit corrects it and attaches evidence, the head signs again and the monitor
accepts. Two members of the unit typing in the same entry: the second is told, not overwritten."""

import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import expect

from jospar.monitoring.models import (
    EntryStatus,
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionStatus,
)
from jospar.orgs.models import Role
from jospar.plans import services as plan_services
from jospar.plans.models import CompletionForm
from jospar.plans.terms import TermKind
from tests.factories import (
    PASSWORD,
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
LINING = "Line 12 km of the main irrigation canals of Turkistan region"
SEMINAR = "Hold a seminar on water-saving technologies for farmers"
CADASTRE = "Update the state water cadastre for the irrigated lands"
INDICATOR = "Share of lined irrigation canals"
COMMENT = "Attach the protocol of the commission"
EXECUTOR = "Sarsenova Dana"
HEAD = "Omarov Marat"
# What an autosave answers with (a freshly loaded page says "saved at 10:00 by …" instead).
SAVED_AT = re.compile(r"^saved at \d\d:\d\d:\d\d$")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(transactional_db, body, clock):
    """1. The 2026 plan, approved in January: the Department of Water Resources leads two
    actions due in the 2nd quarter and one due in the 4th, and answers for a target indicator.
    It is 3 July 2026, a week before the R13 deadline of 10 July."""
    clock("2026-01-12 10:00")
    development = DevelopmentPlanFactory(
        body=body, title="Development plan", start_year=2025, end_year=2029
    )
    goal = GoalFactory(
        direction=DirectionFactory(plan=development, number=1, name="Water security"),
        number=1,
        name="Reliable water supply of the regions",
    )
    water = UnitFactory(body=body, code="D2", name=WATER)
    other = UnitFactory(body=body, code="D3", name="Department of Digitalisation")
    indicator = TargetIndicatorFactory(
        goal=goal, number=1, name=INDICATOR, unit_of_measure="%", responsible_unit=water
    )
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal("34"))
    # The shared list comes from a data migration, which an earlier transactional test flushes.
    report, _created = CompletionForm.objects.get_or_create(body=None, name="Report")

    planner = member(body, Role.PLANNER, username="e2e.planner")
    official = member(body, Role.OFFICIAL, username="e2e.official")
    plan = operational_plan(body, 2026, development_plan=development)

    def add(name, quarter, lead=water):
        return plan_services.action_create(
            actor=planner,
            plan=plan,
            name=name,
            indicator=indicator,
            lead_unit=lead,
            term_kind=TermKind.QUARTER,
            term_quarter=quarter,
            completion_form=report,
        )

    actions = {"lining": add(LINING, 2), "seminar": add(SEMINAR, 2), "cadastre": add(CADASTRE, 4)}
    add("Digitise the water cadastre", 2, lead=other)
    plan_services.plan_submit(actor=planner, plan=plan)
    plan = plan_services.plan_approve(actor=official, plan=plan)
    revision = plan.revisions.get()
    clock("2026-07-03 10:00")
    return {
        "plan": plan,
        "indicator": indicator,
        "actions": actions,
        "numbers": {
            key: revision.actions.get(action=action).number for key, action in actions.items()
        },
        "executor": member(
            body,
            Role.EXECUTOR,
            unit=water,
            username="e2e.executor",
            last_name="Sarsenova",
            first_name="Dana",
        ),
        "head": member(
            body,
            Role.UNIT_HEAD,
            unit=water,
            username="e2e.head",
            last_name="Omarov",
            first_name="Marat",
        ),
        "monitor": member(body, Role.MONITOR, username="e2e.monitor", last_name="Monitorova"),
    }


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def open_quarter(page, quarter: int = 2):
    """From the start page, as people do: the body, its plan for 2026, then the quarter."""
    page.goto("/")
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Operational plan for 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")
    links = page.locator("#monitoring-links")
    expect(links).to_contain_text("Quarterly monitoring")
    links.get_by_role("link", name=f"Quarter {quarter}", exact=True).click()


def expect_submission_page(page):
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{WATER}: information for quarter 2 of 2026"
    )


def row(page, action):
    return page.locator(f"#action-{action.pk}")


def term_cell(page, action):
    return row(page, action).locator("td").nth(2)


def autosave(page, action, change, typed: str):
    """Make `change` in the action's entry form and wait for the autosave that carries `typed`,
    and for its "saved at" mark."""

    # The autosave is wired by htmx once the page has loaded: a keystroke before that is lost.
    page.wait_for_load_state("load")

    def carries(response):
        request = response.request
        return (
            request.method == "POST"
            and f"/entries/{action.pk}/" in request.url
            and typed in unquote_plus(request.post_data or "")
        )

    with page.expect_response(carries):
        change()
    expect(row(page, action).locator(".saved")).to_have_text(SAVED_AT)


def type_in(page, action, label: str, text: str):
    """Type in a field of the action's entry: saved while typing, and again on leaving the
    field (which also keeps the next request from racing the "change" autosave)."""
    field = row(page, action).get_by_label(label)
    autosave(page, action, lambda: field.fill(text), text)
    autosave(page, action, field.blur, text)


def entry(world, key):
    return ProgressEntry.objects.get(action=world["actions"][key])


def submission_status():
    return Submission.objects.get().status


def test_a_unit_submits_its_quarterly_information_and_the_monitor_accepts_it(
    page, login, world, clock
):
    lining, seminar, cadastre = (world["actions"][k] for k in ("lining", "seminar", "cadastre"))
    numbers = world["numbers"]
    indicator = world["indicator"]

    # 2. The executor opens the 2nd quarter from the plan: straight to the unit's information.
    login(world["executor"])
    open_quarter(page)
    expect_submission_page(page)
    deadline = page.locator("#information-deadline")
    expect(deadline).to_contain_text("10.07.2026")
    expect(deadline).to_contain_text("7 days left")
    page.get_by_role("button", name="Start entering the information").click()
    expect_submission_page(page)
    expect(page.locator("h1 .status")).to_have_text("in draft")
    expect(page.get_by_role("button", name="Start entering the information")).to_have_count(0)
    expect(deadline).to_contain_text("7 days left")
    expect(deadline).to_contain_text("0 of 2 due actions filled")
    expect(page.locator("#entries tbody tr[id^=action-]")).to_have_count(3)
    for action in (lining, seminar):
        expect(row(page, action)).to_have_class(re.compile(r"\bdue\b"))
        expect(term_cell(page, action)).to_have_text(re.compile(r"2 quarter\s*due$"))
    expect(row(page, cadastre)).to_have_class(re.compile(r"\bnot-due\b"))
    expect(term_cell(page, cadastre)).to_have_text(re.compile(r"4 quarter\s*not yet due$"))
    expect(page.get_by_text("Digitise the water cadastre")).to_have_count(0)

    # Action A: executed, with what was done.
    form = row(page, lining)
    autosave(
        page, lining, lambda: form.get_by_label("Status").select_option("executed"), "executed"
    )
    done = "Lined 12.4 km of canals; acceptance certificate of 28 June"
    type_in(page, lining, "Actual execution", done)

    # Action B: not executed, with what was done but no reasons yet.
    form = row(page, seminar)
    autosave(
        page,
        seminar,
        lambda: form.get_by_label("Status").select_option(label="not executed"),
        "not_executed",
    )
    seminar_text = "The programme of the seminar was prepared"
    type_in(page, seminar, "Actual execution", seminar_text)

    # What is left before the sign-off follows each autosave: only B's reasons.
    expect(page.locator("#problems summary")).to_have_text("1 thing to do before sign-off")
    expect(deadline).to_contain_text("2 of 2 due actions filled")

    # The indicator's actual value.
    indicators = page.locator("#indicators")
    expect(indicators).to_contain_text(INDICATOR)
    expect(indicators).to_contain_text("34")
    with page.expect_response(
        lambda r: f"/indicators/{indicator.pk}/" in r.url and "12.5" in (r.request.post_data or "")
    ):
        indicators.get_by_role("textbox", name="Actual value").fill("12.5")
    expect(page.locator(f"#actual-saved-{indicator.pk}")).to_have_text("saved")

    # The drafts survive a reload.
    page.reload()
    expect_submission_page(page)
    expect(row(page, lining).get_by_label("Status")).to_have_value("executed")
    expect(row(page, lining).get_by_label("Actual execution")).to_have_value(done)
    expect(row(page, lining).locator(".saved")).to_contain_text(f"by {EXECUTOR}")
    expect(row(page, seminar).get_by_label("Status")).to_have_value("not_executed")
    expect(row(page, seminar).get_by_label("Actual execution")).to_have_value(seminar_text)
    expect(row(page, seminar).get_by_label("Reasons for non-fulfilment")).to_have_value("")
    expect(indicators.get_by_role("textbox", name="Actual value")).to_have_value("12.5")
    expect(deadline).to_contain_text("2 of 2 due actions filled")
    assert submission_status() == SubmissionStatus.DRAFT
    assert IndicatorActual.objects.get().value == Decimal("12.5")
    # Signing off is the head's, not the executor's.
    expect(page.get_by_role("button", name="Sign off and submit")).to_have_count(0)

    # 3. The head comes to sign off: the button is unavailable and says why, action B has no
    # reasons.
    login(world["head"])
    open_quarter(page)
    expect_submission_page(page)
    sign_off = page.get_by_role("button", name="Sign off and submit")
    expect(sign_off).to_be_disabled()
    reason = page.locator("#sign-off-reason")
    expect(reason).to_have_text("1 thing to do before sign-off")
    expect(sign_off).to_have_attribute("aria-describedby", "sign-off-reason")
    reason.click()  # opens the list of problems
    problems = page.locator("#problems")
    expect(problems).to_have_attribute("open", "")
    expect(problems.get_by_role("listitem")).to_have_text(
        [f"Action {numbers['seminar']} is not fully executed: give the reasons."]
    )
    expect(page.locator("h1 .status")).to_have_text("in draft")
    assert submission_status() == SubmissionStatus.DRAFT

    # The head gives the reasons (a unit head may enter the information too): with the last
    # problem fixed, the sign-off is available at once, without a reload.
    reasons = "The hall of the regional akimat was not available in June"
    type_in(page, seminar, "Reasons for non-fulfilment", reasons)
    assert entry(world, "seminar").reasons == reasons
    assert entry(world, "seminar").actual == seminar_text
    expect(sign_off).to_be_enabled()
    expect(page.locator("#sign-off-reason")).to_have_count(0)
    expect(page.locator("#problems")).to_have_count(0)

    # 4. Past the 10th: the sign-off goes through, three days late.
    clock("2026-07-13 11:00")
    page.reload()
    expect(deadline).to_contain_text("3 days late")
    expect(page.get_by_text("thing to do before sign-off")).to_have_count(0)
    page.get_by_role("button", name="Sign off and submit").click()
    expect(page.get_by_text("Done: signed off and submitted.")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("signed off and submitted")
    expect(deadline).to_contain_text("signed off on 13.07.2026")
    expect(deadline).to_contain_text("3 days late")
    expect(page.locator("#entries textarea")).to_have_count(0)
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.days_late == 3
    assert submission.signed_by == world["head"]

    # 5. The monitor: the quarter opens on the board.
    login(world["monitor"])
    open_quarter(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring: quarter 2 of 2026")
    board_row = page.locator("#board tbody tr", has_text=WATER)
    expect(board_row).to_contain_text("submitted late")
    expect(board_row.locator("td").nth(2)).to_have_text("2 / 2")
    expect(board_row).to_contain_text("3 days late")
    other_row = page.locator("#board tbody tr", has_text="Department of Digitalisation")
    expect(other_row).to_contain_text("not started")
    expect(other_row.locator("td").nth(2)).to_have_text("0 / 1")

    board_row.get_by_role("link", name=WATER).click()
    expect_submission_page(page)
    expect(row(page, lining)).to_contain_text(f"Executed: {done}")
    expect(row(page, seminar)).to_contain_text(reasons)
    expect(page.locator("#entries textarea")).to_have_count(0)
    page.get_by_role("button", name="Return", exact=True).click()  # no comment: refused
    expect(page.get_by_text("Say what must be corrected; the unit sees it.")).to_be_visible()
    assert submission_status() == SubmissionStatus.SUBMITTED
    page.get_by_label("What must be corrected").fill(COMMENT)
    page.get_by_role("button", name="Return", exact=True).click()
    expect(page.get_by_text("Done: returned for correction.")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("returned for correction")
    assert submission_status() == SubmissionStatus.RETURNED

    # 6. The executor sees the comment, corrects action A and attaches the protocol.
    login(world["executor"])
    open_quarter(page)
    expect_submission_page(page)
    expect(page.locator("h1 .status")).to_have_text("returned for correction")
    rounds = page.locator("#rounds li")
    expect(rounds.filter(has_text="returned with a comment")).to_contain_text(COMMENT)
    corrected = f"{done}; protocol of the acceptance commission No 7 of 30 June"
    type_in(page, lining, "Actual execution", corrected)
    form = row(page, lining)
    form.get_by_label("Evidence file").set_input_files(  # a web page dressed as a GIF
        {"name": "photo.html", "mimeType": "text/html", "buffer": b"GIF89a<script></script>"}
    )
    form.get_by_role("button", name="Attach").click()
    form = row(page, lining)
    expect(form).to_contain_text("Only PDF, DOCX, XLSX, PNG, JPEG or GIF files are accepted")
    assert not Evidence.objects.exists()
    form.get_by_label("Evidence file").set_input_files(
        {"name": "protocol-7.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.get_by_role("button", name="Attach").click()
    expect(form.get_by_role("link", name="protocol-7.pdf")).to_be_visible()
    evidence = Evidence.objects.get()
    assert evidence.entry == entry(world, "lining")
    assert evidence.kind == "pdf"
    assert entry(world, "lining").actual == corrected

    # The head signs again; the monitor accepts.
    login(world["head"])
    open_quarter(page)
    expect_submission_page(page)
    page.get_by_role("button", name="Sign off and submit").click()
    expect(page.get_by_text("Done: signed off and submitted.")).to_be_visible()
    assert submission_status() == SubmissionStatus.SUBMITTED

    login(world["monitor"])
    open_quarter(page)
    expect(board_row).to_contain_text("submitted late")
    board_row.get_by_role("link", name=WATER).click()
    expect(row(page, lining)).to_contain_text(corrected)
    with page.expect_download() as downloading:
        row(page, lining).get_by_role("link", name="protocol-7.pdf").click()
    assert downloading.value.suggested_filename == "protocol-7.pdf"
    assert Path(downloading.value.path()).read_bytes() == PDF
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Done: accepted.")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("accepted")
    page.get_by_role("link", name="Quarter 2", exact=True).click()
    expect(board_row).to_contain_text("accepted")
    expect(board_row.locator("td").nth(2)).to_have_text("2 / 2")
    assert submission_status() == SubmissionStatus.ACCEPTED

    # The accepted information is read-only for the unit, and lists every round.
    login(world["executor"])
    open_quarter(page)
    expect_submission_page(page)
    expect(page.locator("h1 .status")).to_have_text("accepted")
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.locator("select")).to_have_count(0)
    expect(page.get_by_role("button", name="Attach")).to_have_count(0)
    expect(page.get_by_role("button", name="remove")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign off and submit")).to_have_count(0)
    expect(row(page, lining)).to_contain_text(f"Executed: {corrected}")
    with page.expect_download() as downloading:
        row(page, lining).get_by_role("link", name="protocol-7.pdf").click()
    assert downloading.value.suggested_filename == "protocol-7.pdf"
    assert Path(downloading.value.path()).read_bytes() == PDF
    expect(row(page, seminar)).to_contain_text(f"Not executed: {seminar_text}")
    expect(row(page, seminar)).to_contain_text(reasons)
    expect(page.locator("#indicators")).to_contain_text("12.5")
    expect(rounds).to_have_count(4)
    expect(rounds.nth(0)).to_contain_text("Round 1: signed off and submitted")
    expect(rounds.nth(0)).to_contain_text(HEAD)
    expect(rounds.nth(1)).to_contain_text("Round 1: returned with a comment")
    expect(rounds.nth(1)).to_contain_text(COMMENT)
    expect(rounds.nth(2)).to_contain_text("Round 2: signed off and submitted")
    expect(rounds.nth(3)).to_contain_text("Round 2: accepted")
    assert entry(world, "lining").status == EntryStatus.EXECUTED


def test_two_members_typing_in_the_same_entry_do_not_overwrite_each_other(
    page, login, world, chromium, live_server
):
    lining = world["actions"]["lining"]
    mine = "Lined 12.4 km of canals by 28 June"
    theirs = "Lined 12 km of canals"

    login(world["executor"])
    open_quarter(page)
    page.get_by_role("button", name="Start entering the information").click()
    expect_submission_page(page)

    other = chromium.new_context(base_url=live_server.url, locale="en-GB")
    other.set_default_timeout(10_000)
    try:
        second = other.new_page()
        log_in(second, world["head"])
        open_quarter(second)
        expect_submission_page(second)
        expect(row(second, lining).get_by_label("Actual execution")).to_have_value("")

        # The first saves; the second is still on the version they loaded.
        field = row(page, lining).get_by_label("Actual execution")
        autosave(page, lining, lambda: field.fill(mine), mine)

        second.wait_for_load_state("load")
        with second.expect_response(lambda r: f"/entries/{lining.pk}/" in r.url):
            row(second, lining).get_by_label("Actual execution").fill(theirs)
        conflict = row(second, lining).get_by_role("alert")
        expect(conflict).to_contain_text(f"{EXECUTOR} saved this entry at")
        expect(conflict).to_contain_text("your change was not saved")
        expect(conflict.locator("blockquote")).to_contain_text(mine)
        expect(row(second, lining).locator(".saved")).to_have_text("")

        # Reloading, the second continues from the first one's text.
        second.reload()
        expect(row(second, lining).get_by_label("Actual execution")).to_have_value(mine)
        expect(row(second, lining).locator(".saved")).to_contain_text(f"by {EXECUTOR}")
        expect(row(second, lining).get_by_role("alert")).to_have_count(0)
    finally:
        other.close()

    saved = ProgressEntry.objects.get(action=lining)
    assert saved.actual == mine
    assert saved.updated_by == world["executor"]
    assert saved.version == 1


def test_the_problems_before_sign_off_follow_each_autosave(page, login, world):
    """Issue 18: "not yet due" chosen for an action due this quarter is named for what it is,
    and the list of problems and the head's sign-off follow the autosave without a reload."""
    lining, seminar = world["actions"]["lining"], world["actions"]["seminar"]
    numbers = world["numbers"]
    login(world["executor"])
    open_quarter(page)
    page.get_by_role("button", name="Start entering the information").click()
    expect_submission_page(page)
    problems = page.locator("#problems")
    expect(problems.locator("summary")).to_have_text("2 things to do before sign-off")
    problems.locator("summary").click()  # open, it stays open as the autosave reads it again

    status = row(page, lining).get_by_label("Status")
    autosave(page, lining, lambda: status.select_option(label="not yet due"), "not_due")
    expect(problems.get_by_role("listitem")).to_have_text(
        [
            f"Action {numbers['lining']} is due in this quarter, so it cannot be “not yet"
            " due”: choose how it was executed.",
            f"Action {numbers['seminar']} is due this quarter: give its status.",
        ]
    )
    autosave(page, lining, lambda: status.select_option("executed"), "executed")
    type_in(page, lining, "Actual execution", "Lined 12.4 km of canals")
    autosave(
        page,
        seminar,
        lambda: row(page, seminar).get_by_label("Status").select_option("executed"),
        "executed",
    )
    expect(problems.get_by_role("listitem")).to_have_text(
        [f"Action {numbers['seminar']}: describe the actual execution."]
    )
    # The last problem fixed: the panel is gone, no reload.
    type_in(page, seminar, "Actual execution", "Held on 20 June for 45 farmers")
    expect(problems).to_have_count(0)
    expect(page.locator("#information-deadline")).to_contain_text("2 of 2 due actions filled")

    login(world["head"])
    open_quarter(page)
    expect_submission_page(page)
    expect(page.get_by_role("button", name="Sign off and submit")).to_be_enabled()
    expect(page.locator("#sign-off-reason")).to_have_count(0)

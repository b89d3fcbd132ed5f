"""The quarterly report through the pages (R15–R18): the monitor compiles the report on the 2nd
quarter from the units' accepted information (a unit without it is flagged), writes a
recommendation on an action (autosaved) and a recommendation to move an action to a later
quarter, and submits the report on time; an official records a decision, the unit it is
assigned to follows it up on the Decisions page, and the planner turns the recommendation into
an adjustment of the plan in one step."""

import re

import pytest
from playwright.sync_api import expect

from jospar.monitoring import services as monitoring
from jospar.orgs.models import Role
from jospar.plans import services as plan_services
from jospar.plans.models import CompletionForm, PlanStatus, RevisionBasis
from jospar.plans.terms import TermKind
from jospar.reports import services as reports
from jospar.reports.models import (
    AmendmentKind,
    AmendmentRecommendation,
    Decision,
    DecisionStatus,
    Report,
    ReportStatus,
)
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
DIGITAL = "Department of Digitalisation"
LINING = "Line 12 km of the main irrigation canals of Turkistan region"
SEMINAR = "Hold a seminar on water-saving technologies for farmers"
DIGITISE = "Digitise the water cadastre"
ADVICE = "Finish the lining before the irrigation season; report weekly to the Committee"
JUSTIFICATION = "The contractor delivered the lining materials two months late"
DECISION = "Hold the contractor to the schedule and report on the lining by 1 September"
PROGRESS = "The contractor was warned in writing; the lining is 70% done"


@pytest.fixture
def world(transactional_db, body, clock):
    """The 2026 plan approved in January. The Department of Water Resources leads two actions
    due in the 2nd quarter and its information for the quarter was accepted on 13 July (the
    seminar not executed); the Department of Digitalisation leads one, and gave nothing. It is
    14 July 2026, the day before the report's deadline (R15: 15 July)."""
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
    digital = UnitFactory(body=body, code="D3", name=DIGITAL)
    indicator = TargetIndicatorFactory(
        goal=goal,
        number=1,
        name="Share of lined irrigation canals",
        unit_of_measure="%",
        responsible_unit=water,
    )
    IndicatorValueFactory(indicator=indicator, year=2026, planned=40)
    report_form, _created = CompletionForm.objects.get_or_create(body=None, name="Report")

    planner = member(body, Role.PLANNER, username="e2e.planner", last_name="Planova")
    official = member(body, Role.OFFICIAL, username="e2e.official", last_name="Chief")
    plan = operational_plan(body, 2026, development_plan=development)

    def add(name, lead):
        return plan_services.action_create(
            actor=planner,
            plan=plan,
            name=name,
            indicator=indicator,
            lead_unit=lead,
            term_kind=TermKind.QUARTER,
            term_quarter=2,
            completion_form=report_form,
        )

    actions = {"lining": add(LINING, water), "seminar": add(SEMINAR, water)}
    add(DIGITISE, digital)
    plan_services.plan_submit(actor=planner, plan=plan)
    plan = plan_services.plan_approve(actor=official, plan=plan)

    executor = member(
        body, Role.EXECUTOR, unit=water, username="e2e.executor", last_name="Sarsenova"
    )
    head = member(body, Role.UNIT_HEAD, unit=water, username="e2e.head", last_name="Omarov")
    monitor = member(body, Role.MONITOR, username="e2e.monitor", last_name="Monitorova")

    clock("2026-07-08 10:00")
    submission = monitoring.submission_open(actor=executor, plan=plan, unit=water, quarter=2)
    entries = {
        "lining": ("executed", "Lined 12.4 km; acceptance certificate of 28 June", ""),
        "seminar": ("not_executed", "The programme was prepared", "No hall in June"),
    }
    for key, (status, actual, reasons) in entries.items():
        monitoring.entry_save(
            actor=executor,
            submission=submission,
            action_id=actions[key].pk,
            status=status,
            actual=actual,
            reasons=reasons,
            version=0,
        )
    monitoring.actual_save(
        actor=executor,
        submission=submission,
        indicator=indicator,
        value="30",
        comment="",
        version=0,
    )
    monitoring.submission_sign(actor=head, submission=submission)
    clock("2026-07-13 10:00")
    monitoring.submission_accept(actor=monitor, submission=submission)
    clock("2026-07-14 10:00")
    return {
        "plan": plan,
        "actions": actions,
        "water": water,
        "planner": planner,
        "official": official,
        "executor": executor,
        "monitor": monitor,
    }


def open_plan(page):
    page.goto("/")
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Operational plan for 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")


def open_report(page, quarter: int = 2):
    """From the start page, as people do: the body, its plan for 2026, then the report."""
    open_plan(page)
    page.locator("#report-links").get_by_role("link", name=f"Report Q{quarter}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Report on the implementation of the operational plan: quarter {quarter} of 2026"
    )


def report_row(page, action):
    return page.locator(f"#report-table tr#action-{action.pk}")


def test_the_quarterly_report_from_compilation_to_an_adjustment(page, login, world):
    plan = world["plan"]
    lining, seminar = world["actions"]["lining"], world["actions"]["seminar"]

    # 1. The monitor opens the report on the 2nd quarter: not compiled yet, due tomorrow.
    login(world["monitor"])
    open_report(page)
    expect(page.locator("#no-report")).to_be_visible()
    expect(page.locator("#report-deadline")).to_contain_text("15.07.2026")
    page.get_by_role("button", name="Compile the report").click()
    expect(
        page.get_by_text("The report has been compiled from the units' information.")
    ).to_be_visible()
    expect(page.locator("#report-status")).to_contain_text("in preparation")
    expect(page.locator("#report-status")).to_contain_text("On revision 1 of the plan.")

    # The unit without accepted information is flagged, above and on its action.
    expect(page.locator("#missing-units")).to_contain_text(DIGITAL)
    digitise = page.locator("#report-table tr.action", has_text=DIGITISE)
    expect(digitise).to_have_class(re.compile(r"\bmissing\b"))
    expect(digitise.locator(".flag")).to_contain_text(f"No accepted information from: {DIGITAL}")
    expect(report_row(page, lining)).to_contain_text("Lined 12.4 km")
    expect(report_row(page, seminar)).to_contain_text("No hall in June")
    expect(report_row(page, lining).locator(".flag")).to_have_count(0)

    # The summary: tallies with their bars, the indicator, the units' timeliness.
    summary = page.locator("#summary")
    expect(summary.locator(".overall")).to_contain_text(
        "Due: 3; executed: 1; partially: 0; not executed: 1; no information: 1."
    )
    for tally in ("#by-direction", "#by-goal", "#by-unit"):
        expect(summary.locator(f"{tally} svg.bar").first).to_be_visible()
        expect(summary.locator(f"{tally} svg.bar rect").first).to_be_attached()
    by_unit = summary.locator("#by-unit tbody tr", has_text=WATER)
    expect(by_unit.locator("td").nth(1)).to_have_text("2")
    expect(by_unit.locator("svg")).to_have_attribute("aria-label", "50% executed")
    indicator_row = summary.locator("#indicators tbody tr").first
    expect(indicator_row).to_contain_text("Share of lined irrigation canals")
    expect(indicator_row.locator("td").nth(4)).to_have_text("75")
    expect(indicator_row.locator("svg.bar rect.executed")).to_have_attribute("width", "75")
    expect(summary.locator("#timeliness tr", has_text=WATER)).to_contain_text("on time")
    expect(summary.locator("#timeliness tr", has_text=DIGITAL)).to_contain_text("not submitted")

    # 2. A recommendation on the seminar, autosaved.
    page.wait_for_load_state("load")  # htmx wires the autosave once the page has loaded
    row = report_row(page, seminar)
    row_id = row.get_attribute("data-row")
    # Column 8's box is written in the page's font, not the browser's monospace, with room
    # for a few lines of advice.
    box = row.get_by_label("Recommendation")
    looks = box.evaluate(
        """(el) => ({font: getComputedStyle(el).fontFamily,
                    page: getComputedStyle(document.body).fontFamily,
                    width: el.getBoundingClientRect().width,
                    height: el.getBoundingClientRect().height})"""
    )
    assert looks["font"] == looks["page"], looks
    assert looks["width"] >= 250 and looks["height"] >= 80, looks
    with page.expect_response(
        lambda r: f"/report/rows/{row_id}/" in r.url and r.request.method == "POST"
    ):
        row.get_by_label("Recommendation").fill(ADVICE)
    expect(row.locator(".save-state")).to_have_text("saved")
    page.reload()
    expect(report_row(page, seminar).get_by_label("Recommendation")).to_have_value(ADVICE)

    # General recommendations to the officials.
    general = page.locator("#general")
    general.get_by_label("Recommendations to the officials").fill(
        "Hold the units to the 10th: the Department of Digitalisation gave nothing."
    )
    general.get_by_role("button", name="Save").click()
    expect(page.locator(".messages").get_by_text("Saved.")).to_be_visible()

    # 3. A recommendation to move the lining to the 3rd quarter: named field first.
    number = plan.revisions.get().actions.get(action=lining).number
    amendments = page.locator("#amendments")
    details = page.locator("#amendment-new")
    if details.get_attribute("open") is None:
        details.get_by_text("Recommend a change of the plan").click()
    # The form shows the fields of the chosen kind of change only.
    details.get_by_label(re.compile(r"^Change")).select_option(label="remove the action")
    expect(details.get_by_label("Term of execution")).to_be_hidden()
    expect(details.get_by_label("New wording")).to_be_hidden()
    details.get_by_label(re.compile(r"^Change")).select_option(label="change the term of execution")
    expect(details.get_by_label("New wording")).to_be_hidden()
    details.get_by_label(re.compile(r"^Action")).select_option(label=f"{number}. {LINING}")
    details.get_by_label("Term of execution").select_option(label="in a quarter")
    expect(details.get_by_label("Month")).to_be_hidden()
    details.get_by_label("Quarter", exact=True).select_option("3")
    details.get_by_role("button", name="Add the recommendation").click()
    expect(page.locator(".messages")).to_contain_text(
        "Justification: Explain why the plan should change."
    )
    assert not AmendmentRecommendation.objects.exists()

    details = page.locator("#amendment-new")
    if details.get_attribute("open") is None:
        details.get_by_text("Recommend a change of the plan").click()
    details.get_by_label(re.compile(r"^Change")).select_option(label="change the term of execution")
    details.get_by_label(re.compile(r"^Action")).select_option(label=f"{number}. {LINING}")
    details.get_by_label("Term of execution").select_option(label="in a quarter")
    details.get_by_label("Quarter", exact=True).select_option("3")
    details.get_by_label("Justification").fill(JUSTIFICATION)
    details.get_by_role("button", name="Add the recommendation").click()
    expect(page.get_by_text("The recommendation to amend the plan has been added.")).to_be_visible()
    amendment = AmendmentRecommendation.objects.get()
    assert (amendment.kind, amendment.action, amendment.term_quarter) == (
        AmendmentKind.TERM,
        lining,
        3,
    )
    line = amendments.locator(f"#amendment-{amendment.pk}")
    expect(line).to_contain_text("change the term of execution")
    expect(line).to_contain_text(LINING)
    expect(line).to_contain_text("3 quarter")
    expect(line).to_contain_text(JUSTIFICATION)
    # Column 8 of the action mentions it.
    expect(report_row(page, lining)).to_contain_text("change the term of execution")

    # 4. Submitted to the officials, after the confirmation, a day before the deadline.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit to the officials").click()
    expect(page.get_by_text("The report has been submitted to the officials.")).to_be_visible()
    expect(page.locator("#report-status")).to_contain_text("submitted")
    deadline = page.locator("#report-deadline")
    expect(deadline).to_contain_text("submitted on 14.07.2026")
    expect(deadline).to_contain_text("Monitorova")
    expect(deadline).to_contain_text("(on time)")
    expect(page.locator("#report-table textarea")).to_have_count(0)
    expect(report_row(page, seminar)).to_contain_text(ADVICE)
    expect(page.get_by_role("button", name="Submit to the officials")).to_have_count(0)
    expect(page.get_by_role("button", name="Compile again")).to_have_count(0)
    expect(page.get_by_role("button", name="Turn into an adjustment")).to_have_count(0)
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.days_late == 0

    # 5. The official records a decision for the Department of Water Resources.
    login(world["official"])
    open_report(page)
    form = page.locator("#decision-new")
    form.get_by_label("Aimed at").select_option(
        label="take measures on identified problematic issues"
    )
    form.get_by_label(re.compile(r"^Decision")).fill(DECISION)
    form.get_by_label("Assigned units").select_option(label=WATER)
    form.get_by_label("Due date").fill("2026-09-01")
    form.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision has been recorded.")).to_be_visible()
    decision = Decision.objects.get()
    item = page.locator(f"#report-decisions #decision-{decision.pk}")
    expect(item).to_contain_text(DECISION)
    expect(item).to_contain_text(f"Assigned to: {WATER}")
    expect(item).to_contain_text("Due: 01.09.2026 (49 days left)")  # from 14 July
    expect(item.locator(".decision-status")).to_have_text("open")
    expect(item).to_contain_text("Decided by")
    expect(item).to_contain_text("Chief")
    # ... and moves its due date a fortnight later.
    item.get_by_role("link", name="Edit").click()
    page.get_by_label("Due date").fill("2026-09-15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator(f"#report-decisions #decision-{decision.pk}")).to_contain_text(
        "Due: 15.09.2026 (63 days left)"
    )

    # 6. The unit's executor sees it on the Decisions page and says what was done.
    login(world["executor"])
    page.goto("/")
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Decisions of the officials").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Decisions of the officials on the reports"
    )
    item = page.locator(f"#decision-{decision.pk}")
    expect(item).to_contain_text(DECISION)
    expect(item.locator(".countdown")).to_have_text("(63 days left)")
    progress = page.locator(f"#progress-{decision.pk}-{world['water'].pk}")
    progress.get_by_label("Status").select_option(label="in progress")
    progress.get_by_label("What was done").fill(PROGRESS)
    progress.get_by_role("button", name="Record progress").click()
    expect(page.locator(".messages").get_by_text("Saved.")).to_be_visible()
    expect(item.locator(".progress-notes")).to_contain_text(f"{WATER} (in progress): {PROGRESS}")
    expect(item.locator(".decision-status")).to_have_text("in progress")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_PROGRESS

    # 7. The planner turns the recommendation into an adjustment: on the plan, the box of
    # applied recommendations and the lining in the 3rd quarter.
    login(world["planner"])
    open_report(page)
    page.locator(f"#amendment-{amendment.pk}").get_by_role(
        "button", name="Turn into an adjustment"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")
    expect(
        page.get_by_text("The recommendation is now a change of the draft adjustment (revision 2).")
    ).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("draft")
    applied = page.locator("#applied-recommendations")
    expect(applied).to_contain_text("Report on quarter 2 of 2026")
    expect(applied).to_contain_text("change the term of execution")
    expect(applied).to_contain_text(LINING)
    expect(page.locator(f"#plan-table tr#action-{lining.pk}")).to_contain_text("3 quarter")
    expect(page.locator(f"#plan-table tr#action-{seminar.pk}")).to_contain_text("2 quarter")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.basis == RevisionBasis.MONITORING

    # Back on the report: the recommendation links to the adjustment.
    applied.get_by_role("link", name="Report on quarter 2 of 2026").click()
    link = page.locator(f"#amendment-{amendment.pk}").get_by_role(
        "link", name="applied to the adjustment (revision 2)"
    )
    expect(link).to_be_visible()
    expect(page.get_by_role("button", name="Turn into an adjustment")).to_have_count(0)
    link.click()
    expect(page.locator("#applied-recommendations")).to_be_visible()
    amendment.refresh_from_db()
    assert amendment.applied_action == lining and amendment.applied_revision_number == 2


def test_two_monitors_writing_on_one_action_do_not_overwrite_each_other(
    page, login, world, chromium, live_server
):
    mine = "Move the seminar to September; book the hall now"
    theirs = "Hold the seminar online in August"
    seminar = world["actions"]["seminar"]
    reports.report_compile(actor=world["monitor"], plan=world["plan"], quarter=2)
    login(world["monitor"])
    open_report(page)
    page.wait_for_load_state("load")  # htmx wires the autosave once the page has loaded
    row = report_row(page, seminar)
    row_id = row.get_attribute("data-row")

    def autosaved(on_page):
        return on_page.expect_response(
            lambda r: f"/report/rows/{row_id}/" in r.url and r.request.method == "POST"
        )

    # A second monitor, in a browser of their own, writes on the same action first.
    other = chromium.new_context(base_url=live_server.url, locale="en-GB")
    other.set_default_timeout(10_000)
    try:
        second = other.new_page()
        colleague = member(
            world["plan"].body, Role.MONITOR, username="e2e.monitor2", last_name="Nurlanova"
        )
        second.goto("/accounts/login/")
        second.get_by_label("Username").fill(colleague.username)
        second.get_by_label("Password").fill(PASSWORD)
        second.get_by_role("button", name="Log in").click()
        open_report(second)
        second.wait_for_load_state("load")
        their_row = report_row(second, seminar)
        with autosaved(second):
            their_row.get_by_label("Recommendation").fill(theirs)
        expect(their_row.locator(".save-state")).to_have_text("saved")
    finally:
        other.close()

    # The first monitor's autosave, from the page opened before: told, not written over.
    with autosaved(page):
        row.get_by_label("Recommendation").fill(mine)
    expect(row.locator(".save-state")).to_have_text("not saved")
    conflict = row.get_by_role("alert")
    expect(conflict).to_contain_text("Nurlanova")
    expect(conflict).to_contain_text("saved this at")
    expect(conflict).to_contain_text(f"They saved: {theirs}")
    expect(row.get_by_label("Recommendation")).to_have_value(mine)
    assert Report.objects.get().rows.get(action=seminar).recommendation == theirs

    # Writing on is the deliberate choice: now theirs is replaced, and the message goes.
    with autosaved(page):
        row.get_by_label("Recommendation").fill(mine + ".")
    expect(row.locator(".save-state")).to_have_text("saved")
    expect(page.locator(f"#row-conflict-{row_id}")).to_be_hidden()
    assert Report.objects.get().rows.get(action=seminar).recommendation == mine + "."

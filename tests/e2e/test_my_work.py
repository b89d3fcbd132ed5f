"""My work through the pages: on 6 December 2026 the executor lands on "My work" after login,
sees the unit's 4th-quarter information due on 10 January 2027, clicks through and fills it;
the head then finds it to sign off on "My work" and signs, and the monitor's e-mail of it
reaches the test SMTP server; the monitor's "My work" shows it to accept before the R15
report."""

import re
from decimal import Decimal
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import expect

from jospar.monitoring.models import Submission, SubmissionStatus
from jospar.notifications.services import outbox_send_due
from jospar.orgs.models import Role
from jospar.plans import services as plan_services
from jospar.plans.models import CompletionForm
from jospar.plans.terms import TermKind
from tests.factories import (
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)
from tests.smtp import body_of

WATER = "Department of Water Resources"
CADASTRE = "Update the state water cadastre for the irrigated lands"
INFORMATION = f"Fill the information of {WATER}, quarter 4 of 2026: 0 of 1 actions filled"
TO_SIGN = f"Sign off the information of {WATER}, quarter 4 of 2026"
TO_ACCEPT = f"Accept or return the information of {WATER}, quarter 4 of 2026"


@pytest.fixture
def world(transactional_db, body, clock):
    """The 2026 plan, approved in January: the Department of Water Resources leads one action
    due in the 4th quarter. It is 6 December 2026."""
    clock("2026-01-12 10:00")
    development = DevelopmentPlanFactory(body=body, start_year=2025, end_year=2029)
    goal = GoalFactory(direction=DirectionFactory(plan=development))
    water = UnitFactory(body=body, code="D2", name=WATER)
    indicator = TargetIndicatorFactory(goal=goal, responsible_unit=water)
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal("34"))
    form, _created = CompletionForm.objects.get_or_create(body=None, name="Report")
    planner = member(body, Role.PLANNER, username="e2e.planner")
    official = member(body, Role.OFFICIAL, username="e2e.official")
    plan = operational_plan(body, 2026, development_plan=development)
    action = plan_services.action_create(
        actor=planner,
        plan=plan,
        name=CADASTRE,
        indicator=indicator,
        lead_unit=water,
        term_kind=TermKind.QUARTER,
        term_quarter=4,
        completion_form=form,
    )
    plan_services.plan_submit(actor=planner, plan=plan)
    plan_services.plan_approve(actor=official, plan=plan)
    clock("2026-12-06 10:00")
    return {
        "action": action,
        "executor": member(body, Role.EXECUTOR, unit=water, username="e2e.executor"),
        "head": member(body, Role.UNIT_HEAD, unit=water, username="e2e.head"),
        "monitor": member(body, Role.MONITOR, username="e2e.monitor", email="monitor@example.kz"),
    }


def my_work_row(page, title):
    return page.locator("#my-work tbody tr").filter(has_text=title)


def test_information_due_travels_from_the_executor_to_the_head_and_the_monitor(
    page, login, world, smtp
):
    action = world["action"]

    # The executor lands on "My work": the 4th quarter's information, due 10.01.2027.
    login(world["executor"])
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.locator("#my-work-count")).to_have_text("1")
    item = my_work_row(page, INFORMATION)
    expect(item).to_contain_text("10.01.2027")
    expect(item).to_contain_text("35 days left")
    item.get_by_role("link", name=INFORMATION).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{WATER}: information for quarter 4 of 2026"
    )
    page.get_by_role("button", name="Start entering the information").click()
    page.wait_for_load_state("load")
    form = page.locator(f"#action-{action.pk}")

    def saved(typed):
        def carries(response):
            request = response.request
            return (
                request.method == "POST"
                and f"/entries/{action.pk}/" in request.url
                and typed in unquote_plus(request.post_data or "")
            )

        return carries

    with page.expect_response(saved("executed")):
        form.get_by_label("Status").select_option("executed")
    done = "The cadastre is updated for 1.2 million hectares"
    field = form.get_by_label("Actual execution")
    with page.expect_response(saved(done)):
        field.fill(done)
    with page.expect_response(saved(done)):
        field.blur()
    expect(form.locator(".saved")).to_have_text(re.compile(r"^saved at"))

    # The executor's part is done: nothing waits for them any more.
    page.goto("/")
    expect(page.locator("#my-work")).to_have_count(0)
    expect(page.locator("#my-work-count")).to_have_count(0)

    # The head finds it to sign off on "My work", and signs.
    login(world["head"])
    item = my_work_row(page, TO_SIGN)
    expect(item).to_contain_text("35 days left")
    item.get_by_role("link", name=TO_SIGN).click()
    page.get_by_role("button", name="Sign off and submit").click()
    expect(page.get_by_text("Done: signed off and submitted.")).to_be_visible()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    page.goto("/")
    expect(page.locator("#my-work")).to_have_count(0)
    # The head's sign-off reached the monitor's mailbox through the SMTP server.
    outbox_send_due()  # what the worker does within seconds
    [message] = [m for to, m in smtp.messages if to == ["monitor@example.kz"]]
    assert f"{WATER} signed off its information for quarter 4 of 2026" in message["Subject"]
    submission_url = Submission.objects.get().get_absolute_url()
    assert f"https://jospar.example.kz{submission_url}" in body_of(message)[0]

    # The monitor's "My work" shows it to accept, before the report's R15 day.
    login(world["monitor"])
    item = my_work_row(page, TO_ACCEPT)
    expect(item).to_contain_text("15.01.2027")
    expect(item).to_contain_text("40 days left")
    item.get_by_role("link", name=TO_ACCEPT).click()
    expect(page.get_by_role("button", name="Accept")).to_be_visible()

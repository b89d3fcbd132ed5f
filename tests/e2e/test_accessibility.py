"""Accessibility of the main pages of every role: axe-core (shipped by axe-playwright-python)
runs over each page a role opens in a quarter's life (My work, the body, the plans, the
submission, the board, the report, the decisions, notifications, the account's tokens, the
reminder schedule, the login page) and the test fails on any violation of impact moderate or
above, naming its rule, the page and the nodes it found. Minor findings are not counted.

One world (the 2nd quarter's report compiled on 13 July 2026) and one login per role keep the
test to about thirty page loads."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from jospar.orgs.models import Role
from tests.factories import member
from tests.worlds import AFTER_Q2, monitoring_world, q2_report

# axe-core's impacts, from the least: a violation at or above FAILING fails the test.
IMPACTS = ["minor", "moderate", "serious", "critical"]
FAILING = IMPACTS.index("moderate")


@pytest.fixture
def world(transactional_db, clock):
    world = monitoring_world()
    q2_report(world)
    world.administrator = member(world.body, Role.ADMINISTRATOR, username="e2e.admin")
    clock(AFTER_Q2, tick=True)
    return world


def pages_of(world) -> dict[str, list[str]]:
    """The main pages each role opens, by the username of its member. Pages that look the same
    to every role (notifications, the account) are opened by one of them."""
    body, plan = world.body.pk, world.plan.pk
    quarter = [body, plan, 2]
    submission = reverse("monitoring:submission", args=[*quarter, world.unit.pk])
    report = reverse("reports:report", args=quarter)
    decisions = reverse("reports:decisions", args=[body])
    home, body_page = reverse("home"), world.body.get_absolute_url()
    plan_page, development = world.plan.get_absolute_url(), world.development.get_absolute_url()
    return {
        world.executor.username: [
            home,
            body_page,
            plan_page,
            submission,
            reverse("notifications:list"),
            reverse("accounts:tokens"),
        ],
        world.head.username: [home, submission],
        world.monitor.username: [
            home,
            plan_page,
            reverse("monitoring:quarter", args=quarter),
            reverse("monitoring:board", args=quarter),
            submission,
            report,
            decisions,
        ],
        world.planner.username: [
            home,
            plan_page,
            development,
            reverse("plans:proposals", args=[body, plan]),
            # A link to a row (the completeness check's): the row focused, with tabindex="-1".
            f"{plan_page}#action-{world.actions['q2'].pk}",
        ],
        world.official.username: [
            home,
            plan_page,
            development,
            report,
            decisions,
            reverse("reports:execution", args=[body, plan]) + "?by=unit",
        ],
        world.administrator.username: [
            home,
            body_page,
            reverse("orgs:members", args=[body]),
            reverse("reminders:schedule", args=[body]),
        ],
    }


def serious_violations(page, axe, where: str) -> list[str]:
    """A line per node of each violation of impact moderate or above on the open page."""
    found = []
    for violation in axe.run(page).response["violations"]:
        if IMPACTS.index(violation["impact"] or "minor") < FAILING:
            continue
        nodes = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        found.append(
            f"{violation['impact']} {violation['id']} on {where}: {violation['help']} — {nodes}"
        )
    return found


def test_the_main_pages_of_every_role_have_no_accessibility_violations(world, page, login):
    axe = Axe()
    found = []
    page.goto(reverse("login"))
    found += serious_violations(page, axe, "the login page")
    people = [
        world.executor,
        world.head,
        world.monitor,
        world.planner,
        world.official,
        world.administrator,
    ]
    pages = pages_of(world)
    for person in people:
        page.context.clear_cookies()
        login(person)
        for url in pages[person.username]:
            response = page.goto(url)
            assert response.ok, f"{url} as {person.username}: {response.status}"
            page.wait_for_load_state("networkidle")
            found += serious_violations(page, axe, f"{url} as {person.username}")
    assert not found, "Accessibility violations:\n" + "\n".join(found)


def test_the_check_counts_what_it_should(world, page, login):
    """The check itself: a page with an unlabelled field and an image without a text is
    reported with the rules' ids (moderate and above only)."""
    login(world.executor)
    page.evaluate(
        """() => {
          const main = document.querySelector("main") || document.body;
          const field = document.createElement("input");
          field.id = "a11y-unlabelled";
          main.append(field);
        }"""
    )
    found = serious_violations(page, Axe(), "a broken page")
    assert any("label" in line and "#a11y-unlabelled" in line for line in found), found

"""Phones: every main page of every role fits a 390 px wide screen (an iPhone's 390×844).

The page itself does not scroll sideways (`document.documentElement.scrollWidth` is at most the
viewport's width): wide tables scroll inside their own box, forms stack, the header wraps. The
logout control is wholly on the screen, and so is every entry field of an executor's open
quarter (its table stacks). The pages are test_accessibility.py's, opened in each of the three
languages (the header's "Выйти" was the one clipped); the test lists every page that fails, with
its width and the elements that stick out. In Russian, the demo's language, axe-core checks each
page at that width too: the stacked entry cards, the wrapped header and the scroll boxes are
what a phone's reader meets, not the desktop's layout test_accessibility.py checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.test_accessibility import (
    pages_of,
    serious_violations,
    world,  # noqa: F401 — the fixture, shared
)
from tests.factories import PASSWORD

WIDTH, HEIGHT = 390, 844

MEASURE = """() => {
  window.scrollTo(0, 0);
  const limit = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const past = (el) => el.getBoundingClientRect().right > limit + 0.5;
  const span = (el) => {
    const box = el.getBoundingClientRect();
    return `${name(el)} (${Math.round(box.left)}–${Math.round(box.right)} px)`;
  };
  // The outermost elements that reach past the screen's right edge (for the failure message).
  const out = [...document.body.querySelectorAll("*")].filter((el) =>
    past(el) && !(el.parentElement && past(el.parentElement)) && !el.closest(".table-scroll"));
  // The entry fields (a submission's stack), each wholly on the screen's width; but the
  // report's Appendix 2 keeps its columns, and its column 8 scrolls into view with the table.
  const fields = [...document.querySelectorAll(
    "main form select, main form textarea, main form input:not([type=hidden])",
  )].filter((el) => !el.closest("table.appendix2") && el.getBoundingClientRect().width
    && (past(el) || el.getBoundingClientRect().left < 0));
  const logout = document.querySelector('form[action$="/logout/"] button');
  const box = logout && logout.getBoundingClientRect();
  return {
    width: document.documentElement.scrollWidth,
    out: out.slice(0, 5).map(span),
    fields: fields.slice(0, 5).map((el) => `${span(el)}[name=${el.name}]`),
    logout: box && {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
  };
}"""


@pytest.fixture
def phone(chromium, live_server):
    """A page in a phone-sized browser context (its own, not the `page` fixture's desktop)."""

    def open_phone(locale):
        context = chromium.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport={"width": WIDTH, "height": HEIGHT},
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    contexts = []
    yield open_phone
    for context in contexts:
        for open_page in context.pages:
            try:
                open_page.wait_for_load_state("networkidle", timeout=3_000)
            except PlaywrightTimeoutError:
                continue
        context.close()


def log_in(page, user):
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert reverse("login") not in page.url, f"{user.username} was not logged in"


def problems(page, where: str, logged_in: bool) -> list[str]:
    seen = page.evaluate(MEASURE)
    found = []
    if seen["width"] > WIDTH:
        found.append(
            f"{where}: the page is {seen['width']} px wide; past the edge: "
            + (", ".join(seen["out"]) or "?")
        )
    if seen["fields"]:
        found.append(f"{where}: entry fields off the screen: " + ", ".join(seen["fields"]))
    if logged_in:
        box = seen["logout"]
        if box is None:
            found.append(f"{where}: no logout control")
        elif box["left"] < 0 or box["right"] > WIDTH or box["top"] < 0:
            found.append(f"{where}: the logout control is off the screen at {box}")
    return found


@pytest.mark.parametrize("locale", ["ru-RU", "kk-KZ", "en-GB"])
def test_every_main_page_fits_a_phone(world, phone, locale):  # noqa: F811 — the fixture
    page = phone(locale)
    axe = Axe() if locale == "ru-RU" else None
    found = []
    page.goto(reverse("login"))
    assert page.locator("html").get_attribute("lang") == locale[:2]
    found += problems(page, "the login page", logged_in=False)
    if axe:
        found += serious_violations(page, axe, "the login page")
    pages = pages_of(world)
    # The executor's next quarter, opened: its entry forms, which must stack on a phone.
    world.open(3)
    open_quarter = [world.body.pk, world.plan.pk, 3, world.unit.pk]
    entry = reverse("monitoring:submission", args=open_quarter)
    pages[world.executor.username].append(entry)
    people = [
        world.executor,
        world.head,
        world.monitor,
        world.planner,
        world.official,
        world.administrator,
    ]
    for person in people:
        log_in(page, person)
        for url in pages[person.username]:
            response = page.goto(url)
            assert response.ok, f"{url} as {person.username}: {response.status}"
            page.wait_for_load_state("networkidle")
            found += problems(page, f"{url} as {person.username}", logged_in=True)
            if axe:
                found += serious_violations(page, axe, f"{url} as {person.username}")
            if url == entry:
                assert page.locator("form.entry").count(), f"{url}: no entry form to measure"
    assert not found, f"Too wide or inaccessible on a {WIDTH} px phone ({locale}):\n" + "\n".join(
        found
    )

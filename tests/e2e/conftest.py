"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium the tests are skipped with a reason; under CI=true a missing browser
is a failure, so CI always runs them.

Every page a browser test opens is watched for Content-Security-Policy violations: each
browser context made through the `chromium` fixture (the `page` fixture's and any a test makes
itself) reports its pages' `securitypolicyviolation` events (an init script hands each one to
Python) and Chromium's console errors that name the policy. A test during which any was seen
fails, listing them (the autouse `csp_guard` and `pytest_runtest_call` below);
test_csp_guard.py proves that the guard catches one.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from jospar.orgs.models import Role
from tests.factories import PASSWORD, member

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety guard is relaxed for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (10 s, not Playwright's 5 s): CI's machine has two
    # cores, and a page built by a large script once took longer than 5 s under load.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield GuardedBrowser(browser)
        browser.close()


# Hands each violation event of every document in the context to `__josparCspViolation`.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__josparCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    where: `${event.sourceFile || event.documentURI}:${event.lineNumber}`,
    sample: event.sample,
  });
}, true);
"""


class CspViolations(list):
    """What the guard saw in one browser context: a line per violation and channel."""

    def __init__(self, context):
        super().__init__()
        self.context = context
        context.expose_function("__josparCspViolation", self.event)
        context.add_init_script(CSP_WATCH)
        context.on("console", self.console)

    def event(self, seen):
        self.append(
            f"securitypolicyviolation: {seen['directive']} blocked {seen['blocked'] or '?'}"
            f" at {seen['where']} {seen['sample'] or ''}".rstrip()
        )

    def console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.append(f"console: {message.text} ({message.location.get('url', '')})")

    def settle(self):
        """A round trip to each open page, so that events already sent are delivered."""
        for page in self.context.pages:
            try:
                page.evaluate("0")
            except Exception:  # noqa: S110 — a page closing or navigating has nothing pending
                pass
        return list(self)


class GuardedBrowser:
    """The session's Chromium; every context it makes is watched (`watched`, one test's)."""

    def __init__(self, browser):
        self.browser = browser
        self.watched: list[CspViolations] = []

    def new_context(self, **options):
        context = self.browser.new_context(**options)
        context.csp_violations = CspViolations(context)
        self.watched.append(context.csp_violations)
        return context

    def __getattr__(self, name):
        return getattr(self.browser, name)


@pytest.fixture(autouse=True)
def csp_guard(request):
    """The watchers of the browser contexts this test makes; pytest_runtest_call fails the test
    if they saw a violation."""
    if "chromium" not in request.fixturenames:
        yield []
        return
    browser = request.getfixturevalue("chromium")
    browser.watched.clear()
    yield browser.watched
    browser.watched.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test that passed fails after all if a page it opened violated the policy."""
    result = yield
    violations = [line for seen in item.funcargs.get("csp_guard") or [] for line in seen.settle()]
    if violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False
        )
    return result


@pytest.fixture
def csp_violations(page):
    """The CSP violations seen so far in the pages of this test's `page` context."""
    return page.context.csp_violations


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    _settle(context)
    context.close()


def _settle(context) -> None:
    """Let the pages' own requests (the header's counts, which htmx loads after each page)
    finish before the context closes and the test's database is flushed: a request the live
    server is still answering holds a lock the flush would meet (SQLite: "database table is
    locked"). A page that polls (an export being prepared) is left after three seconds."""
    for open_page in context.pages:
        try:
            open_page.wait_for_load_state("networkidle", timeout=3_000)
        except PlaywrightTimeoutError:
            continue


@pytest.fixture
def login(page):
    """Log in through the login page as `user` (created with the factories' password)."""

    def log_in(user):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return log_in


@pytest.fixture
def e2e_planner(transactional_db, body):
    return member(body, Role.PLANNER, username="e2e.planner", first_name="Aliya")


@pytest.fixture(scope="session")
def eds_ca():
    """The test CA of the digital signature (jospar/signatures/tests/pki.py)."""
    from jospar.signatures.tests.pki import make_ca

    return make_ca()


@pytest.fixture
def ncalayer(eds_ca, settings, tmp_path):
    """A fake NCALayer (tests/e2e/ncalayer.py) running, the test CA trusted by the built-in
    verification and NCALAYER_URL pointing at the fake."""
    from tests.e2e.ncalayer import FakeNCALayer

    roots = tmp_path / "roots.pem"
    roots.write_bytes(eds_ca.roots_pem())
    settings.SIGNATURE_BACKEND = "builtin"
    settings.SIGNATURE_TRUSTED_ROOTS = str(roots)
    with FakeNCALayer(eds_ca) as fake:
        settings.NCALAYER_URL = fake.url
        yield fake

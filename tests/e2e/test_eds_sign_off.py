"""The unit head signs the quarterly information off with the digital signature through
NCALayer (issue 19), against a fake NCALayer: a WebSocket server on a free loopback port that
greets the page with its version and answers the `sign` call of kz.gov.pki.knca.basics as
NCALayer does, with a detached CMS of the data it was sent, made with the test CA's keys. The
page shows the signer's certificate before the step is taken: the head confirms it, signs and
the page shows the signature; the head cancels in NCALayer's window or in the panel; the head
picks their AUTH key, which the panel says before anything is posted to the step, and chooses
another key. NCALayer not running is said too."""

import re
import socket

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from jospar.monitoring.models import Submission, SubmissionStatus
from jospar.orgs.models import SignatureUse
from jospar.signatures.models import Signature
from jospar.signatures.tests.pki import IIN
from tests.e2e.ncalayer import ANOTHER, CONFIRM, certificate_panel, confirm
from tests.e2e.test_accessibility import serious_violations
from tests.worlds import monitoring_world

SIGN = "Sign with EDS"


@pytest.fixture
def world(transactional_db, clock):
    """The unit's information for the 1st quarter, filled in; the body signs the sign-off with
    the digital signature; the head's IIN is the one in the test certificates."""
    clock("2026-02-16 10:00", tick=True)
    world = monitoring_world()
    world.body.eds_sign_off = SignatureUse.REQUIRED
    world.body.save()
    world.head.iin = IIN
    world.head.save()
    world.submission = world.open(1)
    world.fill(world.submission)
    return world


def status_of(world):
    return Submission.objects.get(pk=world.submission.pk).status


def open_as_head(page, login, world):
    login(world.head)
    page.goto(world.submission.get_absolute_url())
    button = page.get_by_role("button", name=SIGN)
    expect(button).to_be_enabled()
    return button


def test_the_head_signs_off_with_eds(page, login, world, ncalayer, eds_ca):
    open_as_head(page, login, world).click()

    panel = certificate_panel(page)
    serial = format(eds_ca.signer.certificate.serial_number, "X")
    for text in ("You are signing as:", "ТЕСТОВ ТЕСТ ТЕСТОВИЧ", IIN, serial, "from 01.01.2020"):
        expect(panel).to_contain_text(text)
    assert serious_violations(page, Axe(), "the EDS sign-off page, certificate shown") == []
    assert status_of(world) == SubmissionStatus.DRAFT  # not yet
    panel.get_by_role("button", name=CONFIRM).click()

    expect(page.get_by_text("Done: signed off and submitted.")).to_be_visible()
    signature = Signature.objects.get()
    expect(page.locator("#eds-signed")).to_have_text(
        re.compile(
            rf"^Signed with EDS: {re.escape(signature.signer_name)}, IIN {IIN}, "
            rf"16\.02\.2026 \d\d:\d\d, certificate {signature.certificate_serial}$"
        )
    )
    assert status_of(world) == SubmissionStatus.SUBMITTED
    (request,) = ncalayer.requests
    args = request["args"]
    assert args["format"] == "cms"
    assert args["signingParams"]["decode"] is True
    assert args["signingParams"]["encapsulate"] is False
    assert args["signerParams"]["extKeyUsageOids"] == ["1.3.6.1.5.5.7.3.4"]


def test_the_head_cancels_in_ncalayer(page, login, world, ncalayer):
    ncalayer.key = None
    open_as_head(page, login, world).click()

    expect(page.locator("#eds-status")).to_have_text("Signing was cancelled: nothing was signed.")
    expect(page.get_by_role("button", name=SIGN)).to_be_enabled()
    assert status_of(world) == SubmissionStatus.DRAFT
    assert not Signature.objects.exists()
    assert serious_violations(page, Axe(), "the EDS sign-off page") == []


def test_the_head_cancels_in_the_panel(page, login, world, ncalayer):
    open_as_head(page, login, world).click()
    certificate_panel(page).get_by_role("button", name="Cancel").click()

    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("#eds-status")).to_have_text("Signing was cancelled: nothing was signed.")
    expect(page.get_by_role("button", name=SIGN)).to_be_focused()
    page.keyboard.press("Enter")  # the button again, from the keyboard
    certificate_panel(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert status_of(world) == SubmissionStatus.DRAFT
    assert not Signature.objects.exists()


def test_an_auth_key_is_said_before_the_step(page, login, world, ncalayer, eds_ca):
    ncalayer.key = eds_ca.auth
    button = open_as_head(page, login, world)
    posted = []
    page.on("request", lambda r: r.method == "POST" and posted.append(r.url))
    button.click()

    panel = certificate_panel(page)
    expect(panel).to_contain_text("This key cannot sign the step:")
    expect(panel.get_by_role("listitem")).to_have_text(
        [
            "This is an authentication (AUTH) key: sign with your signing key "
            "(its file name begins with RSA or GOST)."
        ]
    )
    expect(panel).to_contain_text(format(eds_ca.auth.certificate.serial_number, "X"))
    expect(panel.get_by_role("button", name=CONFIRM)).to_have_count(0)
    assert serious_violations(page, Axe(), "the EDS sign-off page, AUTH key said") == []
    assert [url.split("/", 3)[-1] for url in posted] == ["signatures/check/"]
    assert status_of(world) == SubmissionStatus.DRAFT
    assert not Signature.objects.exists()

    ncalayer.key = eds_ca.signer
    panel.get_by_role("button", name=ANOTHER).click()
    confirm(page, IIN)

    expect(page.get_by_text("Done: signed off and submitted.")).to_be_visible()
    assert status_of(world) == SubmissionStatus.SUBMITTED
    assert len(ncalayer.requests) == 2


def test_ncalayer_not_running_is_said(page, login, world, settings):
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    settings.NCALAYER_URL = f"ws://127.0.0.1:{port}/"
    open_as_head(page, login, world).click()

    expect(page.locator("#eds-status")).to_contain_text("NCALayer is not running")
    assert status_of(world) == SubmissionStatus.DRAFT


def test_a_check_that_cannot_be_made_is_said(page, login, world, ncalayer):
    """The check does not answer (the server fails): the page says so and takes no step."""
    button = open_as_head(page, login, world)
    page.route("**/signatures/check/", lambda route: route.fulfill(status=503, body="down"))
    button.click()

    expect(page.locator("#eds-status")).to_have_text(
        "The certificate could not be checked: 503 Service Unavailable"
    )
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("button", name=SIGN)).to_be_enabled()
    assert status_of(world) == SubmissionStatus.DRAFT

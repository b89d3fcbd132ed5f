"""An official of a body that requires two-factor login logs in, is sent to set up an
authenticator, types its secret into their "app" (computed here), confirms with its code, keeps
the backup codes, logs out and logs in again with a code."""

import base64
import time

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from jospar.orgs.models import Role
from tests.factories import PASSWORD, member


@pytest.fixture
def official(transactional_db, body):
    body.require_two_factor = True
    body.save()
    return member(body, Role.OFFICIAL, username="b.official", first_name="Bolat")


def app_code(secret: str, shift: int = 0) -> str:
    """What an authenticator app given `secret` (base32, as the page shows it) shows now."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=shift):06d}"


def test_an_official_enrols_and_logs_in_with_a_code(page, login, official, body):
    login(official)
    assert page.url.endswith("/accounts/two-factor/")
    expect(page.get_by_text("Set it up to go on.")).to_be_visible()
    page.goto(body.get_absolute_url())  # nothing else opens before enrolment
    assert page.url.endswith("/accounts/two-factor/")
    expect(page.get_by_role("img", name="QR code of the secret")).to_be_visible()
    secret = page.get_by_label("Secret").input_value()

    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Two-factor login is on.")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.goto(body.get_absolute_url())
    expect(page.get_by_role("heading", name=body.name)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    time.sleep(max(0, 30 - time.time() % 30) + 1)  # the next code: the first one is spent
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(official.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-factor login")).to_be_visible()
    page.get_by_label("Code").fill(app_code(secret, shift=5))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The code is wrong or already used.")).to_be_visible()
    time.sleep(2)  # a wrong code delays the next try
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=str(official))).to_be_visible()
    page.goto(body.get_absolute_url())
    expect(page.get_by_role("heading", name=body.name)).to_be_visible()

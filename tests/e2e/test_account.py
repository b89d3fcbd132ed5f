"""A person looks after their own account: issues an API token for a script, copies its key
(shown once), revokes it, changes their password and logs in with the new one; a run of wrong
passwords locks the login."""

import re

import pytest
from playwright.sync_api import expect

from jospar.accounts.models import ApiToken
from jospar.orgs.models import Role
from tests.factories import PASSWORD, member

NEW_PASSWORD = "Spring-rains-over-Astana-2027"


@pytest.fixture
def person(transactional_db, body):
    return member(body, Role.PLANNER, username="a.nurlanova", first_name="Aigul")


def test_a_person_issues_and_revokes_a_token_and_changes_their_password(page, login, person):
    login(person)
    page.get_by_role("link", name=str(person)).click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()

    page.get_by_label("What the token is for").fill("quarterly export script")
    page.get_by_role("button", name="Issue").click()
    expect(page.get_by_role("status")).to_contain_text("Copy its key now")
    key = page.get_by_label("Key").input_value()
    token = ApiToken.objects.get(user=person)
    assert key.startswith(token.prefix) and len(key) > 40
    row = page.get_by_role("row").filter(has_text="quarterly export script")
    expect(row).to_contain_text(f"{token.prefix}…")

    page.reload()  # the key is not shown again
    expect(page.get_by_role("status")).to_have_count(0)
    page.get_by_role("button", name="Revoke quarterly export script").click()
    expect(page.get_by_text("The token “quarterly export script” is revoked.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="quarterly export script")).to_contain_text(
        "revoked"
    )

    page.get_by_role("link", name="Your details").click()
    page.get_by_label("Email address").fill("a.nurlanova@example.kz")
    page.get_by_label("Job title").fill("Chief expert of planning")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
    person.refresh_from_db()
    assert (person.email, person.position) == ("a.nurlanova@example.kz", "Chief expert of planning")

    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label(re.compile(r"^New password\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=str(person))).to_be_visible()


def test_wrong_passwords_lock_the_login(page, person, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for attempt in range(3):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(person.username)
        page.get_by_label("Password").fill(f"guess-{attempt}")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    expect(page.get_by_text("Try again in 15 minutes")).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()

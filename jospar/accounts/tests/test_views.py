"""The account pages (password, tokens) and the lockout after too many failed logins."""

import pytest
from axes.models import AccessFailureLog
from django.urls import reverse

from jospar.accounts.models import ApiToken
from jospar.accounts.services import token_issue
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_the_password_is_changed_and_the_tokens_end_with_the_old_one(client, viewer):
    token, _key = token_issue(user=viewer, name="script")
    client.force_login(viewer)
    page = client.get(reverse("accounts:password"))
    assert page.status_code == 200 and "Change password" in page.content.decode()
    wrong = client.post(
        reverse("accounts:password"),
        {"old_password": "nope", "new_password1": "x", "new_password2": "y"},
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    new = "A-much-longer-passphrase-2026"
    done = client.post(
        reverse("accounts:password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Your password is changed." in done.content.decode()
    viewer.refresh_from_db()
    assert viewer.check_password(new)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("accounts:tokens")).status_code == 200  # the session goes on


def test_a_token_is_issued_on_the_page_shown_once_and_revoked(client, viewer, planner):
    client.force_login(viewer)
    issued = client.post(reverse("accounts:tokens"), {"name": "reporting script"}, follow=True)
    assert issued.redirect_chain == [(reverse("accounts:tokens"), 302)]
    page = issued.content.decode()
    token = ApiToken.objects.get(user=viewer)
    assert "Copy its key now" in page and f'value="{token.prefix}' in page
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert "Copy its key now" not in again and f"{token.prefix}…" in again
    theirs, _key = token_issue(user=planner, name="theirs")
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in client.get(reverse("accounts:tokens")).content.decode()


def test_a_token_needs_a_name(client, viewer):
    client.force_login(viewer)
    page = client.post(reverse("accounts:tokens"), {"name": ""}).content.decode()
    assert "This field is required." in page
    assert not ApiToken.objects.exists()


WRONG = "not-the-password"


def attempt(client, username, password=WRONG, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_too_many_wrong_passwords(client, viewer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for address in ("10.0.0.1", "10.0.0.2"):
        assert attempt(client, viewer.username, address=address).status_code == 200
    assert attempt(client, viewer.username, address="10.0.0.3").status_code == 429
    locked = attempt(client, viewer.username, PASSWORD, address="10.0.0.4")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    logged = AccessFailureLog.objects.filter(username=viewer.username)
    assert logged.count() >= 3  # each failure leaves an audit line


def test_an_address_is_locked_after_too_many_wrong_passwords(client, viewer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        attempt(client, f"someone{n}")
    locked = attempt(client, viewer.username, PASSWORD)
    assert locked.status_code == 429
    elsewhere = attempt(client, viewer.username, PASSWORD, address="10.0.0.9")
    assert elsewhere.status_code == 302  # the right password from another address


def test_the_token_endpoint_is_locked_the_same_way(api, viewer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = api()
    for _ in range(3):
        client.post("/api/v1/auth/token/", {"username": viewer.username, "password": "x"})
    locked = client.post("/api/v1/auth/token/", {"username": viewer.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.json()["detail"]
    assert not ApiToken.objects.exists()


def test_a_successful_login_is_not_hindered(client):
    user = UserFactory()
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 302


def test_a_person_keeps_their_own_details(client, viewer):
    client.force_login(viewer)
    form = client.get(reverse("accounts:profile")).content.decode()
    assert "Your details" in form and viewer.first_name in form
    bad = client.post(reverse("accounts:profile"), {"first_name": "Aigerim", "email": "not-mail"})
    assert bad.status_code == 400 and "Enter a valid email address." in bad.content.decode()
    data = {
        "first_name": "Aigerim",
        "last_name": "Bekova",
        "patronymic": "",
        "email": "a.bekova@example.kz",
        "position": "Chief expert",
    }
    done = client.post(reverse("accounts:profile"), data, follow=True)
    assert "Your details are saved." in done.content.decode()
    viewer.refresh_from_db()
    assert (viewer.last_name, viewer.email) == ("Bekova", "a.bekova@example.kz")
    assert viewer.history.first().history_user == viewer

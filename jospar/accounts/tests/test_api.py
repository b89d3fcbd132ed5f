"""API tokens: issued for a password, kept as a digest, expiring, listed and revoked by their
owner, ended by logging out and by a new password."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.accounts.models import ApiToken, digest
from jospar.accounts.services import token_issue
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"


def obtain(api, user, **extra):
    return api().post(TOKEN, {"username": user.username, "password": PASSWORD, **extra})


def with_key(api, key):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def refused(response) -> bool:
    """Refused as a bad token (403: the session comes first among the API's authentications,
    and it names no challenge for a 401)."""
    return response.status_code == 403 and response.json() == {
        "detail": "Invalid, expired or revoked token."
    }


def test_a_client_obtains_a_token_and_reads_with_it(api, body, viewer, clock):
    now = clock("2026-07-10 09:00")
    response = obtain(api, viewer, name="reporting script")
    assert response.status_code == 200, response.content
    key = response.json()["token"]
    token = ApiToken.objects.get(user=viewer)
    assert (token.name, token.prefix, token.digest) == ("reporting script", key[:8], digest(key))
    assert key not in str(list(ApiToken.objects.values()))  # only the digest is kept
    assert token.expires_at == now + dt.timedelta(hours=24)
    reading = with_key(api, key).get("/api/v1/bodies/")
    assert reading.status_code == 200
    assert [row["id"] for row in reading.json()["results"]] == [body.pk]
    token.refresh_from_db()
    assert token.last_used_at == now


def test_a_wrong_password_gets_no_token(api, viewer):
    response = api().post(TOKEN, {"username": viewer.username, "password": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Unable to log in with the username and password given."]
    }
    assert not ApiToken.objects.exists()


def test_a_token_expires(api, viewer, clock, settings):
    settings.API_TOKEN_HOURS = 2
    clock("2026-07-10 09:00")
    key = obtain(api, viewer).json()["token"]
    clock("2026-07-10 10:59")
    assert with_key(api, key).get("/api/v1/bodies/").status_code == 200
    clock("2026-07-10 11:01")
    assert refused(with_key(api, key).get("/api/v1/bodies/"))


def test_logging_out_of_the_api_revokes_the_token_used(api, viewer):
    first, second = obtain(api, viewer).json()["token"], obtain(api, viewer).json()["token"]
    assert with_key(api, first).post("/api/v1/auth/logout/").status_code == 204
    assert refused(with_key(api, first).get("/api/v1/bodies/"))
    assert with_key(api, second).get("/api/v1/bodies/").status_code == 200


def test_logging_out_of_the_pages_revokes_every_token(api, client, viewer):
    key = obtain(api, viewer).json()["token"]
    client.force_login(viewer)
    client.post(reverse("logout"))
    assert refused(with_key(api, key).get("/api/v1/bodies/"))


def test_the_owner_lists_and_revokes_their_own_tokens_only(api, viewer, planner):
    mine, key = token_issue(user=viewer, name="mine")
    theirs, their_key = token_issue(user=planner, name="theirs")
    listed = with_key(api, key).get(TOKENS).json()["results"]
    assert [(row["id"], row["name"], row["prefix"]) for row in listed] == [
        (mine.pk, "mine", key[:8])
    ]
    assert "token" not in listed[0] and "digest" not in listed[0]
    assert with_key(api, key).delete(f"{TOKENS}{theirs.pk}/").status_code == 404
    assert with_key(api, their_key).get("/api/v1/bodies/").status_code == 200
    assert api(viewer).delete(f"{TOKENS}{mine.pk}/").status_code == 204
    assert refused(with_key(api, key).get("/api/v1/bodies/"))
    mine.refresh_from_db()
    assert mine.revoked_at is not None

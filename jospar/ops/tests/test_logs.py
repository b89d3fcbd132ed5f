"""The logs: one JSON object a line (production's format), a line per request with its id,
user, body, method, path, status and duration, and the audit lines of logging in and out,
two-factor failures, lockouts, refusals (403) and objects not found (404)."""

import io
import json
import logging

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jospar.ops.logs import formatter
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The lines logged meanwhile, as production writes them (JSON), parsed: every line must
    be one JSON object."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(json=True))
    root = logging.getLogger()
    root.addHandler(handler)

    def lines(event: str | None = None) -> list[dict]:
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [line for line in parsed if event is None or line["event"] == event]

    lines.raw = stream.getvalue
    yield lines
    root.removeHandler(handler)


def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_a_request_line_carries_the_proxys_request_id_and_who_asked(log_lines, body, planner):
    browser = client()
    browser.force_login(planner)
    response = browser.get(body.get_absolute_url(), HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.42"
    [line] = log_lines("request")
    assert line["request_id"] == "lb-7f3a.42"
    assert (line["method"], line["path"], line["status"]) == ("GET", body.get_absolute_url(), 200)
    assert (line["user_id"], line["username"], line["body_id"]) == (planner.pk, "planner", body.pk)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "info" and line["logger"] == "jospar.request"
    assert line["timestamp"].endswith("Z")


def test_without_a_sane_request_id_one_is_made(log_lines):
    first = client().get("/accounts/login/")
    forged = client().get("/accounts/login/", HTTP_X_REQUEST_ID='x" "status": 200')
    ids = [first["X-Request-ID"], forged["X-Request-ID"]]
    assert all(len(made) == 32 for made in ids) and ids[0] != ids[1]
    assert [line["request_id"] for line in log_lines("request")] == ids
    assert [line["user_id"] for line in log_lines("request")] == [None, None]


def test_the_api_names_the_token_user(log_lines, api, viewer):
    response = api(viewer).get("/api/v1/bodies/")
    assert response.status_code == 200
    [line] = log_lines("request")
    assert (line["username"], line["path"], line["status"]) == ("viewer", "/api/v1/bodies/", 200)


def test_logins_logouts_and_failures_are_audited_without_the_password(log_lines, viewer):
    browser = client()
    wrong = browser.post(
        "/accounts/login/", {"username": "viewer", "password": "not-the-password-123"}
    )
    assert wrong.status_code == 200
    right = browser.post("/accounts/login/", {"username": "viewer", "password": PASSWORD})
    assert right.status_code == 302
    assert browser.post("/accounts/logout/").status_code == 302
    events = [
        (line["event"], line.get("username"), line.get("attempted_username"))
        for line in log_lines()
        if line["logger"] == "jospar.audit"
    ]
    assert events == [
        ("login_failed", None, "viewer"),
        ("login", "viewer", None),
        ("logout", "viewer", None),
    ]
    assert "not-the-password-123" not in log_lines.raw()
    assert PASSWORD not in log_lines.raw()
    [failed] = log_lines("login_failed")
    assert failed["level"] == "warning" and failed["ip"] == "127.0.0.1"
    assert failed["request_id"] == log_lines("request")[0]["request_id"]


def test_a_token_login_and_a_wrong_second_factor_are_audited(log_lines, viewer):
    api = client()
    response = api.post(
        "/api/v1/auth/token/", {"username": "viewer", "password": PASSWORD}, "application/json"
    )
    assert response.status_code == 200
    [login] = log_lines("login")
    assert (login["username"], login["via"]) == ("viewer", "api_token")
    TOTPDevice.objects.create(user=viewer, name="phone", confirmed=True)
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "viewer", "password": PASSWORD, "otp": "000000"},
        "application/json",
    )
    assert response.status_code == 400
    [failed] = log_lines("two_factor_failed")
    assert failed["attempted_username"] == "viewer"
    assert log_lines("login_failed") == []


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_lockout_is_audited(log_lines, viewer):
    browser = client()
    for _attempt in range(3):
        browser.post("/accounts/login/", {"username": "viewer", "password": "wrong-wrong-1"})
    [lockout] = log_lines("lockout")[:1]
    assert lockout["attempted_username"] == "viewer"
    assert lockout["level"] == "warning"


def test_refusals_and_objects_not_found_are_audited(log_lines, body, viewer, outsider):
    as_viewer = client()
    as_viewer.force_login(viewer)
    # A viewer may not add a unit: 403.
    refused = as_viewer.get(reverse("orgs:unit_new", args=[body.pk]))
    assert refused.status_code == 403
    as_outsider = client()
    as_outsider.force_login(outsider)
    hidden = as_outsider.get(body.get_absolute_url())
    assert hidden.status_code == 404
    [denied] = log_lines("permission_denied")
    assert (denied["username"], denied["body_id"]) == ("viewer", body.pk)
    [missing] = log_lines("not_found")
    assert (missing["username"], missing["status"]) == ("outsider", 404)
    assert missing["body_id"] == body.pk
    # Django's own line about the answer is still logged, with the same request id.
    [django_line] = [line for line in log_lines() if line["logger"] == "django.request"][-1:]
    assert django_line["event"].startswith("Not Found")
    assert django_line["request_id"] == missing["request_id"]


def test_an_error_line_carries_its_traceback_as_text(log_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /x/")
    [line] = log_lines()
    assert line["level"] == "error"
    assert "ValueError: boom" in line["exception"]


def test_the_console_format_is_a_readable_line():
    record = logging.LogRecord("jospar.request", logging.INFO, __file__, 1, "request", (), None)
    text = formatter(json=False).format(record)
    assert "request" in text and "jospar.request" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)

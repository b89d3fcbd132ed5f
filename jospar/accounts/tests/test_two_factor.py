"""Two-factor login: enrolling an authenticator, the login's second step (wrong, replayed and
backup codes, the lockout), a body that requires it of its administrators and officials, and
the API's token endpoint."""

import base64
import re

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jospar.accounts import services
from jospar.accounts.models import ApiToken
from jospar.orgs.models import Role
from tests.factories import PASSWORD, member
from tests.openapi import served_schema

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
TOKEN = "/api/v1/auth/token/"
ENROL = reverse("accounts:two_factor")


@pytest.fixture
def clock():
    """Stopped time, moved on by `clock.shift(seconds)`."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def code_of(key: str, shift: int = 0) -> str:
    """The code an authenticator app with the hex `key` shows now (`shift` steps later)."""
    return f"{totp(bytes.fromhex(key), drift=shift):06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    return services.two_factor_enrol(
        actor=user, key=(key := services.totp_key_new()), code=code_of(key)
    )


def password_step(client, user, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address
    )


def code_step(client, code, address="10.0.0.1"):
    return client.post(CODE, {"code": code}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_enrolment_shows_the_secret_and_qr_and_confirms_with_a_code(client, viewer, clock):
    client.force_login(viewer)
    page = client.get(ENROL)
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret"[^>]*value="([A-Z2-7 ]+)"', page.content.decode())[1]
    key = client.session["jospar.totp_key"]
    assert secret.replace(" ", "") == base64.b32encode(bytes.fromhex(key)).decode()
    qr = client.get(reverse("accounts:two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    wrong = client.post(ENROL, {"code": code_of(key, shift=5)})
    assert wrong.status_code == 400
    assert "not the current code" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=viewer).exists()

    done = client.post(ENROL, {"code": code_of(key)}, follow=True)
    assert "Two-factor login is on." in done.content.decode()
    device = TOTPDevice.objects.get(user=viewer)
    assert device.confirmed and device.key == key
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == services.BACKUP_CODES
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    again = client.get(ENROL).content.decode()
    assert codes[0] not in again and "10 backup codes are left." in again  # shown once


def test_a_second_enrolment_is_refused_while_one_is_on(viewer):
    enrolled(viewer)
    key = services.totp_key_new()
    with pytest.raises(services.ValidationError, match="already on"):
        services.two_factor_enrol(actor=viewer, key=key, code=code_of(key))


def test_login_asks_for_the_code_after_the_password(client, viewer, clock):
    device, _codes = enrolled(viewer)
    first = password_step(client, viewer)
    assert first.status_code == 302 and first["Location"] == CODE
    assert not logged_in(client)
    assert client.get("/").status_code == 302  # not logged in before the code

    clock.shift(40)
    wrong = code_step(client, code_of(device.key, shift=3))
    assert wrong.status_code == 400
    assert "The code is wrong or already used." in wrong.content.decode()
    assert not logged_in(client)
    assert AccessFailureLog.objects.filter(username=viewer.username).count() == 1

    soon = code_step(client, code_of(device.key))  # the wrong code delays the next try
    assert "Too many wrong codes: try again in" in soon.content.decode()
    assert not logged_in(client)

    clock.shift(5)
    done = code_step(client, code_of(device.key))
    assert done.status_code == 302 and done["Location"] == "/"
    assert logged_in(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_code_that_was_used_is_refused(client, viewer, clock):
    device, _codes = enrolled(viewer)
    clock.shift(30)
    code = code_of(device.key)
    password_step(client, viewer)
    assert code_step(client, code).status_code == 302
    client.logout()
    password_step(client, viewer)
    replayed = code_step(client, code)
    assert replayed.status_code == 400 and not logged_in(client)


def test_the_enrolment_code_does_not_log_in(client, viewer, clock):
    key = services.totp_key_new()
    code = code_of(key)
    services.two_factor_enrol(actor=viewer, key=key, code=code)
    password_step(client, viewer)
    assert code_step(client, code).status_code == 400
    assert not logged_in(client)


def test_a_backup_code_logs_in_once(client, viewer, clock):
    _device, codes = enrolled(viewer)
    password_step(client, viewer)
    done = code_step(client, codes[0].upper(), address="10.0.0.1")
    assert done.status_code == 302 and logged_in(client)
    assert StaticToken.objects.count() == services.BACKUP_CODES - 1
    client.logout()
    clock.shift(60)
    password_step(client, viewer)
    assert code_step(client, codes[0]).status_code == 400
    assert not logged_in(client)


def test_wrong_codes_lock_the_login_like_wrong_passwords(client, viewer, settings, clock):
    settings.AXES_FAILURE_LIMIT = 3
    device, _codes = enrolled(viewer)
    password_step(client, viewer)
    for attempt in range(3):
        clock.shift(60)
        answer = code_step(client, "000000" if code_of(device.key) != "000000" else "111111")
        assert answer.status_code in (400, 429), attempt
    assert answer.status_code == 429
    clock.shift(60)
    locked = password_step(client, viewer)
    assert locked.status_code == 429 and "Try again in 15 minutes" in locked.content.decode()
    assert not logged_in(client)


def test_the_second_step_without_a_password_goes_back_to_the_login(client, viewer):
    enrolled(viewer)
    answer = code_step(client, "123456")
    assert answer.status_code == 302 and answer["Location"] == LOGIN


def test_the_second_step_expires(client, viewer, clock):
    device, _codes = enrolled(viewer)
    password_step(client, viewer)
    clock.shift(301)
    answer = code_step(client, code_of(device.key))
    assert answer.status_code == 302 and answer["Location"] == LOGIN and not logged_in(client)


def test_two_factor_is_removed_with_a_code_or_the_password(client, viewer, clock):
    device, _codes = enrolled(viewer)
    client.force_login(viewer)
    url = reverse("accounts:two_factor_remove")
    wrong = client.post(url, {"password": "not-it"})
    assert wrong.status_code == 400 and "The password is wrong." in wrong.content.decode()
    empty = client.post(url, {})
    assert "Give a current code or your password." in empty.content.decode()
    assert TOTPDevice.objects.filter(user=viewer).exists()
    clock.shift(30)
    done = client.post(url, {"code": code_of(device.key)}, follow=True)
    assert "Two-factor login is off." in done.content.decode()
    assert not TOTPDevice.objects.filter(user=viewer).exists()
    assert not StaticToken.objects.exists()
    client.logout()
    assert password_step(client, viewer)["Location"] == "/"  # one step again


def test_new_backup_codes_replace_the_old(client, viewer):
    _device, old = enrolled(viewer)
    client.force_login(viewer)
    page = client.post(reverse("accounts:two_factor_codes"), follow=True).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == services.BACKUP_CODES and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


# A body that requires two-factor login.


@pytest.fixture
def official(body):
    return member(body, Role.OFFICIAL, username="official")


def test_the_administrator_requires_two_factor_on_the_body_page(client, body, admin_user, viewer):
    url = reverse("orgs:body_two_factor", args=[body.pk])
    client.force_login(viewer)
    assert client.post(url, {"require_two_factor": "on"}).status_code == 403
    client.force_login(admin_user)
    assert 'name="require_two_factor"' in client.get(body.get_absolute_url()).content.decode()
    done = client.post(url, {"require_two_factor": "on"}, follow=True)
    body.refresh_from_db()
    assert body.require_two_factor
    # The administrator is one of those it applies to: they are sent to enrol.
    assert done.redirect_chain[-1][0] == ENROL
    assert "Your body requires two-factor login" in done.content.decode()


def test_the_body_requirement_is_set_through_the_api(api, body, admin_user, viewer):
    url = f"/api/v1/bodies/{body.pk}/two-factor/"
    assert api(viewer).post(url, {"required": True}, format="json").status_code == 403
    answer = api(admin_user).post(url, {"required": True}, format="json")
    assert answer.status_code == 200 and answer.json()["require_two_factor"] is True
    body.refresh_from_db()
    assert body.require_two_factor
    assert api(viewer).get(f"/api/v1/bodies/{body.pk}/").json()["require_two_factor"] is True


def test_an_official_of_a_requiring_body_enrols_before_anything_else(
    client, body, official, planner, clock
):
    body.require_two_factor = True
    body.save()
    client.force_login(official)
    for url in ("/", body.get_absolute_url(), reverse("accounts:tokens")):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"] == ENROL, url
    assert client.get("/api/v1/bodies/").status_code == 403
    assert client.get(ENROL).status_code == 200
    key = client.session["jospar.totp_key"]
    client.post(ENROL, {"code": code_of(key)})
    assert client.get("/").status_code in (200, 302)
    assert client.get(body.get_absolute_url()).status_code == 200

    client.force_login(planner)  # a planner of the same body is not asked
    assert client.get(body.get_absolute_url()).status_code == 200


def test_a_body_that_starts_to_require_it_reaches_an_open_session(client, body, official, clock):
    client.force_login(official)
    assert client.get(body.get_absolute_url()).status_code == 200
    body.require_two_factor = True
    body.save()
    clock.shift(301)
    assert client.get(body.get_absolute_url())["Location"] == ENROL


# The API's token endpoint.


def test_the_token_endpoint_asks_for_the_code(api, viewer, clock):
    device, codes = enrolled(viewer)
    credentials = {"username": viewer.username, "password": PASSWORD}
    missing = api().post(TOKEN, credentials)
    assert missing.status_code == 400
    assert "send the code its authenticator app shows now" in missing.json()["otp"][0]
    clock.shift(30)
    wrong = api().post(TOKEN, credentials | {"otp": code_of(device.key, shift=4)})
    assert wrong.status_code == 400
    assert wrong.json()["otp"] == ["The code is wrong or already used."]
    assert AccessFailureLog.objects.filter(username=viewer.username).count() == 1
    throttled = api().post(TOKEN, credentials | {"otp": code_of(device.key)})
    assert throttled.status_code == 429
    clock.shift(5)
    code = code_of(device.key)
    issued = api().post(TOKEN, credentials | {"otp": code})
    assert issued.status_code == 200 and ApiToken.objects.filter(user=viewer).count() == 1
    assert api().post(TOKEN, credentials | {"otp": code}).status_code == 400  # replayed
    clock.shift(60)
    assert api().post(TOKEN, credentials | {"otp": codes[1]}).status_code == 200


def test_the_token_endpoint_refuses_who_must_enrol(api, body, official):
    body.require_two_factor = True
    body.save()
    answer = api().post(TOKEN, {"username": official.username, "password": PASSWORD})
    assert answer.status_code == 403
    assert "requires two-factor login" in answer.json()["detail"]


def test_a_person_without_two_factor_gets_a_token_as_before(api, viewer):
    answer = api().post(TOKEN, {"username": viewer.username, "password": PASSWORD})
    assert answer.status_code == 200


def test_the_schema_documents_the_code(api, viewer):
    schema = served_schema(api(viewer))
    credentials = schema["components"]["schemas"]["CredentialsRequest"]["properties"]
    assert "authenticator app" in credentials["otp"]["description"]
    answers = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"200", "400", "403", "429"} <= set(answers)
    assert "/api/v1/bodies/{id}/two-factor/" in schema["paths"]


def test_the_admin_login_is_the_sites_two_step_login(client):
    answer = client.get("/admin/login/?next=/admin/")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/?next=/admin/"

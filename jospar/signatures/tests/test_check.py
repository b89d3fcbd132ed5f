"""The signer certificate checked before the step it signs (POST signatures/check/): its
details in the active language and each reason the step would refuse it for whatever the
document; only for a logged-in person, with the CSRF token, and nothing is stored."""

import base64

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.signatures import verify as v
from jospar.signatures.models import Signature
from jospar.signatures.tests.pki import BIN, IIN, OTHER_IIN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("signatures:check")
DATA = b'{"format":"jospar-anything/1"}'


def client_of(user, language="en", **options) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, **options)
    client.force_login(user)
    return client


def checked(user, cms, **options):
    response = client_of(user, **options).post(URL, {"cms": cms})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def lines(answer) -> dict:
    return {line["label"]: line["value"] for line in answer["certificate"]}


def test_the_users_signing_key_is_shown_with_no_problem(ca, person):
    answer = checked(person, ca.sign(ca.signer, DATA))
    assert answer["ok"] is True and answer["problems"] == []
    assert lines(answer) == {
        "Signer": "ТЕСТОВ ТЕСТ ТЕСТОВИЧ",
        "IIN": IIN,
        "Organisation BIN": BIN,
        "Certificate serial": format(ca.signer.certificate.serial_number, "X"),
        "Issued by": ca.intermediate.certificate.subject.rfc4514_string(),
        "Valid": "from 01.01.2020 to 01.01.2040",
    }


def test_the_details_are_in_the_active_language(ca, person):
    answer = checked(person, ca.sign(ca.signer, DATA), language="ru")
    assert "ИИН" in lines(answer)
    assert lines(answer)["ИИН"] == IIN
    assert lines(answer)["Срок действия"].startswith("с 01.01.2020")


@pytest.mark.parametrize(
    ("holder", "reason"),
    [
        ("auth", v.auth_key),
        ("other", v.other_person),
        ("expired", v.expired),
        ("foreign", v.untrusted),
    ],
)
def test_each_problem_is_named_with_the_certificate(ca, person, holder, reason):
    answer = checked(person, ca.sign(getattr(ca, holder), DATA))
    assert answer["ok"] is False
    assert answer["problems"] == [reason()]
    expected_iin = OTHER_IIN if holder == "other" else IIN
    assert lines(answer)["IIN"] == expected_iin


def test_no_iin_in_the_profile_is_said(ca):
    user = UserFactory(username="no-iin", iin="")
    answer = checked(user, ca.sign(ca.signer, DATA))
    assert answer["problems"] == [v.no_iin()]


def test_an_auth_key_of_another_person_is_said_twice(ca, person):
    """Every problem is named, not only the first."""
    person.iin = OTHER_IIN
    person.save()
    answer = checked(person, ca.sign(ca.auth, DATA))
    assert answer["problems"] == [v.auth_key(), v.other_person()]


@pytest.mark.parametrize(
    ("cms", "reason"),
    [
        ("not base64!", v.not_base64),
        ("", v.not_base64),
        (base64.b64encode(b"a plain text").decode(), v.not_cms),
    ],
)
def test_what_is_not_a_cms_is_said_without_details(person, cms, reason):
    answer = checked(person, cms)
    assert answer == {"ok": False, "certificate": [], "problems": [reason()]}


def test_a_cms_its_certificate_did_not_make_is_said(ca, person):
    der = bytearray(base64.b64decode(ca.sign(ca.signer, DATA)))
    der[-1] ^= 1
    answer = checked(person, base64.b64encode(bytes(der)).decode())
    assert answer["problems"] == [v.bad_signature()]


def test_with_ncanode_the_chain_is_left_to_the_step(ca, person, settings):
    settings.SIGNATURE_BACKEND = "ncanode"
    settings.NCANODE_URL = "http://127.0.0.1:9/"  # never asked
    assert checked(person, ca.sign(ca.foreign, DATA))["problems"] == []
    assert checked(person, ca.sign(ca.auth, DATA))["problems"] == [v.auth_key()]
    answer = checked(person, ca.sign(ca.expired, DATA))
    assert answer["problems"] == [v.expired()]
    assert lines(answer)["IIN"] == IIN


def test_nothing_is_stored(ca, person):
    client = client_of(person)
    with CaptureQueriesContext(connection) as queries:
        client.post(URL, {"cms": ca.sign(ca.signer, DATA)})
        client.post(URL, {"cms": ca.sign(ca.auth, DATA)})
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert not Signature.objects.exists()


def test_a_stranger_is_sent_to_log_in(ca):
    response = Client().post(URL, {"cms": ca.sign(ca.signer, DATA)})
    assert response.status_code == 302 and "login" in response["Location"]


def test_only_post_is_answered(person):
    assert client_of(person).get(URL).status_code == 405


def test_the_csrf_token_is_required(ca, person):
    client = client_of(person, enforce_csrf_checks=True)
    cms = ca.sign(ca.signer, DATA)
    assert client.post(URL, {"cms": cms}).status_code == 403
    client.get("/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(URL, {"cms": cms, "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and response.json()["ok"] is True

"""The body's own settings page: its administrator chooses, for each signed step (the head's
sign-off, the approval, the report, the decisions), whether the body signs it with the digital
signature: not used, optional or required. The others read the choice; the API shows it on the
body and lets the administrator change it."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from jospar.orgs.models import Role, SignatureUse, StateBody
from jospar.signatures.tests.steps import client_of
from tests.factories import StateBodyFactory
from tests.worlds import member

pytestmark = pytest.mark.django_db
SETTINGS = ("eds_sign_off", "eds_approval", "eds_report", "eds_decisions")


@pytest.fixture
def body():
    return StateBodyFactory()


@pytest.fixture
def admin(body):
    return member(body, Role.ADMINISTRATOR, username="admin")


@pytest.fixture
def official(body):
    return member(body, Role.OFFICIAL, username="official")


def uses(body) -> dict:
    body = StateBody.objects.get(pk=body.pk)
    return {name: getattr(body, name) for name in SETTINGS}


def test_the_administrator_sees_each_setting_with_its_help(body, admin):
    html = client_of(admin).get(body.get_absolute_url()).content.decode()
    assert 'id="signatures-form"' in html
    for name in SETTINGS:
        assert f'name="{name}"' in html
        assert escape(str(StateBody._meta.get_field(name).help_text)) in html


def test_the_administrator_chooses_the_use_of_each_step(body, admin):
    data = {
        "eds_sign_off": SignatureUse.OFF,
        "eds_approval": SignatureUse.OPTIONAL,
        "eds_report": SignatureUse.REQUIRED,
        "eds_decisions": SignatureUse.OPTIONAL,
    }
    url = reverse("orgs:body_signatures", args=[body.pk])
    response = client_of(admin).post(url, data, follow=True)
    assert response.status_code == 200
    assert uses(body) == data
    assert "The use of the digital signature has been saved." in response.content.decode()
    assert body.history.first().history_user == admin


def test_a_choice_that_is_not_one_changes_nothing(body, admin):
    url = reverse("orgs:body_signatures", args=[body.pk])
    data = dict.fromkeys(SETTINGS, SignatureUse.REQUIRED) | {"eds_report": "always"}
    response = client_of(admin).post(url, data, follow=True)
    assert "always" in response.content.decode()  # "Select a valid choice. always is not …"
    assert set(uses(body).values()) == {SignatureUse.OFF}


def test_the_others_read_the_choice_and_may_not_change_it(body, official):
    body.eds_report = SignatureUse.REQUIRED
    body.save()
    html = client_of(official).get(body.get_absolute_url()).content.decode()
    assert 'id="signatures-form"' not in html and 'id="signature-uses"' in html
    assert "required" in html
    url = reverse("orgs:body_signatures", args=[body.pk])
    data = dict.fromkeys(SETTINGS, SignatureUse.OFF)
    assert client_of(official).post(url, data).status_code == 403
    assert uses(body)["eds_report"] == SignatureUse.REQUIRED


def test_the_api_shows_the_settings_and_the_administrator_changes_them(api, body, admin, official):
    answer = api(official).get(f"/api/v1/bodies/{body.pk}/").json()
    assert {name: answer[name] for name in SETTINGS} == dict.fromkeys(SETTINGS, "off")
    url = f"/api/v1/bodies/{body.pk}/signatures/"
    assert api(official).post(url, {"eds_report": "required"}, format="json").status_code == 403
    response = api(admin).post(url, {"eds_report": "required"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["eds_report"] == "required"
    assert uses(body) == dict.fromkeys(SETTINGS, "off") | {"eds_report": "required"}
    assert api(admin).post(url, {"eds_report": "sometimes"}, format="json").status_code == 400

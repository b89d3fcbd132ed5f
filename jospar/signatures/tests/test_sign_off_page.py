"""The head's sign-off page where the body signs it with the digital signature: the document
to sign is read from the page's own URL (only by who may sign off), the page lets itself reach
NCALayer (connect-src) only then, and a signed sign-off posted through the form is recorded."""

import base64
import datetime as dt

import pytest
from django.urls import reverse

from jospar.monitoring.models import SubmissionStatus
from jospar.monitoring.selectors import seen_token
from jospar.orgs.models import SignatureUse
from jospar.signatures import canonical
from jospar.signatures.models import Signature
from jospar.signatures.tests.pki import IIN
from jospar.signatures.tests.steps import client_of
from tests.worlds import monitoring_world, shared_world

Q1 = dt.date(2026, 2, 16)

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def filled(world, clock, settings):
    clock(Q1)
    settings.NCALAYER_URL = "wss://127.0.0.1:13579/"
    world.head.iin = IIN
    world.head.save()
    world.body.eds_sign_off = SignatureUse.REQUIRED
    world.body.save()
    submission = world.open(1)
    world.fill(submission)
    return submission


def url(name, submission, *extra):
    args = [submission.plan.body_id, submission.plan_id, submission.quarter, submission.unit_id]
    return reverse(f"monitoring:{name}", args=[*args, *extra])


def test_the_document_to_sign_is_the_canonical_one(world, filled):
    response = client_of(world.head).get(url("sign_off_document", filled))
    assert response.status_code == 200
    assert base64.b64decode(response.content) == canonical.document_of("submission", filled)


def test_only_who_may_sign_off_reads_the_document(world, filled):
    assert client_of(world.executor).get(url("sign_off_document", filled)).status_code == 403


def test_the_page_may_reach_ncalayer_only_where_the_body_signs(world, filled):
    page = client_of(world.head).get(filled.get_absolute_url())
    assert b"data-eds-sign" in page.content
    assert "connect-src 'self' wss://127.0.0.1:13579/" in page["Content-Security-Policy"]
    world.body.eds_sign_off = SignatureUse.OFF
    world.body.save()
    page = client_of(world.head).get(filled.get_absolute_url())
    assert b"data-eds-sign" not in page.content
    assert "connect-src" not in page["Content-Security-Policy"]


def test_a_signed_sign_off_through_the_form_is_recorded_and_shown(world, filled, ca):
    cms = ca.sign(ca.signer, canonical.document_of("submission", filled))
    client = client_of(world.head)
    data = {"seen": seen_token(filled), "cms": cms}
    response = client.post(url("step", filled, "sign"), data, follow=True)
    filled.refresh_from_db()
    assert filled.status == SubmissionStatus.SUBMITTED
    signature = Signature.objects.get()
    assert f"IIN {IIN}" in response.content.decode()
    assert signature.certificate_serial in response.content.decode()


def test_a_refused_signature_is_said_and_changes_nothing(world, filled, ca):
    cms = ca.sign(ca.auth, canonical.document_of("submission", filled))
    client = client_of(world.head)
    data = {"seen": seen_token(filled), "cms": cms}
    response = client.post(url("step", filled, "sign"), data, follow=True)
    filled.refresh_from_db()
    assert filled.status == SubmissionStatus.DRAFT
    assert "authentication (AUTH) key" in response.content.decode()
    assert not Signature.objects.exists()

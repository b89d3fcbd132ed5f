"""The head's sign-off of the quarterly information through the API with a digital signature,
as the body's setting asks: off (no signature, one sent is refused), optional (recorded when
sent), required (refused without one); a signature that fails refuses the step, nothing
changes."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.monitoring.models import SubmissionStatus
from jospar.monitoring.selectors import seen_token
from jospar.orgs.models import SignatureUse
from jospar.signatures import canonical, verify
from jospar.signatures.models import Signature
from jospar.signatures.tests.pki import IIN
from tests.worlds import monitoring_world, shared_world

Q1 = dt.date(2026, 2, 16)
SUBMISSIONS = "/api/v1/submissions/"

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def filled(world, clock):
    clock(Q1)
    world.head.iin = IIN
    world.head.save()
    submission = world.open(1)
    world.fill(submission)
    return submission


def use(world, setting):
    world.body.eds_sign_off = setting
    world.body.save()


def sign(api, world, submission, cms=None):
    client = api(world.head)
    seen = client.get(f"{SUBMISSIONS}{submission.pk}/").json().get("seen", "")
    body = {"seen": seen} | ({"cms": cms} if cms is not None else {})
    return client.post(f"{SUBMISSIONS}{submission.pk}/sign/", body, format="json")


def status_of(submission):
    submission.refresh_from_db()
    return submission.status


@pytest.mark.parametrize("setting", [SignatureUse.OPTIONAL, SignatureUse.REQUIRED])
def test_a_signed_sign_off_records_the_signature(api, ca, world, filled, setting):
    use(world, setting)
    cms = ca.sign(ca.signer, canonical.document_of("submission", filled))
    response = sign(api, world, filled, cms)
    assert response.status_code == 200, response.content
    assert status_of(filled) == SubmissionStatus.SUBMITTED
    signature = Signature.objects.get()
    assert signature.signed_object == filled and signature.iin == IIN


def test_required_without_a_signature_is_refused(api, world, filled):
    use(world, SignatureUse.REQUIRED)
    response = sign(api, world, filled)
    assert response.status_code == 400 and "cms" in response.json()
    assert status_of(filled) == SubmissionStatus.DRAFT


def test_optional_or_off_signs_off_without_a_signature(api, world, filled):
    use(world, SignatureUse.OPTIONAL)
    assert sign(api, world, filled).status_code == 200
    assert not Signature.objects.exists()


def test_a_signature_where_the_body_does_not_use_them_is_refused(api, ca, world, filled):
    cms = ca.sign(ca.signer, canonical.document_of("submission", filled))
    response = sign(api, world, filled, cms)
    assert response.status_code == 400 and "cms" in response.json()
    assert status_of(filled) == SubmissionStatus.DRAFT


def test_a_failing_signature_refuses_the_step_with_its_reason(api, ca, world, filled):
    use(world, SignatureUse.REQUIRED)
    cms = ca.sign(ca.other, canonical.document_of("submission", filled))
    response = sign(api, world, filled, cms)
    assert response.status_code == 400
    assert verify.other_person() in str(response.json()["cms"])
    assert status_of(filled) == SubmissionStatus.DRAFT and not Signature.objects.exists()


def test_the_page_says_why_a_required_signature_stops_the_sign_off(client, world, filled):
    use(world, SignatureUse.REQUIRED)
    client.force_login(world.head)
    plan = world.plan
    url = reverse("monitoring:step", args=[plan.body_id, plan.pk, 1, world.unit.pk, "sign"])
    response = client.post(url, {"seen": seen_token(filled)}, follow=True)
    assert response.status_code == 200
    texts = [str(message) for message in response.context["messages"]]
    assert any("digital signature" in text for text in texts), texts
    assert status_of(filled) == SubmissionStatus.DRAFT

"""signature_record: a verified signature is stored with what its certificate says and its
history; a refusal (any reason, a signature of an earlier version, a signature sent twice)
raises ValidationError with the reason and writes nothing."""

import base64
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jospar.monitoring import services as monitoring
from jospar.signatures import canonical, verify
from jospar.signatures.models import Signature
from jospar.signatures.services import covers, replayed, signature_record
from jospar.signatures.tests.pki import IIN
from tests.worlds import monitoring_world, shared_world

Q1 = dt.date(2026, 2, 16)

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


def signed(ca, submission, holder=None):
    return ca.sign(holder or ca.signer, canonical.document_of("submission", submission))


def test_a_verified_signature_is_stored_with_its_certificate(ca, world, filled):
    cms = signed(ca, filled)
    signature = signature_record(actor=world.head, obj=filled, kind="submission", cms=cms)
    signature.refresh_from_db()
    assert signature.signed_object == filled and signature.signer == world.head
    assert signature.iin == IIN and signature.signer_name == "ТЕСТОВ ТЕСТ ТЕСТОВИЧ"
    assert signature.certificate_serial == format(ca.signer.certificate.serial_number, "X")
    assert signature.document_format == "jospar-submission/1"
    assert bytes(signature.cms) == base64.b64decode(cms)
    assert bytes(signature.document) == canonical.document_of("submission", filled)
    assert signature.document_sha256 == canonical.sha256(bytes(signature.document))
    assert signature.backend == "builtin" and signature.result == "valid"
    assert signature.valid_from.year == 2020 and signature.signed_at and signature.verified_at
    assert signature.body == world.body and covers(signature)
    assert signature.history.get().history_user == world.head


def test_a_refused_signature_writes_nothing(ca, world, filled):
    with pytest.raises(ValidationError) as refusal:
        signature_record(
            actor=world.head, obj=filled, kind="submission", cms=signed(ca, filled, ca.auth)
        )
    assert refusal.value.messages == [verify.auth_key()]
    assert not Signature.objects.exists() and not Signature.history.exists()


def test_a_signature_of_an_earlier_version_is_refused(ca, world, filled):
    earlier = signed(ca, filled)
    entry = filled.entries.get(action=world.actions["q1"])
    monitoring.entry_save(
        actor=world.executor,
        submission=filled,
        action_id=entry.action_id,
        status=entry.status,
        actual="Changed after it was signed",
        reasons=entry.reasons,
        version=entry.version,
    )
    with pytest.raises(ValidationError) as refusal:
        signature_record(actor=world.head, obj=filled, kind="submission", cms=earlier)
    assert refusal.value.messages == [verify.not_the_document()]
    assert not Signature.objects.exists()


def test_the_same_signature_twice_is_refused(ca, world, filled):
    cms = signed(ca, filled)
    signature_record(actor=world.head, obj=filled, kind="submission", cms=cms)
    with pytest.raises(ValidationError) as refusal:
        signature_record(actor=world.head, obj=filled, kind="submission", cms=cms)
    assert refusal.value.messages == [replayed()]
    assert Signature.objects.count() == 1


def test_a_later_change_shows_the_signature_no_longer_covers_the_object(ca, world, filled):
    signature = signature_record(
        actor=world.head, obj=filled, kind="submission", cms=signed(ca, filled)
    )
    entry = filled.entries.get(action=world.actions["q1"])
    monitoring.entry_save(
        actor=world.executor,
        submission=filled,
        action_id=entry.action_id,
        status=entry.status,
        actual="Changed after it was signed",
        reasons=entry.reasons,
        version=entry.version,
    )
    assert not covers(Signature.objects.get(pk=signature.pk))

"""The builtin backend: an RSA signature of the document by the user's signing key passes;
every bad input of issue 19 is refused with its own reason."""

import base64

import pytest
from asn1crypto import cms

from jospar.signatures import verify as v
from jospar.signatures.tests.pki import BIN, IIN
from tests.factories import UserFactory

DOCUMENT = '{"format":"jospar-test/1","text":"Қазсушар"}'.encode()


def check(ca, person, holder=None, document=DOCUMENT, signed=DOCUMENT, **options):
    return v.verify(ca.sign(holder or ca.signer, signed, **options), document, person)


def test_the_builders_cms_is_detached_and_carries_the_signing_time_and_the_digest(ca):
    info = cms.ContentInfo.load(base64.b64decode(ca.sign(ca.signer, DOCUMENT)))
    signed = info["content"]
    assert signed["encap_content_info"]["content"].native is None
    names = {a["type"].native for a in signed["signer_infos"][0]["signed_attrs"]}
    assert {"signing_time", "message_digest", "content_type"} <= names


def test_a_signature_by_the_users_signing_key_passes(ca, person):
    verification = check(ca, person)
    assert verification.ok, verification.reason
    assert verification.iin == IIN and verification.bin == BIN
    assert verification.signer_name == "ТЕСТОВ ТЕСТ ТЕСТОВИЧ"
    assert verification.serial == format(ca.signer.certificate.serial_number, "X")
    assert "TEST NATIONAL CA" in verification.issuer
    assert f"IIN{IIN}" in verification.subject
    assert verification.not_before.year == 2020 and verification.not_after.year == 2040
    assert verification.signing_time is not None and verification.backend == "builtin"


@pytest.mark.parametrize(
    ("cms_b64", "reason"),
    [
        ("not base64 at all!", v.not_base64),
        ("", v.not_base64),
        (base64.b64encode(b"a plain text, not a CMS").decode(), v.not_cms),
    ],
)
def test_what_is_not_a_cms_is_refused(person, cms_b64, reason):
    verification = v.verify(cms_b64, DOCUMENT, person)
    assert not verification.ok and verification.reason == reason()


def test_a_signature_of_another_document_is_refused(ca, person):
    verification = check(ca, person, signed=DOCUMENT + b" ")
    assert not verification.ok and verification.reason == v.not_the_document()


def test_a_tampered_signature_is_refused(ca, person):
    der = bytearray(base64.b64decode(ca.sign(ca.signer, DOCUMENT)))
    der[-1] ^= 1  # the last byte of the signature value
    verification = v.verify(base64.b64encode(bytes(der)).decode(), DOCUMENT, person)
    assert not verification.ok and verification.reason == v.bad_signature()


@pytest.mark.parametrize(
    ("holder", "reason"),
    [
        ("foreign", v.untrusted),
        ("expired", v.expired),
        ("auth", v.auth_key),
        ("other", v.other_person),
    ],
)
def test_a_bad_certificate_is_refused_with_its_reason(ca, person, holder, reason):
    options = {"chain": [ca.foreign_root.certificate]} if holder == "foreign" else {}
    verification = check(ca, person, getattr(ca, holder), **options)
    assert not verification.ok and verification.reason == reason()


def test_without_its_intermediate_the_chain_is_not_trusted(ca, person):
    verification = check(ca, person, chain=[])
    assert not verification.ok and verification.reason == v.untrusted()


def test_without_configured_roots_nothing_is_trusted(ca, person, settings):
    settings.SIGNATURE_TRUSTED_ROOTS = ""
    verification = check(ca, person)
    assert not verification.ok and verification.reason == v.untrusted()


@pytest.mark.django_db
def test_a_user_without_an_iin_is_told_to_add_it(ca):
    verification = check(ca, UserFactory(username="noiin"))
    assert not verification.ok and verification.reason == v.no_iin()


def test_the_rule_of_the_signing_key(ca):
    assert v.is_signing_key(ca.signer.certificate)
    assert not v.is_signing_key(ca.auth.certificate)
    assert v.is_auth_only(ca.auth.certificate) and not v.is_auth_only(ca.signer.certificate)

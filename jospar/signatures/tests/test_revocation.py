"""The builtin backend checks the certificate revocation lists of SIGNATURE_CRLS: a signer's (or
its intermediate's) certificate that a list of its issuer names is refused as revoked; a list
signed by anyone else is not believed; PEM and DER files are read; a file that cannot be read
is the administrator's error."""

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.core.exceptions import ImproperlyConfigured

from jospar.signatures import verify as v
from jospar.signatures.tests.pki import FROM, TO, Holder

DOCUMENT = b'{"format":"jospar-test/1","text":"revoked?"}'


def crl(issuer: Holder, *revoked: x509.Certificate, signed_by: Holder | None = None):
    """A list in `issuer`'s name revoking `revoked`, signed by `signed_by` (the issuer)."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(FROM)
        .next_update(TO)
    )
    for certificate in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(FROM + dt.timedelta(days=1))
            .build()
        )
    return builder.sign((signed_by or issuer).key, hashes.SHA256())


@pytest.fixture
def lists(settings, tmp_path):
    """Use these lists (written as files, PEM unless `encoding` says DER)."""

    def use(*crls, encoding=serialization.Encoding.PEM):
        paths = []
        for number, item in enumerate(crls):
            path = tmp_path / f"list{number}.crl"
            path.write_bytes(item.public_bytes(encoding))
            paths.append(str(path))
        settings.SIGNATURE_CRLS = paths

    return use


def check(ca, person):
    return v.verify(ca.sign(ca.signer, DOCUMENT), DOCUMENT, person)


def test_without_lists_the_signature_passes(ca, person, settings):
    settings.SIGNATURE_CRLS = []
    assert check(ca, person).ok


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_a_revoked_signing_certificate_is_refused(ca, person, lists, encoding):
    lists(crl(ca.intermediate, ca.signer.certificate), encoding=encoding)
    verification = check(ca, person)
    assert not verification.ok and verification.reason == v.revoked()


def test_a_list_that_does_not_name_the_signer_lets_it_pass(ca, person, lists):
    lists(crl(ca.intermediate, ca.other.certificate), crl(ca.root))
    assert check(ca, person).ok


def test_a_revoked_intermediate_is_refused(ca, person, lists):
    lists(crl(ca.root, ca.intermediate.certificate))
    assert check(ca, person).reason == v.revoked()


def test_a_list_not_signed_by_the_issuer_is_not_believed(ca, person, lists):
    forged = crl(ca.intermediate, ca.signer.certificate, signed_by=ca.foreign_root)
    lists(forged)
    assert check(ca, person).ok


def test_several_lists_in_one_pem_file_are_read(ca, person, settings, tmp_path):
    path = tmp_path / "lists.pem"
    path.write_bytes(
        crl(ca.root).public_bytes(serialization.Encoding.PEM)
        + crl(ca.intermediate, ca.signer.certificate).public_bytes(serialization.Encoding.PEM)
    )
    settings.SIGNATURE_CRLS = [str(path)]
    assert check(ca, person).reason == v.revoked()


def test_an_unreadable_list_is_the_administrators_error(ca, person, settings, tmp_path):
    path = tmp_path / "broken.crl"
    path.write_bytes(b"not a list")
    settings.SIGNATURE_CRLS = [str(path)]
    with pytest.raises(ImproperlyConfigured, match="SIGNATURE_CRLS"):
        check(ca, person)

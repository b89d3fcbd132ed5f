"""A test certification authority made with `cryptography`, shaped as NCA's: a root, an
intermediate (carried in each CMS, as NCALayer's chain is), a person's signing certificate
(SERIALNUMBER=IIN…, OU=BIN…, key usage with nonRepudiation), their AUTH certificate
(digitalSignature and keyEncipherment, TLS client authentication), an expired one, another
person's, and one from a root nobody trusts. Validity runs 2020–2040 (the expired one
2020–2021), so that the tests' clock, wherever it stands, does not matter."""

import base64
import dataclasses
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

IIN = "800101300123"
OTHER_IIN = "900202400456"
BIN = "123456789012"
FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
TO = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)


@dataclasses.dataclass
class Holder:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(**parts) -> x509.Name:
    oids = {
        "cn": NameOID.COMMON_NAME,
        "surname": NameOID.SURNAME,
        "given": NameOID.GIVEN_NAME,
        "serial": NameOID.SERIAL_NUMBER,
        "ou": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "o": NameOID.ORGANIZATION_NAME,
        "c": NameOID.COUNTRY_NAME,
    }
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in parts.items()])


def _usage(*, signing: bool, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=signing,
        key_encipherment=not ca and not signing,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def issue(subject, issuer: Holder | None, *, ca=False, signing=True, valid=(FROM, TO)):
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(signing=signing, ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if not ca:
        purpose = (
            ExtendedKeyUsageOID.EMAIL_PROTECTION if signing else ExtendedKeyUsageOID.CLIENT_AUTH
        )
        builder = builder.add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
    certificate = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Holder(certificate, key)


def person(iin: str, issuer: Holder, **options) -> Holder:
    return issue(
        _name(
            cn="ТЕСТОВ ТЕСТ",
            surname="ТЕСТОВ",
            serial=f"IIN{iin}",
            c="KZ",
            o="Ministry of Water Resources",
            ou=f"BIN{BIN}",
            given="ТЕСТОВИЧ",
        ),
        issuer,
        **options,
    )


@dataclasses.dataclass
class FakeCA:
    root: Holder
    intermediate: Holder
    signer: Holder
    auth: Holder
    expired: Holder
    other: Holder
    foreign_root: Holder
    foreign: Holder

    def roots_pem(self) -> bytes:
        return self.root.certificate.public_bytes(serialization.Encoding.PEM)

    def sign(self, holder: Holder, data: bytes, *, chain=None) -> str:
        """A detached CMS (DER, base64) of `data` by `holder`, carrying its chain as NCALayer's
        does (`chain`: the intermediate of this CA by default)."""
        builder = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(data)
            .add_signer(holder.certificate, holder.key, hashes.SHA256())
        )
        for certificate in [self.intermediate.certificate] if chain is None else chain:
            builder = builder.add_certificate(certificate)
        der = builder.sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
        return base64.b64encode(der).decode("ascii")


def make_ca() -> FakeCA:
    root = issue(_name(cn="TEST ROOT CA (RSA)", c="KZ"), None, ca=True)
    intermediate = issue(_name(cn="TEST NATIONAL CA (RSA)", c="KZ"), root, ca=True)
    foreign_root = issue(_name(cn="SOMEBODY ELSE'S ROOT", c="KZ"), None, ca=True)
    return FakeCA(
        root=root,
        intermediate=intermediate,
        signer=person(IIN, intermediate),
        auth=person(IIN, intermediate, signing=False),
        expired=person(IIN, intermediate, valid=(FROM, dt.datetime(2021, 1, 1, tzinfo=dt.UTC))),
        other=person(OTHER_IIN, intermediate),
        foreign_root=foreign_root,
        foreign=person(IIN, foreign_root),
    )


def recorded(ca: FakeCA, actor, obj, kind: str):
    """A stored signature of `obj` as `kind` by `actor` (given the test IIN) with the CA's
    signing key, as the step's service records it."""
    from jospar.signatures import canonical
    from jospar.signatures.services import signature_record

    actor.iin = IIN
    actor.save()
    cms = ca.sign(ca.signer, canonical.document_of(kind, obj))
    return signature_record(actor=actor, obj=obj, kind=kind, cms=cms)

"""Verifying a digital signature (a CMS SignedData, detached, as NCALayer makes it) of a
canonical document (jospar.signatures.canonical): one interface, `verify`, with two backends
that SIGNATURE_BACKEND chooses.

builtin — RSA keys, verified here with asn1crypto (the CMS) and cryptography (the keys): the
    signature is over the DER of the signed attributes, whose messageDigest must be the digest
    of the document; the signer's certificate must chain, through the certificates the CMS
    carries, to a root in the PEM file SIGNATURE_TRUSTED_ROOTS; each certificate of the chain
    must be within its validity both at the signing time (the signingTime attribute) and now —
    the signing time is the signer's own claim, not a time-stamp, so a certificate that has
    expired since is not accepted on its word; no certificate of the chain may be listed in a
    certificate revocation list of SIGNATURE_CRLS (files, PEM or DER) signed by its issuer; the
    key must be a signing key; the IIN of the certificate must be the user's. OCSP is not
    checked by this backend.
ncanode — an NCANode server (NCANODE_URL), which also verifies GOST keys with NCA's Kalkan
    library and checks revocation by OCSP: see `_ncanode` for the request and the answer.

`check` looks at a CMS before the step it signs is taken (the page's confirmation panel): the
signer certificate's details and every reason the step would refuse it for whatever the
document, by the same steps as the builtin backend.

The signing key rule. NCA issues each person two keys: AUTH_… (for logging in) and RSA_… or
GOST_… (for signing). The signing certificate's key usage carries nonRepudiation (with
digitalSignature); the AUTH certificate's carries digitalSignature and keyEncipherment only,
with the TLS client-authentication extended key usage. So a certificate is a signing one if and
only if its key usage extension is present and has nonRepudiation (contentCommitment);
any other is refused as an AUTH key, whatever else it carries: digitalSignature alone is what
every authentication key has, and a signature with it does not commit its holder to a document.
"""

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import urllib.error
import urllib.request

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclasses.dataclass
class Verification:
    """What a backend found: `ok` with the signer's details, or not `ok` with the `reason`
    (a translated sentence that says what to do)."""

    ok: bool
    reason: str = ""
    backend: str = ""
    signer_name: str = ""
    iin: str = ""
    bin: str = ""
    subject: str = ""
    serial: str = ""
    issuer: str = ""
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    signing_time: dt.datetime | None = None


class Refused(Exception):
    """A verification stops with its reason (and what was learnt of the signer so far)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def not_base64() -> str:
    return _("The signature is not in base64: send the CMS exactly as NCALayer returned it.")


def not_cms() -> str:
    return _("The signature is not a CMS signed message: sign in the CMS format.")


def not_the_document() -> str:
    return _(
        "The signature is not of this document (it changed since it was signed, or another "
        "document was signed): open the page again and sign what it shows now."
    )


def bad_signature() -> str:
    return _("The signature does not match its certificate.")


def untrusted() -> str:
    return _("The certificate is not issued by a trusted certification authority.")


def expired() -> str:
    return _("The certificate is expired or not yet valid: sign with a valid key.")


def revoked() -> str:
    return _("The certificate is revoked: sign with a valid key.")


def auth_key() -> str:
    return _(
        "This is an authentication (AUTH) key: sign with your signing key "
        "(its file name begins with RSA or GOST)."
    )


def other_person() -> str:
    return _("The certificate is another person's: its IIN is not the one in your profile.")


def no_iin() -> str:
    return _("Your profile has no IIN: add it on your details page, then sign.")


def no_certificate_iin() -> str:
    return _("The certificate carries no IIN: sign with a personal key of an individual.")


def unsupported() -> str:
    return _(
        "This signature's algorithm is not verified here (a GOST key needs the NCANode backend)."
    )


def _name_value(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _prefixed(name: x509.Name, oid, prefix: str) -> str:
    for attribute in name.get_attributes_for_oid(oid):
        value = str(attribute.value)
        if value.upper().startswith(prefix):
            return value[len(prefix) :]
    return ""


def certificate_details(certificate: x509.Certificate) -> dict:
    """The signer's details as a Verification holds them (NCA's subject: CN the surname and
    the name, GIVENNAME the patronymic, SERIALNUMBER "IIN…", OU "BIN…" for an organisation's
    employee)."""
    subject = certificate.subject
    name = _name_value(subject, NameOID.COMMON_NAME)
    patronymic = _name_value(subject, NameOID.GIVEN_NAME)
    return {
        "signer_name": " ".join(part for part in (name, patronymic) if part),
        "iin": _prefixed(subject, NameOID.SERIAL_NUMBER, "IIN"),
        "bin": _prefixed(subject, NameOID.ORGANIZATIONAL_UNIT_NAME, "BIN"),
        "subject": subject.rfc4514_string(),
        "serial": format(certificate.serial_number, "X"),
        "issuer": certificate.issuer.rfc4514_string(),
        "not_before": certificate.not_valid_before_utc,
        "not_after": certificate.not_valid_after_utc,
    }


def _extension(certificate: x509.Certificate, kind: type[x509.ExtensionType]):
    """The value of the certificate's extension of `kind`; None when it has none."""
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def is_signing_key(certificate: x509.Certificate) -> bool:
    """The rule of the module's docstring: a key usage with nonRepudiation."""
    usage = _extension(certificate, x509.KeyUsage)
    return usage is not None and usage.content_commitment


def is_auth_only(certificate: x509.Certificate) -> bool:
    """Whether the certificate names TLS client authentication as its purpose (NCA's AUTH)."""
    purposes = _extension(certificate, x509.ExtendedKeyUsage)
    return purposes is not None and ExtendedKeyUsageOID.CLIENT_AUTH in purposes


def decode(cms_b64: str) -> bytes:
    try:
        raw = base64.b64decode("".join(str(cms_b64).split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise Refused(not_base64()) from error
    if not raw:
        raise Refused(not_base64())
    return raw


def check_person(details: dict, user) -> None:
    if not details["iin"]:
        raise Refused(no_certificate_iin())
    if details["iin"] != user.iin:
        raise Refused(other_person())


# The builtin backend

DIGESTS = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def trusted_roots() -> list[x509.Certificate]:
    path = settings.SIGNATURE_TRUSTED_ROOTS
    if not path:
        return []
    with open(path, "rb") as file:
        return x509.load_pem_x509_certificates(file.read())


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    if certificate.issuer != issuer.subject:
        return False
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _is_ca(certificate: x509.Certificate) -> bool:
    constraints = _extension(certificate, x509.BasicConstraints)
    return constraints is not None and constraints.ca


def chain_to_root(signer, carried, roots) -> list[x509.Certificate]:
    """The chain from the signer to a trusted root (both included), through the certificates
    the CMS carries; Refused(untrusted) when there is none."""
    chain = [signer]
    current = signer
    for _step in range(8):
        for root in roots:
            if _issued_by(current, root):
                return [*chain, root]
        following = next(
            (
                candidate
                for candidate in carried
                if candidate not in chain and _is_ca(candidate) and _issued_by(current, candidate)
            ),
            None,
        )
        if following is None:
            break
        chain.append(following)
        current = following
    raise Refused(untrusted())


def revocation_lists() -> list[x509.CertificateRevocationList]:
    """The lists of SIGNATURE_CRLS, each file PEM (one list or several) or DER; a file that
    cannot be read is the administrator's error, said as such."""
    lists = []
    for path in settings.SIGNATURE_CRLS:
        try:
            with open(path, "rb") as file:
                data = file.read()
            if b"-----BEGIN X509 CRL-----" in data:
                marker = b"-----END X509 CRL-----"
                pieces = [piece + marker for piece in data.split(marker) if b"-----BEGIN" in piece]
                lists.extend(x509.load_pem_x509_crl(piece) for piece in pieces)
            else:
                lists.append(x509.load_der_x509_crl(data))
        except (OSError, ValueError) as error:
            raise ImproperlyConfigured(f"SIGNATURE_CRLS: cannot read {path}: {error}") from error
    return lists


def check_revocation(chain: list[x509.Certificate], lists) -> None:
    """Refused(revoked) when a list signed by a certificate's issuer (the next of the chain)
    names that certificate; a list by anyone else is not believed."""
    for certificate, issuer in zip(chain, chain[1:], strict=False):
        for crl in lists:
            if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):
                continue
            if crl.get_revoked_certificate_by_serial_number(certificate.serial_number):
                raise Refused(revoked())


def _within(certificate: x509.Certificate, moment: dt.datetime) -> bool:
    return certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc


def _signer_certificate(signer_info, carried) -> x509.Certificate:
    sid = signer_info["sid"]
    for certificate in carried:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                certificate.serial_number == wanted["serial_number"].native
                and certificate.issuer.public_bytes() == wanted["issuer"].dump()
            ):
                return certificate
        else:
            key_id = _extension(certificate, x509.SubjectKeyIdentifier)
            if key_id is not None and key_id.digest == sid.chosen.native:
                return certificate
    raise Refused(not_cms())


@dataclasses.dataclass
class _Signed:
    """What a CMS SignedData holds, read once: its one signer's certificate and what the
    signer signed."""

    signer: x509.Certificate
    carried: list[x509.Certificate]
    encapsulated: object
    attributes: dict
    signed_attrs_der: bytes
    digest_name: str
    signature_algo: str
    signature: bytes


def _read(raw: bytes) -> _Signed:
    """The CMS's parts; Refused(not_cms) when it is not a signed message by one signer whose
    certificate it carries."""
    try:
        info = cms.ContentInfo.load(raw, strict=True)
        if info["content_type"].native != "signed_data":
            raise Refused(not_cms())
        signed = info["content"]
        signer_infos = list(signed["signer_infos"])
        carried = [
            x509.load_der_x509_certificate(choice.chosen.dump())
            for choice in signed["certificates"] or []
            if choice.name == "certificate"
        ]
        if len(signer_infos) != 1:
            raise Refused(not_cms())
        signer_info = signer_infos[0]
        attributes = {
            attribute["type"].native: attribute["values"][0].native
            for attribute in signer_info["signed_attrs"]
        }
        parts = _Signed(
            signer=_signer_certificate(signer_info, carried),
            carried=carried,
            encapsulated=signed["encap_content_info"]["content"].native,
            attributes=attributes,
            signed_attrs_der=signer_info["signed_attrs"].untag().dump(),
            digest_name=signer_info["digest_algorithm"]["algorithm"].native,
            signature_algo=signer_info["signature_algorithm"].signature_algo,
            signature=signer_info["signature"].native,
        )
    except Refused:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise Refused(not_cms()) from error
    if "message_digest" not in attributes:
        raise Refused(not_cms())
    return parts


def _check_algorithms(signed: _Signed) -> None:
    if signed.digest_name not in DIGESTS or signed.signature_algo != "rsassa_pkcs1v15":
        raise Refused(unsupported())


def _check_signature(signed: _Signed) -> None:
    """The signature over the signed attributes is made by the signer certificate's key."""
    _check_algorithms(signed)
    key = signed.signer.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise Refused(unsupported())
    try:
        key.verify(
            signed.signature,
            signed.signed_attrs_der,
            padding.PKCS1v15(),
            DIGESTS[signed.digest_name](),
        )
    except InvalidSignature as error:
        raise Refused(bad_signature()) from error


def _check_validity(chain: list[x509.Certificate], moments) -> None:
    if not all(_within(certificate, moment) for moment in moments for certificate in chain):
        raise Refused(expired())


def _check_signing_key(certificate: x509.Certificate) -> None:
    if not is_signing_key(certificate):
        raise Refused(auth_key())


def _check_user(details: dict, user) -> None:
    if not getattr(user, "iin", ""):
        raise Refused(no_iin())
    check_person(details, user)


class _Problems(list):
    """The reasons of the steps run through `step`, in their order."""

    def step(self, check, *args):
        try:
            return check(*args)
        except Refused as refusal:
            self.append(refusal.reason)
            return None


def _builtin_problems(signed: _Signed, user) -> list[str]:
    """What the builtin backend refuses in a CMS whatever document it signs: its signature
    against its certificate, the chain to a trusted root, the validity of the chain at the
    signing time and now, revocation, the signing key, the user's IIN — in this order."""
    problems = _Problems()
    problems.step(_check_signature, signed)
    if problems:  # a signature its certificate did not make says nothing of that certificate
        return problems
    now = timezone.now()
    moments = (signed.attributes.get("signing_time") or now, now)
    chain = problems.step(chain_to_root, signed.signer, signed.carried, trusted_roots())
    problems.step(_check_validity, chain or [signed.signer], moments)
    if chain:
        problems.step(check_revocation, chain, revocation_lists())
    problems.step(_check_signing_key, signed.signer)
    problems.step(_check_user, certificate_details(signed.signer), user)
    return problems


def _builtin(raw: bytes, document: bytes, user) -> Verification:
    signed = _read(raw)
    if signed.encapsulated is not None and signed.encapsulated != document:
        raise Refused(not_the_document())
    _check_algorithms(signed)
    digest = hashlib.new(signed.digest_name, document).digest()
    if signed.attributes["message_digest"] != digest:
        raise Refused(not_the_document())
    problems = _builtin_problems(signed, user)
    if problems:
        raise Refused(problems[0])
    signing_time = signed.attributes.get("signing_time") or timezone.now()
    return Verification(ok=True, signing_time=signing_time, **certificate_details(signed.signer))


# The NCANode backend

# NCANode v3's POST /cms/verify, as its API reference and its clients describe it:
#   request  {"cms": base64, "data": base64 of the signed data (detached), "detached": true,
#             "revocationCheck": ["OCSP"]}
#   answer   {"status": 200, "message": "OK", "valid": true|false,
#             "signers": [{"certificates": [{"valid": bool, "notBefore": "…", "notAfter": "…",
#                          "serialNumber": "hex", "keyUsage": "SIGN"|"AUTH",
#                          "subject": {"commonName", "lastName", "surName", "iin", "bin", "dn"},
#                          "issuer": {"commonName", "dn"}, "revocations": […]}, … issuers],
#                          "signingTime"?: "…", "tsp"?: {"genTime": "…"}}]}
# The first certificate of a signer is the signer's own; NCANode answers a 4xx with
# {"status", "message"} for a request it cannot read. Times are ISO 8601.
# Not tried against a real NCANode: the shapes are from its documentation.


def _moment(text) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


def unreachable() -> str:
    return _("The signature verification server did not answer: try again later.")


def _post_ncanode(cms_b64: str, document: bytes) -> tuple[int, dict]:
    body = {
        "cms": "".join(str(cms_b64).split()),
        "data": base64.b64encode(document).decode("ascii"),
        "detached": True,
        "revocationCheck": ["OCSP"],
    }
    request = urllib.request.Request(  # noqa: S310 - the URL is the administrator's setting
        settings.NCANODE_URL.rstrip("/") + "/cms/verify",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NCANODE_TIMEOUT) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise Refused(unreachable()) from error


def _ncanode(cms_b64: str, document: bytes, user) -> Verification:
    decode(cms_b64)  # not base64: refused here, as the builtin backend does
    if not settings.NCANODE_URL:
        raise Refused(unreachable())
    status, answer = _post_ncanode(cms_b64, document)
    if status >= 500:
        raise Refused(unreachable())
    if status >= 400 or not isinstance(answer, dict):
        raise Refused(not_cms())
    signers = answer.get("signers") or []
    certificates = (signers[0].get("certificates") or []) if signers else []
    if not certificates:
        raise Refused(not_the_document() if answer.get("valid") is False else not_cms())
    certificate = certificates[0]
    subject, issuer = certificate.get("subject") or {}, certificate.get("issuer") or {}
    details = {
        "signer_name": " ".join(
            part for part in (subject.get("commonName"), subject.get("surName")) if part
        ),
        "iin": str(subject.get("iin") or ""),
        "bin": str(subject.get("bin") or ""),
        "subject": str(subject.get("dn") or ""),
        "serial": str(certificate.get("serialNumber") or "").upper(),
        "issuer": str(issuer.get("dn") or issuer.get("commonName") or ""),
        "not_before": _moment(certificate.get("notBefore")),
        "not_after": _moment(certificate.get("notAfter")),
    }
    tsp = signers[0].get("tsp") or {}
    signing_time = _moment(signers[0].get("signingTime") or tsp.get("genTime")) or timezone.now()
    if not answer.get("valid"):
        if any(check.get("revoked") for check in certificate.get("revocations") or []):
            raise Refused(revoked())
        if certificate.get("valid") is False:
            raise Refused(expired())
        raise Refused(not_the_document())
    if certificate.get("keyUsage") != "SIGN":
        raise Refused(auth_key())
    check_person(details, user)
    return Verification(ok=True, signing_time=signing_time, **details)


def verify(cms_b64: str, document: bytes, user) -> Verification:
    """Verify `cms_b64` (a base64 CMS, detached) as `user`'s signature of `document`."""
    backend = settings.SIGNATURE_BACKEND
    try:
        if not getattr(user, "iin", ""):
            raise Refused(no_iin())
        if backend == "ncanode":
            verification = _ncanode(cms_b64, document, user)
        else:
            verification = _builtin(decode(cms_b64), document, user)
    except Refused as refusal:
        return Verification(ok=False, reason=refusal.reason, backend=backend)
    verification.backend = backend
    return verification


@dataclasses.dataclass
class Check:
    """A CMS looked at before the step it signs is taken: the signer certificate's details
    (empty when the CMS cannot be read) and the reasons the step would be refused for
    whatever the document."""

    details: dict
    problems: list[str]


def check(cms_b64: str, user) -> Check:
    """What `verify` would refuse `cms_b64` for as `user`'s signature, apart from the document:
    with the builtin backend, all of its steps but the document's digest; with ncanode, what
    the certificate itself says (its key usage, IIN and validity now), the chain being left
    to NCANode when the step is taken."""
    try:
        signed = _read(decode(cms_b64))
    except Refused as refusal:
        return Check(details={}, problems=[refusal.reason])
    details = certificate_details(signed.signer)
    if settings.SIGNATURE_BACKEND == "ncanode":
        problems = _Problems()
        problems.step(_check_validity, [signed.signer], (timezone.now(),))
        problems.step(_check_signing_key, signed.signer)
        problems.step(_check_user, details, user)
    else:
        problems = _builtin_problems(signed, user)
    return Check(details=details, problems=list(problems))

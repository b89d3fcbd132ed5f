import base64
import hashlib

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.lib.fields import body_link, link, long_text
from jospar.lib.models import Recorded
from jospar.orgs.models import User


class SignatureKind(models.TextChoices):
    SUBMISSION = "submission", _("quarterly information of a unit")
    REVISION = "revision", _("revision of the plan")
    REPORT = "report", _("quarterly report")
    PROPOSAL = "proposal", _("proposal of an action")
    DECISION = "decision", _("decision on a report")


# A verification code is CODE_LENGTH characters of base32 (A–Z, 2–7): 60 bits, so that a
# reader of a printed form can type it, and nobody can find a signature by guessing codes.
CODE_LENGTH = 12


def verification_code(cms: bytes) -> str:
    """The short code of a signature, derived from its CMS (unique: a CMS is stored once) by a
    hash keyed with a fixed salt, never with SECRET_KEY: the code is printed on the forms and
    must not change when the key is rotated. Nobody learns a code without the CMS, which only
    the object's readers may download."""
    digest = hashlib.blake2b(bytes(cms), key=b"jospar.signatures.code", digest_size=20).digest()
    return base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]


class Signature(Recorded):
    """A verified digital signature of an object (a submission, a revision, a report) by a
    person: the canonical document they signed, the CMS as NCALayer made it, what the
    certificate said and when it was verified. Written once; every signature of an object is
    kept (a returned and signed again submission has one per round), so the latest whose
    document still matches the object's is the one that covers it."""

    BODY_LOOKUP = "body"

    body = body_link("signatures")
    # The signed object, by a generic relation: one table for every kind, its history with it.
    content_type = link(ContentType, _("type of the signed object"))
    object_id = models.PositiveBigIntegerField(_("signed object"))
    signed_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("what was signed"), max_length=20, choices=SignatureKind.choices)
    document_format = models.CharField(_("document format"), max_length=50)
    document_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    document = models.BinaryField(_("signed document"))
    cms = models.BinaryField(_("signature (CMS, DER)"))
    signer = link(User, _("signed by"))
    signer_name = models.CharField(_("name in the certificate"), max_length=500)
    iin = models.CharField(_("IIN"), max_length=12)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=100)
    certificate_issuer = long_text(_("certificate issuer"))
    certificate_subject = long_text(_("certificate subject"))
    valid_from = models.DateTimeField(_("certificate valid from"), null=True)
    valid_to = models.DateTimeField(_("certificate valid to"), null=True)
    signed_at = models.DateTimeField(_("signed at"), null=True)
    verified_at = models.DateTimeField(_("verified at"))
    backend = models.CharField(_("verified by"), max_length=20)
    result = models.CharField(_("verification result"), max_length=500)
    # What a printed form carries to find the signature again (`verification_code`).
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True)

    class Meta:
        verbose_name = _("digital signature")
        verbose_name_plural = _("digital signatures")
        ordering = ["verified_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = verification_code(self.cms)
        super().save(*args, **kwargs)

    def __str__(self):
        return _("%(name)s, IIN %(iin)s, certificate %(serial)s") % {
            "name": self.signer_name,
            "iin": self.iin,
            "serial": self.certificate_serial,
        }

"""The digital signatures in the API: the `cms` a signed step accepts, a stored signature as its
answers show it, and the `signature` field of a signed object (its latest signature)."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from jospar.api.base import ReadOnlyModelSerializer
from jospar.signatures import selectors
from jospar.signatures.models import Signature
from jospar.signatures.services import latest_signatures


def signature_field(help_text: str) -> serializers.CharField:
    """The `cms` of a step the body may sign with the digital signature: the detached CMS,
    base64, as NCALayer makes it (at most 100,000 characters; a real one is a few thousand)."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=100_000,
        help_text=help_text,
    )


def _in_list(field: serializers.Field) -> serializers.ListSerializer | None:
    root = field.root
    return root if isinstance(root, serializers.ListSerializer) else None


def _page(view: str) -> Callable[[Signature], str]:
    """The link to the signature's page `view`."""
    return lambda signature: reverse(view, args=[signature.body_id, signature.pk])


class LinkField(serializers.CharField):
    """A link of the signature, read only: what `link` gives for it."""

    def __init__(self, link: Callable[[Signature], str], **kwargs):
        self.link = link
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, signature: Signature) -> str:
        return self.link(signature)


class SignatureSerializer(ReadOnlyModelSerializer):
    """A verified digital signature as it was stored: who signed what, with which certificate,
    when it was verified, the document's hash, its verification code and where to read and
    download it."""

    signer = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("The user who signed (id).")
    )
    issuer = serializers.CharField(
        source="certificate_issuer", read_only=True, help_text=_("The certificate's issuer.")
    )
    subject = serializers.CharField(
        source="certificate_subject", read_only=True, help_text=_("The certificate's subject.")
    )
    object_type = serializers.SerializerMethodField(
        help_text=_("What kind of object was signed (its model, e.g. monitoring.submission).")
    )
    url = LinkField(_page("signatures:signature"), help_text=_("The signature's page."))
    verification_url = LinkField(
        selectors.verification_url,
        help_text=_("The public page of its verification code, as the printed forms give it."),
    )
    cms_url = LinkField(
        _page("signatures:signature_cms"),
        help_text=_("Download the signature (CMS, DER, detached)."),
    )
    document_url = LinkField(
        _page("signatures:signature_document"),
        help_text=_("Download the signed document (JSON), byte for byte."),
    )
    package_url = LinkField(
        _page("signatures:signature_package"),
        help_text=_("Download the signature, the document and how to check them, as one ZIP."),
    )
    covers = serializers.SerializerMethodField(
        help_text=_(
            "Whether the signature still covers its object: the object's document now is the "
            "one signed. Null in a list (read the signature itself to know)."
        )
    )

    class Meta:
        model = Signature
        fields = (
            "id",
            "kind",
            "object_type",
            "object_id",
            "signer",
            "signer_name",
            "iin",
            "bin",
            "certificate_serial",
            "issuer",
            "subject",
            "valid_from",
            "valid_to",
            "signed_at",
            "verified_at",
            "backend",
            "result",
            "document_format",
            "document_sha256",
            "code",
            "url",
            "verification_url",
            "cms_url",
            "document_url",
            "package_url",
            "covers",
        )
        extra_kwargs = {
            "id": {"help_text": _("The signature (id).")},
            "kind": {"help_text": _("Which signed step it is.")},
            "object_id": {"help_text": _("The signed object (id).")},
            "signer_name": {"help_text": _("The name in the certificate.")},
            "iin": {"help_text": _("The signer's IIN, from the certificate.")},
            "bin": {"help_text": _("The organisation's BIN, from the certificate (may be empty).")},
            "certificate_serial": {"help_text": _("The certificate's serial number.")},
            "valid_from": {"help_text": _("The certificate is valid from.")},
            "valid_to": {"help_text": _("The certificate is valid until.")},
            "signed_at": {"help_text": _("The signing time the CMS states, if any.")},
            "verified_at": {"help_text": _("When the server verified and stored it.")},
            "backend": {"help_text": _("What verified it.")},
            "result": {"help_text": _("The verification's result.")},
            "document_format": {"help_text": _("The signed document's format and version.")},
            "document_sha256": {"help_text": _("The SHA-256 of the signed document.")},
            "code": {"help_text": _("The verification code printed on the forms.")},
        }

    def get_object_type(self, signature: Signature) -> str:
        kind = ContentType.objects.get_for_id(signature.content_type_id)  # cached
        return f"{kind.app_label}.{kind.model}"

    def get_covers(self, signature: Signature) -> bool | None:
        if self.context.get("many") or _in_list(self):
            return None  # its object's document would be built for each row of the list
        return selectors.still_covers(signature)


class LatestSignatureField(serializers.Field):
    """The latest digital signature of the object (null if it was never signed), read-only. In
    a list, the signatures of all of its objects are read at once by `latest` (objects → their
    latest signatures by the object's id)."""

    def __init__(self, latest=latest_signatures, **kwargs):
        self.latest = latest
        kwargs.setdefault(
            "help_text",
            _("The latest digital signature of the object; null if it was never signed."),
        )
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def signatures(self, obj) -> dict:
        listed = _in_list(self)
        if listed is None:
            return self.latest([obj])
        found = getattr(listed, "_latest_signatures", None)
        if found is None:
            objects = listed.instance if listed.instance is not None else [obj]
            found = listed._latest_signatures = self.latest(list(objects))
        return found

    def to_representation(self, obj):
        signature = self.signatures(obj).get(obj.pk)
        if signature is None:
            return None
        context = {**self.context, "many": _in_list(self) is not None}
        return SignatureSerializer(signature, context=context).data


class LatestSignatureFieldSchema(OpenApiSerializerFieldExtension):
    """The schema of LatestSignatureField: a Signature or null, in answers only."""

    target_class = LatestSignatureField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return None  # read-only: no part of a payload
        return auto_schema.resolve_serializer(SignatureSerializer, direction).ref

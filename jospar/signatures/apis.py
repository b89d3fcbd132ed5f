"""The stored digital signatures in the API: read-only, for those who see them (the rule of
`signatures.signature` in jospar.orgs.visibility), with the signature and the signed document
to download."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from jospar.api.base import Declared, docs, download
from jospar.api.filters import BODY_FILTER, Filter
from jospar.api.viewsets import ReadViewSet
from jospar.signatures.models import Signature, SignatureKind
from jospar.signatures.serializers import SignatureSerializer
from jospar.signatures.views import FILES, signature_file


@dataclass(frozen=True)
class SignedWithin(Filter):
    """The signatures of the objects that belong to one object (id): `paths` maps the label of
    each signed model to its ORM path to that object."""

    paths: tuple[tuple[str, str], ...] = ()

    def apply(self, queryset: QuerySet, value: int | str) -> QuerySet:
        within = Q(pk__in=[])
        for label, path in self.paths:
            model = apps.get_model(label)
            within |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=model._default_manager.filter(**{path: value}).values("pk"),
            )
        return queryset.filter(within)


# What a plan holds that is signed, and the path from each to the plan (and to a report).
IN_PLAN = (
    ("plans.proposal", "plan"),
    ("plans.revision", "plan"),
    ("monitoring.submission", "plan"),
    ("reports.report", "plan"),
    ("reports.decision", "report__plan"),
)
IN_REPORT = (("reports.report", "pk"), ("reports.decision", "report"))
OBJECT_TYPES = ("proposal", "revision", "submission", "report", "decision")


def stored_file(extension: str, summary: str, description: str) -> Declared:
    """An action that downloads the signature's file of `extension` (FILES)."""

    def serve(self, request: Request, *args, **kwargs) -> HttpResponse:
        return signature_file(self.get_object(), extension)

    return Declared(download(summary, FILES[extension][0], description), serve)


@docs(
    list=_("List the digital signatures of your bodies (the body-wide roles)"),
    retrieve=_(
        "Get a digital signature: who signed what, with which certificate, and whether "
        "it still covers its object"
    ),
)
class SignatureViewSet(ReadViewSet):
    """The verified digital signatures stored by the signed steps (R5, R6, R14, R15, R17, R18):
    each with what its certificate said, the hash of the signed document and its verification
    code. They never change; the signed step's answer gives the one it recorded."""

    queryset = Signature.objects.order_by("verified_at", "pk")
    serializer_class = SignatureSerializer
    query_filters = {
        "body": BODY_FILTER,
        "kind": Filter(
            "kind", _("Only the signatures of this signed step."), tuple(SignatureKind.values)
        ),
        "object_type": Filter(
            "content_type__model", _("Only the signatures of this kind of object."), OBJECT_TYPES
        ),
        "object": Filter(
            "object_id", _("Only the signatures of this object (id; with object_type).")
        ),
        "plan": SignedWithin(
            "",
            _("Only the signatures of this operational plan and what it holds (id)."),
            paths=IN_PLAN,
        ),
        "report": SignedWithin(
            "", _("Only the signatures of this report and its decisions (id)."), paths=IN_REPORT
        ),
    }

    cms = stored_file(
        "cms",
        _("Download the signature (CMS, DER, detached)"),
        _("The CMS as it was stored."),
    )
    document = stored_file(
        "json",
        _("Download the signed document (JSON)"),
        _("The canonical document that was signed, byte for byte."),
    )

"""What every API resource shares: reads of the rows jospar.orgs.visibility shows the user,
writes through the services, a service's ValidationError answered as a 400 that names the field,
and list filters by id (jospar.api.filters).

An id in a payload is looked up among the objects of the user's bodies only; any other id is
"not found" (404), so a payload can neither change nor probe another body's objects.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator
from rest_framework.views import exception_handler

from jospar.api.filters import Filter, QueryFilter
from jospar.lib.forms import language_name
from jospar.lib.languages import HELD, localized, variants
from jospar.lib.records import Conflict, Services
from jospar.ops.outage import api_outage
from jospar.orgs.models import StateBody
from jospar.orgs.policy import RULES, Perm, can
from jospar.orgs.visibility import in_bodies, visible

# The decimal fields of the API: indicator values and actuals.
NUMBER = {"max_digits": 20, "decimal_places": 4, "normalize_output": True}


def docs(**summaries: str) -> Callable[[type], type]:
    """Short descriptions of a viewset's operations, for the OpenAPI schema."""
    return extend_schema_view(
        **{action: extend_schema(summary=text) for action, text in summaries.items()}
    )


def step(summary: str, *, request: Any = None, detail: bool = True, url_path: str = "", **schema):
    """A POST action of a viewset, with its summary, payload and answers in the schema."""
    names = {"url_path": url_path, "url_name": url_path} if url_path else {}

    def decorate(method: Callable) -> Callable:
        taken = action(detail=detail, methods=["post"], **names)(method)
        return extend_schema(summary=summary, request=request, **schema)(taken)

    return decorate


def reading(summary: str, *, url_path: str = "", **schema):
    """A GET action of one object that answers with what it computes of it (not a list: no
    list filters, no pages), with its summary and answers in the schema."""
    names = {"url_path": url_path, "url_name": url_path} if url_path else {}

    def decorate(method: Callable) -> Callable:
        taken = action(
            detail=True, methods=["get"], filter_backends=[], pagination_class=None, **names
        )(method)
        return extend_schema(summary=summary, **schema)(taken)

    return decorate


class Declared:
    """An action that a factory makes (open_step, stored_file), declared as a class attribute:
    on the class's creation it becomes the method of the name it is declared under, as DRF
    finds an action by its method's name."""

    def __init__(self, decorate: Callable[[Callable], Callable], method: Callable):
        self.decorate = decorate
        self.method = method

    def __set_name__(self, owner: type, name: str) -> None:
        self.method.__name__ = name
        self.method.__qualname__ = f"{owner.__qualname__}.{name}"
        setattr(owner, name, self.decorate(self.method))


def open_step(
    model: type[Model],
    service: Callable[..., Model],
    payload: type,
    answer: Any,
    *,
    url_path: str,
    summary: str,
    description: str,
) -> Declared:
    """A POST on the collection of a StepsMixin viewset that opens the `model` object `payload`
    names, or makes it with `service` (StepsMixin.open_or_create); `answer` shows it, with 200
    for what existed and 201 for what was made."""

    def open_or_create(self, request: Request, *args, **kwargs) -> Response:
        return self.open_or_create(model, service, payload)

    responses = {201: answer, 200: answer}
    schema = {"description": description, "responses": responses}
    return Declared(
        step(summary, request=payload, detail=False, url_path=url_path, **schema), open_or_create
    )


def files(description: str, *content_types: str) -> dict:
    """The schema's answers of 200 with a file (binary) of each of `content_types`."""
    answer = OpenApiResponse(OpenApiTypes.BINARY, description=description)
    return {(200, content_type): answer for content_type in content_types}


def download(summary: str, content_type: str, description: str) -> Callable:
    """A GET action on one object that answers with its file (of `content_type`)."""

    def decorate(method: Callable) -> Callable:
        taken = action(detail=True, methods=["get"])(method)
        return extend_schema(summary=summary, responses=files(description, content_type))(taken)

    return decorate


def bodies_where(user, perm: Perm) -> QuerySet:
    """The bodies in which the user holds `perm`, by the policy's table."""
    if user.is_superuser:
        return StateBody.objects.all()
    return StateBody.objects.filter(roles__user=user, roles__role__in=RULES[perm])


def service_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, which also answers a service's ValidationError with a 400 by field and
    a Conflict (someone saved in between) with a 409 that gives the stored version. While the
    database is unreachable the answer is a 503 with Retry-After (jospar.ops.outage)."""
    request = context.get("request")
    outage = api_outage(exc, getattr(request, "_request", request)) if request else None
    if outage is not None:
        return outage
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    if isinstance(exc, Conflict):  # a save that started from an older version
        return Response(
            {"detail": exc.message, "version": exc.current.version}, status=status.HTTP_409_CONFLICT
        )
    return exception_handler(exc, context)


def field_errors(error: DjangoValidationError) -> dict:
    detail = serializers.as_serializer_error(error)
    general = detail.pop(NON_FIELD_ERRORS, None)
    if general:
        detail.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(general)
    return detail


# A ModelSerializer of what answers show: every field of Meta.fields is read only. (No
# docstring: the schema would give it as the description of each serializer that has none.)
class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_extra_kwargs(self) -> dict:
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs[name] = {**extra_kwargs.get(name, {}), "read_only": True}
        return extra_kwargs


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """The id of an object of the user's bodies; another id is a 404 naming the field."""

    @classmethod
    def optional(cls, model: type[Model], help_text: str, **kwargs) -> "VisibleRelatedField":
        """The id of an object of `model` that may be left out or null."""
        queryset = model._default_manager.all()
        return cls(
            queryset=queryset, required=False, allow_null=True, help_text=help_text, **kwargs
        )

    def get_queryset(self) -> QuerySet:
        return in_bodies(self.context["request"].user, super().get_queryset())

    def to_internal_value(self, data: Any) -> Model:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if "does_not_exist" in error.get_codes():
                # An item of a list of ids is bound without a name: name the list instead.
                name = self.field_name
                if not name and isinstance(self.parent, serializers.ManyRelatedField):
                    name = self.parent.field_name
                raise exceptions.NotFound({name: error.detail}) from None
            raise


VERSION_HELP = _(
    "The version you read; on a change, if someone saved the object since, nothing is "
    "written and the answer is 409 with the version now stored."
)


class ConflictSerializer(serializers.Serializer):
    """Nothing was written: someone saved the object since the version given."""

    detail = serializers.CharField(help_text=_("Who saved the object in between, and when."))
    version = serializers.IntegerField(help_text=_("The version now stored: read it again."))


class TextsInLanguages:
    """A ModelSerializer whose model holds texts in each language (its TEXTS,
    jospar/translation.py): beside each such field (`name`: the request's language, falling
    back to another) come `name_kk`, `name_ru` and `name_en`, each language's own text (null or
    empty: not written in that language). Writing `name` writes the request's language."""

    def get_field_names(self, declared_fields, info) -> list[str]:
        names = list(super().get_field_names(declared_fields, info))
        model = self.Meta.model
        held = [
            name
            for name in getattr(model, "TEXTS", ())
            if name in names and localized(name, HELD[0]) in info.fields
        ]
        for name in held:
            position = names.index(name) + 1
            names[position:position] = variants(name)
        return names

    def build_standard_field(self, field_name: str, model_field) -> tuple[type, dict]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        texts = getattr(self.Meta.model, "TEXTS", ())
        base, _sep, language = field_name.rpartition("_")
        if base in texts and language in HELD:
            kwargs["help_text"] = _(
                "%(field)s in %(language)s (null or empty: not written in it yet)."
            ) % {
                "field": capfirst(self.Meta.model._meta.get_field(base).verbose_name),
                "language": language_name(language),
            }
            kwargs.pop("label", None)
        elif field_name in texts:
            kwargs["required"] = False
            kwargs["help_text"] = _(
                "In the request's language (Accept-Language), or another one if it has none; "
                "writing it writes the request's language."
            )
        return field_class, kwargs


class ServiceSerializer(TextsInLanguages, serializers.ModelSerializer):
    """Checks the fields' types only: uniqueness and rules across records are the service's,
    so a page and the API name the same field with the same message.

    `create_only_fields` (the parent body or plan, a first role) are given on creation only;
    a change of the object ignores them. A `version` (of a Versioned object) is the one the
    writer read: optional, and a change from an older one is a 409.
    """

    serializer_related_field = VisibleRelatedField
    create_only_fields: tuple[str, ...] = ()

    def get_validators(self) -> list:
        return []

    def build_standard_field(self, field_name: str, model_field) -> tuple[type, dict]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "validators" in kwargs:
            kwargs["validators"] = [
                v for v in kwargs["validators"] if not isinstance(v, UniqueValidator)
            ]
        return field_class, kwargs

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in self.create_only_fields:
            field = fields[name]
            field.help_text = field.help_text or _("Given on creation; a change ignores it.")
            if self.instance is not None:
                field.read_only = True
        if "version" in fields and not fields["version"].read_only:
            fields["version"].required = False
            fields["version"].help_text = VERSION_HELP
        return fields

    def service_data(self) -> dict:
        """The validated data as the service's keyword arguments."""
        data = dict(self.validated_data)
        if self.instance is None:
            data.pop("version", None)  # a new object starts from none
        return data


def part_serializer(model: type[Model], parent: str, fields: tuple[str, ...]) -> type:
    """The ServiceSerializer of a part of `parent` (given on creation only): id, parent, fields."""
    meta = type("Meta", (), {"model": model, "fields": ("id", parent, *fields)})
    attrs = {"Meta": meta, "create_only_fields": (parent,)}
    return type(f"{model.__name__}Serializer", (ServiceSerializer,), attrs)


def note_serializer(name: str, field: str, help_text: str) -> type[serializers.Serializer]:
    """The payload of a step that takes one free text, which may be empty (a comment, a reason):
    a Serializer class called `name` with the CharField `field`."""
    text = serializers.CharField(allow_blank=True, help_text=help_text)
    return type(name, (serializers.Serializer,), {field: text})


class AtomicWrites:
    """A write (any method but GET, HEAD, OPTIONS) runs in one transaction up to its answer's
    data: the service's own transaction becomes part of it, and the object the answer shows is
    read and serialized before the commit. So nothing after the commit can fail a write that
    was saved (a database that goes away right after it), and an answer of 400 or more commits
    nothing."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response


class ServiceViewSet(AtomicWrites, viewsets.GenericViewSet):
    """Lists and reads the rows jospar.orgs.visibility shows the user; writes through
    `services` (each write in one transaction with its answer: AtomicWrites).

    Subclasses add DRF's mixins for the actions they offer and declare `queryset` (with its
    select_related / prefetch_related), `serializer_class`, `query_filters` and `services`.
    """

    filter_backends = [QueryFilter]
    query_filters: dict[str, Filter] = {}
    services: Services

    def get_queryset(self) -> QuerySet:
        return visible(self.request.user, super().get_queryset())

    def get_exception_handler(self) -> Callable:
        return service_exception_handler

    def reread(self, obj: Model) -> Model:
        """The saved object as a GET shows it (with the queryset's related rows)."""
        return self.get_queryset().get(pk=obj.pk)

    def perform_create(self, serializer: ServiceSerializer) -> None:
        obj = self.services.create(actor=self.request.user, **serializer.service_data())
        serializer.instance = self.reread(obj)

    def perform_update(self, serializer: ServiceSerializer) -> None:
        target = {self.services.arg: serializer.instance}
        obj = self.services.update(actor=self.request.user, **target, **serializer.service_data())
        serializer.instance = self.reread(obj)

    def perform_destroy(self, instance: Model) -> None:
        self.services.delete(actor=self.request.user, **{self.services.arg: instance})


class StepsMixin:
    """Operations beyond create/update/delete: validate a small payload, call a service, answer
    with the object as a GET shows it (a read too, with `with_details`)."""

    def payload(self, serializer_class: type[serializers.Serializer], **kwargs) -> dict:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        if hasattr(serializer, "service_data"):
            return serializer.service_data()
        return dict(serializer.validated_data)

    def with_details(self, obj: Model) -> Model:
        """The object with what its answer shows beyond its own fields (nothing by default)."""
        return obj

    def answer(self, obj: Model, code: int = 200, fresh: bool = False) -> Response:
        """The object as a GET shows it; `fresh` when it was just read for this answer."""
        obj = self.with_details(obj if fresh else self.reread(obj))
        return Response(self.get_serializer(obj).data, code)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self.answer(self.get_object(), fresh=True)

    def call(self, service: Callable[..., Model], arg: str, payload: type | None = None):
        """Call `service(actor=…, <arg>=the object, **payload)`; answer with what it returns."""
        obj = self.get_object()
        data = self.payload(payload) if payload else {}
        return self.answer(service(actor=self.request.user, **{arg: obj}, **data))

    def open_or_create(self, model: type[Model], service: Callable[..., Model], payload: type):
        """An 'open or create' step: 200 with what existed, 201 with what the service made."""
        data = self.payload(payload)
        existed = model.objects.filter(**data).exists()
        return self.answer(service(actor=self.request.user, **data), 200 if existed else 201)


class WorkbookImportView(generics.GenericAPIView):
    """The upload of a spreadsheet import into an object of the user's bodies (a plan, a body):
    a multipart POST of the file and `dry_run`, by a user who holds `perm` in it. `read` makes
    the report of the file; a report that is not ok answers 400 and nothing is written, a dry
    run answers 200 with it, and otherwise `write` imports and answers. The schema of `post`
    comes from import_docs."""

    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None
    perm: Perm

    def get_queryset(self) -> QuerySet:
        return visible(self.request.user, super().get_queryset())

    def get_exception_handler(self):
        return service_exception_handler

    def read(self, target: Model, data: dict) -> tuple[dict, Any]:
        """The report of the uploaded file, and the reading `write` imports."""
        raise NotImplementedError

    def write(self, target: Model, data: dict, reading: Any, report: dict) -> Response:
        """Import the reading; the answer."""
        raise NotImplementedError

    def post(self, request: Request, *args, **kwargs) -> Response:
        target = self.get_object()
        if not can(request.user, self.perm, target):
            raise PermissionDenied
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        report, reading = self.read(target, data)
        if not report["ok"]:
            return Response(report, status=status.HTTP_400_BAD_REQUEST)
        if data["dry_run"]:
            return Response(report)
        return self.write(target, data, reading, report)


def import_docs(*, summary: str, description: str, report: Any) -> Callable[[type], type]:
    """The schema of a WorkbookImportView's POST: its summary and description, its serializer
    as the multipart payload, and `report` as the answer of 200, 201 and 400."""

    def decorate(view: type) -> type:
        schema = extend_schema(
            summary=summary,
            description=description,
            request={"multipart/form-data": view.serializer_class},
            responses={200: report, 201: report, 400: report},
        )
        return extend_schema_view(post=schema)(view)

    return decorate

"""The list filters of the API: query parameters that select rows by an id or a choice."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from jospar.lib.converters import INT64_MAX


def integer_input(**options) -> serializers.IntegerField:
    """An integer that the client sends (an id, a quarter, a version), within the database's
    64-bit integers unless `options` narrow it: a longer number is a 400 naming the field, not
    an overflow in the database driver (a lookup through a foreign key is not range-checked
    as one by the model's own id is)."""
    return serializers.IntegerField(**{"min_value": -INT64_MAX, "max_value": INT64_MAX} | options)


@dataclass(frozen=True)
class Filter:
    """A list filter: query parameter → ORM lookup; the value is an id or one of `choices`."""

    lookup: str
    description: str
    choices: tuple[str, ...] = ()

    def field(self) -> serializers.Field:
        if self.choices:
            return serializers.ChoiceField(self.choices)
        return integer_input()

    def parse(self, name: str, raw: str) -> int | str:
        try:
            return self.field().run_validation(raw)
        except serializers.ValidationError as error:
            raise exceptions.ValidationError({name: error.detail}) from None

    def apply(self, queryset: QuerySet, value: int | str) -> QuerySet:
        return queryset.filter(**{self.lookup: value})

    def schema(self, name: str) -> dict:
        kind = (
            {"type": "string", "enum": list(self.choices)} if self.choices else {"type": "integer"}
        )
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": str(self.description),
            "schema": kind,
        }


class QueryFilter(BaseFilterBackend):
    """Applies the view's `query_filters` that the request's query string names."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        for name, spec in getattr(view, "query_filters", {}).items():
            raw = request.query_params.get(name)
            if raw is not None:
                queryset = spec.apply(queryset, spec.parse(name, raw))
        return queryset

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [spec.schema(name) for name, spec in getattr(view, "query_filters", {}).items()]


BODY_FILTER = Filter("body", _("Only the objects of this state body (id)."))


def body_and_plan(plan: str, description: str) -> dict[str, Filter]:
    """The `body` and `plan` filters of objects that reach their plan by the lookup `plan`."""
    return {
        "body": Filter(f"{plan}__body", BODY_FILTER.description),
        "plan": Filter(plan, description),
    }


def status_filter(description: str, statuses: type) -> Filter:
    """The `status` filter: one of the values of `statuses` (the model's choices)."""
    return Filter("status", description, tuple(statuses.values))

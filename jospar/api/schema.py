"""The OpenAPI schema's error answers, given once for every operation: drf-spectacular lists an
operation's successful answer only, but a client generated from the schema must know what else
can come back. The codes follow from what the shared machinery does (jospar.api.base):

- 400: a payload or a query filter that does not validate, or a service refusing the step;
- 403: not logged in, or a role that may not do it;
- 404: an id in the path, in a payload or in a query parameter that is not a list filter,
  that is none of the user's bodies' objects;
- 409: a change that started from an older `version` than the one stored (the answer holds
  the stored version).

An operation that documents one of these codes itself (a 409 with the stored entry) keeps its
own. Each error body is the shared `Error` object: `detail`, or messages by field name.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from rest_framework.permissions import AllowAny
from rest_framework.relations import ManyRelatedField, RelatedField

from jospar.api.base import ConflictSerializer

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
RELATED = (RelatedField, ManyRelatedField)  # ids in a payload

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": _(
            "`detail` (a message), or a list of messages by field name (`non_field_errors` "
            "for the payload as a whole)."
        ),
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    },
)

ANSWERS = {
    400: _(
        "The payload or a query parameter is not valid, or the step is refused; the body "
        "names the field."
    ),
    403: _("Not logged in, or the user's role does not allow it."),
    404: _("No such object among those of the user's bodies (an id in the path or payload)."),
    409: _("Someone saved the object since the version this change started from."),
}


class ErrorsAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with the error answers the operation can give."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        codes = self.error_codes(operation)
        if codes:
            self.registry.register_on_missing(ERROR)
        for code in codes:
            if code == 409:  # the stored object's version comes back with it
                answer = self._get_response_for_code(ConflictSerializer, "409")
                answer["description"] = ANSWERS[code]
            else:
                answer = {
                    "description": ANSWERS[code],
                    "content": {"application/json": {"schema": ERROR.ref}},
                }
            operation["responses"].setdefault(str(code), answer)
        return operation

    def error_codes(self, operation: dict) -> list[int]:
        parameters = operation.get("parameters", [])
        in_path = any(p["in"] == "path" for p in parameters)
        queries = {p["name"] for p in parameters if p["in"] == "query"} - {"limit", "offset"}
        # A list filter selects rows; any other query parameter is validated like a payload.
        payload_query = queries - set(getattr(self.view, "query_filters", {}))
        fields = self.request_fields() if self.method in WRITES else {}
        ids_in_body = any(isinstance(f, RELATED) for f in fields.values())
        codes = []
        if self.method in WRITES or queries:
            codes.append(400)
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append(403)
        if in_path or ids_in_body or payload_query:
            codes.append(404)
        if self.method in WRITES and "version" in fields:
            codes.append(409)
        return codes

    def request_fields(self) -> dict:
        serializer = self.get_request_serializer()
        if not is_serializer(serializer):
            return {}
        return dict(force_instance(serializer).fields)

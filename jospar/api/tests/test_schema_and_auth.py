import json
from pathlib import Path

import pytest

from jospar.accounts.services import token_issue
from jospar.orgs.models import Unit
from tests.openapi import served_schema

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/bodies/",
    "/api/v1/units/{id}/",
    "/api/v1/budget-programs/",
    "/api/v1/users/",
    "/api/v1/role-assignments/",
    "/api/v1/development-plans/",
    "/api/v1/amendments/",
    "/api/v1/directions/",
    "/api/v1/goals/",
    "/api/v1/indicators/{id}/",
    "/api/v1/auth/token/",
]


def test_the_schema_lists_every_resource(api, viewer):
    response = api(viewer).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in PATHS:
        assert path in paths
    parameters = {p["name"] for p in paths["/api/v1/indicators/"]["get"]["parameters"]}
    assert {"body", "plan", "kind"} <= parameters


def test_the_docs_are_served_without_a_cdn(api, viewer):
    response = api(viewer).get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "cdn" not in page.lower()


def test_a_write_with_a_token_records_the_user(api, body, admin_user):
    client = api()
    _token, key = token_issue(user=admin_user, name="script")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = {"body": body.pk, "code": "T1", "name": "Treasury", "head_name": "Abenov K."}
    response = client.post("/api/v1/units/", data)
    assert response.status_code == 201, response.content
    assert Unit.objects.get().history.first().history_user == admin_user


def test_a_bad_token_is_refused(api, body):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/bodies/").status_code in (401, 403)


def test_the_schema_keeps_every_path_and_operation_id(api, viewer):
    """Clients are generated from the schema: a path or an operation id that moves breaks them.
    `operations.json` holds the set the API had before its endpoints moved into the stage apps."""
    expected = json.loads((Path(__file__).parent / "operations.json").read_text())
    paths = served_schema(api(viewer))["paths"]
    operations = {
        path: {method: op["operationId"] for method, op in item.items() if "operationId" in op}
        for path, item in paths.items()
    }
    assert operations == expected


@pytest.mark.parametrize("path", ["/api/v1/units/", "/api/v1/users/", "/api/v1/decisions/"])
def test_an_id_too_long_for_the_database_is_a_400_naming_the_filter(api, viewer, path):
    response = api(viewer).get(path, {"body": "9" * 25})
    assert response.status_code == 400
    assert "body" in response.json()


def test_the_schema_documents_the_error_answers(api, viewer):
    """The shared error answers are in the schema, by what an operation takes (api.schema)."""
    schema = served_schema(api(viewer))
    paths = schema["paths"]

    def codes(path, method):
        return set(paths[path][method]["responses"])

    assert {"200", "400", "403"} <= codes("/api/v1/units/", "get")
    assert codes("/api/v1/units/{id}/", "get") == {"200", "403", "404"}
    assert codes("/api/v1/actions/{id}/", "patch") == {"200", "400", "403", "404", "409"}
    assert codes("/api/v1/board/", "get") == {"200", "400", "403", "404"}
    # 403: the body requires two-factor login and the account has no authenticator yet.
    assert codes("/api/v1/auth/token/", "post") == {"200", "400", "403", "429"}
    assert "Error" in schema["components"]["schemas"]

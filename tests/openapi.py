"""The OpenAPI schema as /api/v1/schema/ serves it (JSON, in English), fetched once per test
process by the tests that read what it documents: generating it takes most of a second, and
what it holds depends on the code alone, not on the user who asks (SERVE_PUBLIC) nor on the
rows of the database. The endpoint itself (its answer, who may read it) is tested in
jospar/api/tests/test_schema_and_auth.py."""

import copy
from typing import Any

from rest_framework.test import APIClient

URL = "/api/v1/schema/"

_served: list[dict[str, Any]] = []


def served_schema(client: APIClient) -> dict[str, Any]:
    """The schema, fetched through `client` (an API client speaking English, as the `api`
    fixture gives) the first time in this process; a copy of it every time."""
    if not _served:
        response = client.get(URL, {"format": "json"})
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Language"] == "en", response["Content-Language"]
        _served.append(response.json())
    return copy.deepcopy(_served[0])

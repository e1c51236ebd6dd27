"""The document's request examples are valid against their own schemas, and the main writes have one."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator

from fitbud.api.examples import REQUEST_EXAMPLES

# The writes an app developer meets first: each shows an example body.
MAIN_WRITES = [
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/clients"),
    ("post", "/api/v1/me/workout-logs"),
    ("post", "/api/v1/me/meal-logs"),
    ("post", "/api/v1/me/check-ins"),
    ("post", "/api/v1/sessions"),
    ("post", "/api/v1/me/sessions/requests"),
    ("post", "/api/v1/conversations/{conversation_id}/messages"),
    ("post", "/api/v1/reports"),
]


@pytest.fixture
def spec(http) -> dict:
    return http.get("/api/openapi.json").json


def _validator(spec: dict, name: str) -> OAS30Validator:
    # The schema inside a document holding the components, so its $refs resolve.
    return OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})


@pytest.mark.parametrize("name", sorted(REQUEST_EXAMPLES))
def test_each_example_is_valid_against_its_schema(spec, name):
    schema = spec["components"]["schemas"][name]

    assert schema["example"] == REQUEST_EXAMPLES[name]
    assert list(_validator(spec, name).iter_errors(REQUEST_EXAMPLES[name])) == []


@pytest.mark.parametrize(("method", "path"), MAIN_WRITES)
def test_the_main_writes_show_an_example_body(spec, method, path):
    body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]

    assert "example" in spec["components"]["schemas"][name], path

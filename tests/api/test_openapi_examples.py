"""The document's request examples are valid against their own schemas, and the main writes have one."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator

from fitbud.api.examples import ALWAYS_COMPLETE_ANSWERS, REQUEST_EXAMPLES
from tests.helpers import assert_error

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


def _missing_required(spec: dict, name: str, answer: dict) -> list[str]:
    return [prop for prop in spec["components"]["schemas"][name]["required"] if prop not in answer]


def test_answers_marked_complete_send_every_field(http, spec, trainer_headers, client_headers, client_record):
    conversation = http.post("/api/v1/conversations", json={}, headers=client_headers).json
    message = http.post(
        f"/api/v1/conversations/{conversation['id']}/messages", json={"body": "Hi"}, headers=client_headers
    ).json
    check_in = http.post(
        "/api/v1/me/check-ins", json={"submitted_on": "2026-12-01"}, headers=client_headers
    ).json
    answers = {
        "User": http.get("/api/v1/users/me", headers=trainer_headers).json,
        "ClientListItem": http.get("/api/v1/clients", headers=trainer_headers).json[0],
        "ClientProfile": http.get(f"/api/v1/clients/{client_record.id}", headers=trainer_headers).json,
        "Conversation": http.get(f"/api/v1/conversations/{conversation['id']}", headers=trainer_headers).json,
        "Message": message,
        "CheckIn": check_in,
    }

    assert set(answers) | {"TokenPair"} == set(ALWAYS_COMPLETE_ANSWERS)
    assert {name: _missing_required(spec, name, answer) for name, answer in answers.items()} == {
        name: [] for name in answers
    }


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/api/v1/exercises/{exercise_id}", "ExerciseUpdate"),
        ("/api/v1/foods/{food_id}", "FoodUpdate"),
        ("/api/v1/billing/packages/{package_id}", "PackageUpdate"),
    ],
)
def test_an_update_that_must_change_something_says_so(spec, path, schema):
    body = spec["paths"][path]["patch"]["requestBody"]["content"]["application/json"]["schema"]

    assert body == {"$ref": f"#/components/schemas/{schema}"}
    assert spec["components"]["schemas"][schema]["minProperties"] == 1


def test_an_empty_exercise_update_is_the_documented_422(http, trainer_headers):
    created = http.post(
        "/api/v1/exercises",
        json={
            "name": "Band pull-apart",
            "category": "strength",
            "movement_pattern": "horizontal_pull",
            "equipment": "band",
            "primary_muscles": ["rear_delts"],
        },
        headers=trainer_headers,
    )
    assert created.status_code == 201, created.json

    response = http.patch(f"/api/v1/exercises/{created.json['id']}", json={}, headers=trainer_headers)

    assert_error(response, 422, "_schema")

"""Every operation has a stable, unique operationId, a one-line summary and a tag: SDKs name their functions so."""

from __future__ import annotations

import collections
import re

import pytest

from fitbud.api.operation_ids import OPERATION_ID_OVERRIDES
from fitbud.ext.smorest import derive_operation_id

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture
def operations(http) -> list[tuple[str, str, dict]]:
    spec = http.get("/api/openapi.json").json
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_every_operation_has_a_snake_case_operation_id(operations):
    missing = [(m, p) for p, m, op in operations if not SNAKE_CASE.match(op.get("operationId", ""))]

    assert operations
    assert missing == []


def test_operation_ids_are_unique(operations):
    counts = collections.Counter(op["operationId"] for _, _, op in operations)

    assert [name for name, count in counts.items() if count > 1] == []


def test_every_override_names_a_documented_operation(operations):
    documented = {f"{method.upper()} {path}" for path, method, _ in operations}

    assert set(OPERATION_ID_OVERRIDES) - documented == set()


def test_operations_without_an_override_get_the_derived_name(operations):
    for path, method, operation in operations:
        expected = OPERATION_ID_OVERRIDES.get(f"{method.upper()} {path}") or derive_operation_id(path, method)
        assert operation["operationId"] == expected, (method, path)


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/api/v1/clients", "list_clients"),
        ("post", "/api/v1/clients", "create_client"),
        ("get", "/api/v1/clients/{client_id}", "get_client"),
        ("patch", "/api/v1/clients/{client_id}", "update_client"),
        ("delete", "/api/v1/clients/{client_id}", "delete_client"),
        ("post", "/api/v1/me/workout-logs", "create_workout_log"),
        ("get", "/api/v1/clients/{client_id}/check-ins/{check_in_id}", "get_client_check_in"),
        ("post", "/api/v1/clients/{client_id}/assignments/{assignment_id}/end", "end_client_assignment"),
        ("get", "/api/v1/trainers/me/days-off", "list_days_off"),
        ("get", "/api/v1/me/today", "get_today"),
        ("get", "/api/v1/exercises/vocabulary", "get_exercise_vocabulary"),
    ],
)
def test_derived_operation_ids_read_as_verb_and_resource(method, path, expected):
    assert derive_operation_id(path, method) == expected


def test_every_operation_has_a_one_line_summary_and_a_tag(operations):
    for path, method, operation in operations:
        summary = operation.get("summary", "")
        assert summary.strip() and "\n" not in summary, (method, path)
        assert operation.get("tags"), (method, path)


def test_every_tag_used_is_declared_with_a_description(http, operations):
    declared = {tag["name"]: tag.get("description") for tag in http.get("/api/openapi.json").json["tags"]}

    for path, method, operation in operations:
        for tag in operation["tags"]:
            assert declared.get(tag), (method, path, tag)

"""Every operation of the OpenAPI document refuses each class of bad input with a 4xx in the envelope, never a 500.

One test per bad-input class (issue 20), each walking every operation the document lists, with
the token of a role the operation admits, so the input reaches the parser rather than a 403:
ids past the database's range in paths, NUL characters in strings, integers past 32 bits and
dates at the ends of the calendar in queries and bodies, JSON nested 100,000 levels deep, and a
body that is not JSON. The guard behind all of them is fitbud/api/input_guard.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from fitbud.api.input_guard import MAX_URL_LENGTH
from fitbud.api.query_params import operation_of
from fitbud.auth.roles import Role
from fitbud.extensions import api
from tests.factories import workout_content
from tests.helpers import assert_envelope, assert_error
from tests.stripe_fake import install_fake_stripe

HUGE_INT = 2**31
NUL = "a\x00b"
EXTREME_DATES = ("0001-01-01", "9999-12-31")
METHODS = ("get", "post", "put", "patch", "delete")
# Operations that take no JSON body and no parameters a class could spoil are simply not visited by it.
UNGUARDED = {("post", "/api/v1/billing/webhook")}  # signed raw body: tests/api/test_billing_webhook.py


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]
    headers: dict[str, str]

    def parameters(self, where: str) -> list[dict[str, Any]]:
        shared = _components().get("parameters", {})
        resolved = [shared[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p for p in self.spec.get("parameters", [])]
        return [p for p in resolved if p["in"] == where]

    @property
    def body_schema(self) -> dict[str, Any] | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        return content.get("application/json", {}).get("schema")

    def url(self, ids: Callable[[str], Any] = lambda _name: 1, query: dict[str, Any] | None = None) -> str:
        url = re.sub(r"{(\w+)}", lambda m: str(ids(m.group(1))), self.path)
        return url, query or {}

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


@pytest.fixture
def operations(app, trainer_headers, client_headers, admin_headers) -> list[Operation]:
    """Every operation in the document, with the headers of a user whose role it admits."""
    install_fake_stripe(app)  # billing configured, so its operations parse their input too
    headers = {Role.TRAINER: trainer_headers, Role.CLIENT: client_headers, Role.ADMIN: admin_headers}
    spec = api.spec.to_dict()
    adapter = app.url_map.bind("localhost")
    found = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item or (method, path) in UNGUARDED:
                continue
            endpoint, _ = adapter.match(re.sub(r"{(\w+)}", "1", path), method=method.upper())
            roles = getattr(operation_of(endpoint, method.upper()), "required_roles", ())
            who = headers[roles[0]] if roles else headers[Role.TRAINER]
            # Path parameters are declared once on the path, beside its operations.
            spec = {**item[method], "parameters": item.get("parameters", []) + item[method].get("parameters", [])}
            found.append(Operation(method, path, spec, who))
    assert len(found) > 100, "the document lists far more operations"
    return found


@functools.cache
def _components() -> dict[str, Any]:
    """The document's components (the same for every app of the test session)."""
    return api.spec.to_dict()["components"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _components()["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = _resolve(part)
            merged["properties"].update(part.get("properties", {}))
        return merged
    return schema


def _plain(schema: dict[str, Any]) -> Any:
    """A harmless value of `schema`'s type, for the fields a class does not spoil."""
    schema = _resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "array":
        return [_plain(schema.get("items", {}))] if schema.get("minItems") else []
    if kind == "object":
        return {}
    return {"date": "2026-03-02", "date-time": "2026-03-02T10:00:00+00:00", "email": "x@example.com"}.get(
        schema.get("format"), "abc"
    )


def _spoiled(schema: dict[str, Any], spoil: Callable[[dict[str, Any]], Any], depth: int = 0) -> tuple[Any, bool]:
    """A value of `schema` with every field `spoil` has a bad value for set to it; and whether any was."""
    schema = _resolve(schema)
    bad = spoil(schema)
    if bad is not None:
        return bad, True
    if schema.get("type") == "object" and "properties" in schema and depth < 4:
        value, any_bad = {}, False
        for name, field in schema["properties"].items():
            if _resolve(field).get("readOnly"):
                continue
            item, spoiled = _spoiled(field, spoil, depth + 1)
            value[name] = item if spoiled else _plain(field)
            any_bad |= spoiled
        return value, any_bad
    if schema.get("type") == "array" and depth < 4:
        item, spoiled = _spoiled(schema.get("items", {}), spoil, depth + 1)
        return ([item], True) if spoiled else (_plain(schema), False)
    return _plain(schema), False


def _huge_int(schema):
    return HUGE_INT if schema.get("type") == "integer" else None


def _nul_string(schema):
    plain_string = schema.get("type") == "string" and "enum" not in schema and "format" not in schema
    return NUL if plain_string else None


def _date(value: str) -> Callable[[dict[str, Any]], Any]:
    def spoil(schema):
        if schema.get("type") != "string":
            return None
        return {"date": value, "date-time": f"{value}T12:00:00+00:00"}.get(schema.get("format"))

    return spoil


def _spoiled_requests(operations: list[Operation], spoil) -> Iterator[tuple[Operation, str, dict, Any]]:
    """(operation, url, query, body) for each operation with a query parameter or body field to spoil."""
    for operation in operations:
        query, query_spoiled = {}, False
        for parameter in operation.parameters("query"):
            value, spoiled = _spoiled(parameter["schema"], spoil)
            if spoiled or parameter.get("required"):
                query[parameter["name"]] = value if spoiled else _plain(parameter["schema"])
            query_spoiled |= spoiled
        body, body_spoiled = (None, False)
        if operation.body_schema is not None:
            body, body_spoiled = _spoiled(operation.body_schema, spoil)
        if query_spoiled or body_spoiled:
            url, _ = operation.url()
            yield operation, url, query, body if body_spoiled else None


def _send(http, operation: Operation, url: str, query: dict | None = None, **kwargs):
    return http.open(url, method=operation.method.upper(), query_string=query, headers=operation.headers, **kwargs)


def _refused(response) -> str | None:
    """Why `response` is not a 4xx in the envelope, or None when it is."""
    if not 400 <= response.status_code < 500:
        return f"{response.status_code}: {response.get_data(as_text=True)[:300]}"
    try:
        assert_envelope(response)
    except AssertionError as error:
        return str(error)[:300]
    return None


@pytest.mark.parametrize(
    "spoil",
    [_huge_int, _nul_string, _date(EXTREME_DATES[0]), _date(EXTREME_DATES[1])],
    ids=["integer-past-32-bits", "nul-in-string", "date-0001-01-01", "date-9999-12-31"],
)
def test_a_bad_value_in_a_query_or_body_is_a_4xx_envelope(http, operations, spoil):
    failures, visited = [], 0
    for operation, url, query, body in _spoiled_requests(operations, spoil):
        visited += 1
        response = _send(http, operation, url, query, json=body)
        problem = _refused(response)
        # status-only: what the 422 names is checked right below.
        if problem is None and response.status_code == 422:
            # Refused for the spoiled values, not something else: each field named is one we spoiled.
            named = set(response.json["errors"])
            if query and not named & (set(query) | {"_schema"}) and body is None:
                problem = f"422 for {sorted(named)}, not the spoiled {sorted(query)}"
        if problem:
            failures.append(f"{operation} ?{sorted(query)} body={body is not None}: {problem}")
    assert visited > 10, "the class spoils no operation: the document or the walk changed"
    assert not failures, "\n".join(failures)


def test_an_id_past_the_database_range_in_a_path_is_404(http, operations):
    failures, visited = [], 0
    for operation in operations:
        if not operation.parameters("path") or "{feed_token}" in operation.path:
            continue
        visited += 1
        for huge in (HUGE_INT, 10**20):
            url, _ = operation.url(lambda _name, huge=huge: huge)
            response = _send(http, operation, url)
            if response.status_code != 404 or _refused(response):
                failures.append(f"{operation} with {huge}: {_refused(response) or response.status_code}")
    assert visited > 50, "the document has far more operations with an id in the path"
    assert not failures, "\n".join(failures)


def test_a_nul_in_a_path_string_is_a_4xx_envelope(http, operations):
    (operation,) = [o for o in operations if "{feed_token}" in o.path]

    response = _send(http, operation, operation.path.replace("{feed_token}", "a%00b"))

    assert _refused(response) is None, _refused(response)


def _json_operations(operations: list[Operation]) -> list[Operation]:
    found = [o for o in operations if o.body_schema is not None]
    assert len(found) > 30, "the document has far more operations with a JSON body"
    return found


def test_json_nested_100000_deep_is_400_on_every_json_operation(http, operations):
    deep = "[" * 100_000 + "]" * 100_000
    failures = []
    for operation in _json_operations(operations):
        url, _ = operation.url()
        response = _send(http, operation, url, data=deep, content_type="application/json")
        if response.status_code != 400 or _refused(response):
            failures.append(f"{operation}: {_refused(response) or response.status_code}")
    assert not failures, "\n".join(failures)


def test_json_nested_100000_deep_is_400_before_authentication(http):
    deep = "{" + '"a":{' * 100_000 + "}" * 100_001

    response = http.post("/api/v1/auth/login", data=deep, content_type="application/json")

    assert_error(response, 400, message="nested more than 64 levels")


def test_a_body_that_is_not_json_is_415_on_every_json_operation(http, operations):
    failures = []
    for operation in _json_operations(operations):
        url, _ = operation.url()
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            response = _send(http, operation, url, data="email=a%40b.c", content_type=content_type)
            if response.status_code != 415 or _refused(response):
                failures.append(f"{operation} as {content_type}: {_refused(response) or response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_huge_page_number_is_422_on_every_paginated_operation(http, operations):
    failures, visited = [], 0
    for operation in operations:
        if not any(p["name"] == "page" for p in operation.parameters("query")):
            continue
        visited += 1
        url, _ = operation.url()
        required = {p["name"]: _plain(p["schema"]) for p in operation.parameters("query") if p.get("required")}
        response = _send(http, operation, url, {**required, "page": 10**20})
        if response.status_code != 422 or set(response.json["errors"]) != {"page"}:
            failures.append(f"{operation}: {_refused(response) or response.get_data(as_text=True)[:200]}")
    assert visited > 10 and not failures, "\n".join(failures)


def test_an_over_long_url_is_414_in_the_envelope(http, trainer_headers):
    response = http.get("/api/v1/clients?q=" + "a" * MAX_URL_LENGTH, headers=trainer_headers)

    assert_error(response, 414, message=f"longer than {MAX_URL_LENGTH} characters")


def test_an_operation_that_reads_no_body_ignores_one_as_its_document_says(http, trainer_headers):
    # Checked only as far as the operation reads it: no 400 the document does not list.
    response = http.get("/api/v1/clients", data="{not json", content_type="application/json", headers=trainer_headers)

    assert response.status_code == 200, response.get_data(as_text=True)


def test_an_exercise_id_past_32_bits_inside_plan_content_is_422_naming_its_path(http, trainer_headers):
    body = {"kind": "workout", "name": "Huge", "content": workout_content([HUGE_INT])}

    response = http.post("/api/v1/plans", json=body, headers=trainer_headers)

    assert_error(response, 422, "content.weeks.0.days.0.items.0.exercise_id")


def test_a_cursor_past_32_bits_is_422_naming_it(http, trainer_headers):
    assert_error(http.get(f"/api/v1/feed?before={HUGE_INT}", headers=trainer_headers), 422, "before")

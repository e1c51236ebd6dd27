"""Every operation documents each status its code can answer, and no catch-all `default`.

What a view can answer is read from the code (its decorators and its URL rule), what it says
from the document; the two must agree, so adding a decorator without its status, or a status
without its cause, fails here.
"""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest

from fitbud.api.idempotent import KEY_PARAMETER

HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
# Every status the API answers with on purpose (500 never is).
# Answers 401 for wrong credentials, not for a token.
CREDENTIAL_OPERATIONS = {("POST", "/api/v1/auth/login")}
KNOWN_STATUSES = {200, 201, 202, 204, 304, 400, 401, 403, 404, 409, 410, 413, 414, 415, 422, 429, 503}


def _view_function(app, rule, method):
    view = app.view_functions[rule.endpoint]
    return getattr(view.view_class, method.lower()) if hasattr(view, "view_class") else view


def _statuses_the_code_can_answer(app, rule, method) -> set[str]:
    """The error statuses that this view's decorators and URL make possible, from the code alone."""
    view = _view_function(app, rule, method)
    apidoc = getattr(view, "_apidoc", {})
    parameters = apidoc.get("arguments", {}).get("parameters", [])
    locations = {p["in"] for p in parameters if isinstance(p, dict) and "in" in p}
    roles = getattr(view, "required_roles", None)
    statuses = {414, 422}  # the request guard: a URL too long; an unknown or malformed query parameter
    if roles is not None:
        statuses.add(401)  # no, expired, revoked or malformed token
    if roles:
        statuses.add(403)  # another role's operation
    if "<int:" in rule.rule:
        statuses.add(404)  # no such object, another owner's, or an id past the database's range
    if "json" in locations:
        statuses |= {400, 413, 415, 422}  # malformed JSON, too large, not JSON, invalid fields
    if locations - {"json"} or "pagination" in apidoc:
        statuses.add(422)  # invalid query arguments or page
    if KEY_PARAMETER in parameters:
        statuses |= {409, 422}  # a key used for another request; an unusable key
    return {str(status) for status in statuses}


@pytest.fixture
def operations(app, http):
    """(method, path, rule, documented operation) for every API route."""
    spec = http.get("/api/openapi.json").json
    found = []
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/v1") or rule.rule in ("/healthz", "/readyz")):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods & HTTP_METHODS):
            found.append((method, path, rule, spec["paths"][path][method.lower()]))
    assert len(found) > 100
    return found


def test_no_operation_hides_its_statuses_behind_a_default_response(operations):
    assert [(method, path) for method, path, _, op in operations if "default" in op["responses"]] == []


def test_every_status_the_code_can_answer_is_documented(app, operations):
    undocumented = {
        (method, path): sorted(_statuses_the_code_can_answer(app, rule, method) - set(op["responses"]))
        for method, path, rule, op in operations
    }

    assert {key: missing for key, missing in undocumented.items() if missing} == {}


def test_401_is_documented_exactly_where_a_token_is_required(app, operations):
    for method, path, rule, op in operations:
        requires_token = getattr(_view_function(app, rule, method), "required_roles", None) is not None
        can_refuse = requires_token or (method, path) in CREDENTIAL_OPERATIONS
        assert ("401" in op["responses"]) == can_refuse, (method, path)


def test_413_and_415_are_documented_only_for_operations_that_take_a_body(operations):
    for method, path, _, op in operations:
        if {"413", "415"} & set(op["responses"]):
            assert "requestBody" in op, (method, path)


def test_every_documented_status_is_one_the_api_answers(operations):
    for method, path, _, op in operations:
        for code in op["responses"]:
            assert int(code) in KNOWN_STATUSES, (method, path, code)
            assert int(code) < 400 or op["responses"][code] == {
                "$ref": f"#/components/responses/{HTTPStatus(int(code)).name}"
            }, (method, path, code)


def test_billing_documents_its_503_after_the_token(operations):
    billing = [op for method, path, _, op in operations if "/billing" in path or path.endswith("/subscription")]

    assert billing
    assert all("503" in op["responses"] for op in billing)

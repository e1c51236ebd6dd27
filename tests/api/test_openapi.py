"""The OpenAPI document validates and documents every route, error and token; the docs UIs load."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

PUBLIC_OPERATIONS = {
    ("/api/v1/auth/register", "post"),
    ("/api/v1/auth/login", "post"),
    ("/healthz", "get"),
    ("/readyz", "get"),
    ("/api/v1/billing/webhook", "post"),  # Stripe calls it; the signature is its auth
    ("/api/v1/auth/accept-invite", "post"),  # the invitation token is the credential
    ("/api/v1/auth/verify-email", "post"),  # the emailed link's token is the credential
    ("/api/v1/auth/forgot-password", "post"),
    ("/api/v1/auth/reset-password", "post"),  # the emailed link's token is the credential
    ("/api/v1/calendar/{feed_token}.ics", "get"),  # calendar apps can't send tokens; the URL is the secret
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(http) -> dict:
    response = http.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_document_is_valid_openapi_3(spec):
    validate(spec)

    assert spec["openapi"].startswith("3.")


def test_every_api_route_is_documented(app, spec):
    documented = {(path, method) for path, method, _ in _operations(spec)}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1") or rule.rule in ("/healthz", "/readyz"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
                routed.add((path, method.lower()))

    assert routed
    assert routed <= documented


def test_every_operation_documents_a_success_and_no_catch_all(spec):
    for path, method, operation in _operations(spec):
        codes = set(operation["responses"])
        assert any(code.startswith("2") for code in codes), (path, method)
        assert "default" not in codes, (path, method)


def test_every_body_accepting_operation_documents_422_and_413(spec):
    for path, method, operation in _operations(spec):
        if "requestBody" in operation:
            assert {"413", "422"} <= set(operation["responses"]), (path, method)


def test_protected_operations_require_bearer_and_document_401(spec):
    for path, method, operation in _operations(spec):
        if (path, method) in PUBLIC_OPERATIONS:
            continue
        assert operation.get("security") == [{"bearerAuth": []}], (path, method)
        assert "401" in operation["responses"], (path, method)


def test_public_operations_need_no_token(spec):
    for path, method, operation in _operations(spec):
        if (path, method) in PUBLIC_OPERATIONS:
            assert "security" not in operation, (path, method)


def test_bearer_scheme_is_declared(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }


def test_admin_operations_document_403(spec):
    admin_ops = [op for path, _, op in _operations(spec) if path.startswith("/api/v1/admin")]

    assert admin_ops
    assert all("403" in op["responses"] for op in admin_ops)


def test_rate_limited_operations_document_429_with_retry_after(spec):
    for path in ("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh"):
        assert spec["paths"][path]["post"]["responses"]["429"] == {
            "$ref": "#/components/responses/TOO_MANY_REQUESTS"
        }
    assert "Retry-After" in spec["components"]["responses"]["TOO_MANY_REQUESTS"]["headers"]


def test_list_documents_the_pagination_header_and_parameters(spec):
    operation = spec["paths"]["/api/v1/admin/users"]["get"]

    assert operation["responses"]["200"]["headers"]["X-Pagination"] == {
        "$ref": "#/components/headers/PAGINATION"
    }
    # JSON in a header: declared as content, so tools parse it rather than split it on commas.
    assert spec["components"]["headers"]["PAGINATION"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/PaginationMetadata"}}
    }
    metadata = spec["components"]["schemas"]["PaginationMetadata"]["properties"]
    assert {"total", "total_pages", "page", "page_size"} <= set(metadata)
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["page_size"]["maximum"] == 100
    assert parameters["page_size"]["default"] == 20


def test_error_envelope_schema_matches_what_the_api_sends(spec, http):
    error = spec["components"]["schemas"]["Error"]
    sent = http.get("/api/v1/clients/1").json  # 401: no token

    assert set(error["properties"]) == {"code", "status", "message", "errors", "request_id", "details"}
    assert set(error["required"]) == {"code", "status", "message", "errors", "request_id"} == set(sent)
    assert error["properties"]["errors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_password_fields_are_write_only(spec):
    schemas = spec["components"]["schemas"]
    for name in ("Register", "Login"):
        assert schemas[name]["properties"]["password"]["writeOnly"] is True
    assert not any("password" in field for field in schemas["User"]["properties"])


def test_readiness_documents_its_503(spec):
    assert "503" in spec["paths"]["/readyz"]["get"]["responses"]


@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc"])
def test_docs_pages_load(http, path):
    response = http.get(path)

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "/api/openapi.json" in response.get_data(as_text=True)


def test_the_docs_viewers_load_only_from_fitbud_itself(http):
    for page in ("/api/docs", "/api/redoc"):
        html = http.get(page).get_data(as_text=True)
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert assets, f"{page} names no script or stylesheet"
        for asset in assets:
            assert asset.startswith("/static/openapi/"), f"{page} loads {asset} from elsewhere"
            response = http.get(asset)
            response.close()  # a static file is streamed from disk
            assert response.status_code == 200, asset


def test_idempotency_is_documented_once_and_each_idempotent_operation_refers_to_it(spec):
    key = spec["components"]["parameters"]["IdempotencyKey"]
    for promise in ("1 to 200 characters", "scoped to your account", "Idempotent-Replayed", "409", "24 hours"):
        assert promise in key["description"], promise
    idempotent = [
        (path, method, op)
        for path, method, op in _operations(spec)
        if {"$ref": "#/components/parameters/IdempotencyKey"} in op.get("parameters", [])
    ]

    assert len(idempotent) > 30
    for path, method, op in idempotent:
        assert {"409", "422"} <= set(op["responses"]), (path, method)
        for code, response in op["responses"].items():
            if code.startswith("2"):
                assert response["headers"]["Idempotent-Replayed"] == {
                    "$ref": "#/components/headers/IDEMPOTENT_REPLAYED"
                }, (path, method)
    assert not any(p.get("name") == "Idempotency-Key" for _, _, op in idempotent for p in op["parameters"])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/sessions"),
        ("post", "/api/v1/sessions/series"),
        ("patch", "/api/v1/sessions/{session_id}"),
        ("post", "/api/v1/sessions/{session_id}/status"),
        ("post", "/api/v1/me/sessions/requests"),
        ("post", "/api/v1/reports"),
        ("post", "/api/v1/me/check-ins"),
    ],
)
def test_writes_a_mobile_app_retries_accept_an_idempotency_key(spec, method, path):
    assert {"$ref": "#/components/parameters/IdempotencyKey"} in spec["paths"][path][method]["parameters"]

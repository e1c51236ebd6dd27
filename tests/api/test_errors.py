"""Every failure is the one JSON envelope; requests carry an id into the response and the logs."""

from __future__ import annotations

import io
import json
import logging

import pytest

from tests.api.auth_flow import STRONG_PASSWORD
from tests.helpers import assert_error

LOGIN = "/api/v1/auth/login"


@pytest.fixture
def boom_app(make_app):
    """An app with one extra route that fails the way a bug would."""
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    return app


def _json_log_stream(app) -> io.StringIO:
    stream = io.StringIO()
    (handler,) = logging.getLogger("fitbud").handlers
    handler.setStream(stream)
    return stream


def _log_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


# --- the envelope for framework errors -----------------------------------------------------------


def test_unknown_route_is_404_envelope(http):
    body = assert_error(http.get("/api/v1/no-such-thing"), 404, message="The requested URL was not found on the server")

    assert body["status"] == "Not Found"
    assert body["errors"] == {}


def test_unknown_route_outside_the_api_is_404_envelope(http):
    # A browser (asking for HTML) gets a page there instead: tests/client_app/test_pages_infra.py.
    assert_error(http.get("/no-such-page"), 404, message="The requested URL was not found on the server")


def test_wrong_method_is_405_envelope_with_allow(http):
    response = http.delete("/api/v1/users/me")

    assert_error(response, 405, message="The method is not allowed for the requested URL")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PATCH"}


def test_body_over_the_limit_is_413_envelope(http, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024

    response = http.post(LOGIN, json={"email": "a@example.com", "password": "x" * 2000})

    assert_error(response, 413, message="The data value transmitted exceeds the capacity limit")


def test_body_under_the_limit_is_read(http, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024

    response = http.post(LOGIN, json={"email": "a@example.com", "password": "x" * 200})

    assert_error(response, 401, message="Invalid email or password")


def test_malformed_json_is_400_envelope(http):
    response = http.post(LOGIN, data='{"email": ', content_type="application/json")

    assert assert_error(response, 400, message="not valid JSON")["errors"] == {}


def test_json_array_instead_of_object_is_422(http):
    assert_error(http.post(LOGIN, json=["a@example.com", STRONG_PASSWORD]), 422, "_schema")


def test_form_body_instead_of_json_is_415(http):
    response = http.post(LOGIN, data={"email": "a@example.com", "password": STRONG_PASSWORD})

    # Not a misleading 422 "Missing data": the body is there, in a format the operation does not read.
    assert_error(response, 415, message="Content-Type: application/json")


def test_a_json_body_without_content_type_is_415(http):
    response = http.post(LOGIN, data='{"email": "a@example.com"}', content_type="")

    assert_error(response, 415, message="Content-Type: application/json")


def test_an_empty_body_without_content_type_is_422_naming_the_missing_fields(http):
    assert_error(http.post(LOGIN), 422, ("email", "password"))


def test_an_empty_body_of_another_type_is_no_body_not_a_415(http):
    # curl -d '' sends an empty form: nothing in a wrong format was sent, only nothing at all.
    response = http.post(LOGIN, data="", content_type="application/x-www-form-urlencoded")

    assert_error(response, 422, ("email", "password"))


def test_every_error_carries_the_request_id_of_its_response(http):
    response = http.get("/api/v1/no-such-thing", headers={"X-Request-ID": "trace-me-1"})

    assert assert_error(response, 404, message="not found")["request_id"] == "trace-me-1"


@pytest.mark.parametrize(
    "payload, field, message",
    [
        ({"email": "a@example.com", "password": "x", "extra": 1}, "extra", "Unknown field."),
        ({"email": "a@example.com", "password": ["x"]}, "password", "Not a valid string."),
        ({"password": "x"}, "email", "Missing data for required field."),
        ({"email": None, "password": "x"}, "email", "Field may not be null."),
    ],
    ids=["unknown-field", "wrong-type", "missing-field", "null"],
)
def test_invalid_body_is_422_naming_the_field(http, payload, field, message):
    body = assert_error(http.post(LOGIN, json=payload), 422, field)

    assert body["errors"][field] == [message]


def test_unhandled_error_is_500_envelope_without_details(boom_app):
    response = boom_app.test_client().get("/boom")

    body = assert_error(response, 500, message="An unexpected error occurred")
    text = response.get_data(as_text=True)
    assert "hunter2" not in text
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert body["status"] == "Internal Server Error"


def test_unhandled_error_is_logged_with_traceback_and_request_id(make_app):
    app = make_app({"LOG_JSON": True})

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    stream = _json_log_stream(app)

    app.test_client().get("/boom", headers={"X-Request-ID": "req-500"})

    (error_line,) = [line for line in _log_lines(stream) if line["level"] == "ERROR"]
    assert error_line["request_id"] == "req-500"
    assert "RuntimeError: kaboom" in error_line["exc_info"]


# --- X-Request-ID and JSON logs ------------------------------------------------------------------


def test_request_id_is_echoed_when_given(http):
    response = http.get("/healthz", headers={"X-Request-ID": "abc-123.def_456"})

    assert response.headers["X-Request-ID"] == "abc-123.def_456"


def test_request_id_is_minted_when_absent(http):
    first = http.get("/healthz").headers["X-Request-ID"]
    second = http.get("/healthz").headers["X-Request-ID"]

    assert first and second and first != second


@pytest.mark.parametrize(
    "given",
    ["has spaces", "x" * 200, "semi;colon", "line\u2028break"],
    ids=["spaces", "too-long", "punctuation", "unicode"],
)
def test_unsafe_request_id_is_replaced(http, given):
    response = http.get("/healthz", headers={"X-Request-ID": given})

    assert response.headers["X-Request-ID"] != given
    assert len(response.headers["X-Request-ID"]) == 32


def test_error_responses_carry_the_request_id(http):
    response = http.get("/api/v1/users/me", headers={"X-Request-ID": "trace-401"})

    assert_error(response, 401, message="Authentication required")
    assert response.headers["X-Request-ID"] == "trace-401"


def test_logs_are_json_lines_stamped_with_the_request_id(make_app):
    app = make_app({"LOG_JSON": True})
    stream = _json_log_stream(app)

    app.test_client().get("/healthz", headers={"X-Request-ID": "log-me-1"})

    (access,) = [line for line in _log_lines(stream) if line["logger"] == "fitbud.access"]
    assert access["request_id"] == "log-me-1"
    assert access["method"] == "GET"
    assert access["path"] == "/healthz"
    assert access["status"] == 200
    assert access["level"] == "INFO"
    assert "time" in access


def test_log_lines_never_contain_the_submitted_password(make_app):
    app = make_app({"LOG_JSON": True})
    stream = _json_log_stream(app)

    app.test_client().post(LOGIN, json={"email": "a@example.com", "password": STRONG_PASSWORD})

    assert stream.getvalue()
    assert STRONG_PASSWORD not in stream.getvalue()

"""assert_error and assert_page_error pass only for the status and the field or reason named, nothing else failing."""

from __future__ import annotations

import json

import pytest
from flask import Response

from fitbud.errors import error_body
from tests.helpers import assert_error, assert_page_error


def _json_response(status: int, body) -> Response:
    return Response(status=status, response=json.dumps(body), mimetype="application/json")


def _answer(status: int, errors: dict | None = None, message: str | None = None) -> Response:
    return _json_response(status, error_body(status, message, errors))


NESTED = {"exercises.0.sets.1.reps": ["Must be at least 1."]}


def test_a_nested_field_is_named_by_its_dotted_path_and_the_body_is_returned():
    body = assert_error(_answer(422, NESTED), 422, "exercises.0.sets.1.reps")

    assert body["errors"] == NESTED


@pytest.mark.parametrize("field", ["exercises.0.sets", "exercises"])
def test_the_path_may_stop_at_a_parent(field):
    assert_error(_answer(422, NESTED), 422, field)


def test_nested_messages_are_flattened_to_dotted_paths_by_the_envelope():
    nested = {"exercises": {0: {"sets": {1: {"reps": ["Must be at least 1."]}}}}}

    assert _answer(422, nested).get_json()["errors"] == NESTED


def test_a_key_holding_a_dot_is_named_as_it_is():
    assert_error(_answer(422, {"params.month": ["Is in the future."]}), 422, "params.month")


def test_several_fields_are_named_together():
    assert_error(_answer(409, {"ends_at": ["taken"], "starts_at": ["taken"]}), 409, ("ends_at", "starts_at"))


@pytest.mark.parametrize(
    "field",
    ["exercises.0.sets.1.weight", "exercises.1", "sets", "exercise"],
    ids=["sibling", "other-index", "not-from-the-root", "prefix-of-a-key"],
)
def test_a_field_that_did_not_fail_is_refused(field):
    with pytest.raises(AssertionError, match="did not fail"):
        assert_error(_answer(422, NESTED), 422, field)


def test_another_field_failing_too_is_refused():
    # A test that names one field must not pass because a second one is wrong as well.
    errors = {"name": ["Missing data for required field."], "email": ["Not a valid email address."]}

    with pytest.raises(AssertionError, match=r"\['email'\] failed besides"):
        assert_error(_answer(422, errors), 422, "name")


def test_the_message_is_matched_as_a_piece_ignoring_case():
    assert_error(_answer(404, message="No such client."), 404, message="no such client")

    with pytest.raises(AssertionError, match="message is not about"):
        assert_error(_answer(404, message="No such plan."), 404, message="No such client")


def test_another_status_is_refused_showing_the_body():
    with pytest.raises(AssertionError, match="expected 409, got 422.*exercises"):
        assert_error(_answer(422, NESTED), 409, "exercises")


@pytest.mark.parametrize(
    "response",
    [
        Response(status=404, response="<h1>Not Found</h1>", mimetype="text/html"),
        _json_response(404, {"error": "not found"}),
        _json_response(404, {**error_body(404, "No such client."), "code": 400}),
        _json_response(404, {**error_body(404, "No such client."), "status": "Gone"}),
        _json_response(404, {**error_body(404, "No such client."), "errors": []}),
        _json_response(404, {**error_body(404, "No such client."), "errors": {"json": {"name": ["bad"]}}}),
        _json_response(404, {**error_body(404, "No such client."), "errors": {"conflicts": [{"id": 1}]}}),
        _json_response(404, {k: v for k, v in error_body(404, "No such client.").items() if k != "request_id"}),
    ],
    ids=[
        "html",
        "another-shape",
        "code-disagrees",
        "status-phrase-disagrees",
        "errors-not-a-dict",
        "errors-under-a-location",
        "errors-not-lists-of-strings",
        "no-request-id",
    ],
)
def test_anything_but_the_envelope_is_refused(response):
    with pytest.raises(AssertionError):
        assert_error(response, 404, message="No such client")


def test_a_call_naming_no_reason_is_a_mistake():
    with pytest.raises(TypeError, match="field or the message"):
        assert_error(_answer(422, NESTED), 422)  # status-only: the mistake this test is about


FORM = (
    '<form><input id="email" aria-invalid="true" aria-describedby="email-error">'
    '<p class="field-error" id="email-error">Enter an email address.</p>'
    '<input id="password" aria-describedby="password-hint"><p id="password-hint">10 characters</p></form>'
)


def _page(status: int, html: str = FORM) -> Response:
    return Response(status=status, response=html, mimetype="text/html")


def test_a_page_shows_the_named_fields_error_and_is_returned():
    assert "Enter an email address." in assert_page_error(_page(422), 422, "email")


def test_a_page_showing_another_fields_error_is_refused():
    with pytest.raises(AssertionError, match=r"no error is shown beside \['password'\]"):
        assert_page_error(_page(422), 422, "password")
    with pytest.raises(AssertionError, match=r"\['email'\] show errors besides"):
        both = FORM.replace('"password-hint"', '"password-error"', 1) + '<p id="password-error">Too short.</p>'
        assert_page_error(_page(422, both), 422, "password")


def test_a_page_level_alert_is_not_a_field_error():
    alert = '<div role="alert" id="signup-error">Please fix the fields below.</div>'

    assert_page_error(_page(422, alert + FORM), 422, "email")


def test_a_page_is_matched_by_its_text_and_its_status():
    assert_page_error(_page(400, "<p>The form expired; please try again.</p>"), 400, text="The form expired")

    with pytest.raises(AssertionError, match="does not say"):
        assert_page_error(_page(400, "<p>Something else.</p>"), 400, text="The form expired")
    with pytest.raises(AssertionError, match="expected 409, got 422"):
        assert_page_error(_page(422), 409, "email")


def test_json_is_not_a_page():
    with pytest.raises(AssertionError, match="not an HTML page"):
        assert_page_error(_answer(422, {"email": ["taken"]}), 422, text="taken")


def test_a_page_check_naming_no_reason_is_a_mistake():
    with pytest.raises(TypeError, match="field or the text"):
        assert_page_error(_page(422), 422)  # status-only: the mistake this test is about

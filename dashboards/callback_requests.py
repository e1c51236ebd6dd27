"""A callback request Dash cannot dispatch is a 400 in the envelope, not a 500 from inside Dash.

Dash's renderer only asks for callbacks the app registered, with the outputs they declared. A
forged request naming another output (or one computed in the browser, which has no server side)
made Dash raise KeyError, and one whose outputs differ from the definition a CallbackException;
both reached the server as 500s. The first is refused before Dash runs; the second, which only
Dash can tell, is mapped to a 400 when it is about the request (never when a callback returned
something wrong: that stays a 500, a bug to fix). Inputs of the wrong type are page_callback's.
"""

from __future__ import annotations

from typing import Any

from dash.exceptions import CallbackException, InvalidCallbackReturnValue
from flask import Flask, current_app, jsonify, request

from fitbud.errors import BadRequestError, error_body

UPDATE_PATH_SUFFIX = "/_dash-update-component"


def _is_callback_request() -> bool:
    return request.method == "POST" and request.path.endswith(UPDATE_PATH_SUFFIX)


def refuse_undispatchable_callbacks() -> None:
    """before_request: the body must name a server callback, with lists of inputs and state."""
    if not _is_callback_request():
        return
    body: Any = request.get_json(silent=True)
    callbacks = current_app.extensions["fitbud.dash"].callback_map
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise BadRequestError("A callback request is a JSON object naming its output.")
    if "callback" not in callbacks.get(body["output"], {}):
        raise BadRequestError("No callback of this page answers that output.")
    if not all(isinstance(body.get(part, []), list) for part in ("inputs", "state")):
        raise BadRequestError("A callback request's inputs and state are lists.")


def _callback_exception(error: CallbackException):
    """A CallbackException about the request is a 400 envelope; any other is re-raised (a 500)."""
    if not _is_callback_request() or isinstance(error, InvalidCallbackReturnValue):
        raise error
    response = jsonify(error_body(400, f"The callback request does not match the callback: {error}"))
    response.status_code = 400
    return response


def init_app(server: Flask) -> None:
    """Install the check ahead of Dash's dispatch, and the mapping of Dash's request errors."""
    server.before_request(refuse_undispatchable_callbacks)
    server.register_error_handler(CallbackException, _callback_exception)

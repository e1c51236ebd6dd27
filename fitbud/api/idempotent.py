"""The Idempotency-Key decorator: a retried write answers the first response and changes nothing."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask_jwt_extended import current_user

from fitbud.services import idempotency

IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotent(view: Callable) -> Callable:
    """Honour an Idempotency-Key header: a retry returns the first response and changes nothing.

    Place it below login_required and above arguments/response. The same key with a
    different body is a 409 (Blueprint.idempotent documents it). The key, the view's writes
    and the stored response commit together (services/idempotency.py).
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        raw_key = request.headers.get(IDEMPOTENCY_HEADER)
        if raw_key is None:
            return view(*args, **kwargs)
        key = idempotency.validate_key(raw_key)
        request_fingerprint = idempotency.fingerprint(request.method, request.path, request.get_data(cache=True))
        outcome = idempotency.run_once(
            current_user.id,
            key,
            request_fingerprint,
            lambda: current_app.make_response(view(*args, **kwargs)),
            lambda response: _answer(response, kwargs),
        )
        if isinstance(outcome, idempotency.StoredResponse):
            return _replay(outcome)
        return outcome

    # Beside the arguments' parameters, not through doc(parameters=...): that list would
    # replace theirs in the document (a query argument went missing that way).
    wrapper._apidoc = copy.deepcopy(getattr(wrapper, "_apidoc", {}))  # type: ignore[attr-defined]
    wrapper._apidoc.setdefault("arguments", {}).setdefault("parameters", []).append(  # type: ignore[attr-defined]
        {
            "in": "header",
            "name": IDEMPOTENCY_HEADER,
            "required": False,
            "schema": {"type": "string", "maxLength": idempotency.MAX_KEY_LENGTH},
            "description": "Retries with the same key return the first response.",
        }
    )
    return wrapper


def _answer(response: Response, view_args: dict[str, Any]) -> tuple[int, Any, int | None] | None:
    """What to store for this response (a success), and the client it is about; None for a failure."""
    if not 200 <= response.status_code < 300:
        return None
    body = response.get_json(silent=True)
    return response.status_code, body, _client_id(view_args, body)


def _client_id(view_args: dict[str, Any], body: Any) -> int | None:
    """The client a request is about, so its stored answer goes when the client is purged."""
    for source in (view_args, request.get_json(silent=True), body):
        value = source.get("client_id") if isinstance(source, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None  # a client's own requests are stored under their login, which goes with them


def _replay(stored: idempotency.StoredResponse) -> Response:
    if stored.body is None:
        response = current_app.response_class(status=stored.status_code)
    else:
        response = current_app.json.response(stored.body)
        response.status_code = stored.status_code
    response.headers["Idempotent-Replayed"] = "true"
    return response

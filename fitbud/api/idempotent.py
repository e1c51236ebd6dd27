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
REPLAYED_HEADER = "Idempotent-Replayed"
# The names of the components every idempotent operation refers to (register_components).
KEY_PARAMETER = "IdempotencyKey"
REPLAYED_RESPONSE_HEADER = "IDEMPOTENT_REPLAYED"


def register_components(spec, lifetime_hours: int) -> None:
    """Document idempotency once, in components: the key parameter and the replay header."""
    spec.components.parameter(
        KEY_PARAMETER,
        "header",
        {
            "name": IDEMPOTENCY_HEADER,
            "required": False,
            "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY_LENGTH},
            "example": "3f6c2a9e-8d1b-4b7a-9a51-2c0e5d7f1b44",
            "description": (
                "Makes a retried write safe. Send a new unique key (a UUID, say; 1 to "
                f"{idempotency.MAX_KEY_LENGTH} characters) with each write and the same key with its "
                "retries. Keys are scoped to your account: two accounts never share one. The first "
                "request with a key runs; a retry with the same key, method, path and body gets the "
                "stored answer (same status and body, with the header `Idempotent-Replayed: true`) "
                "and changes nothing, even if the first answer was lost on the way. The same key with "
                "another method, path or body is a 409. Only successes are stored: after a 4xx or "
                "5xx the key is free and a retry runs again. Stored answers are kept "
                f"{lifetime_hours} hours; after that the key is new again."
            ),
        },
    )
    spec.components.header(
        REPLAYED_RESPONSE_HEADER,
        {
            "description": "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
            "schema": {"type": "string", "enum": ["true"]},
        },
    )


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
    apidoc = wrapper._apidoc = copy.deepcopy(getattr(wrapper, "_apidoc", {}))  # type: ignore[attr-defined]
    apidoc.setdefault("arguments", {}).setdefault("parameters", []).append(KEY_PARAMETER)
    # A replayed answer says so, on each success the operation documents (placed above response).
    for documented in apidoc.get("response", {}).get("responses", {}).values():
        for response in documented:
            if isinstance(response, dict):
                response.setdefault("headers", {})[REPLAYED_HEADER] = REPLAYED_RESPONSE_HEADER
    return wrapper


def _answer(response: Response, view_args: dict[str, Any]) -> tuple[int, Any, int | None] | None:
    """What to store for this response (a success), and the client it is about; None for a failure."""
    if not 200 <= response.status_code < 300:
        return None
    body = response.get_json(silent=True)
    return response.status_code, body, _client_id(view_args, body)


def _client_id(view_args: dict[str, Any], body: Any) -> int | None:
    """The client a request is about, so its stored answer goes when the client is purged."""
    request_body = request.get_json(silent=True)
    params = request_body.get("params") if isinstance(request_body, dict) else None  # a report's
    for source in (view_args, request_body, params, body):
        value = source.get("client_id") if isinstance(source, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    # Else the rows the request wrote say (services/idempotency.py); a client's own requests are
    # stored under their login, which goes with them.
    return None


def _replay(stored: idempotency.StoredResponse) -> Response:
    if stored.body is None:
        response = current_app.response_class(status=stored.status_code)
    else:
        response = current_app.json.response(stored.body)
        response.status_code = stored.status_code
    response.headers[REPLAYED_HEADER] = "true"
    return response

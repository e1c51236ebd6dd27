"""The Idempotency-Key decorator: a retried write answers the first response and changes nothing."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable

from flask import current_app, request
from flask_jwt_extended import current_user

from fitbud.services import idempotency

IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotent(view: Callable) -> Callable:
    """Honour an Idempotency-Key header: a retry returns the first response, stores nothing.

    Place it below login_required and above arguments/response. The same key with a
    different body is a 409 (Blueprint.idempotent documents it).
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        raw_key = request.headers.get(IDEMPOTENCY_HEADER)
        if raw_key is None:
            return view(*args, **kwargs)
        key = idempotency.validate_key(raw_key)
        user_id = current_user.id
        request_fingerprint = idempotency.fingerprint(request.method, request.path, request.get_data(cache=True))
        stored = idempotency.claim(user_id, key, request_fingerprint)
        if stored is not None:
            response = current_app.json.response(stored.body)
            response.status_code = stored.status_code
            response.headers["Idempotent-Replayed"] = "true"
            return response
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            idempotency.release(user_id, key)
            raise
        if 200 <= response.status_code < 300:
            idempotency.complete(user_id, key, response.status_code, response.get_json())
        else:
            idempotency.release(user_id, key)
        return response

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

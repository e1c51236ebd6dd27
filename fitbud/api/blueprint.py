"""Fitbud's flask-smorest Blueprint: auth and idempotency documented with the route, page_size in X-Pagination."""

from __future__ import annotations

import functools
from collections.abc import Callable

import flask_smorest
from flask import current_app, request
from flask_jwt_extended import current_user, verify_jwt_in_request

from fitbud.auth.roles import Role
from fitbud.errors import PermissionDeniedError
from fitbud.services import idempotency

IDEMPOTENCY_HEADER = "Idempotency-Key"


class Blueprint(flask_smorest.Blueprint):
    """A smorest Blueprint whose login_required also documents Bearer auth and the 401/403."""

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        metadata = flask_smorest.Blueprint._make_pagination_metadata(page, page_size, item_count)
        metadata["page"] = page
        metadata["page_size"] = page_size
        return metadata

    def login_required(self, *roles: Role, refresh: bool = False) -> Callable:
        """Require a valid access token (or refresh token), and one of `roles` when given."""

        def decorator(view: Callable) -> Callable:
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                verify_jwt_in_request(refresh=refresh)
                if roles and current_user.role not in roles:
                    raise PermissionDeniedError(
                        "Your account's role may not do this.",
                        errors={"role": [f"requires one of: {', '.join(r.value for r in roles)}"]},
                    )
                return view(*args, **kwargs)

            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            if roles:
                wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return self.doc(security=[{"bearerAuth": []}])(wrapper)

        return decorator

    def idempotent(self, view: Callable) -> Callable:
        """Honour an Idempotency-Key header: a retry returns the first response, stores nothing.

        Place it below login_required and above arguments/response. The same key with a
        different body is a 409.
        """

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            raw_key = request.headers.get(IDEMPOTENCY_HEADER)
            if raw_key is None:
                return view(*args, **kwargs)
            key = idempotency.validate_key(raw_key)
            user_id = current_user.id
            request_fingerprint = idempotency.fingerprint(
                request.method, request.path, request.get_data(cache=True)
            )
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

        return self.doc(
            parameters=[
                {
                    "in": "header",
                    "name": IDEMPOTENCY_HEADER,
                    "required": False,
                    "schema": {"type": "string", "maxLength": idempotency.MAX_KEY_LENGTH},
                    "description": "Retries with the same key return the first response.",
                }
            ]
        )(self.alt_response(409, response="CONFLICT")(wrapper))

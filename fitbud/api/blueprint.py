"""Fitbud's flask-smorest Api and Blueprint: auth documented with the route, pagination with page_size."""

from __future__ import annotations

import functools
from collections.abc import Callable

import flask_smorest
from flask_jwt_extended import current_user, verify_jwt_in_request

from fitbud.auth.roles import Role
from fitbud.errors import PermissionDeniedError


class Api(flask_smorest.Api):
    """The API object; declares the Bearer scheme so Swagger UI can send tokens."""

    def init_app(self, app, *, spec_kwargs=None):
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        )

    def _register_error_handlers(self):
        # fitbud.errors registers the handlers, so every error shares one envelope.
        pass


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

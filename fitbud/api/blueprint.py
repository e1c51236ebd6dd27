"""Fitbud's flask-smorest Blueprint: auth documented with each route, page_size paging."""

from __future__ import annotations

import copy
import functools
import hashlib
from collections.abc import Callable

import flask_smorest
from flask import current_app, request
from flask_jwt_extended import current_user, verify_jwt_in_request

from fitbud.api import idempotent, response_cache
from fitbud.api.input_guard import CheckedParser
from fitbud.auth.roles import Role
from fitbud.errors import NotFoundError, PermissionDeniedError
from fitbud.ext.orm_session import writes_on_read
from fitbud.ext.smorest import PAYLOAD_TOO_LARGE, PaginationMetadataSchema

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Blueprint(flask_smorest.Blueprint):
    """A smorest Blueprint whose login_required also documents Bearer auth and the 401/403."""

    # Every argument and every page number goes through the range checks of api/input_guard.py.
    ARGUMENTS_PARSER = CheckedParser()
    PAGINATION_ARGUMENTS_PARSER = CheckedParser()

    DEFAULT_PAGINATION_PARAMETERS = {
        "page": 1,
        "page_size": DEFAULT_PAGE_SIZE,
        "max_page_size": MAX_PAGE_SIZE,
    }

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        total_pages = (item_count + page_size - 1) // page_size
        metadata = {
            "total": item_count,
            "total_pages": total_pages,
            "page": page,
            "page_size": page_size,
        }
        if total_pages:
            metadata.update(first_page=1, last_page=total_pages)
            if 1 < page <= total_pages:
                metadata["previous_page"] = page - 1
            if page < total_pages:
                metadata["next_page"] = page + 1
        return PaginationMetadataSchema().dump(metadata)

    def arguments(self, schema, *, location="json", **kwargs):
        """smorest's arguments (which document the 422); a JSON body also documents what the
        request guard answers before the view runs: 400 malformed JSON, 413 too large, 415 not JSON."""
        decorator = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return decorator

        def with_body_statuses(view: Callable) -> Callable:
            documented = decorator(view)
            for status, response in ((400, "BAD_REQUEST"), (413, PAYLOAD_TOO_LARGE), (415, "UNSUPPORTED_MEDIA_TYPE")):
                documented = self.alt_response(status, response=response)(documented)
            return documented

        return with_body_statuses

    # A GET or HEAD reads in autocommit and may not write (fitbud/ext/orm_session.py); a GET view
    # that has to write is decorated with this, above the other decorators.
    writes_on_read = staticmethod(writes_on_read)

    def login_required(self, *roles: Role, refresh: bool = False) -> Callable:
        """Require a valid access token (or refresh token), and one of `roles` when given."""

        def decorator(view: Callable) -> Callable:
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                verify_jwt_in_request(refresh=refresh)
                if roles and current_user.role not in roles:
                    if "client_id" in kwargs:
                        # A URL naming a client answers a caller of another role as if the client
                        # did not exist, as for another trainer: nothing tells which ids are real.
                        raise NotFoundError("No such client.")
                    raise PermissionDeniedError(
                        "Your account's role may not do this.",
                        errors={"role": [f"requires one of: {', '.join(r.value for r in roles)}"]},
                    )
                return view(*args, **kwargs)

            # Who may call it, readable from the view (functools.wraps carries it up the decorators).
            wrapper.required_roles = roles  # type: ignore[attr-defined]
            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            if roles:
                wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return self.doc(security=[{"bearerAuth": []}])(wrapper)

        return decorator

    def cached_per_trainer(self, name: str, *, private: bool = False) -> Callable:
        """Serve a GET from the trainer's response cache (api/response_cache.py) until their data changes.

        Place it below login_required and above arguments.
        """
        return response_cache.cached_per_trainer(name, private=private)

    def conditional(self, view: Callable) -> Callable:
        """An ETag on each 200; a request whose If-None-Match holds it gets a 304 without a body.

        For the reads apps poll: an unchanged answer costs the app no download and no parsing.
        The tag is a digest of the body and the X-Pagination header, so it changes when either
        does. Place it below login_required (and above cached_per_trainer and response).
        """

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                digest = hashlib.sha256(response.get_data())
                digest.update(response.headers.get("X-Pagination", "").encode())
                response.set_etag(digest.hexdigest()[:32])
                response.make_conditional(request)
            return response

        apidoc = wrapper._apidoc = copy.deepcopy(getattr(wrapper, "_apidoc", {}))  # type: ignore[attr-defined]
        apidoc.setdefault("arguments", {}).setdefault("parameters", []).append("IF_NONE_MATCH")
        for documented in apidoc.get("response", {}).get("responses", {}).get(200, []):
            if isinstance(documented, dict):
                documented.setdefault("headers", {})["ETag"] = "ETAG"
        return self.alt_response(304, response="NOT_MODIFIED")(wrapper)

    def idempotent(self, view: Callable) -> Callable:
        """Honour an Idempotency-Key header (api/idempotent.py) and document its 409.

        Place it below login_required and above arguments/response.
        """
        honoured = idempotent.idempotent(view)
        # 409: the key was used for another request; 422: the key itself is unusable.
        honoured = self.alt_response(422, response="UNPROCESSABLE_ENTITY")(honoured)
        return self.alt_response(409, response="CONFLICT")(honoured)

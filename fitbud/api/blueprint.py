"""Fitbud's flask-smorest Api and Blueprint: auth documented with each route, page_size paging."""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING

import flask_smorest
import marshmallow as ma
from cryptography.fernet import InvalidToken
from flask import current_app, request
from flask_jwt_extended import current_user, verify_jwt_in_request

from fitbud.auth.roles import Role
from fitbud.errors import NotFoundError, PermissionDeniedError
from fitbud.models.session import writes_on_read
from fitbud.models.types import keyring

if TYPE_CHECKING:
    from fitbud.services.versioned_cache import Wanted

IDEMPOTENCY_HEADER = "Idempotency-Key"

# Python 3.13 renamed some HTTPStatus members; smorest names its response components after them.
PAYLOAD_TOO_LARGE = HTTPStatus(413).name
TOO_MANY_REQUESTS = HTTPStatus(429).name
# Response headers a cached GET answers with again (the body's own metadata).
CACHED_HEADERS = ("X-Pagination",)
QUARTER_HOUR_SECONDS = 15 * 60
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PaginationMetadataSchema(ma.Schema):
    """The JSON object in the X-Pagination response header of every list endpoint."""

    total = ma.fields.Int(metadata={"description": "Number of items across all pages."})
    total_pages = ma.fields.Int(metadata={"description": "Number of pages."})
    page = ma.fields.Int(metadata={"description": "This page's number (from 1)."})
    page_size = ma.fields.Int(metadata={"description": "Items per page (at most 100)."})
    first_page = ma.fields.Int(metadata={"description": "First page number, when any."})
    last_page = ma.fields.Int(metadata={"description": "Last page number, when any."})
    previous_page = ma.fields.Int(metadata={"description": "Previous page number, when any."})
    next_page = ma.fields.Int(metadata={"description": "Next page number, when any."})


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

    def _register_responses(self):
        super()._register_responses()
        # Re-declare 429 so clients learn from the document when they may retry.
        self.spec.components.response(
            TOO_MANY_REQUESTS,
            {
                "description": "Too many attempts; wait the number of seconds in Retry-After.",
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "schema": {"type": "integer"},
                    }
                },
                "content": {"application/json": {"schema": self.ERROR_SCHEMA}},
            },
            lazy=True,
        )

    def _register_pagination_header(self):
        self.spec.components.header(
            "PAGINATION",
            {
                "description": "Pagination metadata (JSON): total, total_pages, page, page_size.",
                "schema": PaginationMetadataSchema,
            },
            lazy=True,
        )


def _readable_body(entry: tuple | None, private: bool, unit_system: str, timezone: str) -> bytes | None:
    """The body of a cached (body, headers, unit system, timezone) entry, decrypted when private.

    None for a miss: no entry, one shaped for other units or another timezone, or one a retired
    key wrote.
    """
    if entry is None or entry[2] != unit_system or entry[3] != timezone:
        return None
    if not private:
        return entry[0]
    try:
        return keyring().decrypt(entry[0])
    except InvalidToken:  # written under a key that has since been retired
        return None


class Blueprint(flask_smorest.Blueprint):
    """A smorest Blueprint whose login_required also documents Bearer auth and the 401/403."""

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
        """smorest's arguments; a JSON body also documents the 413 for an oversized request."""
        decorator = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return decorator

        def with_413(view: Callable) -> Callable:
            return self.alt_response(413, response=PAYLOAD_TOO_LARGE)(decorator(view))

        return with_413

    # A GET or HEAD reads in autocommit and may not write (fitbud/models/session.py); a GET view
    # that has to write is decorated with this, above the other decorators.
    writes_on_read = staticmethod(writes_on_read)

    def login_required(self, *roles: Role, refresh: bool = False) -> Callable:
        """Require a valid access token (or refresh token), and one of `roles` when given."""

        def decorator(view: Callable) -> Callable:
            # Set by cached_per_trainer: the token check fetches that entry in its own round trip.
            entry_for_token = getattr(view, "fitbud_entry_for_token", None)

            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                from fitbud.services import auth_cache  # lazy: services import the extensions

                if entry_for_token is not None:
                    auth_cache.fetch_alongside(entry_for_token)
                try:
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
                finally:
                    if entry_for_token is not None:
                        auth_cache.forget_alongside()

            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            if roles:
                wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return self.doc(security=[{"bearerAuth": []}])(wrapper)

        return decorator

    def cached_per_trainer(self, name: str, *, private: bool = False) -> Callable:
        """Serve a GET from services/trainer_cache.py until the data of the trainer it concerns changes.

        A trainer's views are kept under the trainer; a client's (their day, their plan) under
        their trainer too, since every change to a client's data is a change to that trainer's.
        Place it below login_required and above arguments: a hit skips argument parsing, the
        queries and serialization, and answers the stored body with its X-Pagination header.
        The key is the caller, the path, the query string and the quarter hour: every timezone's
        midnight falls on a quarter hour, so nothing that counts from "today" (default ranges,
        current streaks) is served from a day before. The entry also records the caller's unit
        system and timezone (the parts of the caller that shape a body) and counts as a miss once
        they differ. Anything but a 200 is not stored. RESPONSE_CACHE_SECONDS bounds how long an
        entry lives (0 turns the cache off).

        A trainer's entry is known from the token alone (its user is the trainer), so the token
        check fetches it in the same round trip (login_required passes it on); a client's waits
        for the check to name their trainer.

        `private=True` for a body holding fields encrypted in the database (private notes,
        health details): the entry is encrypted with the same keys, so the cache never holds
        them in the clear; one a retired key can no longer read counts as a miss.
        """

        def entry_parts(caller_id: int) -> tuple:
            query = tuple(sorted(request.args.items(multi=True)))
            return caller_id, request.path, query, int(time.time() // QUARTER_HOUR_SECONDS)

        def entry_for_token(claims: dict) -> Wanted | None:
            from fitbud.services import trainer_cache  # lazy: services import the extensions

            if claims.get("role") != Role.TRAINER.value or not current_app.config["RESPONSE_CACHE_SECONDS"]:
                return None
            trainer_id = int(claims["sub"])
            return trainer_cache.wanted(trainer_id, name, *entry_parts(trainer_id))

        def decorator(view: Callable) -> Callable:
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                from fitbud.services import accounts, auth_cache, trainer_cache  # lazy, as above
                from fitbud.services.versioned_cache import lookup_together

                timeout = current_app.config["RESPONSE_CACHE_SECONDS"]
                if not timeout:
                    return view(*args, **kwargs)
                caller = current_user
                trainer_id = caller.id if caller.role is Role.TRAINER else accounts.coach_id_of_caller()
                if trainer_id is None:
                    return view(*args, **kwargs)
                wanted = trainer_cache.wanted(trainer_id, name, *entry_parts(caller.id))
                found = auth_cache.fetched_alongside(wanted) or lookup_together(wanted)[0]
                body = _readable_body(found.value, private, caller.unit_system, caller.timezone)
                if body is not None:
                    return current_app.response_class(body, headers=found.value[1], mimetype="application/json")
                response = current_app.make_response(view(*args, **kwargs))
                if response.status_code == 200 and response.mimetype == "application/json":
                    kept = {header: response.headers[header] for header in CACHED_HEADERS if header in response.headers}
                    body = keyring().encrypt(response.get_data()) if private else response.get_data()
                    trainer_cache.store(found, (body, kept, caller.unit_system, caller.timezone), timeout)
                return response

            wrapper.fitbud_entry_for_token = entry_for_token
            return wrapper

        return decorator

    def idempotent(self, view: Callable) -> Callable:
        """Honour an Idempotency-Key header: a retry returns the first response, stores nothing.

        Place it below login_required and above arguments/response. The same key with a
        different body is a 409.
        """

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            from fitbud.services import idempotency  # lazy: services import the extensions

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

        from fitbud.services.idempotency import MAX_KEY_LENGTH

        # Beside the arguments' parameters, not through doc(parameters=...): that list would
        # replace theirs in the document (a query argument went missing that way).
        wrapper._apidoc = copy.deepcopy(getattr(wrapper, "_apidoc", {}))
        wrapper._apidoc.setdefault("arguments", {}).setdefault("parameters", []).append(
            {
                "in": "header",
                "name": IDEMPOTENCY_HEADER,
                "required": False,
                "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
                "description": "Retries with the same key return the first response.",
            }
        )
        return self.alt_response(409, response="CONFLICT")(wrapper)

"""Domain errors and the handlers that turn every failure into Fitbud's one JSON error envelope."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from flask import Flask, current_app, g, has_request_context, jsonify, request
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from fitbud.extensions import db

logger = logging.getLogger("fitbud.errors")


class DomainError(Exception):
    """A rule of the domain was broken; services raise these, never HTTP errors."""

    status_code = HTTPStatus.BAD_REQUEST

    def __init__(
        self,
        message: str,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}
        # Machine-readable extras that are not field errors (the sessions a booking overlaps).
        self.details = details


class BadRequestError(DomainError):
    """The request itself is malformed, such as a body that is not JSON (400)."""

    status_code = HTTPStatus.BAD_REQUEST


class InvalidInputError(DomainError):
    """Input was well-formed but breaks a rule (422)."""

    status_code = HTTPStatus.UNPROCESSABLE_ENTITY


class AuthenticationError(DomainError):
    """Credentials or tokens are missing or wrong (401)."""

    status_code = HTTPStatus.UNAUTHORIZED


class PermissionDeniedError(DomainError):
    """The caller is known but may not do this (403)."""

    status_code = HTTPStatus.FORBIDDEN


class NotFoundError(DomainError):
    """The object does not exist, or is not the caller's to see (404, to leak nothing)."""

    status_code = HTTPStatus.NOT_FOUND


class ConflictError(DomainError):
    """The request conflicts with the current state (409)."""

    status_code = HTTPStatus.CONFLICT


class GoneError(DomainError):
    """The thing existed but can no longer be used, such as an expired invitation (410)."""

    status_code = HTTPStatus.GONE


class TooManyRequestsError(DomainError):
    """A limit or quota is spent; the caller may retry after `retry_after` seconds (429)."""

    status_code = HTTPStatus.TOO_MANY_REQUESTS

    def __init__(self, message: str, retry_after: int, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message, errors, headers={"Retry-After": str(max(1, int(retry_after)))})
        self.retry_after = max(1, int(retry_after))


class ServiceUnavailableError(DomainError):
    """A dependency or feature is not available right now (503)."""

    status_code = HTTPStatus.SERVICE_UNAVAILABLE


# webargs files a field's error under the part of the request it came from; the envelope does not.
REQUEST_LOCATIONS = frozenset(
    {"json", "query", "querystring", "form", "files", "headers", "cookies", "view_args", "path", "json_or_form"}
)
# The key of an error about the input as a whole rather than one field (marshmallow's own name).
WHOLE_INPUT = "_schema"


def field_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Any nesting of field messages as the envelope's one layout: {"dotted.field.path": ["message", ...]}.

    marshmallow nests by field and list index ({"items": {1: {"reps": [...]}}}); that becomes
    {"items.1.reps": [...]}. An error about the input as a whole stays under `_schema` at the top,
    and at a nested level belongs to the field holding it. Keys that are already dotted pass through.
    """
    if isinstance(messages, str):
        return {prefix or WHOLE_INPUT: [messages]}
    if isinstance(messages, list | tuple):
        flat: dict[str, list[str]] = {}
        for item in messages:
            for path, texts in field_errors(item, prefix).items():
                flat.setdefault(path, []).extend(texts)
        return flat
    if not isinstance(messages, dict):
        return {prefix or WHOLE_INPUT: [str(messages)]}
    flat = {}
    for key, value in messages.items():
        nested = f"{prefix}.{key}" if prefix else str(key)
        path = (prefix or WHOLE_INPUT) if key == WHOLE_INPUT else nested
        for sub_path, texts in field_errors(value, path).items():
            flat.setdefault(sub_path, []).extend(texts)
    return flat


def _without_locations(messages: Any) -> Any:
    """webargs' {"json": {...}, "query": {...}} merged into one mapping of fields (locations dropped)."""
    if not isinstance(messages, dict) or not messages or not set(messages) <= REQUEST_LOCATIONS:
        return messages
    merged: dict[str, list[str]] = {}
    for per_location in messages.values():
        for path, texts in field_errors(per_location).items():
            merged.setdefault(path, []).extend(texts)
    return merged


def current_request_id() -> str | None:
    """The id this request's log lines and X-Request-ID carry (fitbud.logging), minted if not yet set."""
    if not has_request_context():
        return None
    if not g.get("request_id"):
        g.request_id = uuid.uuid4().hex  # an error before the request-id hook ran: header and body still agree
    return g.request_id


def error_body(
    code: int,
    message: str | None = None,
    errors: Any = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The one error envelope: {code, status, message, errors, request_id} (+ details when given).

    `errors` is always {"field.path": ["message", ...]}: whatever nesting the caller passes is
    flattened here, the one place the layout is decided (README, "Errors").
    """
    status = HTTPStatus(code)
    body: dict[str, Any] = {
        "code": code,
        "status": status.phrase,
        "message": message or status.description or status.phrase,
        "errors": field_errors(errors) if errors else {},
        "request_id": current_request_id(),
    }
    if details:
        body["details"] = details
    return body


def _discard_unfinished_work() -> None:
    """Roll back the request's transaction so a failed request leaves nothing half-done behind."""
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be what failed; the response matters more
        logger.warning("rollback after an error failed", exc_info=True)


# A browser-facing part of the app (the client app) may render errors of the pages it does not
# own as HTML; it registers a renderer here, so this module never imports it.
PAGE_RENDERER_KEY = "fitbud.error_page"
PageRenderer = Callable[[int, str], Any]


def set_page_renderer(app: Flask, renderer: PageRenderer, page_prefixes: tuple[str, ...] = ()) -> None:
    """Render errors of browser requests with `renderer(status, message)` instead of the envelope.

    Under `page_prefixes` every error is a page; elsewhere outside /api/ only when the request
    asks for HTML before JSON, as a browser's navigation does (probes, scripts and Dash's
    callbacks keep the envelope).
    """
    app.extensions[PAGE_RENDERER_KEY] = (renderer, page_prefixes)


def _page_renderer() -> PageRenderer | None:
    """The HTML renderer when this request is a browser's page request, else None (JSON envelope)."""
    if not has_request_context() or request.path.startswith("/api/"):
        return None
    registered = current_app.extensions.get(PAGE_RENDERER_KEY)
    if registered is None:
        return None
    renderer, page_prefixes = registered
    if request.path.startswith(page_prefixes):
        return renderer
    accept = request.accept_mimetypes
    if accept and accept.best_match(["application/json", "text/html"]) == "text/html":
        return renderer
    return None


def _as_page(status: int, message: str, headers: Any = None):
    renderer = _page_renderer()
    if renderer is None:
        return None
    response = renderer(status, message)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _handle_domain_error(error: DomainError):
    _discard_unfinished_work()
    page = _as_page(int(error.status_code), error.message, error.headers)
    if page is not None:
        return page
    response = jsonify(error_body(int(error.status_code), error.message, error.errors, error.details))
    response.status_code = int(error.status_code)
    response.headers.update(error.headers)
    return response


def _handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = _without_locations(data.get("errors") or data.get("messages") or {})
    message = data.get("message") or error.description
    code = error.code or 500
    original = error.get_response()
    kept = {name: original.headers[name] for name in ("Allow", "Retry-After") if name in original.headers}
    page = _as_page(code, HTTPStatus(code).phrase if code >= 500 else message, kept)
    if page is not None:
        return page
    response = jsonify(error_body(code, message, errors))
    response.status_code = code
    # Keep headers the exception carries (Allow on 405, Retry-After on 429).
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if name in original.headers:
            response.headers[name] = original.headers[name]
    response.headers.update(data.get("headers") or {})
    return response


def is_outage(error: BaseException) -> bool:
    """Whether `error` says a dependency is unreachable (database, Redis), not that the code is wrong."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeoutError | RedisError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _outage_response(error: Exception):
    """503 with Retry-After: the database (or Redis) did not answer; the request may be retried."""
    logger.warning("dependency unavailable: %s", type(error).__name__, exc_info=error)
    _discard_unfinished_work()
    which = "job queue" if isinstance(error, RedisError) else "database"
    message = f"The {which} is unavailable right now; try again shortly."
    headers = {"Retry-After": str(current_app.config.get("OUTAGE_RETRY_AFTER", 5))}
    page = _as_page(503, message, headers)
    if page is not None:
        return page
    response = jsonify(error_body(503, message))
    response.status_code = 503
    response.headers.update(headers)
    return response


def _handle_unexpected(error: Exception):
    if is_outage(error):
        return _outage_response(error)
    # The traceback goes to the log (with the request id); the client only gets the envelope.
    logger.exception("unhandled error", exc_info=error)
    _discard_unfinished_work()
    message = "An unexpected error occurred; it has been logged."
    page = _as_page(500, message)
    if page is not None:
        return page
    response = jsonify(error_body(500, message))
    response.status_code = 500
    return response


def register_error_handlers(app: Flask) -> None:
    """Route every error, expected or not, through the envelope; tracebacks only reach the log."""
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)

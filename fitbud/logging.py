"""One JSON object a log line, each stamped with the request id; and the X-Request-ID header."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_logger = logging.getLogger("fitbud.access")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record emitted while a request is being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


def json_formatter() -> JsonFormatter:
    """One JSON object a line, with every `extra` field of the record (production's format)."""
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )


def configure_logging(app: Flask) -> None:
    """Route the app's logs through one handler: JSON lines in production, text in tests."""
    handler = logging.StreamHandler()
    if app.config.get("LOG_JSON", True):
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.addFilter(RequestIdFilter())
    fitbud_logger = logging.getLogger("fitbud")
    # Replace, not add: create_app() may run many times in one process (tests, workers).
    fitbud_logger.handlers = [handler]
    fitbud_logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    fitbud_logger.propagate = False
    waived = app.config.get("ALLOW_UNSAFE_PRODUCTION")
    if waived:
        # Deliberate, but never silent: every start says which production checks are off.
        fitbud_logger.warning("production checks waived by ALLOW_UNSAFE_PRODUCTION: %s", ", ".join(waived))


def loggable_path() -> str:
    """The request's path with every capability token in it replaced by `[token]`.

    A URL argument whose name contains "token" (the calendar feed's `<feed_token>.ics`, the
    invitation's `/invite/<token>`) is a secret that grants access by itself: it never reaches
    the logs. The query string is never logged at all.
    """
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and isinstance(value, str) and value:
            path = path.replace(value, "[token]")
    return path


def init_request_id(app: Flask) -> None:
    """Take the caller's X-Request-ID when sane, else mint one; echo it and log the request."""

    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _echo_request_id(response):
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
        access_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": loggable_path(),
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response

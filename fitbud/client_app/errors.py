"""HTML error pages for browser paths (everything outside /api/, which keeps the JSON envelope)."""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, Response, make_response, render_template
from markupsafe import escape

from fitbud.errors import set_page_renderer

logger = logging.getLogger("fitbud.client_app")

TITLES = {
    400: "That did not work",
    401: "Please log in",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    409: "That clashes with something",
    410: "No longer available",
    413: "Too large",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Not available right now",
}


def error_page(status: int, message: str) -> Response:
    """The error page: a title for the status, the reason, and a way back."""
    title = TITLES.get(status) or HTTPStatus(status).phrase
    if status == 404 and message.startswith("The requested URL was not found"):
        message = "There is nothing at this address. It may have moved, or the link may be mistyped."
    try:
        body = render_template("client_app/error.html", status=status, title=title, message=message)
    except Exception:  # noqa: BLE001 - the page must not fail while reporting a failure
        logger.exception("rendering the error page failed")
        body = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>"
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


# The client app's own paths: always pages, whatever the request accepts.
PAGE_PREFIXES = ("/app/", "/invite/", "/billing")


def init_error_pages(app: Flask) -> None:
    """Make the app-wide error handlers answer browser requests with these pages."""
    set_page_renderer(app, error_page, PAGE_PREFIXES)

"""Fitbud's flask-smorest Api: the Bearer scheme, one error envelope, a documented 429 and X-Pagination."""

from __future__ import annotations

from http import HTTPStatus

import flask_smorest
import marshmallow as ma

# The minor version whose private hooks (_register_error_handlers, _register_responses,
# _register_pagination_header) the Api below overrides; tests/api/test_smorest_overrides.py
# fails when the installed version or those hooks differ.
TESTED_FLASK_SMOREST = "0.47"

# Python 3.13 renamed some HTTPStatus members; smorest names its response components after them.
PAYLOAD_TOO_LARGE = HTTPStatus(413).name
TOO_MANY_REQUESTS = HTTPStatus(429).name


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

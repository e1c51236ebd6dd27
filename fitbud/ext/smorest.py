"""Fitbud's flask-smorest Api: the Bearer scheme, one error envelope, a documented 429 and X-Pagination."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

import flask_smorest
import marshmallow as ma
from apispec import BasePlugin

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


# Path words that name an action done to the resource before them (POST /plans/{plan_id}/duplicate).
ACTION_WORDS = frozenset(
    {"accept", "cancel", "decline", "download", "duplicate", "end", "generate", "import", "reply", "rotate"}
)
# Path words whose singular is themselves, or not their name without the last "s".
UNCOUNTED_WORDS = frozenset({"availability", "billing", "progress", "records", "series", "status", "streaks"})
IRREGULAR_SINGULARS = {"days-off": "day_off", "working-hours": "working_hours"}
METHOD_VERBS = {"get": "get", "post": "create", "put": "replace", "patch": "update", "delete": "delete"}


def _singular(word: str) -> str:
    if word in IRREGULAR_SINGULARS:
        return IRREGULAR_SINGULARS[word]
    if word in UNCOUNTED_WORDS or not word.endswith("s"):
        return word.replace("-", "_")
    return word[:-1].replace("-", "_")


def derive_operation_id(path: str, method: str, prefix: str = "/api/v1") -> str:
    """The operationId a route gets from its path: list_clients, create_workout_log, end_client_assignment.

    A collection's GET lists it, a POST creates one of it; an item (a path ending in an id) is
    got, updated or deleted; a trailing action word names the verb. The caller's own resources
    (/me/..., /trainers/me/...) drop the `me`, so names read as the caller would say them.
    """
    words = path.removeprefix(prefix).strip("/").split("/")
    if words[:1] == ["me"]:
        words = words[1:]
    elif words[:2] == ["trainers", "me"]:
        words = words[2:]
    nouns: list[str] = []
    ends_in_id = False
    for word in words:
        ends_in_id = word.startswith("{")
        if not ends_in_id:
            nouns.append(word)
    last, context = nouns[-1], [_singular(noun) for noun in nouns[:-1]]
    if last in ACTION_WORDS:
        return "_".join([last, *context])
    if ends_in_id:
        return "_".join([METHOD_VERBS[method], *context, _singular(last)])
    is_collection = _singular(last) != last.replace("-", "_")
    if method == "get":
        return "_".join(["list" if is_collection else "get", *context, last.replace("-", "_")])
    return "_".join([METHOD_VERBS[method], *context, _singular(last)])


class OperationIdPlugin(BasePlugin):
    """Gives every operation its operationId: an explicit one, else one derived from its path.

    Generated SDKs name their functions after it, so it must be stable and unique
    (tests/api/test_openapi_operations.py checks both).
    """

    def __init__(self) -> None:
        # "METHOD /path" -> operationId, where the derived name would be unclear or taken.
        self.overrides: dict[str, str] = {}

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if "operationId" not in operation:
                operation["operationId"] = self.overrides.get(f"{method.upper()} {path}") or derive_operation_id(
                    path, method
                )


class Api(flask_smorest.Api):
    """The API object; declares the Bearer scheme so Swagger UI can send tokens."""

    def __init__(self, *args, **kwargs):
        self.operation_ids = OperationIdPlugin()
        super().__init__(*args, **kwargs)

    def name_operations(self, overrides: Mapping[str, str]) -> None:
        """Set operationIds ("METHOD /path" -> name) that deriving from the path would get wrong."""
        self.operation_ids.overrides.update(overrides)

    def init_app(self, app, *, spec_kwargs=None):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), self.operation_ids]
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})

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

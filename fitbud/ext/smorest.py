"""Fitbud's flask-smorest Api: the Bearer scheme, one error envelope, a documented 429 and X-Pagination."""

from __future__ import annotations

import re
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


class SharedEnumPlugin(BasePlugin):
    """Declares each named set of values once, as a components schema, and refers to it everywhere.

    Without it every property and parameter carries its own inline enum, and an SDK generator
    makes one class per place (86 classes for 21 sets of values). A property's enum whose values
    (null aside) are exactly a named set becomes a reference to that set.
    """

    def __init__(self) -> None:
        self.names: dict[frozenset[str], tuple[str, list[str]]] = {}

    def init_spec(self, spec):
        # Each app builds its document when it starts, so the latest spec is the one being built.
        super().init_spec(spec)
        self.spec = spec

    def name(self, name: str, values: list[str]) -> None:
        self.names[frozenset(values)] = (name, list(values))

    def schema_helper(self, name, definition, **kwargs):
        if "enum" not in definition:  # an enum component itself is left as it is
            self._refer_in(definition)

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and "schema" in parameter:
                    parameter["schema"] = self._referred(parameter["schema"])

    def _refer_in(self, schema: dict) -> None:
        for key in ("properties",):
            for prop, definition in list(schema.get(key, {}).items()):
                schema[key][prop] = self._referred(definition)

    def _referred(self, definition: dict) -> dict:
        if not isinstance(definition, dict):
            return definition
        if isinstance(definition.get("items"), dict):
            definition = {**definition, "items": self._referred(definition["items"])}
        if isinstance(definition.get("additionalProperties"), dict):
            definition = {**definition, "additionalProperties": self._referred(definition["additionalProperties"])}
        if "enum" not in definition:
            return definition
        values = [value for value in definition["enum"] if value is not None]
        named = self.names.get(frozenset(values))
        if named is None:
            return definition
        name, ordered = named
        if name not in self.spec.components.schemas:
            self.spec.components.schema(name, {"type": "string", "enum": ordered})
        ref = {"$ref": f"#/components/schemas/{name}"}
        rest = {key: value for key, value in definition.items() if key not in ("enum", "type")}
        if None in definition["enum"]:
            rest["nullable"] = True
        # OpenAPI 3.0 ignores the siblings of a $ref; beside an allOf they hold.
        return {"allOf": [ref], **rest} if rest else ref


# A path id with no such row is a 404: as is one too large for the database (the router's int converter).
INTEGER_PATH_ARGUMENT = re.compile(r"<int:\w+>")


class IdNotFoundPlugin(BasePlugin):
    """Documents the 404 of every operation whose path names an object by its integer id."""

    def operation_helper(self, path=None, operations=None, rule=None, **kwargs):
        if rule is None or not INTEGER_PATH_ARGUMENT.search(rule.rule):
            return
        for operation in (operations or {}).values():
            operation.setdefault("responses", {}).setdefault("404", HTTPStatus(404).name)


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {"description": "Requests allowed in the window.", "schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"description": "Requests left in the window.", "schema": {"type": "integer"}},
    "X-RateLimit-Reset": {
        "description": "When the window starts again (Unix time, seconds).",
        "schema": {"type": "integer"},
    },
}


class ErrorSchema(ma.Schema):
    """Fitbud's one error envelope (fitbud.errors.error_body builds it): every 4xx and 5xx answer."""

    code = ma.fields.Int(required=True, metadata={"description": "The HTTP status, repeated.", "example": 422})
    status = ma.fields.String(
        required=True, metadata={"description": "Its reason phrase.", "example": "Unprocessable Entity"}
    )
    message = ma.fields.String(
        required=True,
        metadata={"description": "One sentence for people; never empty.", "example": "Name the client."},
    )
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        required=True,
        metadata={
            "description": "What was wrong with which field: a dotted path of the field as sent "
            "(`items.0.sets`; a query parameter, path parameter or header by its name; `_schema` for "
            "the body as a whole) to its messages. `{}` when no field is to blame.",
            "example": {"client_id": ["Missing data for required field."]},
        },
    )
    request_id = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The X-Request-ID of this answer, to quote when asking for help."},
    )
    details = ma.fields.Dict(
        metadata={
            "description": "Only where an operation says so: machine-readable facts that are not field "
            "errors (a session overlap's 409 lists the overlapping sessions as `conflicts`)."
        }
    )


# Answers any operation can give before its view runs: a URL over the length limit (414), and an
# unknown, malformed or out-of-range query parameter (422; fitbud/api/input_guard.py, query_params.py).
EVERY_OPERATION_STATUSES = {"414": HTTPStatus(414).name, "422": HTTPStatus(422).name}


class GuardStatusesPlugin(BasePlugin):
    """Documents the statuses the request guard may answer for any operation."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            for status, response in EVERY_OPERATION_STATUSES.items():
                responses.setdefault(status, response)


class SchemaExamplesPlugin(BasePlugin):
    """Attaches an example to the components schemas named in `examples` (name -> example)."""

    def __init__(self) -> None:
        self.examples: dict[str, object] = {}
        # Answers whose every (readable) property is always sent: all are marked required.
        self.complete: set[str] = set()
        # Keywords the marshmallow schema cannot say (name -> {"minProperties": 1}, ...).
        self.rules: dict[str, dict[str, object]] = {}

    def schema_helper(self, name, definition, **kwargs):
        if name in self.examples:
            definition["example"] = self.examples[name]
        definition.update(self.rules.get(name, {}))
        if name in self.complete:
            readable = [prop for prop, spec in definition.get("properties", {}).items() if not spec.get("writeOnly")]
            definition["required"] = sorted(set(definition.get("required", [])) | set(readable))


class Api(flask_smorest.Api):
    """The API object; declares the Bearer scheme so Swagger UI can send tokens."""

    ERROR_SCHEMA = ErrorSchema

    # No catch-all `default` response: every operation lists each status it can answer.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, *args, **kwargs):
        self.operation_ids = OperationIdPlugin()
        self.shared_enums = SharedEnumPlugin()
        self.id_not_found = IdNotFoundPlugin()
        self.guard_statuses = GuardStatusesPlugin()
        self.schema_examples = SchemaExamplesPlugin()
        super().__init__(*args, **kwargs)

    def name_enums(self, enums: Mapping[str, list[str]]) -> None:
        """Declare these sets of values (name -> values) once each, as components schemas."""
        for name, values in enums.items():
            self.shared_enums.name(name, values)

    def give_examples(
        self,
        examples: Mapping[str, object],
        complete: frozenset[str] = frozenset(),
        rules: Mapping[str, dict[str, object]] | None = None,
    ) -> None:
        """Show these examples (components schema name -> example) in the document, mark every
        field of the `complete` answers required, and add the JSON-schema `rules` per schema."""
        self.schema_examples.examples.update(examples)
        self.schema_examples.complete.update(complete)
        self.schema_examples.rules.update(rules or {})

    def name_operations(self, overrides: Mapping[str, str]) -> None:
        """Set operationIds ("METHOD /path" -> name) that deriving from the path would get wrong."""
        self.operation_ids.overrides.update(overrides)

    def init_app(self, app, *, spec_kwargs=None):
        spec_kwargs = dict(spec_kwargs or {})
        plugins = (self.operation_ids, self.shared_enums, self.id_not_found, self.guard_statuses, self.schema_examples)
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), *plugins]
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
                "description": "Too many attempts; wait the number of seconds in Retry-After. Only this "
                "answer carries Retry-After; the X-RateLimit headers come with every answer of a "
                "rate-limited operation.",
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "schema": {"type": "integer"},
                    },
                    **RATE_LIMIT_HEADERS,
                },
                "content": {"application/json": {"schema": self.ERROR_SCHEMA}},
            },
            lazy=True,
        )

    def _register_pagination_header(self):
        self.spec.components.header(
            "PAGINATION",
            {
                "description": "Pagination metadata, a JSON object: total, total_pages, page, page_size, "
                "and first_page, last_page, previous_page, next_page when there are any.",
                # As content, not schema: the header's value is JSON, which a schema of type
                # object would not say (tools would expect style=simple "k,v,k,v").
                "content": {"application/json": {"schema": PaginationMetadataSchema}},
            },
            lazy=True,
        )

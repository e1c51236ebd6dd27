"""Unknown query parameters are a 422 on every API endpoint alike.

webargs reads a query string with unknown=EXCLUDE (an endpoint's arguments and its pagination are
separate schemas reading the same string), so `?pagesize=50` was silently ignored on most lists
while endpoints without pagination refused it. This check gathers what each endpoint declares
(the fields of its query arguments and, when it is paginated, page and page_size) and refuses
anything else before the view runs. The list is public (the OpenAPI document), so refusing it
ahead of the token check tells nothing. Routes outside the API (Dash, health) are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, current_app, request

from fitbud.errors import InvalidInputError

_EXTENSION_KEY = "fitbud.declared_query_names"


def _query_parameters(apidoc: dict[str, Any]) -> Iterator[Any]:
    for parameter in apidoc.get("arguments", {}).get("parameters", []):
        # A name is a reference to a components parameter (the Idempotency-Key header).
        if isinstance(parameter, dict) and parameter.get("in") == "query":
            yield parameter["schema"]
    if "pagination" in apidoc:
        yield apidoc["pagination"]["parameters"]["schema"]


def _declared_names(view: Callable) -> frozenset[str] | None:
    """The query parameters `view` accepts, or None for a view that is not an API operation."""
    apidoc = getattr(view, "_apidoc", None)
    if apidoc is None:
        return None
    names: set[str] = set()
    for schema in _query_parameters(apidoc):
        schema = schema() if isinstance(schema, type) else schema
        names.update(field.data_key or name for name, field in schema.fields.items() if not field.dump_only)
    return frozenset(names)


def operation_of(endpoint: str, method: str) -> Callable | None:
    """The view function that answers `method` on `endpoint` (a MethodView's method, or the view)."""
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    handler = getattr(view_class, method.lower(), None)
    if handler is None and method == "HEAD":
        handler = getattr(view_class, "get", None)
    return handler


def refuse_unknown_query_parameters() -> None:
    """A before-request hook: 422 naming each query parameter the endpoint does not declare."""
    if not request.args or request.endpoint is None:
        return
    known = current_app.extensions.setdefault(_EXTENSION_KEY, {})
    key = (request.endpoint, request.method)
    if key not in known:
        operation = operation_of(*key)
        known[key] = _declared_names(operation) if operation is not None else None
    declared = known[key]
    if declared is None:
        return
    unknown = sorted(set(request.args) - declared)
    if unknown:
        raise InvalidInputError(
            "Unknown query parameter: " + ", ".join(unknown) + ".",
            errors={name: ["Unknown field."] for name in unknown},
        )


def init_app(app: Flask) -> None:
    app.before_request(refuse_unknown_query_parameters)

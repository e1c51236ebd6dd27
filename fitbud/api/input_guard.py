"""Bad input is a 4xx before any view runs: one guard for every operation, never a per-route patch.

A fuzzing run found the same few classes of input crashing views all over the API (issue 20):
ids beyond what the database's integer columns hold, NUL characters and lone surrogates that
PostgreSQL refuses to store, JSON nested deep enough to exhaust the parser's recursion, dates at
the ends of the calendar that overflow date arithmetic, and bodies that are not JSON at all.
Each is refused here, in the same envelope and with the field's dotted path, so no view (and no
service) has to think about them:

- the request as text (a before-request hook, for every route, the API's and the dashboards'):
  a URL over MAX_URL_LENGTH is a 414; a NUL or a lone surrogate in a path parameter, a query
  parameter or a form field is a 422; a JSON body is parsed once here, bounded: not JSON is a
  400, nested over MAX_JSON_DEPTH levels is a 400, a bad string anywhere in it is a 422;
  a body that is not JSON sent to an operation that takes JSON is a 415;
- the values webargs loaded (CheckedParser, the parser of every smorest argument and of the
  pagination parameters): an integer outside the 32-bit range of the database's integer columns,
  a non-finite number, a date or timestamp outside MIN_YEAR..MAX_YEAR is a 422;
- ids in paths (BoundedIntegerConverter replaces Flask's `int`): /clients/2147483648 matches no
  route, so it is a 404 like any id that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import marshmallow as ma
from flask import Flask, request
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import RequestURITooLarge, UnsupportedMediaType
from werkzeug.routing import IntegerConverter, Map

from fitbud.api.query_params import operation_of
from fitbud.errors import BadRequestError, InvalidInputError
from fitbud.services.inputs import INT_MAX, TEXT_MESSAGE, out_of_range, unstorable_text

# Deep enough for any body the API or Dash takes (a plan's content is 7 levels), far below
# Python's recursion limit, which every later parse of the same body (webargs, Dash) then stays under.
MAX_JSON_DEPTH = 64
# Below gunicorn's limit_request_line (gunicorn.conf.py), so the app answers an over-long URL in
# the envelope before gunicorn would answer it in HTML.
MAX_URL_LENGTH = 8000


class BoundedIntegerConverter(IntegerConverter):
    """Flask's `<int:...>` limited to what an INTEGER column holds: a larger id matches no route (404)."""

    def __init__(
        self, url_map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(url_map, fixed_digits, min, INT_MAX if max is None else max, signed)


def _shown(name: str) -> str:
    """A parameter name fit for the errors' keys (a bad name itself is shown escaped)."""
    return name.encode("unicode_escape", "backslashreplace").decode("ascii") if unstorable_text(name) else name


def _refuse_unstorable(pairs: Iterator[tuple[str, Any]], where: str) -> None:
    errors = {_shown(name): [TEXT_MESSAGE] for name, value in pairs if unstorable_text(name) or unstorable_text(value)}
    if errors:
        raise InvalidInputError(f"A {where} contains characters that cannot be stored.", errors=errors)


def _check_url() -> None:
    length = len(request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path)
    if length > MAX_URL_LENGTH:
        raise RequestURITooLarge(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    _refuse_unstorable(iter((request.view_args or {}).items()), "path parameter")
    _refuse_unstorable(((name, value) for name, values in request.args.lists() for value in values), "query parameter")


def _body_locations() -> set[str] | None:
    """Where the operation answering this request reads its body (`json`, `form`, `files`), or None
    for a route that is not an API operation (Dash, the client app), whose body is checked whole."""
    if request.endpoint is None:
        return set()
    view = operation_of(request.endpoint, request.method)
    apidoc = getattr(view, "_apidoc", None)
    if apidoc is None:
        return None
    parameters = apidoc.get("arguments", {}).get("parameters", [])
    # Besides the arguments' dicts, smorest lists shared parameters by name (the Idempotency-Key).
    return {parameter.get("in") for parameter in parameters if isinstance(parameter, dict)}


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _walk(document: Any) -> Iterator[tuple[str, Any, int]]:
    """(dotted path, value, depth) of every value and key in a parsed JSON document, without recursion."""
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                yield child, key, depth + 1
                stack.append((child, item, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((f"{path}.{index}" if path else str(index), item, depth + 1))


def _check_json_body() -> None:
    raw = request.get_data(cache=True)  # werkzeug answers 413 past MAX_CONTENT_LENGTH
    if not raw.strip():
        return
    try:
        document = json.loads(raw, parse_constant=_no_constants)
    except RecursionError:
        raise BadRequestError(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.") from None
    except ValueError as error:  # JSONDecodeError, bad UTF-8, NaN, an integer of thousands of digits
        raise BadRequestError(f"The body is not valid JSON: {error}.") from None
    errors: dict[str, list[str]] = {}
    for path, value, depth in _walk(document):
        if depth > MAX_JSON_DEPTH:
            raise BadRequestError(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.")
        if unstorable_text(value):
            errors[_shown(path) or "_schema"] = [TEXT_MESSAGE]
    if errors:
        raise InvalidInputError("The body contains characters that cannot be stored.", errors=errors)


def guard_request() -> None:
    """A before-request hook: refuse, in the envelope, what no view should ever see (module docstring).

    An API operation's body is checked only as far as the operation reads it, so an operation
    answers no status its document does not list; other routes' bodies are checked whole.
    """
    _check_url()
    reads = _body_locations()
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and (
        reads is None or reads & {"form", "files"}
    ):
        _refuse_unstorable(((name, value) for name, values in request.form.lists() for value in values), "form field")
    takes_json = reads is not None and "json" in reads
    # An empty body is no body, whatever its Content-Type (curl -d '' sends a form type).
    if takes_json and not request.is_json and _has_body():
        raise UnsupportedMediaType(
            f"This operation reads a JSON body: send it with Content-Type: application/json (not {request.mimetype!r})."
        )
    if request.is_json and _has_body() and (reads is None or takes_json):
        _check_json_body()


class CheckedParser(FlaskParser):
    """webargs' Flask parser that also refuses loaded values out of range (see the module docstring)."""

    def parse(self, argmap, req=None, **kwargs):  # type: ignore[no-untyped-def]
        """webargs' parse, then the range check over everything it loaded."""
        loaded = super().parse(argmap, req, **kwargs)
        schema = argmap() if isinstance(argmap, type) and issubclass(argmap, ma.Schema) else argmap
        fields = schema.fields if isinstance(schema, ma.Schema) else {}
        names = {name: field.data_key or name for name, field in fields.items()}
        errors = out_of_range(loaded, names)
        if errors:
            raise InvalidInputError("A value is out of the range Fitbud accepts.", errors=errors)
        return loaded


def init_app(app: Flask) -> None:
    """Install the guard ahead of every other input check of the app (query names, auth, views)."""
    app.before_request(guard_request)


def bound_path_integers(app: Flask) -> None:
    """Make `<int:...>` bounded; call before any route is added (rules compile their converters then)."""
    app.url_map.converters["int"] = BoundedIntegerConverter

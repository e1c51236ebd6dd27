"""Helpers for tests: auth headers, the error envelope, service availability, SQL statement counting."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import event

from fitbud.extensions import db
from fitbud.services.accounts import start_session

DEFAULT_PASSWORD = "correct-horse-battery"


def bearer(user) -> dict[str, str]:
    """Authorization headers with a fresh access token for `user` (a real login session)."""
    return {"Authorization": f"Bearer {start_session(user).access_token}"}


# The parts of a request webargs files errors under; the envelope's field paths never start with one.
_LOCATIONS = frozenset({"json", "query", "querystring", "form", "files", "headers", "cookies", "path", "view_args"})


def _named(field: str, path: str) -> bool:
    """Whether `path` (a key of the envelope's `errors`) is `field` or lies under it."""
    return path == field or path.startswith(f"{field}.")


ENVELOPE_KEYS = frozenset({"code", "status", "message", "errors", "request_id"})


def assert_envelope(response, status: int | None = None) -> dict[str, Any]:
    """Assert `response` is the one error envelope (README, "Errors"), with `status` when given; returns it.

    {code, status, message, errors, request_id} and, only where an error carries extras, `details`;
    `errors` maps dotted field paths to lists of strings, with no request location level.
    """
    text = response.get_data(as_text=True)
    if status is not None:
        assert response.status_code == status, f"expected {status}, got {response.status_code}: {text}"
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and ENVELOPE_KEYS <= set(body) <= ENVELOPE_KEYS | {"details"}, (
        f"not the envelope: {text}"
    )
    assert body["code"] == response.status_code and body["status"] == HTTPStatus(body["code"]).phrase, body
    assert isinstance(body["message"], str) and body["message"], body
    assert body["request_id"] == response.headers.get("X-Request-ID"), body
    assert isinstance(body["errors"], dict), body
    for path, messages in body["errors"].items():
        assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages), body
        assert path.partition(".")[0] not in _LOCATIONS, f"{path!r} names the request location: {body}"
    assert isinstance(body.get("details", {}), dict), body
    return body


def alike(body: dict[str, Any]) -> dict[str, Any]:
    """An envelope without its request_id, to compare two answers that must tell nothing apart."""
    return {key: value for key, value in body.items() if key != "request_id"}


def assert_error(
    response, status: int, field: str | tuple[str, ...] | None = None, *, message: str | None = None
) -> dict[str, Any]:
    """Assert `response` is the one error envelope with `status`, failing for the reason named; returns the body.

    `field` is a dotted field path, a key of the envelope's `errors` ("exercises.0.sets") or a parent
    of one ("exercises"), or a tuple of them: each must have failed and nothing else may have, so
    the test fails for the one reason its name says. `message` is a piece of the envelope's message
    (case-insensitive), for errors that name no field (401, 404, 429, ...). Name at least one.
    """
    if field is None and message is None:
        raise TypeError("assert_error needs the field or the message that says why the request failed")
    body = assert_envelope(response, status)
    if message is not None:
        assert message.lower() in body["message"].lower(), f"message is not about {message!r}: {body}"
    if field is not None:
        fields = (field,) if isinstance(field, str) else tuple(field)
        paths = list(body["errors"])
        for name in fields:
            assert any(_named(name, path) for path in paths), f"{name!r} did not fail; errors: {body['errors']}"
        others = [path for path in paths if not any(_named(name, path) for name in fields)]
        assert not others, f"{others} failed besides {fields}: {body['errors']}"
    return body


def assert_page_error(
    response, status: int, field: str | tuple[str, ...] | None = None, *, text: str | None = None
) -> str:
    """Assert `response` is an HTML page answering `status` that shows why; returns the page's text.

    `field` names the form field (or a tuple of them) whose error the page shows beside it
    (`id="<field>-error"`, pointed at by the input's aria-describedby: the client app's and the
    sign-up form's markup); no other field may show one. `text` is a piece of the page that says
    the reason (a page-level message). Name at least one.
    """
    if field is None and text is None:
        raise TypeError("assert_page_error needs the field or the text that says why the request failed")
    html = response.get_data().decode("utf-8", errors="replace")  # a wrong answer may be a file
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {html[:2000]}"
    assert response.mimetype == "text/html", f"not an HTML page ({response.mimetype}): {html[:2000]}"
    if field is not None:
        fields = {field} if isinstance(field, str) else set(field)
        # A field's error is the element its input points at (aria-describedby); a page-level alert is not one.
        described = {ref for refs in re.findall(r'aria-describedby="([^"]*)"', html) for ref in refs.split()}
        shown = {name for name in re.findall(r'\bid="([^"]+)-error"', html) if f"{name}-error" in described}
        assert fields <= shown, f"no error is shown beside {sorted(fields - shown)}; errors shown: {sorted(shown)}"
        assert shown == fields, f"{sorted(shown - fields)} show errors besides {sorted(fields)}"
    if text is not None:
        assert text in html, f"the page does not say {text!r}: {html[:2000]}"
    return html


def require_service(name: str, url: str) -> None:
    """Skip when a service is unreachable; in CI (CI=true) fail instead, since nothing may skip."""
    parsed = urlparse(url)
    try:
        if name == "redis":
            from redis import Redis

            Redis.from_url(url, socket_connect_timeout=1).ping()
        else:
            import socket

            socket.create_connection((parsed.hostname, parsed.port), timeout=1).close()
    except Exception as error:
        message = f"{name} is not reachable at {parsed.hostname}:{parsed.port} ({error})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI must not skip service tests")
        pytest.skip(message)


def redis_namespace() -> str:
    """This test process's namespace for Redis keys (set by tests/conftest.py, read by TestingConfig)."""
    return os.environ["TEST_REDIS_NAMESPACE"]


def clear_redis_namespace(connection) -> None:
    """Delete every key this test process wrote to Redis: cache, rate limits, RQ queues and their jobs.

    Never FLUSHDB: another suite, or another xdist worker, may be using the same database.
    """
    namespace = redis_namespace()
    doomed = [*connection.scan_iter(f"{namespace}:*"), *connection.scan_iter(f"*LIMITER/{namespace}/*")]
    rq_keys = list(connection.scan_iter(f"rq:*:{namespace}:*"))
    job_ids: set[bytes] = set()
    for key in rq_keys:
        kind = connection.type(key)
        if kind == b"list":
            job_ids.update(connection.lrange(key, 0, -1))
        elif kind == b"zset":
            job_ids.update(member.split(b":")[0] for member in connection.zrange(key, 0, -1))
    doomed += rq_keys + [prefix + job_id for job_id in job_ids for prefix in (b"rq:job:", b"rq:results:")]
    # RQ lists every queue it has seen in rq:queues, even one whose (empty) list Redis dropped.
    queues = list(connection.sscan_iter("rq:queues", match=f"rq:queue:{namespace}:*"))
    if queues:
        connection.srem("rq:queues", *queues)
    for start in range(0, len(doomed), 500):
        connection.delete(*doomed[start:start + 500])


class StatementCounter:
    """Counts SQL statements sent to the database while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _record(self, _conn, _cursor, statement, _params, _context, _executemany) -> None:
        self.statements.append(statement)


@contextlib.contextmanager
def count_statements() -> Iterator[StatementCounter]:
    """`with count_statements() as counter:` ... `counter.count` statements were run."""
    counter = StatementCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter._record)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter._record)


def assert_same_statement_count(
    http,
    make_rows: Callable[[int], object],
    url: str,
    headers: dict[str, str],
    small: int = 5,
    large: int = 50,
    at_most: int = 4,
) -> int:
    """Assert that `url` issues the same number of SQL statements, at most `at_most`, at `small` and `large` rows.

    `make_rows(n)` adds `n` rows the list will show; it is called with `small`, then with `large - small`
    more. The URL must fit `large` rows on one page (e.g. `?page_size=50`): the point is to catch
    per-row queries (N+1), so every row has to be serialized. Auth's own statement counts.
    Returns the count so callers can assert more.
    """
    counts = []
    made = 0
    for added in (small, large - small):
        make_rows(added)
        made += added
        with count_statements() as counter:
            response = http.get(url, headers=headers)
        assert response.status_code == 200, f"GET {url} answered {response.status_code}: {response.get_data(True)}"
        body = response.get_json(silent=True)
        if isinstance(body, list):
            # Fewer items than rows made would hide per-row queries behind a short page.
            assert len(body) >= made, f"GET {url} listed {len(body)} items for {made} rows: widen its page_size"
        counts.append(counter.count)
        if len(counts) == 1:
            first_statements = list(counter.statements)
    small_count, large_count = counts
    assert small_count == large_count, (
        f"GET {url} ran {small_count} statements at {small} rows but {large_count} at {large} rows "
        f"(a query per row?); at {large} rows:\n" + "\n".join(counter.statements)
    )
    assert large_count <= at_most, (
        f"GET {url} ran {large_count} statements, more than {at_most}:\n" + "\n".join(first_statements)
    )
    return large_count


def mailed_link_token(to: str, path: str) -> str:
    """The token of the newest link under `path` ("/invite/", "/verify-email/") mailed to `to`.

    Reads the memory mail backend's outbox: the one place a link's token exists outside the
    person's mailbox.
    """
    from flask import current_app

    for mail in reversed(current_app.extensions["fitbud.mail"].outbox):
        if mail.to == to:
            found = re.search(re.escape(path) + r"([A-Za-z0-9_.\-]+)", mail.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no mail to {to} with a {path} link")

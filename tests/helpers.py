"""Helpers for tests: auth headers, service availability, SQL statement counting."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from sqlalchemy import event

from fitbud.extensions import db
from fitbud.services.accounts import start_session

DEFAULT_PASSWORD = "correct-horse-battery"


def bearer(user) -> dict[str, str]:
    """Authorization headers with a fresh access token for `user` (a real login session)."""
    return {"Authorization": f"Bearer {start_session(user).access_token}"}


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

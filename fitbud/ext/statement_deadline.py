"""A client-side deadline on every PostgreSQL statement, for a server that no longer answers at all.

PostgreSQL's statement_timeout ends a slow statement, but a server that is stopped (SIGSTOP,
a frozen VM, a host gone from the network) enforces nothing: the kernel keeps the TCP
connection open and psycopg waits for the reply for ever, holding the request and the worker
with it. libpq's connect_timeout bounds new connections only.

So every statement, commit and reset-on-return arms a deadline, and one watchdog thread per
process shuts down the socket of a connection whose deadline passed: psycopg's wait then
returns at once with "server closed the connection", SQLAlchemy invalidates the pool, and the
request answers 503 (fitbud/errors.py). A deadline is disarmed when its statement returns and
when the connection goes back to the pool. It is a little longer than statement_timeout, so a
server that is alive ends a slow statement itself first, with its own clearer error.

A leaf like fitbud/extensions.py: it imports nothing of Fitbud.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from sqlalchemy import Engine, event

logger = logging.getLogger("fitbud.db")

# How late past its deadline a hung statement may be noticed.
TICK_SECONDS = 0.25
# Past the server's statement_timeout: a live server reports a slow statement itself.
GRACE_SECONDS = 1.0


class StatementDeadline:
    """Arms a deadline per DBAPI connection on `engine` and cuts the connection when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds + GRACE_SECONDS
        self._armed: dict[int, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._thread_pid: int | None = None

    def install(self, engine: Engine) -> None:
        """Listen on `engine` (and the engines derived from it with execution_options)."""
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "after_cursor_execute", self._after_execute)
        event.listen(engine, "handle_error", self._on_error)
        event.listen(engine, "commit", self._before_commit)
        event.listen(engine.pool, "reset", self._before_reset)
        event.listen(engine.pool, "checkin", self._on_checkin)

    def _arm(self, dbapi_connection: Any) -> None:
        try:
            fd = dbapi_connection.pgconn.socket
        except Exception:  # closed already: nothing to wait on
            return
        self._ensure_thread()
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.seconds, fd)

    def _disarm(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)

    def _before_execute(self, conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        self._arm(conn.connection.dbapi_connection)

    def _after_execute(self, conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        self._disarm(conn.connection.dbapi_connection)

    def _on_error(self, context) -> None:
        connection = context.connection
        if connection is not None and not connection.closed and connection.connection.dbapi_connection is not None:
            self._disarm(connection.connection.dbapi_connection)

    def _before_commit(self, conn) -> None:
        # Disarmed when the connection goes back to the pool, or re-armed by its next statement.
        self._arm(conn.connection.dbapi_connection)

    def _before_reset(self, dbapi_connection, _record, _reset_state) -> None:
        self._arm(dbapi_connection)

    def _on_checkin(self, dbapi_connection, _record) -> None:
        if dbapi_connection is not None:
            self._disarm(dbapi_connection)

    def _ensure_thread(self) -> None:
        # One per process: a forked child (a gunicorn worker after preload, an RQ work horse)
        # does not inherit the parent's thread, so it starts its own on first use.
        if self._thread_pid == os.getpid():
            return
        with self._lock:
            if self._thread_pid == os.getpid():
                return
            self._armed.clear()
            self._thread_pid = os.getpid()
            threading.Thread(target=self._watch, name="fitbud-statement-deadline", daemon=True).start()

    def _watch(self) -> None:
        pid = os.getpid()
        while self._thread_pid == pid:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            with self._lock:
                expired = [(key, fd) for key, (deadline, fd) in self._armed.items() if deadline <= now]
                for key, _fd in expired:
                    del self._armed[key]
            for _key, fd in expired:
                _cut(fd)


def _cut(fd: int) -> None:
    """Shut the socket down (both ways) without closing the descriptor psycopg still owns."""
    logger.error("database did not answer within the statement deadline; closing its connection")
    try:
        duplicate = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()

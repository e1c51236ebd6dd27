"""A database or Redis that is down or hung: 503 with Retry-After, fast, never a 500 or a hang."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from config import load_config
from fitbud.extensions import db, redis_store
from tests.api.auth_flow import STRONG_PASSWORD, unused_local_port
from tests.helpers import assert_error

LOGIN = "/api/v1/auth/login"


class StallingProxy:
    """A TCP proxy to `target` that can stop forwarding, as a stopped (SIGSTOP) server looks.

    While stalled it still accepts connections (the kernel's backlog does that for a stopped
    server too) and holds every byte in both directions.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.running = threading.Event()
        self.running.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                return
            self.running.wait()
            upstream = socket.create_connection(self.target)
            self.sockets += [downstream, upstream]
            for source, sink in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            self.running.wait()
            try:
                sink.sendall(data)
            except OSError:
                return

    def stall(self) -> None:
        self.running.clear()

    def close(self) -> None:
        self.running.set()
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def boom_app(make_app):
    """An app with routes that fail the way an outage does."""
    app = make_app()

    @app.get("/boom/database")
    def database_down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    return app


@pytest.fixture
def dead_database_app(make_app):
    """An app whose PostgreSQL address has nothing listening."""
    return make_app({"SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://fitbud@127.0.0.1:{unused_local_port()}/fitbud"})


def test_a_database_error_is_503_with_retry_after(boom_app):
    response = boom_app.test_client().get("/boom/database")

    assert_error(response, 503, message="database is unavailable")
    assert response.headers["Retry-After"] == "5"


def test_an_api_call_with_the_database_down_is_503_not_500(dead_database_app):
    response = dead_database_app.test_client().post(
        LOGIN, json={"email": "coach@example.com", "password": STRONG_PASSWORD}
    )

    assert_error(response, 503, message="database is unavailable")
    assert int(response.headers["Retry-After"]) > 0


def test_readyz_503_carries_retry_after(dead_database_app):
    response = dead_database_app.test_client().get("/readyz")

    assert_error(response, 503, "database", message="database unreachable")
    assert int(response.headers["Retry-After"]) > 0


def test_a_server_that_accepts_but_never_answers_fails_readyz_within_the_connect_timeout(make_app):
    silent = socket.create_server(("127.0.0.1", 0), backlog=16)  # never accepts: a stopped server
    port = silent.getsockname()[1]
    app = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://fitbud@127.0.0.1:{port}/fitbud",
            "DATABASE_CONNECT_TIMEOUT": 2,
        }
    )
    started = time.monotonic()
    try:
        response = app.test_client().get("/readyz")
    finally:
        silent.close()

    assert_error(response, 503, "database", message="database unreachable")
    assert time.monotonic() - started < 6


def test_postgres_connections_carry_the_statement_timeout(make_app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    app = make_app({"DATABASE_STATEMENT_TIMEOUT": 2.5})

    with app.app_context():
        assert db.session.execute(db.text("SHOW statement_timeout")).scalar() == "2500ms"


@pytest.mark.postgres
def test_a_postgres_that_stops_answering_mid_connection_fails_requests_within_the_deadline(make_app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    url = make_url(database_url)
    proxy = StallingProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    app = make_app({"SQLALCHEMY_DATABASE_URI": proxied, "DATABASE_STATEMENT_TIMEOUT": 1, "DATABASE_CONNECT_TIMEOUT": 2})
    http = app.test_client()
    try:
        assert http.get("/readyz").status_code == 200  # a pooled connection, alive
        proxy.stall()
        started = time.monotonic()
        stalled = http.get("/readyz")
        readyz_seconds = time.monotonic() - started
        started = time.monotonic()
        api = http.post(LOGIN, json={"email": "coach@example.com", "password": STRONG_PASSWORD})
        api_seconds = time.monotonic() - started
    finally:
        proxy.close()

    assert_error(stalled, 503, "database", message="database unreachable")
    assert readyz_seconds < 4, f"/readyz took {readyz_seconds:.1f} s on a stalled database"
    assert_error(api, 503, message="database is unavailable")
    assert api_seconds < 5, f"an API call took {api_seconds:.1f} s on a stalled database"


def test_redis_clients_have_bounded_timeouts(make_app, redis_url):
    app = make_app({"REDIS_URL": redis_url})

    kwargs = redis_store.connection(app).connection_pool.connection_kwargs
    assert kwargs["socket_timeout"] == 1.0
    assert kwargs["socket_connect_timeout"] == 1.0


def test_production_settings_bound_redis_for_the_cache_and_the_limiter():
    settings = load_config("development", {"REDIS_URL": "redis://127.0.0.1:6379/0", "REDIS_SOCKET_TIMEOUT": "0.5"})

    assert settings.CACHE_OPTIONS == {"socket_connect_timeout": 1.0, "socket_timeout": 0.5}
    assert settings.RATELIMIT_STORAGE_OPTIONS == {"socket_connect_timeout": 1.0, "socket_timeout": 0.5}


def test_the_embedded_cache_folder_differs_per_database():
    one = load_config("development", {"DATABASE_URL": "sqlite:////tmp/a.db"})
    other = load_config("development", {"DATABASE_URL": "sqlite:////tmp/b.db"})
    same_but_new_password = load_config("development", {"DATABASE_URL": "postgresql://u:x@h/db"}).CACHE_DIR

    assert one.CACHE_DIR != other.CACHE_DIR
    assert os.path.dirname(one.CACHE_DIR) == os.path.dirname(other.CACHE_DIR)
    assert same_but_new_password == load_config("development", {"DATABASE_URL": "postgresql://u:y@h/db"}).CACHE_DIR

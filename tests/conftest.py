"""Fixtures shared by the whole suite.

The database is migrated once per test run (by Alembic, like production) and emptied after
each test. The Flask test client is `http`, because "client" is one of Fitbud's roles.
Set TEST_DATABASE_URL (postgresql+psycopg://...) and TEST_REDIS_URL to run against real
services; without them the suite uses a SQLite file and no Redis.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Table, create_engine, delete, insert, select, text
from sqlalchemy.engine import make_url

from config import Config
from fitbud import create_app
from fitbud.extensions import api, cache, db, limiter
from fitbud.models import Base, User
from tests.factories import AdminFactory, ClientFactory, TrainerFactory, UnverifiedTrainerFactory
from tests.helpers import bearer, clear_redis_namespace, require_service

# Fixture modules shared by several test folders: job running modes, the analytics world.
pytest_plugins = ["tests.reports_support", "tests.analytics.fixtures"]

# A namespace for every Redis key this test process writes (cache, rate limits, RQ queues; see
# config.TestingConfig), set before any app is built; subprocesses a test starts inherit it. Two
# suites, or two xdist workers, sharing a Redis database never see each other's keys.
os.environ["TEST_REDIS_NAMESPACE"] = f"fitbud-test-{uuid.uuid4().hex[:12]}"

# Rows that migrations load (reference data) survive between tests; only these rows go.
RESET_ONLY_WHERE = {"exercises": "owner_id IS NOT NULL", "foods": "owner_id IS NOT NULL"}


def _worker_database_url(base_url: str, worker_id: str) -> str:
    """One PostgreSQL database per xdist worker, created on demand."""
    url = make_url(base_url)
    if worker_id == "master":
        return base_url
    name = f"{url.database}_{worker_id}"
    admin_engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin_engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str:
    """A migrated, empty database for this test run."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url = _worker_database_url(base, worker_id)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'fitbud-test.db'}"
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The real Redis for tests that need one (TEST_REDIS_URL, database 15 by default).

    Every xdist worker and every run shares it: each key this process writes carries its
    namespace (TEST_REDIS_NAMESPACE below), and only those keys are deleted when the run ends.
    """
    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
    require_service("redis", url)
    yield url
    from redis import Redis

    connection = Redis.from_url(url)
    clear_redis_namespace(connection)
    connection.close()


def _reset_database() -> None:
    for table in reversed(Base.metadata.sorted_tables):
        statement = delete(table)
        if table.name in RESET_ONLY_WHERE:
            statement = statement.where(text(RESET_ONLY_WHERE[table.name]))
        db.session.execute(statement)
    db.session.commit()


def _snapshot_rows() -> list[tuple[Table, list[dict[str, Any]]]]:
    """Every row a test added (reference data left out), table by table in dependency order."""
    snapshot = []
    for table in Base.metadata.sorted_tables:
        statement = select(table)
        if table.name in RESET_ONLY_WHERE:
            statement = statement.where(text(RESET_ONLY_WHERE[table.name]))
        snapshot.append((table, [dict(row) for row in db.session.execute(statement).mappings()]))
    return snapshot


@pytest.fixture(scope="session")
def _demo_snapshot(_shared_app) -> list[tuple[Table, list[dict[str, Any]]]]:
    """The demo seed, built once per test process (each xdist worker has its own database) and kept as rows.

    Built in the empty database and emptied again at once, so tests that don't ask for it never
    see it. Restoring keeps the ids, which stay clear of new rows: a DELETE leaves PostgreSQL's
    sequences (and SQLite's highest id) where the seed left them.
    """
    from fitbud.demo import seed_demo

    with _shared_app.app_context():
        try:
            seed_demo()
            return _snapshot_rows()
        finally:
            db.session.rollback()
            _reset_database()
            db.session.remove()
            cache.clear()


@pytest.fixture
def demo_world(app, _demo_snapshot):
    """The demo data (`flask fitbud seed-demo`), restored from the session's one build; its DemoWorld."""
    from fitbud.demo.accounts import seed_accounts

    for table, rows in _demo_snapshot:
        if rows:
            db.session.execute(insert(table), rows)
    db.session.commit()
    return seed_accounts()  # finds the restored accounts: no writes


@pytest.fixture(scope="session")
def _shared_app(database_url) -> Flask:
    """One app per test process: building an app (routes, OpenAPI spec) costs ~0.2 s.

    Tests still get a fresh app context each, and `app` puts back any setting or extension a
    test changed; a test that needs different start-up settings builds its own with `make_app`.
    """
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    app.extensions["tests.global_state"] = _global_extension_state()
    return app


def _global_extension_state() -> dict[Any, dict[str, Any]]:
    # The limiter and the Api keep the state of the last app that called init_app; a test that
    # builds another app (make_app) must not leave the shared app using that app's storage.
    return {extension: dict(vars(extension)) for extension in (limiter, api)}


def _restore_global_extension_state(app: Flask) -> None:
    for extension, state in app.extensions["tests.global_state"].items():
        vars(extension).update(state)


def _reset_app_state(app: Flask, config: dict[str, Any], extensions: dict[str, Any]) -> None:
    app.config.clear()
    app.config.update(config)
    for name in set(app.extensions) - set(extensions):
        del app.extensions[name]
    app.extensions.update(extensions)
    outbox = getattr(app.extensions.get("fitbud.mail"), "outbox", None)
    if outbox is not None:
        outbox.clear()
    cache.clear()
    limiter.reset()


@pytest.fixture
def app(_shared_app) -> Iterator[Flask]:
    """The app on the test database, its context pushed for this test only.

    Afterwards the database is emptied (reference data kept), and settings, extensions, cache,
    rate-limit counters and the mail outbox are put back as they were.
    """
    app = _shared_app
    config = dict(app.config)
    extensions = dict(app.extensions)
    _restore_global_extension_state(app)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.rollback()
            _reset_database()
            db.session.remove()
            _reset_app_state(app, config, extensions)


@pytest.fixture
def make_app(database_url) -> Iterator[Callable[..., Flask]]:
    """Build another app with setting overrides (on the test database unless they say otherwise).

    `make_app({"REDIS_URL": ...})` or `make_app(config_object)`; engines are disposed afterwards
    so no pooled connection outlives the test.
    """
    made: list[Flask] = []

    def make(overrides: Mapping[str, Any] | Config | None = None) -> Flask:
        if not isinstance(overrides, Config):
            overrides = {"SQLALCHEMY_DATABASE_URI": database_url, **(overrides or {})}
        made.append(create_app(overrides))
        return made[-1]

    yield make
    for extra in made:
        with extra.app_context():
            db.engine.dispose()


@pytest.fixture
def http(app) -> FlaskClient:
    """The Flask test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The Flask CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def trainer(app):
    """A trainer account."""
    return TrainerFactory()


@pytest.fixture
def unverified_trainer(app):
    """A trainer whose email address is not proven yet (signed up, link not opened)."""
    return UnverifiedTrainerFactory()


@pytest.fixture
def other_trainer(app):
    """A second trainer, for proving one trainer never sees another's data."""
    return TrainerFactory()


@pytest.fixture
def admin(app):
    """An admin account."""
    return AdminFactory()


@pytest.fixture
def client_record(trainer):
    """A client of `trainer` who has accepted the invitation (has a login)."""
    return ClientFactory(trainer=trainer, with_login=True)


@pytest.fixture
def client_user(client_record):
    """The login (role client) of `client_record`."""
    # Not `client_record.user`: the relationship is lazy="raise" and the commit expired it.
    return db.session.get(User, client_record.user_id)


@pytest.fixture
def trainer_headers(trainer):
    """Authorization headers for `trainer`."""
    return bearer(trainer)


@pytest.fixture
def other_trainer_headers(other_trainer):
    """Authorization headers for `other_trainer`."""
    return bearer(other_trainer)


@pytest.fixture
def admin_headers(admin):
    """Authorization headers for `admin`."""
    return bearer(admin)


@pytest.fixture
def client_headers(client_user):
    """Authorization headers for `client_user`."""
    return bearer(client_user)


@pytest.fixture
def mail_outbox(app) -> list:
    """Mail sent during the test; jobs run inline (no Redis) even when TEST_REDIS_URL is set."""
    from fitbud.extensions import redis_store

    app.config["REDIS_URL"] = None
    redis_store.init_app(app)
    return app.extensions["fitbud.mail"].outbox

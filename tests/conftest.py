"""Fixtures shared by the whole suite.

The database is migrated once per test run (by Alembic, like production) and emptied after
each test. The Flask test client is `http`, because "client" is one of Fitbud's roles.
Set TEST_DATABASE_URL (postgresql+psycopg://...) and TEST_REDIS_URL to run against real
services; without them the suite uses a SQLite file and no Redis.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from fitbud import create_app
from fitbud.extensions import db
from fitbud.models import Base, User
from tests.factories import AdminFactory, ClientFactory, TrainerFactory
from tests.helpers import bearer, require_service

# Rows that migrations load (reference data) survive between tests; only these rows go.
RESET_ONLY_WHERE = {"exercises": "owner_id IS NOT NULL"}


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
def redis_url() -> str:
    """The real Redis for tests that need one (its own database number, flushed per test)."""
    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
    require_service("redis", url)
    return url


def _reset_database() -> None:
    for table in reversed(Base.metadata.sorted_tables):
        statement = delete(table)
        if table.name in RESET_ONLY_WHERE:
            statement = statement.where(text(RESET_ONLY_WHERE[table.name]))
        db.session.execute(statement)
    db.session.commit()


@pytest.fixture
def app(database_url) -> Iterator[Flask]:
    """A fresh app on the test database; its context is pushed for the test's duration."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        yield app
        db.session.rollback()
        _reset_database()
        db.session.remove()
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

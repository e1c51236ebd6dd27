"""The Alembic migrations: one head, they build exactly the models' schema, and they run both ways.

Each test migrates a database of its own (a SQLite file, or a throwaway PostgreSQL database
when TEST_DATABASE_URL is set) so the suite's shared, already-migrated database is untouched.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from fitbud import create_app
from fitbud.extensions import db
from fitbud.models import Base

ALEMBIC_TABLE = "alembic_version"


def _throwaway_postgres_database(base_url: str) -> Iterator[str]:
    url = make_url(base_url)
    name = f"{url.database}_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A database with no tables, of the same kind as the suite's."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        yield from _throwaway_postgres_database(base)
    else:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"


@pytest.fixture
def empty_app(empty_database_url) -> Iterator[Flask]:
    """An app on the empty database, its context pushed."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _script_directory(app: Flask) -> ScriptDirectory:
    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def _table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def _current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _compare_options(app: Flask) -> dict:
    # The comparison settings of migrations/env.py: Flask-Migrate's configure_args
    # (render_as_batch) plus compare_type. env.py's render_item only changes how a revision
    # file is written, not what counts as a difference.
    options = dict(app.extensions["migrate"].configure_args)
    options.setdefault("compare_type", True)
    return options


def test_migrations_have_a_single_head(empty_app):
    heads = _script_directory(empty_app).get_heads()

    assert len(heads) == 1, f"several heads {heads}: merge them with `flask db merge`"


def test_migrated_schema_matches_the_models(empty_app):
    upgrade()

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=_compare_options(empty_app))
        differences = compare_metadata(context, Base.metadata)

    assert differences == [], "models and migrations differ: run `flask db migrate`"


def test_downgrade_to_base_then_upgrade_again(empty_app):
    head = _script_directory(empty_app).get_current_head()
    upgrade()

    downgrade(revision="base")
    assert _table_names() <= {ALEMBIC_TABLE}
    assert _current_revision() is None

    upgrade()
    assert _table_names() == {table.name for table in Base.metadata.sorted_tables} | {ALEMBIC_TABLE}
    assert _current_revision() == head


def test_the_one_check_in_a_day_upgrade_stops_on_duplicates_and_changes_nothing(empty_app, capfd):
    upgrade(revision="0013_body_metric_days")
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (id, email, password_hash, name, role, is_active, timezone, unit_system, created_at, "
            "updated_at) VALUES (1, 't@example.com', 'x', 'T', 'TRAINER', true, 'UTC', 'metric', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        connection.execute(text(
            "INSERT INTO clients (id, trainer_id, email, name, is_active, timezone, created_at, updated_at) "
            "VALUES (1, 1, 'c@example.com', 'C', true, 'UTC', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        for weight in (80, 81):
            connection.execute(text(
                "INSERT INTO check_ins (client_id, submitted_on, weight_kg, measurements_cm, answers, created_at, "
                f"updated_at) VALUES (1, '2026-03-02', {weight}, '{{}}', '{{}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ))

    with pytest.raises(SystemExit):  # Flask-Migrate logs the migration's error and exits
        upgrade()

    assert "client 1 on 2026-03-02 (2)" in capfd.readouterr().err
    assert _current_revision() == "0013_body_metric_days"
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM check_ins")).scalar() == 2


def _insert_trainer_and_client(connection) -> None:
    connection.execute(text(
        "INSERT INTO users (id, email, password_hash, name, role, is_active, timezone, unit_system, created_at, "
        "updated_at) VALUES (1, 't@example.com', 'x', 'T', 'TRAINER', true, 'UTC', 'metric', "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    ))
    connection.execute(text(
        "INSERT INTO clients (id, trainer_id, email, name, is_active, timezone, created_at, updated_at) "
        "VALUES (1, 1, 'c@example.com', 'C', true, 'UTC', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    ))


def test_the_feed_upgrade_links_events_to_workouts_and_deletes_orphans(empty_app):
    upgrade(revision="0015_workout_comments")
    with db.engine.begin() as connection:
        _insert_trainer_and_client(connection)
        connection.execute(text(
            "INSERT INTO workout_logs (id, client_id, performed_on, notes, total_volume_kg, sets_done, created_at, "
            "updated_at) VALUES (7, 1, '2026-03-02', '', 0, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        for event_id, kind, payload in (
            (1, "workout_logged", '{"workout_log_id": 7}'),
            (2, "record_set", '{"workout_log_id": 7, "exercise_id": 1}'),
            (3, "workout_logged", '{"workout_log_id": 8}'),  # its workout was deleted
            (4, "meal_logged", '{"meal_log_id": 8}'),
        ):
            connection.execute(text(
                "INSERT INTO activity_events (id, trainer_id, client_id, type, occurred_at, summary, payload) "
                f"VALUES ({event_id}, 1, 1, '{kind}', CURRENT_TIMESTAMP, 's', '{payload}')"
            ))

    upgrade(revision="0016_feed_events_follow_workouts")

    with db.engine.begin() as connection:
        rows = connection.execute(text("SELECT id, workout_log_id FROM activity_events ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [(1, 7), (2, 7), (4, None)]
        connection.execute(text("DELETE FROM workout_logs WHERE id = 7"))
        remaining = connection.execute(text("SELECT id FROM activity_events")).scalars().all()
    assert remaining == [4]

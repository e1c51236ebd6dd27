"""The built-in data file, its loader (migration and CLI), and the library cache with both backends."""

from __future__ import annotations

import uuid

import pytest
from redis import Redis
from sqlalchemy import func, insert, select, update

from fitbud import create_app
from fitbud.data import library as data
from fitbud.extensions import cache, db
from fitbud.models import Exercise, User
from fitbud.services import exercises, library_cache
from tests.factories import ExerciseFactory, TrainerFactory

# ---------------------------------------------------------------- data file and loader


def test_data_file_holds_at_least_150_valid_exercises():
    records = data.builtin_exercises()
    assert len(records) >= 150
    assert len({r["slug"] for r in records}) == len(records)
    assert {r["movement_pattern"] for r in records} >= {
        "squat", "hinge", "lunge", "horizontal_push", "vertical_push", "horizontal_pull", "vertical_pull",
        "carry", "core", "cardio",
    }


def test_validation_names_each_broken_record():
    good = data.builtin_exercises()[0]
    broken = dict(good, slug="Bad Slug", equipment="spaceship", primary_muscles=[])
    with pytest.raises(data.LibraryDataError) as raised:
        data.validate_records([good, broken, dict(good)])
    message = str(raised.value)
    assert "#1 (Bad Slug)" in message and "spaceship" in message and "primary_muscles must not be empty" in message
    assert "#2" in message and "duplicate slug" in message


def test_migration_loaded_every_builtin(app):
    count = db.session.execute(
        select(func.count()).select_from(Exercise).where(Exercise.owner_id.is_(None), Exercise.slug.is_not(None))
    ).scalar_one()
    assert count >= len(data.builtin_exercises())


def test_loading_again_changes_nothing(runner):
    result = runner.invoke(args=["fitbud", "load-exercises"])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated" in result.output


def test_loader_restores_an_edited_builtin_and_keeps_custom_rows(app, trainer):
    custom = ExerciseFactory(owner=trainer, name="Mine", movement_pattern="squat")
    squat = db.session.execute(select(Exercise).where(Exercise.slug == "barbell-back-squat")).scalar_one()
    squat.level = "advanced"
    db.session.commit()
    result = exercises.reload_builtin_library()
    assert (result.inserted, result.updated) == (0, 1)
    db.session.refresh(squat)
    assert squat.level == "intermediate"
    assert db.session.get(Exercise, custom.id).name == "Mine"


def test_loader_inserts_a_new_builtin_once(app):
    record = dict(data.builtin_exercises()[0], slug="test-new-exercise", name="Test New Exercise")
    connection = db.session.connection()
    first = data.upsert_builtin_exercises(connection, Exercise.__table__, [record])
    second = data.upsert_builtin_exercises(connection, Exercise.__table__, [record])
    assert (first.inserted, second.inserted, second.unchanged) == (1, 0, 1)
    db.session.rollback()


# ---------------------------------------------------------------- cache


def _names(user) -> set[str]:
    return {e.name for e in exercises.search(user, {"source": "custom"})}


def _check_invalidation(trainer, other) -> None:
    """Each trainer's cached library changes with their own edits, and only theirs."""
    exercises.create_custom(trainer, {
        "name": "First", "category": "strength", "movement_pattern": "squat", "primary_muscles": ["quadriceps"],
        "equipment": "dumbbell",
    })
    assert _names(trainer) == {"First"}
    assert _names(other) == set()
    other_version = cache.get(f"exercises:{other.id}:version")
    assert other_version is not None
    created = exercises.create_custom(trainer, {
        "name": "Second", "category": "strength", "movement_pattern": "hinge", "primary_muscles": ["glutes"],
        "equipment": "dumbbell",
    })
    assert _names(trainer) == {"First", "Second"}
    exercises.update_custom(trainer, created.id, {"name": "Renamed"})
    assert _names(trainer) == {"First", "Renamed"}
    exercises.delete_custom(trainer, created.id)
    assert _names(trainer) == {"First"}
    assert cache.get(f"exercises:{other.id}:version") == other_version


def test_cached_library_serves_reads_without_queries(app, trainer):
    from tests.helpers import count_statements

    exercises.library_for(trainer)
    with count_statements() as counter:
        exercises.library_for(trainer)
    assert counter.count == 0


def test_simple_cache_is_invalidated_per_trainer(app):
    assert app.config["CACHE_TYPE"] == "SimpleCache"
    _check_invalidation(TrainerFactory(), TrainerFactory())


def test_a_lost_version_key_never_revives_old_entries(app, trainer):
    ExerciseFactory(owner=trainer, name="Before", movement_pattern="squat")
    assert _names(trainer) == {"Before"}
    cache.delete(f"exercises:{trainer.id}:version")
    # Written behind the cache's back (a bulk INSERT the flush hook cannot see).
    db.session.execute(insert(Exercise).values(
        owner_id=trainer.id, name="After", category="strength", movement_pattern="squat",
        primary_muscles=["quadriceps"], equipment="dumbbell", level="beginner", tracking="reps",
    ))
    db.session.commit()
    assert _names(trainer) == {"Before", "After"}


def test_builtins_are_cached_until_a_commit_changes_one(app, trainer):
    squat = db.session.execute(select(Exercise).where(Exercise.slug == "barbell-back-squat")).scalar_one()
    assert exercises.get_exercise(trainer, squat.id).level == "intermediate"
    try:
        db.session.execute(update(Exercise).where(Exercise.id == squat.id).values(level="advanced"))
        db.session.commit()  # a bulk UPDATE: the flush hook does not see it
        assert exercises.get_exercise(trainer, squat.id).level == "intermediate"  # served from the cache
        squat = db.session.get(Exercise, squat.id)
        squat.instructions = squat.instructions + " "
        db.session.commit()  # an ORM change to a built-in drops the built-ins' snapshot
        assert exercises.get_exercise(trainer, squat.id).level == "advanced"
    finally:
        exercises.reload_builtin_library()  # restores the row and drops the snapshot again
    assert exercises.get_exercise(trainer, squat.id).level == "intermediate"


def test_a_custom_exercise_change_leaves_the_builtins_cached(app, trainer):
    exercises.library_for(trainer)
    builtins_version = cache.get(f"exercises:{library_cache.BUILTINS}:version")
    ExerciseFactory(owner=trainer, name="Mine", movement_pattern="squat")
    assert cache.get(f"exercises:{library_cache.BUILTINS}:version") == builtins_version
    assert "Mine" in _names(trainer)


def test_both_scopes_are_read_in_one_cache_round_trip(app, trainer, monkeypatch):
    exercises.library_for(trainer)
    calls = []
    for name in ("get", "get_many", "set", "add"):
        original = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda *args, _original=original, _name=name, **kwargs: (
            calls.append(_name), _original(*args, **kwargs))[1])
    exercises.library_for(trainer)
    assert calls == ["get_many"]


@pytest.fixture
def redis_app(app, database_url, redis_url):
    """A second app on the same database whose cache is a real Redis, under a key prefix of its own.

    Only this test's keys are removed afterwards: the Redis database may be shared.
    """
    prefix = f"fitbud-test-{uuid.uuid4().hex}:"
    redis_backed = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
    })
    with redis_backed.app_context():
        yield redis_backed
        db.session.remove()
        db.engine.dispose()
    connection = Redis.from_url(redis_url)
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)


@pytest.mark.redis
def test_redis_cache_is_invalidated_per_trainer(redis_app, redis_url):
    assert redis_app.config["CACHE_TYPE"] == "RedisCache"
    _check_invalidation(TrainerFactory(), TrainerFactory())
    keys = Redis.from_url(redis_url).keys(redis_app.config["CACHE_KEY_PREFIX"] + "exercises:*")
    assert any(f"exercises:{library_cache.BUILTINS}:library:".encode() in key for key in keys)
    assert sum(b":library:" in key for key in keys) == 3  # the built-ins and each trainer's custom ones


def test_library_still_works_when_the_cache_is_unreachable(app, database_url, trainer):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Read the id here: inside the other app, the outer session would bind to that app's engine.
    trainer_id = trainer.id
    broken = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": f"redis://127.0.0.1:{port}/0",
    })
    with broken.app_context():
        try:
            user = db.session.get(User, trainer_id)
            assert exercises.search(user, {"q": "goblet"})
            created = exercises.create_custom(user, {
                "name": "Outage Squat", "category": "strength", "movement_pattern": "squat",
                "primary_muscles": ["quadriceps"], "equipment": "dumbbell",
            })
            assert exercises.get_exercise(user, created.id).name == "Outage Squat"
        finally:
            db.session.remove()
            db.engine.dispose()

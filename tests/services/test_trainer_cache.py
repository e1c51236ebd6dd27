"""The per-trainer cache: values live until the version changes; a racing reader never revives old data."""

from __future__ import annotations

import socket
import uuid

import pytest
from redis import Redis

from fitbud import create_app
from fitbud.extensions import cache, db
from fitbud.services import trainer_cache
from fitbud.services.versioned_cache import VersionedCache, lookup_together


def test_a_stored_value_is_found_until_the_trainer_is_invalidated(app):
    found = trainer_cache.lookup(1, "list", "page=1")
    assert found.value is None
    trainer_cache.store(found, {"rows": [1, 2]}, timeout=60)

    assert trainer_cache.lookup(1, "list", "page=1").value == {"rows": [1, 2]}
    assert trainer_cache.lookup(1, "list", "page=2").value is None
    assert trainer_cache.lookup(2, "list", "page=1").value is None

    trainer_cache.invalidate(1)
    assert trainer_cache.lookup(1, "list", "page=1").value is None


def test_a_value_read_before_an_invalidation_is_never_served(app):
    # A reader looks up (miss) and reads the database; a writer commits and invalidates; the
    # reader then stores what it read, which may predate the commit.
    racing_reader = trainer_cache.lookup(7, "list")
    trainer_cache.invalidate(7)
    trainer_cache.store(racing_reader, "rows from before the commit", timeout=60)

    assert trainer_cache.lookup(7, "list").value is None


def test_a_lost_version_never_revives_old_entries(app):
    found = trainer_cache.lookup(3, "list")
    trainer_cache.store(found, "old", timeout=60)
    cache.delete("trainer:3:version")  # e.g. evicted, or the cache flushed

    assert trainer_cache.lookup(3, "list").value is None


def test_lookups_of_several_owners_and_scopes_share_one_round_trip(app, monkeypatch):
    users = VersionedCache("user")
    trainer_cache.store(trainer_cache.lookup(8, "list"), "trainer 8's list", timeout=60)
    users.store(users.lookup(8, "token", "abc"), "user 8's token", timeout=60)
    users.invalidate(8)
    round_trips = []
    get_many = cache.get_many

    def counted_get_many(*keys):
        round_trips.append(keys)
        return get_many(*keys)

    monkeypatch.setattr(cache, "get_many", counted_get_many)

    found = lookup_together(trainer_cache.wanted(8, "list"), users.wanted(8, "token", "abc"),
                            trainer_cache.wanted(9, "list"))

    assert len(round_trips) == 1
    assert [item.value for item in found] == ["trainer 8's list", None, None]
    assert all(item.version for item in found)  # each miss can still be stored
    trainer_cache.store(found[2], "trainer 9's list", timeout=60)
    assert trainer_cache.lookup(9, "list").value == "trainer 9's list"


def test_cached_computes_once_per_version(app):
    calls = []

    def compute() -> str:
        calls.append(1)
        return f"value {len(calls)}"

    assert trainer_cache.cached(4, "figure", (), compute, timeout=60) == "value 1"
    assert trainer_cache.cached(4, "figure", (), compute, timeout=60) == "value 1"
    trainer_cache.invalidate(4)
    assert trainer_cache.cached(4, "figure", (), compute, timeout=60) == "value 2"


def test_an_unreachable_cache_answers_from_the_source_and_stores_nothing(app, database_url):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broken = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": f"redis://127.0.0.1:{port}/0",
    })
    with broken.app_context():
        found = trainer_cache.lookup(5, "list")
        assert found.value is None and found.version is None
        trainer_cache.store(found, "value", timeout=60)
        trainer_cache.invalidate(5)
        assert trainer_cache.cached(5, "figure", (), lambda: "computed", timeout=60) == "computed"
        db.session.remove()
        db.engine.dispose()


@pytest.mark.redis
def test_redis_keeps_versions_and_entries_per_trainer(app, database_url, redis_url):
    prefix = f"fitbud-test-{uuid.uuid4().hex}:"
    redis_backed = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
    })
    try:
        with redis_backed.app_context():
            found = trainer_cache.lookup(9, "list", "page=1")
            trainer_cache.store(found, (b"[]", {"X-Pagination": "{}"}), timeout=60)
            assert trainer_cache.lookup(9, "list", "page=1").value == (b"[]", {"X-Pagination": "{}"})
            trainer_cache.invalidate(9)
            assert trainer_cache.lookup(9, "list", "page=1").value is None
            keys = {key.decode() for key in Redis.from_url(redis_url).scan_iter(f"{prefix}trainer:9:*")}
            assert f"{prefix}trainer:9:version" in keys
            db.session.remove()
            db.engine.dispose()
    finally:
        connection = Redis.from_url(redis_url)
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)

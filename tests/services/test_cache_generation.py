"""A failed invalidation fails safe: no process serves what it dropped, once Redis answers again.

Two apps on one database and one Redis stand for two web processes. The invalidation of a
logout or a new client fails (Redis stalled at that moment, simulated by a failing cache.set
while the write runs), then Redis answers again: the other process must not serve the login
or the list it had cached before.
"""

from __future__ import annotations

import uuid

import pytest
from redis import Redis
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import create_engine

from fitbud.extensions import cache, db
from fitbud.models import CacheState
from fitbud.services import versioned_cache
from tests.api.auth_flow import auth, login, me
from tests.helpers import DEFAULT_PASSWORD, assert_error, count_statements

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_processes(make_app, redis_url):
    """make(): an app on the test database and a shared Redis cache, as one more web process."""
    prefix = f"fitbud-test-{uuid.uuid4().hex}:"

    def make(check_seconds: float = 0, **overrides):
        return make_app(
            {
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": redis_url,
                "CACHE_KEY_PREFIX": prefix,
                "CACHE_GENERATION_CHECK_SECONDS": check_seconds,
                **overrides,
            }
        )

    yield make
    connection = Redis.from_url(redis_url)
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)


def _stalled_writes(monkeypatch):
    """Every cache write fails as a stalled Redis's would (the reads were done before)."""

    def stalled(*_args, **_kwargs):
        raise RedisTimeoutError("Timeout reading from socket")

    monkeypatch.setattr(cache, "set", stalled)


def _answered_from_the_cache(app, http, access_token: str) -> bool:
    with app.app_context(), count_statements() as counter:
        assert me(http, access_token).status_code == 200
    # The generation check (every read here: CACHE_GENERATION_CHECK_SECONDS=0) is the only query.
    return all("cache_state" in statement for statement in counter.statements)


def test_a_logout_whose_invalidation_failed_ends_the_login_in_every_process(
    redis_processes, trainer, monkeypatch
):
    email = trainer.email
    db.session.commit()
    writer, reader = redis_processes(), redis_processes()
    writer_http, reader_http = writer.test_client(), reader.test_client()
    pair = login(writer_http, email, DEFAULT_PASSWORD)
    me(reader_http, pair["access_token"])
    assert _answered_from_the_cache(reader, reader_http, pair["access_token"])

    with monkeypatch.context() as stall:
        _stalled_writes(stall)
        assert writer_http.post("/api/v1/auth/logout", headers=auth(pair["access_token"])).status_code == 204

    assert_error(me(reader_http, pair["access_token"]), 401, message="Token has been revoked")
    assert_error(me(writer_http, pair["access_token"]), 401, message="Token has been revoked")


def test_a_client_list_whose_invalidation_failed_is_not_served_stale(
    redis_processes, trainer, monkeypatch
):
    email = trainer.email
    db.session.commit()
    writer, reader = redis_processes(), redis_processes()
    writer_http, reader_http = writer.test_client(), reader.test_client()
    headers = auth(login(writer_http, email, DEFAULT_PASSWORD)["access_token"])
    assert reader_http.get("/api/v1/clients", headers=headers).get_json() == []
    assert reader_http.get("/api/v1/clients", headers=headers).get_json() == []  # now from the cache

    with monkeypatch.context() as stall:
        _stalled_writes(stall)
        created = writer_http.post("/api/v1/clients", headers=headers, json={"name": "Ada", "email": "ada@example.com"})
    assert created.status_code == 201, created.get_json()

    names = [row["name"] for row in reader_http.get("/api/v1/clients", headers=headers).get_json()]
    assert names == ["Ada"]


def test_a_process_serves_nothing_cached_while_a_failed_invalidation_is_not_stored(
    redis_processes, trainer, monkeypatch
):
    email = trainer.email
    db.session.commit()
    process = redis_processes(check_seconds=3600)
    http = process.test_client()
    pair = login(http, email, DEFAULT_PASSWORD)
    me(http, pair["access_token"])
    assert _answered_from_the_cache(process, http, pair["access_token"])
    with process.app_context():
        state = versioned_cache._guard()
        assert state is not None
        state.unapplied = True  # as after a failed invalidation with the database failing too

        def database_down(_state):
            return False

        monkeypatch.setattr(versioned_cache, "_move_generation", database_down)

    assert not _answered_from_the_cache(process, http, pair["access_token"])


def test_a_failed_invalidation_moves_the_generation_on(redis_processes, trainer, monkeypatch):
    email = trainer.email
    db.session.commit()
    process = redis_processes()
    http = process.test_client()
    pair = login(http, email, DEFAULT_PASSWORD)
    me(http, pair["access_token"])
    with process.app_context():
        before = db.session.get(CacheState, 1).generation

    with monkeypatch.context() as stall:
        _stalled_writes(stall)
        http.post("/api/v1/auth/logout", headers=auth(pair["access_token"]))

    with process.app_context():
        db.session.expire_all()
        assert db.session.get(CacheState, 1).generation == before + 1


def test_two_databases_sharing_one_redis_never_share_keys(redis_processes, tmp_path):
    here = redis_processes()
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    engine = create_engine(other_url)
    CacheState.__table__.create(engine)
    engine.dispose()
    elsewhere = redis_processes(SQLALCHEMY_DATABASE_URI=other_url)
    with here.app_context():
        ours = versioned_cache._namespace()
    with elsewhere.app_context():
        theirs = versioned_cache._namespace()

    assert ours and theirs and ours.split(":")[0] != theirs.split(":")[0]

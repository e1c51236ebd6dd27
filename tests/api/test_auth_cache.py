"""The cached token check: a repeat asks the database nothing, and every change to a login still counts at once.

Each test first makes the answer cached (a request whose repeat runs no query), then changes
the login, then checks that the very next request sees the change.
"""

from __future__ import annotations

import pickle
import uuid

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from fitbud.extensions import cache, db
from fitbud.models import User
from tests.api.auth_flow import STRONG_PASSWORD, auth, login, me, refresh
from tests.factories import ClientFactory
from tests.helpers import DEFAULT_PASSWORD, assert_error, count_statements


def _as_next_request(http, access_token: str):
    """GET /users/me as production would run it: in a session that has loaded nothing yet.

    Tests share one session with the requests they make, so the user would otherwise come
    from that session's identity map rather than from the cache.
    """
    db.session.expunge_all()
    return me(http, access_token)


def _assert_answered_from_the_cache(http, access_token: str) -> None:
    with count_statements() as counter:
        assert _as_next_request(http, access_token).status_code == 200
    assert counter.count == 0, counter.statements


def _cached_login(http, user: User) -> dict:
    """Log in and make the token check cached: its repeat must cost no query."""
    pair = login(http, user.email, DEFAULT_PASSWORD)
    assert me(http, pair["access_token"]).status_code == 200
    _assert_answered_from_the_cache(http, pair["access_token"])
    return pair


def _login_of(client) -> User:
    return db.session.get(User, client.user_id)


def test_a_repeated_request_runs_no_token_query(http, trainer):
    _cached_login(http, trainer)


def test_logout_ends_a_cached_login_at_once(http, trainer):
    pair = _cached_login(http, trainer)

    assert http.post("/api/v1/auth/logout", headers=auth(pair["access_token"])).status_code == 204

    assert_error(_as_next_request(http, pair["access_token"]), 401, message="Token has been revoked")


def test_deactivation_ends_a_cached_login_at_once(http, trainer, admin_headers):
    pair = _cached_login(http, trainer)

    response = http.patch(f"/api/v1/admin/users/{trainer.id}", headers=admin_headers, json={"is_active": False})
    assert response.status_code == 200, response.get_json()

    assert_error(_as_next_request(http, pair["access_token"]), 401, message="Token has been revoked")


def test_a_new_password_ends_the_other_cached_logins(http, trainer):
    phone = _cached_login(http, trainer)
    laptop = _cached_login(http, trainer)

    changed = http.patch("/api/v1/users/me", headers=auth(laptop["access_token"]),
                         json={"current_password": DEFAULT_PASSWORD, "new_password": STRONG_PASSWORD})
    assert changed.status_code == 200, changed.get_json()

    assert_error(_as_next_request(http, phone["access_token"]), 401, message="Token has been revoked")
    assert _as_next_request(http, laptop["access_token"]).status_code == 200


def test_a_reused_refresh_token_ends_the_cached_family(http, trainer):
    pair = _cached_login(http, trainer)
    assert refresh(http, pair["refresh_token"]).status_code == 200

    assert_error(refresh(http, pair["refresh_token"]), 401, message="Token has been revoked")

    assert_error(_as_next_request(http, pair["access_token"]), 401, message="Token has been revoked")


def test_a_profile_change_shows_on_the_next_request(http, trainer):
    pair = _cached_login(http, trainer)

    http.patch("/api/v1/users/me", headers=auth(pair["access_token"]), json={"timezone": "Asia/Tokyo"})

    assert _as_next_request(http, pair["access_token"]).get_json()["timezone"] == "Asia/Tokyo"


def test_a_purged_clients_cached_login_stops_working(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, with_login=True, name="Dana Doe")
    client_id = client.id
    pair = _cached_login(http, _login_of(client))

    purged = http.delete(f"/api/v1/clients/{client_id}?purge=true", headers=trainer_headers,
                         json={"confirm_name": "Dana Doe"})
    assert purged.status_code == 204, purged.get_json()

    assert_error(_as_next_request(http, pair["access_token"]), 401, message="Token has been revoked")


def test_the_cache_never_holds_a_password_hash(http, trainer):
    email, password_hash = trainer.email, trainer.password_hash
    _cached_login(http, trainer)

    stored = b"".join(pickle.dumps(value) for value in cache.cache._cache.values())
    assert email.encode() in stored  # the login is cached...
    assert password_hash.encode() not in stored  # ...without its hash


def test_a_cached_user_still_reads_their_password_hash_from_the_database(http, trainer):
    pair = _cached_login(http, trainer)

    # A password change must verify the current password: the hash loads on demand.
    db.session.expunge_all()
    changed = http.patch("/api/v1/users/me", headers=auth(pair["access_token"]),
                         json={"current_password": "not-the-password-1", "new_password": STRONG_PASSWORD})

    assert_error(changed, 422, "current_password")


def test_zero_seconds_asks_the_database_every_time(app, http, trainer):
    app.config["AUTH_CACHE_SECONDS"] = 0
    pair = login(http, trainer.email, DEFAULT_PASSWORD)
    me(http, pair["access_token"])

    with count_statements() as counter:
        assert me(http, pair["access_token"]).status_code == 200

    assert counter.count == 1


def test_an_unreachable_cache_falls_back_to_the_database(http, trainer, monkeypatch):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    def unreachable(*_keys):
        raise RedisConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get_many", unreachable)
    with count_statements() as counter:
        assert me(http, pair["access_token"]).status_code == 200

    assert counter.count == 1


def test_a_refresh_token_is_always_checked_against_the_database(http, trainer):
    pair = _cached_login(http, trainer)
    refresh(http, pair["refresh_token"])

    with count_statements() as counter:
        refresh(http, pair["refresh_token"])

    assert any("auth_sessions" in statement for statement in counter.statements)


@pytest.mark.redis
def test_with_redis_a_cached_login_still_ends_at_logout(make_app, trainer, redis_url):
    email = trainer.email
    db.session.commit()
    prefix = f"fitbud-test-{uuid.uuid4().hex}:"
    redis_backed = make_app({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix})
    http = redis_backed.test_client()
    try:
        pair = login(http, email, DEFAULT_PASSWORD)
        assert me(http, pair["access_token"]).status_code == 200
        with redis_backed.app_context(), count_statements() as counter:
            assert me(http, pair["access_token"]).status_code == 200
        assert counter.count == 0, counter.statements

        http.post("/api/v1/auth/logout", headers=auth(pair["access_token"]))

        assert_error(me(http, pair["access_token"]), 401, message="Token has been revoked")
    finally:
        connection = Redis.from_url(redis_url)
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)


def test_a_clients_own_logging_keeps_their_token_check_cached(http, trainer):
    client = ClientFactory(trainer=trainer, with_login=True)
    pair = _cached_login(http, _login_of(client))

    logged = http.post("/api/v1/me/body-metrics", headers=auth(pair["access_token"]),
                       json={"measured_on": "2026-01-05", "metric": "weight", "value": 80.5})
    assert logged.status_code == 201, logged.get_json()  # their record's last activity moved

    _assert_answered_from_the_cache(http, pair["access_token"])

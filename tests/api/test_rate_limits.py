"""Login, register and refresh are limited per IP and per email: 429 with Retry-After."""

from __future__ import annotations

import uuid

import pytest
from redis import Redis

from config import DevelopmentConfig
from tests.api.auth_flow import STRONG_PASSWORD, login, refresh, register, unused_local_port
from tests.helpers import DEFAULT_PASSWORD, assert_error

LOGIN = "/api/v1/auth/login"


@pytest.fixture
def two_per_minute(app):
    """AUTH_RATE_LIMIT lowered so the third attempt is refused."""
    app.config["AUTH_RATE_LIMIT"] = "2/minute"


def _from(ip: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": ip}}


def _login(http, email: str, ip: str = "192.0.2.1", password: str = "wrong-password-1"):
    return http.post(LOGIN, json={"email": email, "password": password}, **_from(ip))


def test_login_third_attempt_from_one_ip_is_429_with_retry_after(http, two_per_minute):
    statuses = [_login(http, f"user{i}@example.com").status_code for i in range(2)]
    response = _login(http, "user3@example.com")

    assert statuses == [401, 401]
    body = assert_error(response, 429, message="Too many attempts")
    assert body["status"] == "Too Many Requests"
    assert "Retry-After" in body["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_login_limit_per_email_holds_across_ips(http, two_per_minute):
    for i in range(2):
        _login(http, "target@example.com", ip=f"198.51.100.{i}")

    response = _login(http, "TARGET@example.com ", ip="198.51.100.99")

    assert_error(response, 429, message="Too many attempts")


def test_login_limit_applies_even_to_correct_passwords(http, two_per_minute, trainer):
    for _ in range(2):
        _login(http, trainer.email, password=DEFAULT_PASSWORD)

    assert_error(_login(http, trainer.email, password=DEFAULT_PASSWORD), 429, message="Too many attempts")


def test_login_limit_does_not_touch_other_ips_and_emails(http, two_per_minute):
    for _ in range(3):
        _login(http, "target@example.com", ip="203.0.113.1")

    assert_error(_login(http, "someone@example.com", ip="203.0.113.2"), 401, message="Invalid email or password")


def test_register_third_attempt_from_one_ip_is_429(http, two_per_minute):
    for i in range(2):
        http.post(
            "/api/v1/auth/register",
            json={"email": f"new{i}@example.com", "password": STRONG_PASSWORD, "name": "N"},
            **_from("192.0.2.7"),
        )

    response = http.post(
        "/api/v1/auth/register",
        json={"email": "new9@example.com", "password": STRONG_PASSWORD, "name": "N"},
        **_from("192.0.2.7"),
    )

    assert_error(response, 429, message="Too many attempts")
    assert "Retry-After" in response.headers


def test_register_limit_per_email_holds_across_ips(http, two_per_minute):
    for i in range(2):
        http.post(
            "/api/v1/auth/register",
            json={"email": "dup@example.com", "password": "short", "name": "N"},
            **_from(f"192.0.2.{10 + i}"),
        )

    response = http.post(
        "/api/v1/auth/register",
        json={"email": "dup@example.com", "password": STRONG_PASSWORD, "name": "N"},
        **_from("192.0.2.50"),
    )

    assert_error(response, 429, message="Too many attempts")


def test_refresh_third_attempt_from_one_ip_is_429(http, app, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for _ in range(2):
        pair = refresh(http, pair["refresh_token"]).json

    assert_error(refresh(http, pair["refresh_token"]), 429, message="Too many attempts")


def test_each_endpoint_has_its_own_budget(http, two_per_minute):
    for i in range(3):
        _login(http, f"user{i}@example.com")

    assert register(http, "fresh@example.com").status_code == 201


def test_default_limit_is_generous_enough_for_normal_use(http, trainer):
    statuses = [
        _login(http, trainer.email, password=DEFAULT_PASSWORD).status_code for _ in range(5)
    ]

    assert statuses == [200] * 5


def test_forwarded_for_is_ignored_without_trusted_proxies(http, two_per_minute):
    for i in range(2):
        http.post(
            LOGIN,
            json={"email": f"u{i}@example.com", "password": "x"},
            headers={"X-Forwarded-For": f"198.18.0.{i}"},
        )

    response = http.post(
        LOGIN,
        json={"email": "u9@example.com", "password": "x"},
        headers={"X-Forwarded-For": "198.18.0.99"},
    )

    assert_error(response, 429, message="Too many attempts")


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(make_app):
    app = make_app(
        {
            "TRUSTED_PROXIES": 1,
            "AUTH_RATE_LIMIT": "2/minute",
        }
    )
    http = app.test_client()

    def attempt(client_ip: str, n: int):
        return http.post(
            LOGIN,
            json={"email": f"u{client_ip}-{n}@example.com", "password": "x"},
            headers={"X-Forwarded-For": client_ip},
        )

    for n in range(2):
        attempt("198.18.1.1", n)

    assert_error(attempt("198.18.1.1", 3), 429, message="Too many attempts")
    assert_error(attempt("198.18.1.2", 0), 401, message="Invalid email or password")


def test_limits_are_kept_in_redis_when_redis_is_configured(make_app, database_url, redis_url):
    settings = DevelopmentConfig(
        environ={
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "AUTH_RATE_LIMIT": "2/minute",
        }
    )
    settings.LOG_LEVEL = "WARNING"
    assert settings.RATELIMIT_STORAGE_URI.startswith("redis://")
    # A client address and emails of our own: the counters start empty, and only our keys are
    # removed afterwards (other suites may share this Redis database).
    tag = uuid.uuid4().hex
    ip = "10.{}.{}.{}".format(*uuid.UUID(tag).bytes[:3])
    redis = Redis.from_url(redis_url)
    http = make_app(settings).test_client()
    try:
        statuses = [
            http.post(
                LOGIN, json={"email": f"{tag}-{i}@example.com", "password": "x"}, **_from(ip)
            ).status_code
            for i in range(3)
        ]
        # (after the run's namespace, when an app of this process set one on the shared limiter)
        stored = redis.keys(f"*LIMITER/*{ip}/*")
    finally:
        for pattern in (f"*LIMITER/*{ip}/*", f"*{tag}*"):
            for key in redis.scan_iter(pattern):
                redis.delete(key)

    assert statuses == [401, 401, 429]
    assert stored


def test_login_keeps_working_and_limited_when_the_limit_store_is_down(make_app):
    app = make_app(
        {
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{unused_local_port()}/0",
            "AUTH_RATE_LIMIT": "2/minute",
        }
    )
    http = app.test_client()

    statuses = [_login(http, f"user{i}@example.com").status_code for i in range(3)]

    assert statuses == [401, 401, 429]


def test_a_successful_login_carries_the_rate_limit_headers_but_no_retry_after(http, trainer):
    response = http.post(LOGIN, json={"email": trainer.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert "X-RateLimit-Remaining" in response.headers
    assert "Retry-After" not in response.headers

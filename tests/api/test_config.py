"""Settings come from the environment; production refuses missing secrets and dev defaults."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from config import (
    DEV_FIELD_ENCRYPTION_KEY,
    DEV_JWT_SECRET_KEY,
    DEV_SECRET_KEY,
    ConfigurationError,
    DevelopmentConfig,
    ProductionConfig,
    load_config,
)
from fitbud import create_app

PRODUCTION_ENV = {
    "SECRET_KEY": "Zk3q9-secret-key-for-the-production-settings-tests",
    "JWT_SECRET_KEY": "Hq7w2-jwt-signing-key-for-the-production-settings-tests",
    "DATABASE_URL": "postgresql+psycopg://fitbud:secret@db.internal/fitbud",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "MAIL_BACKEND": "smtp",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1maWVsZC1rZXktb2YtMzItYnl0ZXM=",
}


def _production(**changes: str | None) -> ProductionConfig:
    environ = {**PRODUCTION_ENV, **changes}
    return ProductionConfig(environ={k: v for k, v in environ.items() if v is not None})


def test_production_with_every_setting_passes_validation():
    _production().validate()


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": DEV_SECRET_KEY}, "SECRET_KEY"),
        ({"JWT_SECRET_KEY": None}, "JWT_SECRET_KEY"),
        ({"JWT_SECRET_KEY": DEV_JWT_SECRET_KEY}, "JWT_SECRET_KEY"),
        ({"JWT_SECRET_KEY": "too-short"}, "JWT_SECRET_KEY"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": ""}, "DATABASE_URL"),
        ({"DATABASE_URL": DevelopmentConfig(environ={}).default_database_uri()}, "DATABASE_URL"),
        ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": DEV_FIELD_ENCRYPTION_KEY}, "FIELD_ENCRYPTION_KEYS"),
    ],
    ids=[
        "secret-missing",
        "secret-empty",
        "secret-dev-default",
        "jwt-missing",
        "jwt-dev-default",
        "jwt-short",
        "db-missing",
        "db-empty",
        "db-dev-sqlite",
        "field-keys-missing",
        "field-keys-dev-default",
    ],
)
def test_production_app_refuses_to_start(changes, named):
    with pytest.raises(ConfigurationError, match=named) as raised:
        create_app(_production(**changes))

    assert "refuses to start in production" in str(raised.value)


def test_production_names_every_problem_at_once():
    with pytest.raises(ConfigurationError) as raised:
        ProductionConfig(environ={}).validate()

    for name in ("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS"):
        assert name in str(raised.value)


def test_create_app_production_reads_the_process_environment(monkeypatch):
    for name in ("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)

    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production")


def test_development_accepts_its_defaults():
    settings = DevelopmentConfig(environ={})

    settings.validate()
    assert settings.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert settings.SQLALCHEMY_DATABASE_URI.endswith("instance/fitbud.db")


def test_database_url_selects_postgresql():
    url = "postgresql+psycopg://fitbud@localhost/fitbud"

    settings = DevelopmentConfig(environ={"DATABASE_URL": url})

    assert settings.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg://")


def test_unknown_configuration_name_is_refused():
    with pytest.raises(ConfigurationError, match="staging"):
        load_config("staging", environ={})


def test_jwt_algorithm_is_pinned_to_hs256():
    settings = DevelopmentConfig(environ={})

    assert settings.JWT_ALGORITHM == "HS256"
    assert settings.JWT_DECODE_ALGORITHMS == ["HS256"]


def test_token_lifetimes_default_to_15_minutes_and_30_days():
    settings = DevelopmentConfig(environ={})

    lifetimes = (settings.JWT_ACCESS_TOKEN_EXPIRES, settings.JWT_REFRESH_TOKEN_EXPIRES)
    assert lifetimes == (timedelta(minutes=15), timedelta(days=30))


def test_token_lifetimes_are_configurable():
    settings = DevelopmentConfig(
        environ={"JWT_ACCESS_TOKEN_MINUTES": "5", "JWT_REFRESH_TOKEN_DAYS": "7"}
    )

    lifetimes = (settings.JWT_ACCESS_TOKEN_EXPIRES, settings.JWT_REFRESH_TOKEN_EXPIRES)
    assert lifetimes == (timedelta(minutes=5), timedelta(days=7))


def test_auth_rate_limit_defaults_to_10_per_minute():
    assert DevelopmentConfig(environ={}).AUTH_RATE_LIMIT == "10/minute"


def test_auth_rate_limit_comes_from_the_environment():
    settings = DevelopmentConfig(environ={"AUTH_RATE_LIMIT": "100/hour;5/minute"})

    settings.validate()
    assert settings.AUTH_RATE_LIMIT == "100/hour;5/minute"


@pytest.mark.parametrize("value", ["ten per minute", "10/fortnight", ""])
def test_auth_rate_limit_that_cannot_be_parsed_is_refused(value):
    with pytest.raises(ConfigurationError, match="AUTH_RATE_LIMIT"):
        DevelopmentConfig(environ={"AUTH_RATE_LIMIT": value}).validate()


def test_rate_limits_are_stored_in_redis_when_configured():
    settings = DevelopmentConfig(environ={"REDIS_URL": "redis://cache.internal:6379/0"})

    assert settings.RATELIMIT_STORAGE_URI.startswith("redis://cache.internal")


def test_rate_limits_are_stored_in_memory_without_redis():
    assert DevelopmentConfig(environ={}).RATELIMIT_STORAGE_URI == "memory://"


def test_without_redis_the_cache_is_files_every_worker_shares(tmp_path):
    settings = DevelopmentConfig(environ={})
    assert settings.CACHE_TYPE == "FileSystemCache"
    assert os.path.dirname(settings.CACHE_DIR).endswith("instance/cache")  # a folder per database
    assert DevelopmentConfig(environ={"REDIS_URL": "redis://cache.internal:6379/0"}).CACHE_TYPE == "RedisCache"

    # Two apps stand in for two gunicorn workers: a change made through one drops what the other cached.
    from fitbud.services import trainer_cache

    workers = [create_app({"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(tmp_path)}) for _ in range(2)]
    with workers[0].app_context():
        trainer_cache.store(trainer_cache.lookup(1, "list"), "page", timeout=60)
    with workers[1].app_context():
        assert trainer_cache.lookup(1, "list").value == "page"
        trainer_cache.invalidate(1)
    with workers[0].app_context():
        assert trainer_cache.lookup(1, "list").value is None


def test_body_size_limit_is_configurable():
    assert DevelopmentConfig(environ={}).MAX_CONTENT_LENGTH == 1024 * 1024
    assert DevelopmentConfig(environ={"MAX_CONTENT_LENGTH": "2048"}).MAX_CONTENT_LENGTH == 2048


def test_trusted_proxies_default_to_none():
    assert DevelopmentConfig(environ={}).TRUSTED_PROXIES == 0
    assert DevelopmentConfig(environ={"TRUSTED_PROXIES": "2"}).TRUSTED_PROXIES == 2


def test_pool_skips_the_pre_ping_round_trip_and_recycles_connections_by_default():
    options = DevelopmentConfig(environ={}).SQLALCHEMY_ENGINE_OPTIONS

    assert options == {"pool_pre_ping": False, "pool_recycle": 1800, "hide_parameters": True}


def test_pool_pre_ping_and_recycle_are_configurable():
    settings = DevelopmentConfig(environ={"DATABASE_POOL_PRE_PING": "true", "DATABASE_POOL_RECYCLE": "300"})

    assert settings.SQLALCHEMY_ENGINE_OPTIONS == {"pool_pre_ping": True, "pool_recycle": 300, "hide_parameters": True}


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_webhook_tolerance_that_would_turn_the_check_off_is_refused(value):
    with pytest.raises(ConfigurationError, match="STRIPE_WEBHOOK_TOLERANCE_SECONDS"):
        DevelopmentConfig(environ={"STRIPE_WEBHOOK_TOLERANCE_SECONDS": value}).validate()

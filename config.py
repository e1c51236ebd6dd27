"""Fitbud settings: one class per environment, and the only place environment variables are read."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

# Values that only make sense on a developer's machine; production refuses them.
DEV_SECRET_KEY = "dev-secret-key-change-me-before-production"
DEV_JWT_SECRET_KEY = "dev-jwt-secret-key-change-me-before-production"
# A valid Fernet key for development and tests only (production must set FIELD_ENCRYPTION_KEYS).
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LWZpZWxkLWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM="

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot run Fitbud safely."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return default if value in (None, "") else int(value)


def _float(value: str | None, default: float) -> float:
    return default if value in (None, "") else float(value)


class Config:
    """Settings shared by every environment; values come from the environment given."""

    ENV_NAME = "base"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.SECRET_KEY = env.get("SECRET_KEY", DEV_SECRET_KEY)
        self.JWT_SECRET_KEY = env.get("JWT_SECRET_KEY", DEV_JWT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = env.get("DATABASE_URL") or self.default_database_uri()
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")

        # Tokens: short-lived access, long-lived rotating refresh.
        self.JWT_ACCESS_TOKEN_EXPIRES = timedelta(
            minutes=_int(env.get("JWT_ACCESS_TOKEN_MINUTES"), 15)
        )
        self.JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=_int(env.get("JWT_REFRESH_TOKEN_DAYS"), 30))
        self.JWT_ALGORITHM = "HS256"
        self.JWT_DECODE_ALGORITHMS = ["HS256"]
        self.JWT_TOKEN_LOCATION = ["headers", "cookies"]
        self.JWT_COOKIE_SECURE = _bool(env.get("JWT_COOKIE_SECURE"), False)
        self.JWT_COOKIE_SAMESITE = "Lax"
        self.JWT_COOKIE_CSRF_PROTECT = True
        self.JWT_ACCESS_COOKIE_PATH = "/"
        self.JWT_REFRESH_COOKIE_PATH = "/"

        # Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
        self.ARGON2_TIME_COST = _int(env.get("ARGON2_TIME_COST"), 2)
        self.ARGON2_MEMORY_COST = _int(env.get("ARGON2_MEMORY_COST"), 19456)
        self.ARGON2_PARALLELISM = _int(env.get("ARGON2_PARALLELISM"), 1)

        self.AUTH_RATE_LIMIT = env.get("AUTH_RATE_LIMIT", "10/minute")
        self.RATELIMIT_ENABLED = _bool(env.get("RATELIMIT_ENABLED"), True)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"

        self.CACHE_TYPE = "RedisCache" if self.REDIS_URL else "SimpleCache"
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_DEFAULT_TIMEOUT = _int(env.get("CACHE_DEFAULT_TIMEOUT"), 300)
        self.CACHE_KEY_PREFIX = env.get("CACHE_KEY_PREFIX", "fitbud:")

        self.MAX_CONTENT_LENGTH = _int(env.get("MAX_CONTENT_LENGTH"), 1024 * 1024)

        # The exercise library is cached per trainer and invalidated on every change, so the
        # timeout only bounds how long an unused entry lingers.
        self.EXERCISE_CACHE_SECONDS = _int(env.get("EXERCISE_CACHE_SECONDS"), 3600)

        # Optional AI plan provider; without a URL the rule-based generator drafts every plan.
        self.PLAN_AI_URL = env.get("PLAN_AI_URL") or None
        self.PLAN_AI_API_KEY = env.get("PLAN_AI_API_KEY") or None
        self.PLAN_AI_TIMEOUT_SECONDS = _float(env.get("PLAN_AI_TIMEOUT_SECONDS"), 10.0)
        self.PLAN_AI_MAX_RESPONSE_BYTES = _int(env.get("PLAN_AI_MAX_RESPONSE_BYTES"), 2 * 1024 * 1024)

        # Comma-separated Fernet keys, newest first; older keys still decrypt (rotation).
        self.FIELD_ENCRYPTION_KEYS = [
            key.strip()
            for key in env.get("FIELD_ENCRYPTION_KEYS", DEV_FIELD_ENCRYPTION_KEY).split(",")
            if key.strip()
        ]

        self.MAIL_BACKEND = env.get("MAIL_BACKEND", "console")
        self.MAIL_FROM = env.get("MAIL_FROM", "Fitbud <no-reply@fitbud.local>")
        self.SMTP_HOST = env.get("SMTP_HOST", "localhost")
        self.SMTP_PORT = _int(env.get("SMTP_PORT"), 587)
        self.SMTP_USERNAME = env.get("SMTP_USERNAME")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD")
        self.SMTP_USE_TLS = _bool(env.get("SMTP_USE_TLS"), True)

        self.RQ_QUEUES = ["high", "default", "low"]
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        self.LOG_JSON = _bool(env.get("LOG_JSON"), True)

        # flask-smorest / OpenAPI
        self.API_TITLE = "Fitbud API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "/docs"
        self.OPENAPI_SWAGGER_UI_URL = env.get(
            "OPENAPI_SWAGGER_UI_URL", "https://cdn.jsdelivr.net/npm/swagger-ui-dist/"
        )
        self.OPENAPI_REDOC_PATH = "/redoc"
        self.OPENAPI_REDOC_URL = env.get(
            "OPENAPI_REDOC_URL", "https://cdn.jsdelivr.net/npm/redoc@next/bundles/redoc.standalone.js"
        )
        self.API_SPEC_OPTIONS = {
            "info": {
                "description": "Fitbud: trainers, their clients, plans, sessions and progress."
            },
            "servers": [{"url": "/", "description": "This server"}],
        }

    def default_database_uri(self) -> str:
        """The embedded default: a SQLite file under instance/, for a machine with nothing installed."""
        return f"sqlite:///{INSTANCE_DIR / 'fitbud.db'}"

    def validate(self) -> None:
        """Refuse settings this environment cannot run safely with; the base accepts defaults."""


class DevelopmentConfig(Config):
    """Local development: embedded SQLite, inline jobs, console mail."""

    ENV_NAME = "development"


class TestingConfig(Config):
    """The test suite: cheap hashing, generous limits, and a database given by TEST_DATABASE_URL."""

    ENV_NAME = "testing"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        super().__init__(env)
        self.TESTING = True
        self.SQLALCHEMY_DATABASE_URI = env.get("TEST_DATABASE_URL") or "sqlite://"
        self.REDIS_URL = env.get("TEST_REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.CACHE_TYPE = "SimpleCache"
        self.CACHE_REDIS_URL = None
        self.AUTH_RATE_LIMIT = "1000/minute"
        # Hashing at production strength would make the suite crawl; tests pin behaviour, not cost.
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_COST = 8
        self.MAIL_BACKEND = "memory"
        self.LOG_JSON = False
        self.PUBLIC_BASE_URL = "http://fitbud.test"
        # No test may reach a provider configured in the developer's environment.
        self.PLAN_AI_URL = None
        self.PLAN_AI_API_KEY = None


class ProductionConfig(Config):
    """Production: PostgreSQL, Redis, and no development defaults."""

    ENV_NAME = "production"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        super().__init__(env)
        self.JWT_COOKIE_SECURE = _bool(env.get("JWT_COOKIE_SECURE"), True)
        self._raw_database_url = env.get("DATABASE_URL")
        self._raw_field_keys = env.get("FIELD_ENCRYPTION_KEYS")

    def validate(self) -> None:
        problems = []
        if self.SECRET_KEY in ("", DEV_SECRET_KEY):
            problems.append("SECRET_KEY is missing or is the development default")
        if self.JWT_SECRET_KEY in ("", DEV_JWT_SECRET_KEY):
            problems.append("JWT_SECRET_KEY is missing or is the development default")
        elif len(self.JWT_SECRET_KEY.encode()) < 32:
            problems.append("JWT_SECRET_KEY must be at least 32 bytes for HS256")
        if not self._raw_database_url:
            problems.append("DATABASE_URL is missing (production does not use the SQLite default)")
        if not self._raw_field_keys or DEV_FIELD_ENCRYPTION_KEY in self.FIELD_ENCRYPTION_KEYS:
            problems.append("FIELD_ENCRYPTION_KEYS is missing or is the development default")
        if self.PLAN_AI_URL and not self.PLAN_AI_URL.startswith("https://"):
            problems.append("PLAN_AI_URL must use https (it carries clients' health details)")
        if problems:
            raise ConfigurationError(
                "Fitbud refuses to start in production: " + "; ".join(problems) + "."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Build the settings for the named environment (default: FLASK_CONFIG, then development)."""
    env = os.environ if environ is None else environ
    chosen = name or env.get("FLASK_CONFIG") or "development"
    try:
        config_class = CONFIGS[chosen]
    except KeyError:
        raise ConfigurationError(
            f"Unknown configuration {chosen!r}; use one of {sorted(CONFIGS)}."
        ) from None
    return config_class(env)

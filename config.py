"""Fitbud settings: one class per environment, and the only place environment variables are read."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# Values that only make sense on a developer's machine; production refuses them.
DEV_SECRET_KEY = "dev-secret-key-change-me-before-production"
DEV_JWT_SECRET_KEY = "dev-jwt-secret-key-change-me-before-production"
# A valid Fernet key for development and tests only (production must set FIELD_ENCRYPTION_KEYS).
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LWZpZWxkLWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM="

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


def cache_dir_for(database_uri: str) -> str:
    """The embedded cache's folder for this database: instance/cache/<digest of its address>.

    The address without its password, so a rotated password keeps the cache; a SQLite file is
    named by its absolute path, so two checkouts' default databases never share a folder.
    """
    try:
        address = make_url(database_uri).render_as_string(hide_password=True)
    except ArgumentError:
        address = database_uri
    digest = hashlib.sha256(address.encode()).hexdigest()[:16]
    return str(INSTANCE_DIR / "cache" / digest)


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot run Fitbud safely."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return default if value in (None, "") else int(value)


def _minutes_list(value: str | None, default: list[int]) -> list[int]:
    """Comma-separated positive minutes, largest first ("1440,60")."""
    if value in (None, ""):
        return list(default)
    try:
        minutes = sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)
    except ValueError:
        minutes = []
    if not minutes or minutes[-1] <= 0:
        raise ConfigurationError("SESSION_REMINDER_OFFSETS must be positive minutes, e.g. 1440,60.")
    return minutes


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
        # No pre-ping: it is a database round trip on every request (every pool checkout), about
        # as much as a cheap query. A dropped connection is instead detected when it fails:
        # SQLAlchemy then invalidates the whole pool, so after a database restart each worker
        # fails at most the one request that was using a dead connection. Connections are
        # recycled before idle-connection killers (firewalls, PgBouncer, server timeouts) would
        # close them. DATABASE_POOL_PRE_PING=true restores the check where connections die often.
        self.DATABASE_POOL_PRE_PING = _bool(env.get("DATABASE_POOL_PRE_PING"), False)
        self.DATABASE_POOL_RECYCLE = _int(env.get("DATABASE_POOL_RECYCLE"), 1800)
        # A hung PostgreSQL (stopped, or its host unreachable) must fail requests fast, /readyz
        # included, rather than hold every worker for as long as it hangs: a connection attempt
        # gives up after DATABASE_CONNECT_TIMEOUT seconds, and a statement (or commit) after
        # DATABASE_STATEMENT_TIMEOUT, on the server (statement_timeout) and, for a server that no
        # longer answers at all, on the client (fitbud/ext/statement_deadline.py). 0 turns one off.
        self.DATABASE_CONNECT_TIMEOUT = _int(env.get("DATABASE_CONNECT_TIMEOUT"), 3)
        self.DATABASE_STATEMENT_TIMEOUT = _float(env.get("DATABASE_STATEMENT_TIMEOUT"), 10.0)
        # What a 503 for an unreachable database (or Redis) tells the client to wait, in seconds.
        self.OUTAGE_RETRY_AFTER = _int(env.get("OUTAGE_RETRY_AFTER"), 5)
        self.SQLALCHEMY_ENGINE_OPTIONS = {
            "pool_pre_ping": self.DATABASE_POOL_PRE_PING,
            "pool_recycle": self.DATABASE_POOL_RECYCLE,
            # A failed statement's message never carries its parameters (notes, health details,
            # tokens), so neither do the error log and a failed report's stored reason.
            "hide_parameters": True,
        }
        self.REDIS_URL = env.get("REDIS_URL") or None
        # redis-py waits 5 s for a connection and forever for an answer by default; the cache,
        # rate limits and queues are each a sub-millisecond call, so a stalled Redis is given up
        # on after these many seconds and the request goes on without it (or answers 503).
        self.REDIS_CONNECT_TIMEOUT = _float(env.get("REDIS_CONNECT_TIMEOUT"), 1.0)
        self.REDIS_SOCKET_TIMEOUT = _float(env.get("REDIS_SOCKET_TIMEOUT"), 1.0)
        redis_timeouts = {
            "socket_connect_timeout": self.REDIS_CONNECT_TIMEOUT,
            "socket_timeout": self.REDIS_SOCKET_TIMEOUT,
        }
        self.PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")

        # Tokens: short-lived access, long-lived rotating refresh.
        self.JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=_int(env.get("JWT_ACCESS_TOKEN_MINUTES"), 15))
        self.JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=_int(env.get("JWT_REFRESH_TOKEN_DAYS"), 30))
        # A login session (services/accounts.py) ends SESSION_IDLE_DAYS after its last use (a
        # refresh, the browser's cookie renewal) and SESSION_MAX_AGE_DAYS after the login, however
        # much it is used; then the person logs in again.
        self.SESSION_IDLE_DAYS = _int(env.get("SESSION_IDLE_DAYS"), 7)
        self.SESSION_MAX_AGE_DAYS = _int(env.get("SESSION_MAX_AGE_DAYS"), 30)
        self.JWT_ALGORITHM = "HS256"
        self.JWT_DECODE_ALGORITHMS = ["HS256"]
        self.JWT_TOKEN_LOCATION = ["headers", "cookies"]
        self.JWT_COOKIE_SECURE = _bool(env.get("JWT_COOKIE_SECURE"), False)
        self.JWT_COOKIE_SAMESITE = "Lax"
        self.JWT_COOKIE_CSRF_PROTECT = True
        self.JWT_ACCESS_COOKIE_PATH = "/"
        self.JWT_REFRESH_COOKIE_PATH = "/"
        # Plain HTML forms (the client app works without JavaScript) cannot send the CSRF header,
        # so a cookie-authenticated POST may carry the double-submit value in a csrf_token field.
        self.JWT_CSRF_CHECK_FORM = True
        # Flask's own session cookie (the client app's form tokens): never sent by another site's
        # POST or iframe; production also marks it Secure (ProductionConfig).
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_HTTPONLY = True

        # Responses are compressed for browsers that ask (Accept-Encoding): brotli, else gzip.
        # Streamed bodies (report downloads, files) are left alone and keep their length.
        self.COMPRESS_ALGORITHM = ["br", "gzip"]
        self.COMPRESS_STREAMS = False
        self.COMPRESS_MIMETYPES = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ]

        # Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
        self.ARGON2_TIME_COST = _int(env.get("ARGON2_TIME_COST"), 2)
        self.ARGON2_MEMORY_COST = _int(env.get("ARGON2_MEMORY_COST"), 19456)
        self.ARGON2_PARALLELISM = _int(env.get("ARGON2_PARALLELISM"), 1)

        # Web apps on other origins that may call the API from a browser (CORS), comma-separated
        # ("https://app.example.com,https://admin.example.com"). None by default: mobile apps and
        # servers need no CORS; a browser app on another origin is named here, never "*".
        origins = env.get("CORS_ORIGINS", "").split(",")
        self.CORS_ORIGINS = [origin.strip().rstrip("/") for origin in origins if origin.strip()]

        # flask-limiter syntax ("10/minute", "100/hour;10/minute"); per IP and per email.
        self.AUTH_RATE_LIMIT = env.get("AUTH_RATE_LIMIT", "10/minute")
        self.RATELIMIT_ENABLED = _bool(env.get("RATELIMIT_ENABLED"), True)
        # Emailed account links (services/identity.py): how long each works, and how often one may
        # be asked for (a verification link per account; a reset link per address and per IP).
        self.EMAIL_VERIFICATION_HOURS = _int(env.get("EMAIL_VERIFICATION_HOURS"), 48)
        self.PASSWORD_RESET_MINUTES = _int(env.get("PASSWORD_RESET_MINUTES"), 60)
        self.VERIFICATION_RESEND_LIMIT = env.get("VERIFICATION_RESEND_LIMIT", "3/hour")
        self.PASSWORD_RESET_LIMIT_PER_EMAIL = env.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3/hour")
        self.PASSWORD_RESET_LIMIT_PER_IP = env.get("PASSWORD_RESET_LIMIT_PER_IP", "20/hour")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # If Redis goes away, count in process memory rather than fail every login with a 500.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_STORAGE_OPTIONS = dict(redis_timeouts)

        self.CACHE_TYPE = "RedisCache" if self.REDIS_URL else "FileSystemCache"
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_OPTIONS = dict(redis_timeouts) if self.REDIS_URL else None
        # Without Redis, files under instance/ that every worker on this machine shares: cached
        # views are dropped on each change, and a per-process cache would drop them only in the
        # worker that made the change. One folder per database (see cache_dir_for): two servers
        # started from one checkout on different databases never answer each other's entries.
        self.CACHE_DIR = cache_dir_for(self.SQLALCHEMY_DATABASE_URI)
        # With Redis, an invalidation can fail (Redis stalled at that moment). The failure then
        # moves the database's cache generation on, and every process stops serving entries of
        # the old one within this many seconds (services/versioned_cache.py). None: no check
        # (the embedded file cache, whose writes do not fail that way).
        self.CACHE_GENERATION_CHECK_SECONDS: float | None = (
            _float(env.get("CACHE_GENERATION_CHECK_SECONDS"), 1.0) if self.REDIS_URL else None
        )
        self.CACHE_DEFAULT_TIMEOUT = _int(env.get("CACHE_DEFAULT_TIMEOUT"), 300)
        self.CACHE_KEY_PREFIX = env.get("CACHE_KEY_PREFIX", "fitbud:")

        # How many reverse proxies (load balancer, ingress) sit in front of gunicorn. Their
        # X-Forwarded-For/-Proto are trusted, so rate limits key on the real client address.
        self.TRUSTED_PROXIES = _int(env.get("TRUSTED_PROXIES"), 0)

        self.MAX_CONTENT_LENGTH = _int(env.get("MAX_CONTENT_LENGTH"), 1024 * 1024)
        # Body-metric CSV imports (history from another app): bytes and data rows per file.
        self.BODY_METRICS_IMPORT_MAX_BYTES = _int(env.get("BODY_METRICS_IMPORT_MAX_BYTES"), 512 * 1024)
        self.BODY_METRICS_IMPORT_MAX_ROWS = _int(env.get("BODY_METRICS_IMPORT_MAX_ROWS"), 10_000)
        # Imports of other apps' files (POST /api/v1/me/imports): the largest upload (an Apple
        # Health export.zip of years is a few hundred MB), the size up to which it is read in the
        # request (larger ones go to an RQ job; without Redis the job runs inline), and where an
        # upload waits for its job (web and worker processes must share it; default instance/imports).
        self.IMPORT_MAX_BYTES = _int(env.get("IMPORT_MAX_BYTES"), 512 * 1024 * 1024)
        self.IMPORT_INLINE_MAX_BYTES = _int(env.get("IMPORT_INLINE_MAX_BYTES"), 2 * 1024 * 1024)
        self.IMPORT_UPLOAD_DIR = env.get("IMPORT_UPLOAD_DIR", "")
        self.IMPORT_QUEUE = env.get("IMPORT_QUEUE", "low")
        self.IMPORT_JOB_TIMEOUT = _int(env.get("IMPORT_JOB_TIMEOUT"), 1800)
        self.IMPORT_RESULT_TTL = _int(env.get("IMPORT_RESULT_TTL"), 24 * 3600)

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
            key.strip() for key in env.get("FIELD_ENCRYPTION_KEYS", DEV_FIELD_ENCRYPTION_KEY).split(",") if key.strip()
        ]

        self.MAIL_BACKEND = env.get("MAIL_BACKEND", "console")
        self.MAIL_FROM = env.get("MAIL_FROM", "Fitbud <no-reply@fitbud.local>")
        self.SMTP_HOST = env.get("SMTP_HOST", "localhost")
        self.SMTP_PORT = _int(env.get("SMTP_PORT"), 587)
        self.SMTP_USERNAME = env.get("SMTP_USERNAME")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD")
        self.SMTP_USE_TLS = _bool(env.get("SMTP_USE_TLS"), True)

        # Billing is off (its endpoints answer 503) until a Stripe secret key is configured.
        self.STRIPE_SECRET_KEY = env.get("STRIPE_SECRET_KEY") or None
        self.STRIPE_WEBHOOK_SECRET = env.get("STRIPE_WEBHOOK_SECRET") or None
        self.STRIPE_MAX_NETWORK_RETRIES = _int(env.get("STRIPE_MAX_NETWORK_RETRIES"), 2)
        # A webhook signed further than this from now, in either direction, is refused (replays).
        self.STRIPE_WEBHOOK_TOLERANCE_SECONDS = _int(env.get("STRIPE_WEBHOOK_TOLERANCE_SECONDS"), 300)
        self._stripe_urls(env)

        self.RQ_QUEUES = ["high", "default", "low"]
        # Put before every queue name Fitbud uses (enqueueing and serving), so two deployments,
        # or two test runs, can share one Redis database without taking each other's jobs.
        self.RQ_QUEUE_PREFIX = env.get("RQ_QUEUE_PREFIX", "")

        # Scheduling: how late a client may cancel online, and when reminders go out.
        self.SESSION_CANCEL_CUTOFF_HOURS = _int(env.get("SESSION_CANCEL_CUTOFF_HOURS"), 24)
        self.SESSION_REMINDER_OFFSETS = _minutes_list(env.get("SESSION_REMINDER_OFFSETS"), [1440, 60])
        # The periodic pass (outbox, due reminders, expired replays): how often the worker runs it.
        self.PERIODIC_INTERVAL_SECONDS = _int(env.get("PERIODIC_INTERVAL_SECONDS"), 60)
        # How long a request sent with an Idempotency-Key can be replayed (then the key is forgotten).
        self.IDEMPOTENCY_KEY_TTL_HOURS = _int(env.get("IDEMPOTENCY_KEY_TTL_HOURS"), 24)
        # Analytics: a trainer's cached aggregates live this long unless their data changes sooner.
        self.ANALYTICS_CACHE_TIMEOUT = _int(env.get("ANALYTICS_CACHE_TIMEOUT"), 600)
        # Cached API reads (Blueprint.cached_per_trainer) are dropped on every change to their
        # trainer's data; this bounds one a change outside the ORM session leaves behind. 0: off.
        self.RESPONSE_CACHE_SECONDS = _int(env.get("RESPONSE_CACHE_SECONDS"), 60)
        # The token check's answer (login open, user active, their trainer) is cached per login
        # and dropped by every commit that changes it; this bounds one whose drop failed (Redis
        # unreachable at that moment). On with Redis only: a file cache costs more than the query.
        self.AUTH_CACHE_SECONDS = _int(env.get("AUTH_CACHE_SECONDS"), 60 if self.REDIS_URL else 0)
        # Per-account quotas (flask-limiter syntax; 429 with Retry-After beyond them): reports
        # asked for (besides at most one running report of each kind per account), and
        # invitation emails, stricter for accounts whose address is not confirmed yet.
        self.REPORT_QUOTA = env.get("REPORT_QUOTA", "20/hour;60/day")
        self.INVITATION_QUOTA = env.get("INVITATION_QUOTA", "20/hour;50/day")
        self.INVITATION_QUOTA_UNVERIFIED = env.get("INVITATION_QUOTA_UNVERIFIED", "5/day")
        # Report jobs: long-running, so on the low queue, with a hard timeout and TTLs, and
        # retried with growing pauses when a failure looks temporary (database, Redis, network).
        self.REPORT_QUEUE = env.get("REPORT_QUEUE", "low")
        self.REPORT_JOB_TIMEOUT = _int(env.get("REPORT_JOB_TIMEOUT"), 900)
        self.REPORT_RESULT_TTL = _int(env.get("REPORT_RESULT_TTL"), 24 * 3600)
        self.REPORT_FAILURE_TTL = _int(env.get("REPORT_FAILURE_TTL"), 7 * 24 * 3600)
        self.REPORT_RETRY_INTERVALS = [
            int(part) for part in env.get("REPORT_RETRY_INTERVALS", "15,60,300").split(",") if part.strip()
        ]
        # A running report job writes a heartbeat on its row every REPORT_HEARTBEAT_SECONDS; one
        # silent for REPORT_HEARTBEAT_TIMEOUT has lost its worker. Workers check running reports
        # every REPORT_CHECK_SECONDS and retry or fail such a report (services/reports.py).
        self.REPORT_HEARTBEAT_SECONDS = _float(env.get("REPORT_HEARTBEAT_SECONDS"), 10.0)
        self.REPORT_HEARTBEAT_TIMEOUT = _float(env.get("REPORT_HEARTBEAT_TIMEOUT"), 60.0)
        self.REPORT_CHECK_SECONDS = _float(env.get("REPORT_CHECK_SECONDS"), 20.0)
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        self.LOG_JSON = _bool(env.get("LOG_JSON"), True)

        # flask-smorest / OpenAPI
        self.API_TITLE = "Fitbud API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "/docs"
        self.OPENAPI_SWAGGER_UI_URL = env.get("OPENAPI_SWAGGER_UI_URL", "/static/openapi/swagger-ui/")
        self.OPENAPI_REDOC_PATH = "/redoc"
        self.OPENAPI_REDOC_URL = env.get("OPENAPI_REDOC_URL", "/static/openapi/redoc/redoc.standalone.js")
        self.API_SPEC_OPTIONS = {
            "info": {"description": "Fitbud: trainers, their clients, plans, sessions and progress."},
            "servers": [{"url": "/", "description": "This server"}],
        }

    def _stripe_urls(self, env: Mapping[str, str]) -> None:
        """Where Stripe sends the browser back; by default pages of PUBLIC_BASE_URL."""
        base = self.PUBLIC_BASE_URL
        # {CHECKOUT_SESSION_ID} is filled in by Stripe, so the page can look the session up.
        self.STRIPE_SUCCESS_URL = env.get(
            "STRIPE_SUCCESS_URL", f"{base}/billing/success?session_id={{CHECKOUT_SESSION_ID}}"
        )
        self.STRIPE_CANCEL_URL = env.get("STRIPE_CANCEL_URL", f"{base}/billing/cancel")
        self.STRIPE_PORTAL_RETURN_URL = env.get("STRIPE_PORTAL_RETURN_URL", f"{base}/billing")

    def default_database_uri(self) -> str:
        """The embedded default: a SQLite file under instance/, for a machine with nothing else."""
        return f"sqlite:///{INSTANCE_DIR / 'fitbud.db'}"

    def validate(self) -> None:
        """Refuse settings no environment can run with; production adds its own rules."""
        for name in (
            "AUTH_RATE_LIMIT",
            "VERIFICATION_RESEND_LIMIT",
            "PASSWORD_RESET_LIMIT_PER_EMAIL",
            "PASSWORD_RESET_LIMIT_PER_IP",
        ):
            try:
                parse_many(getattr(self, name))
            except ValueError:
                raise ConfigurationError(
                    f"{name} {getattr(self, name)!r} is not a rate limit; "
                    'use flask-limiter syntax such as "10/minute" or "100/hour;10/minute".'
                ) from None
        for name in ("EMAIL_VERIFICATION_HOURS", "PASSWORD_RESET_MINUTES", "SESSION_IDLE_DAYS", "SESSION_MAX_AGE_DAYS"):
            if getattr(self, name) < 1:
                raise ConfigurationError(f"{name} must be a positive whole number.")
        for origin in self.CORS_ORIGINS:
            if not origin.startswith(("https://", "http://")):
                raise ConfigurationError(
                    f"CORS_ORIGINS {origin!r} is not an origin; name each one, e.g. https://app.example.com."
                )
        for name in ("REPORT_QUOTA", "INVITATION_QUOTA", "INVITATION_QUOTA_UNVERIFIED"):
            try:
                parse_many(getattr(self, name))
            except ValueError:
                raise ConfigurationError(
                    f'{name} {getattr(self, name)!r} is not a quota; use e.g. "20/hour;50/day".'
                ) from None
        if self.STRIPE_WEBHOOK_TOLERANCE_SECONDS <= 0:
            # Stripe's library reads 0 as "no check": every old signature would replay.
            raise ConfigurationError("STRIPE_WEBHOOK_TOLERANCE_SECONDS must be a positive number of seconds.")


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
        if self.SQLALCHEMY_DATABASE_URI == "sqlite://":
            # The in-memory database lives in its one connection: recycling it would empty it.
            self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False, "hide_parameters": True}
        # Apps under test run embedded (jobs inline, mail in the outbox); tests that exercise
        # Redis build an app with REDIS_URL set to the `redis_url` fixture (TEST_REDIS_URL).
        self.REDIS_URL = None
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.CACHE_TYPE = "SimpleCache"
        self.CACHE_REDIS_URL = None
        # Every key a test run writes to a Redis it shares (cache, rate limits, RQ queues) carries
        # the run's namespace; tests/conftest.py sets one per test process, so two suites on one
        # Redis database never meet, and none ever flushes it.
        namespace = env.get("TEST_REDIS_NAMESPACE", "fitbud-test")
        self.CACHE_KEY_PREFIX = f"{namespace}:cache:"
        self.RATELIMIT_KEY_PREFIX = namespace
        self.RQ_QUEUE_PREFIX = f"{namespace}:"
        # The suite runs with the token-check cache on (in SimpleCache), so every test of a
        # logout, a revocation or a deactivation also proves the cache lets go at once.
        self.AUTH_CACHE_SECONDS = _int(env.get("AUTH_CACHE_SECONDS"), 60)
        self.AUTH_RATE_LIMIT = "1000/minute"
        # Tests that need a quota lower it; the rest may invite and report freely.
        self.REPORT_QUOTA = "1000/hour"
        self.INVITATION_QUOTA = "1000/hour"
        self.INVITATION_QUOTA_UNVERIFIED = "1000/hour"
        # Hashing at production strength would make the suite crawl; tests pin behaviour, not cost.
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_COST = 8
        self.MAIL_BACKEND = "memory"
        self.LOG_JSON = False
        self.PUBLIC_BASE_URL = "http://fitbud.test"
        # Never a real key in tests: billing tests configure a fake Stripe HTTP client themselves.
        self.STRIPE_SECRET_KEY = None
        self.STRIPE_WEBHOOK_SECRET = None
        self._stripe_urls({})
        # Retry at once: a burst-mode test worker has no scheduler to wait for a pause.
        self.REPORT_RETRY_INTERVALS = [0, 0]
        # No test may reach a provider configured in the developer's environment.
        self.PLAN_AI_URL = None
        self.PLAN_AI_API_KEY = None


def _one_repeated_character(value: str) -> bool:
    return len(set(value)) == 1


def _weak_fernet_key(key: str) -> str | None:
    """Why a Fernet key is unusable or trivially guessable, or None when it is a real key."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32:
        return "is not a Fernet key (32 url-safe base64-encoded bytes)"
    if len(set(raw)) == 1 or _one_repeated_character(key.rstrip("=")):
        return "is one character repeated"
    return None


# Settings whose production check a deployment may waive on purpose, by naming them in
# ALLOW_UNSAFE_PRODUCTION (a one-machine trial without Redis, a load test without limits...).
# Missing or guessable secrets are never waivable: generating a real one is a one-liner.
WAIVABLE_CHECKS = (
    "DATABASE_URL",
    "REDIS_URL",
    "RATELIMIT_ENABLED",
    "JWT_COOKIE_SECURE",
    "MAIL_BACKEND",
)
MIN_SECRET_BYTES = 32


class ProductionConfig(Config):
    """Production: PostgreSQL, Redis, real secrets, mail that leaves the machine, and no development defaults."""

    ENV_NAME = "production"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        super().__init__(env)
        self.JWT_COOKIE_SECURE = _bool(env.get("JWT_COOKIE_SECURE"), True)
        # The Flask session cookie (the client app's form tokens) follows the JWT cookies.
        self.SESSION_COOKIE_SECURE = self.JWT_COOKIE_SECURE
        self.ALLOW_UNSAFE_PRODUCTION = sorted(
            {name.strip().upper() for name in env.get("ALLOW_UNSAFE_PRODUCTION", "").split(",") if name.strip()}
        )
        self._raw_database_url = env.get("DATABASE_URL")
        self._raw_field_keys = env.get("FIELD_ENCRYPTION_KEYS")

    def validate(self) -> None:
        """Refuse development defaults, guessable secrets and unsafe setups, naming each problem."""
        super().validate()
        problems = self._secret_problems()
        unknown = sorted(set(self.ALLOW_UNSAFE_PRODUCTION) - set(WAIVABLE_CHECKS))
        if unknown:
            problems.append(
                f"ALLOW_UNSAFE_PRODUCTION names {', '.join(unknown)}, which cannot be waived "
                f"(only {', '.join(WAIVABLE_CHECKS)} can)"
            )
        waivable = {name: why for name, why in self._setup_problems() if name not in self.ALLOW_UNSAFE_PRODUCTION}
        problems += [
            f"{why} (set ALLOW_UNSAFE_PRODUCTION={name} to accept it deliberately)" for name, why in waivable.items()
        ]
        if self.MAIL_BACKEND == "smtp" and not self.SMTP_HOST:
            problems.append("SMTP_HOST is empty (MAIL_BACKEND=smtp needs a mail server)")
        if self.STRIPE_SECRET_KEY and not self.STRIPE_WEBHOOK_SECRET:
            problems.append("STRIPE_WEBHOOK_SECRET is missing (without it no payment would ever be recorded)")
        if self.PLAN_AI_URL and not self.PLAN_AI_URL.startswith("https://"):
            problems.append("PLAN_AI_URL must use https (it carries clients' health details)")
        if problems:
            raise ConfigurationError("Fitbud refuses to start in production: " + "; ".join(problems) + ".")

    def _secret_problems(self) -> list[str]:
        """Secrets that are missing, development defaults, short, repeated or shared."""
        problems = []
        if self.SECRET_KEY in ("", DEV_SECRET_KEY):
            problems.append("SECRET_KEY is missing or is the development default")
        elif len(self.SECRET_KEY.encode()) < MIN_SECRET_BYTES:
            problems.append(f"SECRET_KEY is too short (at least {MIN_SECRET_BYTES} bytes)")
        elif _one_repeated_character(self.SECRET_KEY):
            problems.append("SECRET_KEY is one character repeated")
        if self.JWT_SECRET_KEY in ("", DEV_JWT_SECRET_KEY):
            problems.append("JWT_SECRET_KEY is missing or is the development default")
        elif len(self.JWT_SECRET_KEY.encode()) < MIN_SECRET_BYTES:
            problems.append(f"JWT_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes for HS256")
        elif self.JWT_SECRET_KEY == self.SECRET_KEY:
            problems.append("JWT_SECRET_KEY is the same as SECRET_KEY (use two different secrets)")
        elif _one_repeated_character(self.JWT_SECRET_KEY):
            problems.append("JWT_SECRET_KEY is one character repeated")
        if not self._raw_field_keys or DEV_FIELD_ENCRYPTION_KEY in self.FIELD_ENCRYPTION_KEYS:
            problems.append("FIELD_ENCRYPTION_KEYS is missing or is the development default")
        else:
            for position, key in enumerate(self.FIELD_ENCRYPTION_KEYS, start=1):
                why = _weak_fernet_key(key)
                if why:
                    problems.append(f"FIELD_ENCRYPTION_KEYS key {position} {why}")
        if not self._raw_database_url:
            problems.append("DATABASE_URL is missing (production does not use the SQLite default)")
        elif self._raw_database_url == self.default_database_uri():
            problems.append("DATABASE_URL is the development SQLite default")
        return problems

    def _setup_problems(self) -> list[tuple[str, str]]:
        """(setting, why) for each unsafe choice a deployment may still make on purpose."""
        problems = []
        database_url = self._raw_database_url or ""
        if database_url.startswith("sqlite") and database_url != self.default_database_uri():
            problems.append(("DATABASE_URL", "DATABASE_URL is SQLite (production runs on PostgreSQL)"))
        if not self.REDIS_URL:
            problems.append(
                ("REDIS_URL", "REDIS_URL is missing (rate limits would count per process, jobs would run in requests)")
            )
        if not self.RATELIMIT_ENABLED:
            problems.append(("RATELIMIT_ENABLED", "RATELIMIT_ENABLED is false (nothing would slow password guessing)"))
        if not self.JWT_COOKIE_SECURE:
            problems.append(
                ("JWT_COOKIE_SECURE", "JWT_COOKIE_SECURE is false (login cookies would travel without TLS)")
            )
        if self.MAIL_BACKEND != "smtp":
            problems.append(
                ("MAIL_BACKEND", f"MAIL_BACKEND is {self.MAIL_BACKEND!r} (production sends mail with smtp)")
            )
        return problems


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
        raise ConfigurationError(f"Unknown configuration {chosen!r}; use one of {sorted(CONFIGS)}.") from None
    return config_class(env)

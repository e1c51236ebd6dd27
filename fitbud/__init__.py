"""Fitbud: the application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, load_config


def create_app(config: str | Config | Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config -> logging -> extensions -> API blueprints -> dashboards -> client app -> CLI.

    `config` is an environment name ("development", "testing", "production"), a Config
    object, or a mapping of overrides on top of the testing settings.
    """
    settings = _settings(config)
    settings.validate()

    app = Flask(__name__, instance_relative_config=False)
    from fitbud.api.input_guard import bound_path_integers

    bound_path_integers(app)  # before any route exists: ids past the database's range match none (404)
    app.config.from_object(settings)
    from fitbud.api.json_provider import OrjsonProvider

    app.json = OrjsonProvider(app)
    _trust_proxies(app)

    from fitbud.logging import configure_logging, init_request_id

    configure_logging(app)
    init_request_id(app)
    _init_extensions(app)

    from fitbud import security_headers

    # After the extensions: hooks run in reverse order, so the headers are set (and the docs
    # pages' scripts hashed) before the response is compressed.
    security_headers.init_app(app)

    from fitbud.api import register_blueprints
    from fitbud.api.health.routes import blp as health_blp
    from fitbud.extensions import api

    register_blueprints(app)
    # The probes live at the root, outside /api/v1, but are documented with the API.
    api.register_blueprint(health_blp)

    _connect_domains(app)

    from dashboards import init_dashboards

    init_dashboards(app)

    from fitbud.client_app import init_client_app

    init_client_app(app)

    from fitbud.cli import register_cli

    register_cli(app)
    return app


def _connect_domains(app: Flask) -> None:
    """Plug domains into each other where one only optionally depends on another."""
    from fitbud.services import cache_invalidation
    from fitbud.services.analytics import set_revenue_provider
    from fitbud.services.billing import monthly_revenue

    set_revenue_provider(app, monthly_revenue)
    cache_invalidation.install()


def _settings(config: str | Config | Mapping[str, Any] | None) -> Config:
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        settings = load_config("testing")
        for key, value in config.items():
            setattr(settings, key, value)
        return settings
    return load_config(config)


def _trust_proxies(app: Flask) -> None:
    """Behind a load balancer, take the client address and scheme from its X-Forwarded-* headers.

    Only as many hops as TRUSTED_PROXIES: a client could forge any header beyond those.
    """
    hops = app.config.get("TRUSTED_PROXIES") or 0
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _init_extensions(app: Flask) -> None:
    from fitbud import mail
    from fitbud.api import input_guard, query_params
    from fitbud.auth import tokens
    from fitbud.errors import register_error_handlers
    from fitbud.extensions import api, cache, compress, cors, db, jwt, limiter, migrate, redis_store

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    _database_timeouts(app)
    db.init_app(app)
    _statement_deadline(app)
    from fitbud.ext.orm_session import forbid_writes_in_reads
    from fitbud.models.sqlite import enable_sqlite_foreign_keys

    enable_sqlite_foreign_keys(app)
    forbid_writes_in_reads()
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    jwt.init_app(app)
    tokens.init_app(app)
    cache.init_app(app)
    from fitbud.auth import limits

    # Before the limiter, so its hook (which adds the rate-limit headers) runs first.
    limits.init_app(app)
    limiter.init_app(app)
    redis_store.init_app(app)
    mail.init_app(app)
    compress.init_app(app)
    _cors(app, cors)
    api.init_app(app)
    input_guard.init_app(app)  # first: what would crash a later check never reaches it
    query_params.init_app(app)
    register_error_handlers(app)


# What a browser app may send and read across origins: the token, JSON, the idempotency and
# conditional-request headers in; pagination, validators, replays, limits and the request id out.
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "If-None-Match"]
CORS_EXPOSED_HEADERS = [
    "X-Pagination",
    "ETag",
    "Idempotent-Replayed",
    "X-Request-ID",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]


def _cors(app: Flask, cors: Any) -> None:
    """Let the browser apps of CORS_ORIGINS call the API; with none configured, no CORS header is sent."""
    origins = app.config.get("CORS_ORIGINS") or []
    if not origins:
        return
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": origins}},
        allow_headers=CORS_REQUEST_HEADERS,
        expose_headers=CORS_EXPOSED_HEADERS,
        supports_credentials=False,  # Bearer tokens, never cookies, cross-origin
        max_age=600,
    )


def _database_timeouts(app: Flask) -> None:
    """PostgreSQL: give up on a connection attempt and a statement after the configured seconds."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    if app.config["DATABASE_CONNECT_TIMEOUT"]:
        connect_args.setdefault("connect_timeout", app.config["DATABASE_CONNECT_TIMEOUT"])
    statement_ms = int(app.config["DATABASE_STATEMENT_TIMEOUT"] * 1000)
    if statement_ms:
        connect_args.setdefault("options", f"-c statement_timeout={statement_ms}")
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _statement_deadline(app: Flask) -> None:
    """The client-side deadline for a PostgreSQL server that stopped answering (see the module)."""
    seconds = app.config["DATABASE_STATEMENT_TIMEOUT"]
    if not seconds or not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    from fitbud.ext.statement_deadline import StatementDeadline
    from fitbud.extensions import db

    with app.app_context():
        StatementDeadline(seconds).install(db.engine)


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"

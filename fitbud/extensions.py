"""Every Flask extension Fitbud uses, created unbound; create_app() binds them with init_app().

A leaf: it imports nothing of Fitbud but fitbud/ext/, whose modules import nothing of Fitbud
either, so every layer can use these objects without an import cycle.
"""

from __future__ import annotations

from flask import Flask
from flask_caching import Cache
from flask_compress import Compress
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from redis import Redis
from redis.exceptions import RedisError

from fitbud.ext.orm_base import Base
from fitbud.ext.orm_session import AutocommitReadsSession
from fitbud.ext.smorest import Api

db = SQLAlchemy(model_class=Base, session_options={"class_": AutocommitReadsSession})
migrate = Migrate()
jwt = JWTManager()
api = Api()
cache = Cache()
limiter = Limiter(key_func=get_remote_address)
# gzip/brotli for responses whose client accepts it (pages, CSS, JS, JSON): settings in config.py.
compress = Compress()
# Cross-origin browser access to /api/ for the origins in CORS_ORIGINS only (fitbud/__init__.py).
cors = CORS()

# What the cache raises when its backend is unreachable (Redis down); cached readers then go to
# the database rather than fail.
CACHE_ERRORS = (RedisError, OSError)


class RedisConnections:
    """The app's Redis connection, or None when REDIS_URL is not configured (embedded mode)."""

    def __init__(self) -> None:
        self._key = "fitbud.redis"

    def init_app(self, app: Flask) -> None:
        url = app.config.get("REDIS_URL")
        connection = None
        if url:
            # Bounded connect and reads: an unreachable or stalled Redis fails /readyz and
            # enqueues fast, not hangs (REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT).
            connection = Redis.from_url(
                url,
                socket_connect_timeout=app.config.get("REDIS_CONNECT_TIMEOUT", 1.0),
                socket_timeout=app.config.get("REDIS_SOCKET_TIMEOUT", 1.0),
            )
        app.extensions[self._key] = connection

    def connection(self, app: Flask):
        """The Redis client bound to this app, or None in embedded mode."""
        return app.extensions.get(self._key)


redis_store = RedisConnections()

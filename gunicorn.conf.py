"""gunicorn's settings for Fitbud, read from the working directory by `gunicorn wsgi:app` (make run, the image).

Building the app costs a few CPU-seconds (Flask, SQLAlchemy, Dash, pandas, the OpenAPI spec); bench/README.md
has the figures. Without preloading, every worker paid it at boot: when several workers died at
once the service was down for minutes while they all rebuilt it on two cores. With preload_app the
master builds the app once and each worker is a fork of it, ready in milliseconds. Nothing in
create_app opens a connection (no import-time side effects), so no socket is shared across the
fork; post_fork drops any pooled database connection a worker would otherwise inherit, and
redis-py's pools reset themselves in a new process.
"""

from __future__ import annotations

from typing import Any

preload_app = True

# gunicorn answers a request line over its limit itself, in HTML (400/414), before the app sees
# it. Its maximum (8190 bytes; the default is 4094) lies above the app's own URL limit
# (fitbud/api/input_guard.py MAX_URL_LENGTH = 8000), so an over-long URL up to there gets the
# app's JSON 414 in the envelope; only a request line beyond 8190 bytes still meets gunicorn's.
limit_request_line = 8190


def post_fork(_server: Any, _worker: Any) -> None:
    """In each new worker: forget (never close) database connections the master may have pooled."""
    from fitbud.extensions import db  # noqa: PLC0415  (gunicorn hook: the master has imported it already)
    from wsgi import app  # noqa: PLC0415

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)

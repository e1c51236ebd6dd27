"""An app context for a job: the caller's app when inline, a per-process app in an RQ worker."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from flask import Flask, current_app, has_app_context

_worker_app: Flask | None = None
_POOL_PID_KEY = "fitbud.pool_pid"


def _own_connections(app: Flask) -> None:
    """After a fork, drop the pooled connections inherited from the parent (without closing them).

    Call inside an app context of `app`. Sharing a socket between processes corrupts both sides.
    """
    from fitbud.extensions import db

    if app.extensions.get(_POOL_PID_KEY) != os.getpid():
        if _POOL_PID_KEY in app.extensions:
            db.engine.dispose(close=False)
        app.extensions[_POOL_PID_KEY] = os.getpid()


def _app_for_worker() -> Flask:
    global _worker_app
    from fitbud import create_app

    if _worker_app is None:
        _worker_app = create_app()
    return _worker_app


def use_app(app: Flask) -> None:
    """Make `app` this worker process's app, so forked work horses inherit it ready-built."""
    global _worker_app
    _worker_app = app
    app.extensions[_POOL_PID_KEY] = os.getpid()


@contextlib.contextmanager
def job_context() -> Iterator[Flask]:
    """Run the body inside an app context, creating the worker's app on first use."""
    if has_app_context():
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        _own_connections(app)
        yield app
        return
    app = _app_for_worker()
    with app.app_context():
        _own_connections(app)
        yield app

"""An app context for a job: the caller's app when inline, the worker process's app in an RQ worker.

The worker's entry point (`python -m workers`, or workers.worker.FitbudWorker under `rq worker`)
builds the app and hands it over with `use_app`; jobs never build one themselves.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from flask import Flask, current_app, has_app_context

from fitbud.extensions import db

_worker_app: Flask | None = None
_POOL_PID_KEY = "fitbud.pool_pid"


def _own_connections(app: Flask) -> None:
    """After a fork, drop the pooled connections inherited from the parent (without closing them).

    Call inside an app context of `app`. Sharing a socket between processes corrupts both sides.
    """
    if app.extensions.get(_POOL_PID_KEY) != os.getpid():
        if _POOL_PID_KEY in app.extensions:
            db.engine.dispose(close=False)
        app.extensions[_POOL_PID_KEY] = os.getpid()


def use_app(app: Flask) -> None:
    """Make `app` this worker process's app, so forked work horses inherit it ready-built."""
    global _worker_app
    _worker_app = app
    app.extensions[_POOL_PID_KEY] = os.getpid()


def worker_app() -> Flask | None:
    """The app `use_app` gave this process, if any."""
    return _worker_app


@contextlib.contextmanager
def job_context() -> Iterator[Flask]:
    """Run the body inside an app context: the current one, or the one the worker was given."""
    if has_app_context():
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        _own_connections(app)
        yield app
        return
    if _worker_app is None:
        raise RuntimeError(
            "No app to run this job in: start workers with `python -m workers` "
            "(or `rq worker --worker-class workers.worker.FitbudWorker`), which build it."
        )
    with _worker_app.app_context():
        _own_connections(_worker_app)
        yield _worker_app

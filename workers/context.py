"""An app context for a job: the caller's app when inline, a per-process app in an RQ worker."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from flask import Flask, current_app, has_app_context

_worker_app: Flask | None = None
_worker_pid: int | None = None


def _app_for_worker() -> Flask:
    global _worker_app, _worker_pid
    from fitbud import create_app
    from fitbud.extensions import db

    if _worker_app is None:
        _worker_app = create_app()
    if _worker_pid != os.getpid():
        # A forked work horse must not share the parent's pooled connections.
        with _worker_app.app_context():
            db.engine.dispose(close=False)
        _worker_pid = os.getpid()
    return _worker_app


def use_app(app: Flask) -> None:
    """Make `app` this worker process's app, so forked work horses inherit it ready-built."""
    global _worker_app, _worker_pid
    _worker_app = app
    _worker_pid = os.getpid()


@contextlib.contextmanager
def job_context() -> Iterator[Flask]:
    """Run the body inside an app context, creating the worker's app on first use."""
    if has_app_context():
        yield current_app._get_current_object()  # type: ignore[attr-defined]
        return
    app = _app_for_worker()
    with app.app_context():
        yield app

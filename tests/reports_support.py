"""Helpers for report tests: run jobs inline or on a real Redis, and read finished files."""

from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook


@pytest.fixture
def inline_jobs(app, monkeypatch):
    """No Redis for this app: jobs run inline, as in embedded mode."""
    monkeypatch.setitem(app.extensions, "fitbud.redis", None)


@pytest.fixture
def rq_connection(app, redis_url, monkeypatch):
    """A real Redis for this app, with a queue name of its own so parallel runs never meet."""
    from redis import Redis

    connection = Redis.from_url(redis_url)
    monkeypatch.setitem(app.extensions, "fitbud.redis", connection)
    monkeypatch.setitem(app.config, "REPORT_QUEUE", f"test-reports-{uuid.uuid4().hex[:12]}")
    yield connection
    from rq import Queue

    from fitbud.jobs import queue_name

    queue = Queue(queue_name(app.config["REPORT_QUEUE"]), connection=connection)
    for registry in (queue.finished_job_registry, queue.failed_job_registry, queue.scheduled_job_registry):
        for job_id in registry.get_job_ids():
            connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
        connection.delete(registry.key)
    queue.delete(delete_jobs=True)
    connection.close()


def sheet_rows(content: bytes, sheet: str) -> list[list]:
    """The rows of one sheet of an XLSX file."""
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]

"""A large import on a real RQ queue: 202 and queued, then a worker reads it and the import is finished."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from rq import Queue

from fitbud.extensions import db
from fitbud.jobs import queue_name
from fitbud.models import DataImport
from workers.worker import FitbudSimpleWorker

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


@pytest.mark.redis
def test_a_large_file_is_queued_then_read_by_a_worker(app, http, client_headers, rq_connection, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_QUEUE", f"test-imports-{uuid.uuid4().hex[:12]}")
    monkeypatch.setitem(app.config, "IMPORT_INLINE_MAX_BYTES", 10)
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_DIR", str(tmp_path))
    data = {"file": (io.BytesIO((DATA / "apple_health_export.zip").read_bytes()), "export.zip")}
    response = http.post("/api/v1/me/imports", data=data, headers=client_headers, content_type="multipart/form-data")
    assert response.status_code == 202, response.json
    assert (response.json["status"], response.json["added"]) == ("queued", 0)

    queue = Queue(queue_name(app.config["IMPORT_QUEUE"]), connection=rq_connection)
    try:
        FitbudSimpleWorker([queue], connection=rq_connection).work(burst=True, logging_level="WARNING")
    finally:
        queue.delete(delete_jobs=True)

    db.session.expire_all()
    record = db.session.get(DataImport, response.json["id"])
    assert (record.status.value, record.progress, record.added) == ("finished", 100, 146)
    assert not any(tmp_path.iterdir())

"""A report whose job died is told apart by its heartbeat and settled by the periodic check, unopened."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from rq import Queue
from rq.job import Job

from fitbud.extensions import db
from fitbud.jobs import queue_name
from fitbud.models import Report, ReportStatus, ReportType, utcnow
from fitbud.reports import documents
from fitbud.services import reports
from tests.helpers import bearer
from workers.worker import FitbudSimpleWorker

URL = "/api/v1/reports"
MONTH = {"month": "2026-02", "format": "xlsx"}
pytestmark = pytest.mark.redis


def work(app, connection):
    queue = Queue(queue_name(app.config["REPORT_QUEUE"]), connection=connection)
    FitbudSimpleWorker([queue], connection=connection).work(burst=True, logging_level="WARNING")


def _report(world, **values) -> Report:
    report = Report(owner_id=world.trainer.id, type=ReportType.TRAINER_MONTHLY, params=MONTH, **values)
    db.session.add(report)
    db.session.commit()
    return report


def _row(report_id: int) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report_id)


def test_a_started_report_whose_worker_died_is_retried_by_the_check_then_finishes(app, world, rq_connection):
    # The worker was killed mid-job: the row says "started, 8 %" and its heartbeat stopped.
    long_ago = utcnow() - timedelta(minutes=3)
    report = _report(world, status=ReportStatus.STARTED, progress=8, attempts=1, job_id="report-killed",
                     started_at=long_ago, heartbeat_at=long_ago)

    assert reports.check_running_reports() == 1

    row = _row(report.id)
    assert row.status is ReportStatus.QUEUED and row.job_id != "report-killed"
    assert "stopped answering" in row.error and "retrying (1 of 3 attempts used)" in row.error
    work(app, rq_connection)
    row = _row(report.id)
    assert row.status is ReportStatus.FINISHED and row.attempts == 2 and row.error is None


def test_a_started_report_whose_worker_died_on_its_last_attempt_fails(app, world, rq_connection):
    long_ago = utcnow() - timedelta(minutes=3)
    report = _report(world, status=ReportStatus.STARTED, attempts=3, job_id="report-killed", heartbeat_at=long_ago)

    reports.check_running_reports()

    row = _row(report.id)
    assert row.status is ReportStatus.FAILED and "tried 3 times" in row.error and row.finished_at is not None


def test_a_report_with_a_recent_heartbeat_is_left_running(app, world, rq_connection):
    report = _report(world, status=ReportStatus.STARTED, attempts=1, job_id="report-busy", heartbeat_at=utcnow())

    assert reports.check_running_reports() == 0
    assert _row(report.id).status is ReportStatus.STARTED


def test_a_silent_report_whose_job_waits_for_its_retry_says_queued(app, world, rq_connection):
    # The database died mid-job: the job failed, RQ scheduled its retry, the row could not be told.
    queue = Queue(queue_name(app.config["REPORT_QUEUE"]), connection=rq_connection)
    job = queue.enqueue("math.sqrt", 4, failure_ttl=60, result_ttl=60)
    long_ago = utcnow() - timedelta(minutes=3)
    report = _report(world, status=ReportStatus.STARTED, attempts=1, job_id=job.id, heartbeat_at=long_ago)

    reports.check_running_reports()

    row = _row(report.id)
    assert row.status is ReportStatus.QUEUED and row.job_id == job.id and "retry is queued" in row.error


def test_a_superseded_job_does_not_run_the_report(app, world, rq_connection):
    report = _report(world, status=ReportStatus.QUEUED, job_id="report-new")

    class OldJob:
        id = "report-old"

    assert reports.execute_report(report.id, job=OldJob()) == "superseded"
    assert _row(report.id).status is ReportStatus.QUEUED


def test_a_running_report_writes_its_heartbeat(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_HEARTBEAT_SECONDS", 0.05)
    report = _report(world, status=ReportStatus.QUEUED)
    beats = []
    real = documents.BUILDERS["trainer_monthly"]

    def slow(owner_id, params, progress):
        first = _row(report.id).heartbeat_at
        time.sleep(0.3)
        beats.extend([first, _row(report.id).heartbeat_at])
        return real(owner_id, params, progress)

    monkeypatch.setitem(documents.BUILDERS, "trainer_monthly", slow)
    assert reports.execute_report(report.id) == "finished"

    assert beats[0] is not None and beats[1] > beats[0]


def test_the_worker_checks_reports_on_its_heartbeat(app, world, rq_connection):
    long_ago = utcnow() - timedelta(minutes=3)
    report = _report(world, status=ReportStatus.STARTED, attempts=3, job_id="report-killed", heartbeat_at=long_ago)
    queue = Queue(queue_name(app.config["REPORT_QUEUE"]), connection=rq_connection)
    worker = FitbudSimpleWorker([queue], connection=rq_connection)

    worker.heartbeat()

    assert _row(report.id).status is ReportStatus.FAILED


def test_reading_a_report_settles_it_too(app, http, world, rq_connection):
    long_ago = utcnow() - timedelta(minutes=3)
    report = _report(world, status=ReportStatus.STARTED, attempts=3, job_id="report-killed", heartbeat_at=long_ago)

    body = http.get(f"{URL}/{report.id}", headers=bearer(world.trainer)).get_json()

    assert body["status"] == "failed" and "stopped answering" in body["error"]
    assert Job.exists("report-killed", connection=rq_connection) is False

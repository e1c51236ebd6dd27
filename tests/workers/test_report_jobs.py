"""Report jobs against a real Redis with a real RQ worker in burst mode: lifecycle, retries, failures."""

from datetime import timedelta

import pytest
from rq import Queue
from rq.job import Job
from sqlalchemy.exc import OperationalError

from fitbud.extensions import db
from fitbud.jobs import queue_name
from fitbud.models import Report, ReportStatus, ReportType, utcnow
from fitbud.reports import documents
from tests.helpers import bearer
from tests.reports_support import sheet_rows
from workers.worker import FitbudSimpleWorker

URL = "/api/v1/reports"
pytestmark = pytest.mark.redis


def work(app, connection):
    """Run a real RQ worker in this process until the report queue is empty."""
    queue = Queue(queue_name(app.config["REPORT_QUEUE"]), connection=connection)
    FitbudSimpleWorker([queue], connection=connection).work(burst=True, logging_level="WARNING")


def start(http, user, params):
    return http.post(URL, json={"type": "trainer_monthly", "params": params}, headers=bearer(user))


def test_report_lifecycle_on_a_real_worker(app, http, world, rq_connection):
    response = start(http, world.trainer, {"month": "2026-02"})
    assert response.status_code == 202
    queued = response.get_json()
    assert queued["status"] == "queued" and queued["progress"] == 0 and queued["download_url"] is None
    report = db.session.get(Report, queued["id"])
    job = Job.fetch(report.job_id, connection=rq_connection)
    assert job.timeout == app.config["REPORT_JOB_TIMEOUT"]
    assert (job.result_ttl, job.failure_ttl) == (app.config["REPORT_RESULT_TTL"], app.config["REPORT_FAILURE_TTL"])
    assert job.retries_left == 2 and job.retry_intervals == [0, 0]

    work(app, rq_connection)

    finished = http.get(f"{URL}/{queued['id']}", headers=bearer(world.trainer)).get_json()
    assert finished["status"] == "finished" and finished["progress"] == 100 and finished["attempts"] == 1
    job.refresh()
    assert job.get_status() == "finished" and job.meta["progress"] == 100 and job.return_value() == "finished"
    download = http.get(finished["download_url"], headers=bearer(world.trainer))
    assert sheet_rows(download.data, "Clients")[1][1] == "Ana"


def test_a_temporary_failure_is_retried_and_then_succeeds(app, http, world, rq_connection, monkeypatch):
    real = documents.BUILDERS["trainer_monthly"]
    calls = []

    def flaky(owner_id, params, progress):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        return real(owner_id, params, progress)

    monkeypatch.setitem(documents.BUILDERS, "trainer_monthly", flaky)
    report_id = start(http, world.trainer, {"month": "2026-02"}).get_json()["id"]
    work(app, rq_connection)
    report = http.get(f"{URL}/{report_id}", headers=bearer(world.trainer)).get_json()
    assert report["status"] == "finished" and report["attempts"] == 2 and report["error"] is None


def test_temporary_failures_that_persist_fail_the_report_after_the_retries(
    app, http, world, rq_connection, monkeypatch
):
    def down(owner_id, params, progress):
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    monkeypatch.setitem(documents.BUILDERS, "trainer_monthly", down)
    report_id = start(http, world.trainer, {"month": "2026-02"}).get_json()["id"]
    work(app, rq_connection)
    report = http.get(f"{URL}/{report_id}", headers=bearer(world.trainer)).get_json()
    assert report["status"] == "failed" and report["attempts"] == 3
    assert report["error"] == "The database was unavailable: could not connect to server"
    job = Job.fetch(db.session.get(Report, report_id).job_id, connection=rq_connection)
    assert job.get_status() == "failed"


def test_a_permanent_failure_is_recorded_and_not_retried(app, http, world, rq_connection, monkeypatch):
    def broken(owner_id, params, progress):
        raise KeyError("weight")

    monkeypatch.setitem(documents.BUILDERS, "trainer_monthly", broken)
    report_id = start(http, world.trainer, {"month": "2026-02"}).get_json()["id"]
    work(app, rq_connection)
    report = http.get(f"{URL}/{report_id}", headers=bearer(world.trainer)).get_json()
    assert report["status"] == "failed" and report["attempts"] == 1
    assert report["error"] == "Unexpected error (KeyError): 'weight'"


def test_a_job_that_died_in_rq_marks_its_report_failed(app, http, world, rq_connection):
    # A job that fails outside the report code (as when a work horse is killed) says nothing
    # to the row; reading the report notices the failed job.
    queue = Queue(queue_name(app.config["REPORT_QUEUE"]), connection=rq_connection)
    job = queue.enqueue("math.sqrt", -1, failure_ttl=60)
    report = Report(
        owner_id=world.trainer.id, type=ReportType.TRAINER_MONTHLY, status=ReportStatus.STARTED, job_id=job.id
    )
    db.session.add(report)
    db.session.commit()
    work(app, rq_connection)
    body = http.get(f"{URL}/{report.id}", headers=bearer(world.trainer)).get_json()
    assert body["status"] == "failed"
    assert body["error"] == "The worker stopped the job: ValueError: math domain error"


def test_a_vanished_job_is_queued_again_and_then_runs(app, http, world, rq_connection):
    report = Report(
        owner_id=world.trainer.id,
        type=ReportType.TRAINER_MONTHLY,
        params={"month": "2026-02", "format": "xlsx"},
        status=ReportStatus.QUEUED,
        job_id="report-gone",
        updated_at=utcnow() - timedelta(hours=2),
    )
    db.session.add(report)
    db.session.commit()
    body = http.get(f"{URL}/{report.id}", headers=bearer(world.trainer)).get_json()
    assert body["status"] == "queued" and "lost" in body["error"] and "retrying" in body["error"]

    work(app, rq_connection)

    body = http.get(f"{URL}/{report.id}", headers=bearer(world.trainer)).get_json()
    assert body["status"] == "finished" and body["attempts"] == 1


def test_a_vanished_job_with_no_attempts_left_fails_its_report(app, http, world, rq_connection):
    report = Report(
        owner_id=world.trainer.id,
        type=ReportType.TRAINER_MONTHLY,
        status=ReportStatus.QUEUED,
        job_id="report-gone",
        attempts=3,
        updated_at=utcnow() - timedelta(hours=2),
    )
    db.session.add(report)
    db.session.commit()
    body = http.get(f"{URL}/{report.id}", headers=bearer(world.trainer)).get_json()
    assert body["status"] == "failed" and "lost" in body["error"] and "tried 3 times" in body["error"]

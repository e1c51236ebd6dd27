"""The outbox: jobs a write starts commit with it, reach the queue after it, and survive Redis being down."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
import time_machine
from fakeredis import FakeRedis
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.jobs import SEND_EMAIL, queue_name
from fitbud.models import OutboxMessage, Report, ReportStatus, SessionReminder, SessionRequest, utcnow
from fitbud.services import outbox, reports
from fitbud.services.periodic import run_periodic
from tests.factories import SessionRequestFactory, TrainingSessionFactory, WorkingHoursFactory
from tests.helpers import assert_error
from tests.scheduling_helpers import NOW, session_payload

MY_REQUESTS = "/api/v1/me/sessions/requests"
SESSIONS = "/api/v1/sessions"


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW (Monday 2026-03-02 09:00 UTC) unless a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def redis_down(app, monkeypatch):
    """Jobs go to a Redis that refuses connections (nothing listens on port 1)."""
    down = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2, socket_timeout=0.2)
    monkeypatch.setitem(app.extensions, "fitbud.redis", down)
    return down


def _redis_back(app, monkeypatch) -> FakeRedis:
    """Redis answers again (an in-memory one)."""
    back = FakeRedis()
    monkeypatch.setitem(app.extensions, "fitbud.redis", back)
    return back


def _queued(app, connection, name: str = "default") -> list[str]:
    queue = Queue(queue_name(name), connection=connection)
    return [job.func_name for job in queue.get_jobs()]


def _pending() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


@pytest.fixture
def tuesday_hours(trainer):
    """The trainer works Tuesdays 09:00-12:00 (UTC)."""
    return WorkingHoursFactory(trainer=trainer, weekday=1, start_time=time(9), end_time=time(12))


def test_session_request_with_redis_down_is_stored_answered_and_the_trainer_told_later(
    app, http, trainer, tuesday_hours, client_headers, redis_down, monkeypatch
):
    response = http.post(MY_REQUESTS, json={"starts_at": "2026-03-03T10:00:00Z"}, headers=client_headers)

    assert response.status_code == 201, response.json
    assert db.session.execute(select(func.count()).select_from(SessionRequest)).scalar_one() == 1
    [waiting] = _pending()
    assert (waiting.job_name, waiting.payload["args"][0], waiting.attempts) == (SEND_EMAIL, trainer.email, 1)
    assert waiting.last_error.startswith("ConnectionError")

    back = _redis_back(app, monkeypatch)
    with time_machine.travel(NOW + timedelta(seconds=outbox.FIRST_RETRY_SECONDS + 1), tick=False):
        result = run_periodic()

    assert (result.outbox_sent, result.outbox_failed) == (1, 0)
    assert _pending() == []
    assert _queued(app, back) == [SEND_EMAIL]


def test_a_row_is_not_retried_before_its_backoff(app, http, tuesday_hours, client_headers, redis_down, monkeypatch):
    http.post(MY_REQUESTS, json={"starts_at": "2026-03-03T10:00:00Z"}, headers=client_headers)
    back = _redis_back(app, monkeypatch)

    assert outbox.dispatch_due().sent == 0
    assert _queued(app, back) == []
    assert len(_pending()) == 1


def test_a_failed_write_leaves_no_job_behind(app, http, tuesday_hours, client_headers, monkeypatch):
    back = _redis_back(app, monkeypatch)
    http.post(MY_REQUESTS, json={"starts_at": "2026-03-03T10:00:00Z"}, headers=client_headers)
    queued_before = _queued(app, back)

    again = http.post(MY_REQUESTS, json={"starts_at": "2026-03-03T10:00:00Z"}, headers=client_headers)

    assert_error(again, 409, "starts_at")
    assert _queued(app, back) == queued_before == [SEND_EMAIL]
    assert _pending() == []


def test_without_redis_the_mail_is_sent_after_the_commit_and_nothing_waits(
    app, http, trainer, tuesday_hours, client_headers, mail_outbox
):
    response = http.post(MY_REQUESTS, json={"starts_at": "2026-03-03T10:00:00Z"}, headers=client_headers)

    assert response.status_code == 201
    assert [mail.to for mail in mail_outbox] == [trainer.email]
    assert _pending() == []


def test_an_inline_job_that_fails_is_run_again_within_its_retries(app, client_record, mail_outbox, monkeypatch):
    backend = app.extensions["fitbud.mail"]
    real_send = backend.send
    failures = []

    def flaky(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OSError("mail server said no")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(backend, "send", flaky)
    outbox.add(SEND_EMAIL, "someone@example.com", "Subject", "Body", retries=1)
    db.session.commit()

    assert len(_pending()) == 1 and mail_outbox == []
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert outbox.dispatch_due().sent == 1
    assert [mail.to for mail in mail_outbox] == ["someone@example.com"]
    assert _pending() == []


def test_a_row_another_dispatcher_holds_is_left_alone(app, mail_outbox):
    message = OutboxMessage(
        job_name=SEND_EMAIL, job_id="held", payload={"args": []}, attempts=1, available_at=utcnow() + outbox.LEASE
    )
    db.session.add(message)
    db.session.commit()

    assert outbox.dispatch_due().sent == 0
    assert [row.job_id for row in _pending()] == ["held"]


def test_booking_with_redis_down_is_201_and_its_reminder_is_sent_from_the_sessions_table(
    app, http, trainer, client_record, trainer_headers, redis_down, mail_outbox, monkeypatch, clock
):
    starts_at = NOW + timedelta(days=2)
    body = session_payload(client_record.id, starts_at.isoformat())
    response = http.post(SESSIONS, json=body, headers=trainer_headers)
    assert response.status_code == 201, response.json

    monkeypatch.setitem(app.extensions, "fitbud.redis", None)  # Redis lost everything; no job was ever kept
    clock.move_to(starts_at - timedelta(minutes=59))
    result = run_periodic()

    assert result.reminders_sent == 1
    delivered = db.session.execute(select(SessionReminder.offset_minutes).where(SessionReminder.delivered)).all()
    assert [row.offset_minutes for row in delivered] == [60]
    assert sorted(mail.to for mail in mail_outbox) == sorted([client_record.email, trainer.email])


def test_a_report_queued_while_redis_is_down_stays_queued_and_is_handed_over_later(
    app, trainer, redis_down, monkeypatch
):
    report = reports.start_report(trainer, reports.ReportType.TRAINER_MONTHLY, {"month": "2026-02"})

    assert report.status is ReportStatus.QUEUED
    assert outbox.is_pending(report.job_id)
    back = _redis_back(app, monkeypatch)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        # Long past the job timeout: still not "lost", since it never reached the queue.
        assert reports.get_report(trainer, report.id).status is ReportStatus.QUEUED
        assert outbox.dispatch_due().sent == 1
    assert Queue(queue_name(app.config["REPORT_QUEUE"]), connection=back).job_ids == [report.job_id]
    assert db.session.get(Report, report.id).status is ReportStatus.QUEUED


def test_outbox_payloads_are_encrypted_at_rest(app, client_record, redis_down):
    outbox.add(SEND_EMAIL, "someone@example.com", "Your invitation", "https://fitbud.example/invite/secret-token")
    db.session.commit()

    raw = db.session.execute(select(OutboxMessage.__table__.c.payload)).scalar_one()
    assert "secret-token" not in raw and "someone@example.com" not in raw


def test_a_request_accepted_with_redis_down_is_answered(app, http, client_record, trainer_headers, redis_down):
    request = SessionRequestFactory(client=client_record)

    response = http.post(f"/api/v1/sessions/requests/{request.id}/accept", json={}, headers=trainer_headers)

    assert response.status_code == 200, response.json
    assert [row.payload["args"][0] for row in _pending()] == [client_record.email]


def test_cancelling_with_redis_down_is_answered(app, http, client_record, trainer_headers, redis_down):
    session = TrainingSessionFactory(client=client_record)

    response = http.post(f"{SESSIONS}/{session.id}/status", json={"status": "cancelled"}, headers=trainer_headers)

    assert response.status_code == 200, response.json
    assert [row.payload["args"][0] for row in _pending()] == [client_record.email]


def test_services_start_jobs_through_the_outbox_only():
    # A job enqueued after a commit can fail and turn a stored write into an error: services use
    # outbox.add. Reminders are the exception: their timed jobs are a best-effort extra, and the
    # periodic pass sends every due reminder from the sessions table whatever Redis holds.
    services = Path(outbox.__file__).parent
    allowed = {"outbox.py", "reminders.py"}
    offenders = [
        path.name
        for path in services.rglob("*.py")
        if path.name not in allowed and re.search(r"from fitbud\.jobs import [^\n]*\benqueue\b", path.read_text())
    ]
    assert offenders == []


def test_the_periodic_command_hands_over_what_waits(app, runner, mail_outbox):
    # A row whose writer died before handing it over (added directly: no after-commit hand-over).
    payload = {"args": ["someone@example.com", "Subject", "Body"], "queue": "default", "job_timeout": 60,
               "result_ttl": 60, "failure_ttl": 60, "retries": 0, "retry_intervals": None}
    db.session.add(OutboxMessage(job_name=SEND_EMAIL, job_id="orphan", payload=payload, attempts=0))
    db.session.commit()

    result = runner.invoke(args=["fitbud", "periodic"])

    assert result.exit_code == 0, result.output
    assert "Outbox: 1 handed over, 0 to retry." in result.output
    assert [mail.to for mail in mail_outbox] == ["someone@example.com"]

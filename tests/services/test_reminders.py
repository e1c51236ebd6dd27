"""Session reminders: RQ jobs on a real Redis, the job's re-check, and the CLI sweep without Redis."""

from datetime import timedelta

import pytest
import time_machine
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import ScheduledJobRegistry

from fitbud import create_app
from fitbud.extensions import db
from fitbud.models import SessionReminder, SessionStatus, TrainingSession, User
from fitbud.services.reminders import REMINDER_QUEUE, send_due_reminders
from tests.factories import ClientFactory, TrainerFactory, TrainingSessionFactory
from tests.helpers import bearer, clear_redis_namespace
from tests.scheduling_helpers import NOW, run_jobs_inline, session_payload
from workers.reminder_jobs import send_session_reminder_job
from workers.worker import FitbudSimpleWorker

SESSIONS = "/api/v1/sessions"


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW unless a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# With Redis ------------------------------------------------------------------------------


@pytest.fixture
def redis_app(app, redis_url):
    """An app on the same database whose jobs go to the real Redis (this run's keys cleared before and after)."""
    connection = Redis.from_url(redis_url)
    clear_redis_namespace(connection)
    rq_app = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": redis_url})
    with rq_app.app_context():
        yield rq_app
        db.session.remove()
        db.engine.dispose()
    clear_redis_namespace(connection)
    connection.close()


@pytest.fixture
def people(redis_app):
    """A trainer and a client with a login, made in the Redis app."""
    trainer = TrainerFactory()
    client = ClientFactory(trainer=trainer, with_login=True)
    return trainer, client, bearer(trainer)


def _registry(rq_app):
    from fitbud.extensions import redis_store

    return ScheduledJobRegistry(_queue_name(rq_app), connection=redis_store.connection(rq_app))


def _queue_name(rq_app) -> str:
    return rq_app.config["RQ_QUEUE_PREFIX"] + REMINDER_QUEUE  # as fitbud.jobs.queue_name names it


def _scheduled(rq_app):
    registry = _registry(rq_app)
    return {job_id: registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()}


def _book(rq_app, headers, client, starts_at):
    response = rq_app.test_client().post(
        SESSIONS, json=session_payload(client.id, starts_at.isoformat()), headers=headers
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.mark.redis
def test_booking_schedules_reminders_24h_and_1h_before(redis_app, people):
    _, client, headers = people
    starts_at = NOW + timedelta(days=3)
    session_id = _book(redis_app, headers, client, starts_at)
    assert _scheduled(redis_app) == {
        f"reminder-{session_id}-1440": starts_at - timedelta(hours=24),
        f"reminder-{session_id}-60": starts_at - timedelta(hours=1),
    }
    stored = db.session.get(TrainingSession, session_id).reminder_job_ids
    assert sorted(stored) == sorted(_scheduled(redis_app))


@pytest.mark.redis
def test_reminders_already_due_at_booking_are_not_scheduled(redis_app, people):
    _, client, headers = people
    session_id = _book(redis_app, headers, client, NOW + timedelta(hours=5))
    assert list(_scheduled(redis_app)) == [f"reminder-{session_id}-60"]


@pytest.mark.redis
def test_cancelling_removes_the_reminder_jobs(redis_app, people):
    _, client, headers = people
    session_id = _book(redis_app, headers, client, NOW + timedelta(days=3))
    response = redis_app.test_client().post(
        f"{SESSIONS}/{session_id}/status", json={"status": "cancelled"}, headers=headers
    )
    assert response.status_code == 200
    assert _scheduled(redis_app) == {}
    with pytest.raises(NoSuchJobError):
        Job.fetch(f"reminder-{session_id}-60", connection=_registry(redis_app).connection)


@pytest.mark.redis
def test_client_cancel_removes_the_reminder_jobs(redis_app, people):
    _, client, headers = people
    session_id = _book(redis_app, headers, client, NOW + timedelta(days=3))
    client_headers = bearer(db.session.get(User, client.user_id))
    response = redis_app.test_client().post(f"/api/v1/me/sessions/{session_id}/cancel", json={}, headers=client_headers)
    assert response.status_code == 200
    assert _scheduled(redis_app) == {}


@pytest.mark.redis
def test_moving_reschedules_the_reminders(redis_app, people):
    _, client, headers = people
    session_id = _book(redis_app, headers, client, NOW + timedelta(days=3))
    new_start = NOW + timedelta(days=4, hours=2)
    response = redis_app.test_client().patch(
        f"{SESSIONS}/{session_id}", json={"starts_at": new_start.isoformat()}, headers=headers
    )
    assert response.status_code == 200
    assert _scheduled(redis_app) == {
        f"reminder-{session_id}-1440": new_start - timedelta(hours=24),
        f"reminder-{session_id}-60": new_start - timedelta(hours=1),
    }


@pytest.mark.redis
def test_a_series_schedules_reminders_for_every_session(redis_app, people):
    _, client, headers = people
    body = {**session_payload(client.id, (NOW + timedelta(days=2)).isoformat()),
            "recurrence": {"weekdays": ["WE"], "count": 3}}
    response = redis_app.test_client().post(f"{SESSIONS}/series", json=body, headers=headers)
    assert response.status_code == 201
    assert len(_scheduled(redis_app)) == 6


@pytest.mark.redis
def test_the_worker_sends_the_reminder_when_it_falls_due(redis_app, people, clock):
    trainer, client, headers = people
    starts_at = NOW + timedelta(days=3)
    _book(redis_app, headers, client, starts_at)
    clock.move_to(starts_at - timedelta(minutes=59))
    queue = Queue(_queue_name(redis_app), connection=_registry(redis_app).connection)
    FitbudSimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=True)
    outbox = redis_app.extensions["fitbud.mail"].outbox
    # Both reminders were due; each went to the client and the trainer.
    assert sorted(mail.to for mail in outbox) == sorted([client.email, trainer.email] * 2)
    assert _scheduled(redis_app) == {}


# The job's re-check ----------------------------------------------------------------------


def test_the_job_sends_to_client_and_trainer_once(app, monkeypatch, client_record, client_user, trainer):
    run_jobs_inline(app, monkeypatch)
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(minutes=59))
    assert send_session_reminder_job(session.id, 60, session.starts_at.isoformat()) is True
    assert send_session_reminder_job(session.id, 60, session.starts_at.isoformat()) is False
    outbox = app.extensions["fitbud.mail"].outbox
    assert [mail.to for mail in outbox] == [client_user.email, trainer.email]
    assert "in 1 hour" in outbox[0].subject


def test_the_job_skips_a_moved_session(app, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(hours=2))
    old_start = (session.starts_at - timedelta(hours=1)).isoformat()
    assert send_session_reminder_job(session.id, 60, old_start) is False
    assert app.extensions["fitbud.mail"].outbox == []


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.COMPLETED])
def test_the_job_skips_a_session_that_is_no_longer_scheduled(app, client_record, status):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(hours=2), status=status)
    assert send_session_reminder_job(session.id, 60, session.starts_at.isoformat()) is False


def test_the_job_skips_a_deleted_session(app):
    assert send_session_reminder_job(987654, 60, NOW.isoformat()) is False


# Without Redis: the CLI ------------------------------------------------------------------


@pytest.fixture
def embedded(app, monkeypatch):
    """No Redis: reminders are the CLI's job."""
    run_jobs_inline(app, monkeypatch)
    return app


def _sweep(runner):
    result = runner.invoke(args=["fitbud", "send-due-reminders"])
    return result


def _booked_long_ago(client, starts_at, **extra):
    return TrainingSessionFactory(client=client, starts_at=starts_at, scheduled_at=NOW - timedelta(days=7), **extra)


def test_cli_sends_a_due_reminder_once(embedded, runner, client_record):
    _booked_long_ago(client_record, NOW + timedelta(hours=23))
    first = _sweep(runner)
    assert first.exit_code == 0 and "Sent 1 reminder(s)." in first.output
    assert "tomorrow" in embedded.extensions["fitbud.mail"].outbox[0].subject
    assert "Sent 0 reminder(s)." in _sweep(runner).output
    assert len(embedded.extensions["fitbud.mail"].outbox) == 2


def test_cli_sends_the_next_reminder_when_it_falls_due(embedded, runner, client_record, clock):
    session = _booked_long_ago(client_record, NOW + timedelta(hours=23))
    _sweep(runner)
    clock.move_to(session.starts_at - timedelta(minutes=30))
    assert "Sent 1 reminder(s)." in _sweep(runner).output
    assert "in 1 hour" in embedded.extensions["fitbud.mail"].outbox[-1].subject


def test_cli_sends_only_the_closest_of_several_missed_reminders(embedded, runner, client_record):
    session = _booked_long_ago(client_record, NOW + timedelta(minutes=30))
    assert "Sent 1 reminder(s)." in _sweep(runner).output
    outbox = embedded.extensions["fitbud.mail"].outbox
    assert len(outbox) == 2 and "in 1 hour" in outbox[0].subject
    handled = {(r.offset_minutes, r.delivered) for r in db.session.query(SessionReminder).filter_by(
        session_id=session.id)}
    assert handled == {(60, True), (1440, False)}
    assert "Sent 0 reminder(s)." in _sweep(runner).output


def test_cli_skips_reminders_that_fell_due_before_the_booking(embedded, runner, client_record):
    TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(hours=23))
    assert "Sent 0 reminder(s)." in _sweep(runner).output


def test_cli_skips_cancelled_and_started_sessions(embedded, runner, client_record):
    _booked_long_ago(client_record, NOW + timedelta(minutes=30), status=SessionStatus.CANCELLED)
    _booked_long_ago(client_record, NOW - timedelta(minutes=5))
    assert "Sent 0 reminder(s)." in _sweep(runner).output


def test_a_moved_session_is_reminded_again_for_its_new_time(embedded, runner, http, client_record, trainer, clock):
    session = _booked_long_ago(client_record, NOW + timedelta(minutes=30))
    _sweep(runner)
    clock.move_to(NOW + timedelta(minutes=1))
    new_start = NOW + timedelta(hours=3)
    moved = http.patch(f"{SESSIONS}/{session.id}", json={"starts_at": new_start.isoformat()}, headers=bearer(trainer))
    assert moved.status_code == 200
    clock.move_to(new_start - timedelta(minutes=30))
    assert "Sent 1 reminder(s)." in _sweep(runner).output


def test_cli_reports_a_failed_mail_and_retries_it_next_time(embedded, runner, client_record):
    _booked_long_ago(client_record, NOW + timedelta(minutes=30))

    class BrokenBackend:
        def send(self, mail):
            raise ConnectionError("mail server down")

    working = embedded.extensions["fitbud.mail"]
    embedded.extensions["fitbud.mail"] = BrokenBackend()
    failed = _sweep(runner)
    assert failed.exit_code != 0 and "1 reminder(s) failed" in failed.output
    embedded.extensions["fitbud.mail"] = working
    assert "Sent 1 reminder(s)." in _sweep(runner).output


def test_send_due_reminders_can_be_called_with_a_time(embedded, client_record):
    _booked_long_ago(client_record, NOW + timedelta(hours=3))
    assert send_due_reminders(NOW - timedelta(days=2)) == (0, 0)
    assert send_due_reminders(NOW) == (1, 0)
    assert send_due_reminders(NOW + timedelta(hours=1)) == (0, 0)
    assert send_due_reminders(NOW + timedelta(hours=2, minutes=30)) == (1, 0)

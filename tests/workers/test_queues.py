"""fitbud.jobs.enqueue: a job started by name, on a real RQ worker with Redis, and inline without it."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from rq import Queue
from rq.job import Job

from fitbud import create_app, jobs
from fitbud.extensions import db
from fitbud.jobs import enqueue
from fitbud.models import User
from tests.factories import TrainerFactory
from tests.helpers import redis_namespace
from workers import context, worker
from workers.__main__ import main as worker_main
from workers.context import job_context
from workers.worker import LISTENER_WAKE_SECONDS, FitbudSimpleWorker

ROOT = Path(__file__).resolve().parents[2]
# Test jobs leave nothing behind in the shared Redis for long.
SHORT_TTL = 60


def rename_user_job(user_id: int, name: str) -> None:
    """A test-only job whose effect is visible from any process: it writes to the database."""
    with job_context():
        user = db.session.get(User, user_id)
        user.name = name
        db.session.commit()


def failing_job(user_id: int) -> None:
    """A test-only job that always fails."""
    raise RuntimeError(f"job for user {user_id} broke")


RENAME_USER_JOB = f"{__name__}.rename_user_job"
FAILING_JOB = f"{__name__}.failing_job"


def _stored_name(user_id: int) -> str:
    db.session.expire_all()
    return db.session.get(User, user_id).name


@pytest.fixture
def queue_name(redis_url) -> Iterator[str]:
    """A queue of its own, so tests never take each other's jobs (runs apart: their RQ_QUEUE_PREFIX)."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    connection = Redis.from_url(redis_url)
    full = f"{redis_namespace()}:{name}"  # as fitbud.jobs.queue_name names it in this test process
    Queue(full, connection=connection).delete(delete_jobs=True)
    connection.delete(*connection.keys(f"rq:*:{full}"), f"rq:queue:{full}")


@contextlib.contextmanager
def _app_on(database_url: str, redis_url: str | None) -> Iterator[Flask]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def redis_app(app, database_url, redis_url) -> Iterator[Flask]:
    """The test database with Redis configured, so enqueue() goes to RQ."""
    with _app_on(database_url, redis_url) as redis_app:
        yield redis_app


@pytest.fixture
def inline_app(app, database_url) -> Iterator[Flask]:
    """The test database without Redis (even when the suite has one), so jobs run inline."""
    with _app_on(database_url, None) as inline_app:
        yield inline_app


@pytest.mark.redis
def test_enqueued_job_is_run_by_an_rq_worker_in_an_app_context(redis_app, redis_url, queue_name):
    user = TrainerFactory(name="Before")
    queue = queue_name

    enqueued = enqueue(
        RENAME_USER_JOB, user.id, "After", queue=queue, result_ttl=SHORT_TTL, failure_ttl=SHORT_TTL
    )
    assert (enqueued.inline, enqueued.status) == (False, "queued")
    assert _stored_name(user.id) == "Before"

    connection = Redis.from_url(redis_url)
    worked = FitbudSimpleWorker([jobs.queue_name(queue)], connection=connection).work(burst=True)

    assert worked
    assert Job.fetch(enqueued.id, connection=connection).get_status() == "finished"
    assert _stored_name(user.id) == "After"


@pytest.mark.redis
def test_python_m_workers_runs_queued_jobs_in_a_forked_work_horse(
    redis_app, database_url, redis_url, queue_name
):
    user = TrainerFactory(name="Before")
    queue = queue_name
    enqueued = enqueue(
        RENAME_USER_JOB, user.id, "After", queue=queue, result_ttl=SHORT_TTL, failure_ttl=SHORT_TTL
    )
    environment = {
        **os.environ,
        # The testing config keeps apps embedded; a worker is a deployed process, so it runs
        # the development config pointed at the test database and Redis.
        "FLASK_CONFIG": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # ... in this test run's namespace, as a deployment sets its own.
        "RQ_QUEUE_PREFIX": redis_app.config["RQ_QUEUE_PREFIX"],
        "CACHE_KEY_PREFIX": redis_app.config["CACHE_KEY_PREFIX"],
    }

    finished = subprocess.run(
        [sys.executable, "-m", "workers", "--burst", queue],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode == 0, finished.stderr
    connection = Redis.from_url(redis_url)
    assert Job.fetch(enqueued.id, connection=connection).get_status() == "finished"
    assert _stored_name(user.id) == "After"


def test_worker_without_redis_url_exits_with_an_explanation(inline_app, capsys):
    assert worker_main(["--burst"], app=inline_app) == 2
    assert "REDIS_URL is not set" in capsys.readouterr().err


def test_enqueue_without_redis_runs_the_job_at_once(inline_app):
    user = TrainerFactory(name="Before")

    enqueued = enqueue(RENAME_USER_JOB, user.id, "After")

    assert (enqueued.inline, enqueued.status) == (True, "finished")
    assert _stored_name(user.id) == "After"


def test_failing_inline_job_is_logged_and_reported_failed_without_raising(inline_app, caplog):
    enqueued = enqueue(FAILING_JOB, 42)

    assert (enqueued.inline, enqueued.status) == (True, "failed")
    [record] = [r for r in caplog.records if r.name == "fitbud.jobs"]
    assert record.levelno == logging.ERROR
    assert "failing_job" in record.getMessage()
    assert "job for user 42 broke" in record.exc_text


def test_scheduling_without_redis_is_refused(inline_app):
    with pytest.raises(RuntimeError, match="Scheduling needs Redis"):
        enqueue(FAILING_JOB, 1, at=datetime.now(UTC) + timedelta(hours=1))


@pytest.mark.redis
def test_the_workers_command_listener_wakes_every_second_so_teardown_never_waits_a_minute(redis_url, queue_name):
    worker = FitbudSimpleWorker([queue_name], connection=Redis.from_url(redis_url))
    worker.subscribe()
    try:
        assert worker.pubsub_thread.sleep_time == LISTENER_WAKE_SECONDS == 1
    finally:
        worker.unsubscribe()
    assert not worker.pubsub_thread.is_alive()


@pytest.mark.parametrize("name", [jobs.SEND_EMAIL, jobs.RUN_REPORT, jobs.SEND_SESSION_REMINDER, jobs.RUN_IMPORT])
def test_every_job_a_service_starts_names_a_function_of_the_worker_package(name):
    func = jobs.resolve(name)

    assert callable(func) and f"{func.__module__}.{func.__name__}" == name
    assert name.startswith("workers.")


def test_a_job_name_without_its_module_is_refused(inline_app):
    with pytest.raises(ValueError, match="named by module and function"):
        enqueue("rename_user_job", 1, "After")


def test_a_job_outside_an_app_context_without_a_worker_app_is_refused(monkeypatch):
    monkeypatch.setattr(context, "_worker_app", None)

    def run_job() -> None:
        with job_context():
            pass

    # An empty context: no app context is current, as in a worker nobody gave an app.
    with pytest.raises(RuntimeError, match="python -m workers"):
        contextvars.Context().run(run_job)


@pytest.mark.redis
def test_a_worker_started_outside_an_app_context_builds_the_app_its_jobs_run_in(
    redis_app, redis_url, queue_name, monkeypatch
):
    user = TrainerFactory(name="Before")
    enqueue(RENAME_USER_JOB, user.id, "After", queue=queue_name, result_ttl=SHORT_TTL, failure_ttl=SHORT_TTL)
    monkeypatch.setattr(context, "_worker_app", None)
    built: list[Flask] = []
    monkeypatch.setattr(worker, "create_app", lambda: built.append(redis_app) or redis_app)
    simple_worker = FitbudSimpleWorker([jobs.queue_name(queue_name)], connection=Redis.from_url(redis_url))

    # Like `rq worker --worker-class ...`: no app context is current when the worker starts.
    contextvars.Context().run(simple_worker.work, burst=True)

    assert built == [redis_app] and context.worker_app() is redis_app
    assert _stored_name(user.id) == "After"

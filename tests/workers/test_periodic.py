"""The worker queues the periodic pass itself, once per interval whichever worker gets there first."""

from __future__ import annotations

from fakeredis import FakeRedis
from rq import Queue

from fitbud.jobs import queue_name
from workers.periodic import PERIODIC_JOB
from workers.periodic_jobs import periodic_job
from workers.worker import FitbudSimpleWorker


def test_the_periodic_job_is_queued_once_per_interval_across_workers(app):
    connection = FakeRedis()
    workers = [FitbudSimpleWorker([queue_name("default")], connection=connection) for _ in range(2)]

    claimed = [worker.queue_periodic_job() for worker in workers]

    assert claimed == [True, False]
    assert [job.func_name for job in Queue(queue_name("default"), connection=connection).get_jobs()] == [PERIODIC_JOB]


def test_an_idle_worker_wakes_within_the_interval(app):
    app.config["PERIODIC_INTERVAL_SECONDS"] = 30
    worker = FitbudSimpleWorker([queue_name("default")], connection=FakeRedis())

    assert worker.dequeue_timeout == 30


def test_the_periodic_job_runs_a_pass(app):
    assert periodic_job() == {
        "outbox_sent": 0, "outbox_failed": 0, "reminders_sent": 0, "reminders_failed": 0, "replays_purged": 0,
        "imports_stopped": 0,
    }

"""`python -m workers` outlives Redis outages, and a dead scheduler is restarted at the next heartbeat."""

from __future__ import annotations

import logging

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.worker import BaseWorker

from workers import __main__ as entry
from workers.worker import FitbudWorker, HousekeepingMixin


class FakeConnection:
    """A Redis that answers PING only after `failures` refusals."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.pings = 0

    def ping(self) -> bool:
        self.pings += 1
        if self.pings <= self.failures:
            raise RedisConnectionError("Connection refused")
        return True


class FakeWorker:
    """A worker whose work() does what `outcome` says: raise, quit, or be stopped."""

    def __init__(self, outcome: str) -> None:
        self.name = f"fake-{outcome}"
        self.outcome = outcome
        self._shutdown_requested_date = None

    def work(self, **_options) -> bool:
        if self.outcome == "redis lost":
            raise RedisConnectionError("Connection closed by server")
        if self.outcome == "stopped":
            self._shutdown_requested_date = "now"
        return False  # "quit": rq ended its loop by itself (a Redis timeout)


def _no_sleep(_seconds: float) -> None:
    pass


@pytest.fixture(autouse=True)
def instant_pauses(monkeypatch):
    monkeypatch.setattr(entry.time, "sleep", _no_sleep)


def test_a_worker_that_lost_redis_is_replaced_until_one_is_stopped():
    outcomes = iter(["redis lost", "quit", "stopped"])
    made = []

    def make_worker():
        made.append(FakeWorker(next(outcomes)))
        return made[-1]

    assert entry.serve(make_worker, FakeConnection(), {"burst": False}) == 0

    assert [worker.outcome for worker in made] == ["redis lost", "quit", "stopped"]


def test_a_burst_run_is_not_restarted():
    made = []

    def make_worker():
        made.append(FakeWorker("quit"))
        return made[-1]

    entry.serve(make_worker, FakeConnection(), {"burst": True})

    assert len(made) == 1


def test_the_worker_waits_for_redis_with_growing_pauses(monkeypatch):
    pauses = []
    connection = FakeConnection(failures=4)

    assert entry.wait_for_redis(connection, entry.StopFlag(), sleep=pauses.append) is True

    assert connection.pings == 5
    # 1 s, 2 s, 4 s, 8 s, each slept in quarter seconds.
    assert len(pauses) == 4 * (1 + 2 + 4 + 8)


def test_a_stop_signal_ends_the_wait_for_redis():
    stop = entry.StopFlag()
    connection = FakeConnection(failures=1000)

    def sleep(_seconds):
        stop.raised = True

    assert entry.wait_for_redis(connection, stop, sleep=sleep) is False


class FakeProcess:
    def __init__(self, alive: bool) -> None:
        self.alive = alive

    def is_alive(self) -> bool:
        return self.alive


class FakeScheduler:
    def __init__(self, alive: bool) -> None:
        self._process = FakeProcess(alive)
        self.restarts = 0

    def acquire_locks(self, auto_start: bool = False) -> set[str]:
        assert auto_start
        self.restarts += 1
        self._process = FakeProcess(True)
        return {"default"}


class KeeperOnly(HousekeepingMixin):
    """The housekeeping of FitbudWorker alone, without a Redis connection."""

    def __init__(self, scheduler: FakeScheduler | None, horse: bool = False) -> None:
        self.scheduler = scheduler  # type: ignore[assignment]
        self._is_horse = horse
        self._stop_requested = False
        self._shutdown_requested_date = None
        self.name = "keeper"
        self.log = logging.getLogger("tests.worker")

    def _check_reports(self) -> None:
        pass


def test_a_dead_scheduler_is_restarted_at_the_next_heartbeat():
    scheduler = FakeScheduler(alive=False)

    KeeperOnly(scheduler).housekeeping()

    assert scheduler.restarts == 1 and scheduler._process.is_alive()


def test_a_live_scheduler_is_left_alone():
    scheduler = FakeScheduler(alive=True)

    KeeperOnly(scheduler).housekeeping()

    assert scheduler.restarts == 0


def test_a_work_horse_never_restarts_the_scheduler():
    scheduler = FakeScheduler(alive=False)

    KeeperOnly(scheduler, horse=True).housekeeping()

    assert scheduler.restarts == 0


def test_a_failed_heartbeat_while_a_job_runs_keeps_the_worker_waiting(monkeypatch):
    class Job:
        id = "job-1"

    keeper = KeeperOnly(FakeScheduler(alive=True))

    def redis_down(self, job):
        raise RedisTimeoutError("Timeout reading from socket")

    monkeypatch.setattr(BaseWorker, "maintain_heartbeats", redis_down)

    keeper.maintain_heartbeats(Job())  # no exception: rq would have quit the worker


def test_the_forking_worker_beats_often_enough_to_restart_its_scheduler_promptly(redis_url):
    worker = FitbudWorker(["default"], connection=Redis.from_url(redis_url))

    assert worker.dequeue_timeout <= 30 and worker.job_monitoring_interval <= 10

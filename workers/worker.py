"""rq's workers, building the app their jobs run in, keeping their scheduler alive and riding out Redis outages."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app, has_app_context
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import SimpleWorker, Worker
from rq.job import Job
from rq.worker import BaseWorker

from fitbud import create_app
from fitbud.services import reports
from workers.context import use_app, worker_app
from workers.periodic import PeriodicMixin

logger = logging.getLogger("fitbud.worker")

# How long the listener thread waits on Redis before checking whether it should stop.
LISTENER_WAKE_SECONDS = 1
# rq blocks on the queues for worker_ttl - 15 seconds and, while a job runs, checks on the work
# horse every job_monitoring_interval; each time it also beats, and so runs the housekeeping
# below. rq's defaults (420 s, 30 s) would leave a dead scheduler down for minutes.
WORKER_TTL = 35
JOB_MONITORING_INTERVAL = 10
REDIS_OUTAGE = (RedisConnectionError, RedisTimeoutError)


class QuickListenerMixin(BaseWorker):
    """Listens for rq's commands (shutdown, stop or kill a job) with a short read timeout.

    rq's listener waits up to 60 s per read and relies on Redis's reply to the UNSUBSCRIBE to wake
    it at teardown. When a worker stops before its subscription is confirmed, as a burst run over
    a short queue can, nothing wakes the thread, and the teardown waits the full 60 s for it
    (rq/rq#1613). A one-second read timeout bounds that wait; the cost is one idle wake a second.
    """

    def subscribe(self) -> None:
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]  # rq declares it None
            sleep_time=LISTENER_WAKE_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler
        )


class AppMixin(BaseWorker):
    """Builds the app the jobs run in once, before the first job, unless the entry point gave one.

    `python -m workers` builds it itself; under `rq worker --worker-class ...` this does, in the
    parent process, so forked work horses inherit it. A worker started inside an app context
    (tests) runs its jobs in that one.
    """

    def work(self, *args: Any, **kwargs: Any) -> bool:
        if worker_app() is None and not has_app_context():
            use_app(create_app())
        return super().work(*args, **kwargs)


class HousekeepingMixin(BaseWorker):
    """On each of rq's heartbeats (in the worker, never the work horse): restart a dead scheduler,
    check running reports, and keep waiting for a running job while Redis is unreachable.

    - rq restarts a scheduler process that died only at its maintenance pass (every 10 minutes);
      here it is restarted at the next heartbeat (within WORKER_TTL - 15 seconds when idle,
      JOB_MONITORING_INTERVAL while a job runs). The scheduler keeps its name, so it takes its
      own lock back at once.
    - services/reports.check_running_reports every REPORT_CHECK_SECONDS: a report whose job died
      (worker killed, job lost with Redis's data, database gone mid-job) is retried or failed
      truthfully without anyone opening it.
    - rq stops the whole worker when a heartbeat fails while the work horse runs (Redis down):
      the job's own work does not need Redis, so the worker keeps waiting for the horse, and
      deals with Redis again once the job ends (`python -m workers` reconnects if it is still down).
    """

    _reports_checked_at = float("-inf")

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        super().heartbeat(timeout, pipeline)
        if pipeline is None:
            self.housekeeping()

    def maintain_heartbeats(self, job: Job) -> None:
        try:
            super().maintain_heartbeats(job)
        except REDIS_OUTAGE as error:
            self.log.warning("Worker %s: Redis unreachable while job %s runs (%s); still waiting for it",
                             self.name, job.id, error)
        self.housekeeping()

    def housekeeping(self) -> None:
        """Restart the scheduler if its process died; check running reports when due."""
        if self._is_horse:
            return
        self._revive_scheduler()
        self._check_reports()

    def _revive_scheduler(self) -> None:
        scheduler = self.scheduler
        if scheduler is None or self._stop_requested or self._shutdown_requested_date is not None:
            return
        process = getattr(scheduler, "_process", None)
        if process is not None and process.is_alive():
            return
        try:
            if scheduler.acquire_locks(auto_start=True):
                self.log.warning("Worker %s: the scheduler was not running; restarted it", self.name)
        except REDIS_OUTAGE as error:
            self.log.warning("Worker %s: could not restart the scheduler yet (%s)", self.name, error)

    def _check_reports(self) -> None:
        app = current_app._get_current_object() if has_app_context() else worker_app()  # type: ignore[attr-defined]
        if app is None:
            return
        now = time.monotonic()
        if now - self._reports_checked_at < app.config["REPORT_CHECK_SECONDS"]:
            return
        self._reports_checked_at = now
        try:
            with app.app_context():
                reports.check_running_reports()
        except Exception:  # the database may be what is down; try again next time
            logger.warning("checking running reports failed", exc_info=True)


class FitbudWorker(AppMixin, HousekeepingMixin, PeriodicMixin, QuickListenerMixin, Worker):
    """The forking worker `python -m workers` runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("worker_ttl", WORKER_TTL)
        kwargs.setdefault("job_monitoring_interval", JOB_MONITORING_INTERVAL)
        super().__init__(*args, **kwargs)


class FitbudSimpleWorker(AppMixin, HousekeepingMixin, PeriodicMixin, QuickListenerMixin, SimpleWorker):
    """Runs jobs in its own process (tests, debugging)."""

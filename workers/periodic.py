"""Starts the periodic job from the worker's own loop, once per interval across all workers.

rq's scheduler only runs jobs someone scheduled, and those live in Redis: a Redis that lost its
data would lose the schedule with them. Here every worker, each time it waits for work, checks
whether the interval has passed; the first to claim the interval (SET NX with an expiry) queues
the periodic job. Nothing needs to have been scheduled before, so a flushed Redis, a restarted
worker or a new deployment all get their periodic pass within one interval.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from redis.exceptions import RedisError
from rq import Queue
from rq.worker import BaseWorker

from workers.context import worker_app

PERIODIC_JOB = "workers.periodic_jobs.periodic_job"


class PeriodicMixin(BaseWorker):
    """Queues `periodic_job` at most once per PERIODIC_INTERVAL_SECONDS, whichever worker gets there first."""

    def _periodic_settings(self) -> tuple[int, str, str] | None:
        """(interval, queue, claim key); None before the worker has its app (rq asks in __init__)."""
        app = current_app._get_current_object() if has_app_context() else worker_app()  # type: ignore[attr-defined]
        if app is None:
            return None
        interval = int(app.config["PERIODIC_INTERVAL_SECONDS"])
        prefix = app.config["RQ_QUEUE_PREFIX"]
        return interval, prefix + "default", f"{prefix}fitbud:periodic-claim"

    @property
    def dequeue_timeout(self) -> int:
        # Wake at least once per interval, even with empty queues, to queue the periodic job.
        settings = self._periodic_settings()
        if settings is None:
            return super().dequeue_timeout
        return max(1, min(super().dequeue_timeout, settings[0]))

    def heartbeat(self, *args: Any, **kwargs: Any) -> None:
        super().heartbeat(*args, **kwargs)
        self.queue_periodic_job()

    def queue_periodic_job(self) -> bool:
        """Queue the periodic job if this interval's has not been claimed yet; True when this call did."""
        settings = self._periodic_settings()
        if settings is None:
            return False
        interval, queue_name, claim_key = settings
        try:
            if not self.connection.set(claim_key, "1", nx=True, ex=interval):
                return False
            Queue(queue_name, connection=self.connection).enqueue(
                PERIODIC_JOB, job_timeout=max(interval, 60), result_ttl=interval, failure_ttl=24 * 3600
            )
        except RedisError:
            self.log.warning("could not queue the periodic job; next interval")
            return False
        return True

"""Enqueue a job on RQ when Redis is configured, or run it inline in embedded mode."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from rq import Queue, Retry

from fitbud.extensions import redis_store

logger = logging.getLogger("fitbud.jobs")

DEFAULT_TIMEOUT = 300
DEFAULT_RESULT_TTL = 24 * 3600
DEFAULT_FAILURE_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class EnqueuedJob:
    """What the caller learns about a job it started."""

    id: str | None
    inline: bool
    status: str


def get_queue(name: str = "default") -> Queue | None:
    """The RQ queue `name`, or None when Redis is not configured."""
    connection = redis_store.connection(current_app)
    if connection is None:
        return None
    return Queue(name, connection=connection)


def enqueue(
    func: Callable[..., Any],
    *args: Any,
    queue: str = "default",
    job_timeout: int = DEFAULT_TIMEOUT,
    result_ttl: int = DEFAULT_RESULT_TTL,
    failure_ttl: int = DEFAULT_FAILURE_TTL,
    retries: int = 0,
    retry_intervals: list[int] | None = None,
    job_id: str | None = None,
    at: datetime | None = None,
) -> EnqueuedJob:
    """Run `func(*args)` in a worker, or right now when there is no Redis.

    Arguments must be primitives (ids, strings): they are pickled for the worker.
    `at` schedules the job (the worker must run with --with-scheduler); inline mode
    cannot schedule, so it refuses rather than running early.
    """
    rq_queue = get_queue(queue)
    if rq_queue is None:
        if at is not None:
            raise RuntimeError("Scheduling needs Redis; embedded mode uses the CLI instead.")
        try:
            func(*args)
        except Exception:
            # Inline jobs share the request; the caller's committed work must survive a failed job.
            logger.exception("inline job %s failed", getattr(func, "__name__", func))
            return EnqueuedJob(id=job_id, inline=True, status="failed")
        return EnqueuedJob(id=job_id, inline=True, status="finished")
    options: dict[str, Any] = {
        "job_timeout": job_timeout,
        "result_ttl": result_ttl,
        "failure_ttl": failure_ttl,
        "job_id": job_id,
    }
    if retries:
        options["retry"] = Retry(max=retries, interval=retry_intervals or [10, 60, 300])
    if at is not None:
        job = rq_queue.enqueue_at(at, func, *args, **options)
    else:
        job = rq_queue.enqueue(func, *args, **options)
    return EnqueuedJob(id=job.id, inline=False, status=job.get_status(refresh=False) or "queued")

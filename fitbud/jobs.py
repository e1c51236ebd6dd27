"""Start a background job by its dotted name: on RQ when Redis is configured, inline in embedded mode.

Services start jobs through this module and never import the worker package: a job is named
("workers.mail_jobs.send_email_job"), RQ imports it in the worker, and inline mode imports it
here when it runs it.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from rq import Queue, Retry

from fitbud.extensions import redis_store

logger = logging.getLogger("fitbud.jobs")

# The jobs services start. The worker package defines them; tests/workers/test_queues.py checks that
# each name resolves to a function.
SEND_EMAIL = "workers.mail_jobs.send_email_job"
RUN_REPORT = "workers.report_jobs.run_report_job"
RUN_IMPORT = "workers.import_jobs.run_import_job"
SEND_SESSION_REMINDER = "workers.reminder_jobs.send_session_reminder_job"

DEFAULT_TIMEOUT = 300
DEFAULT_RESULT_TTL = 24 * 3600
DEFAULT_FAILURE_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class EnqueuedJob:
    """What the caller learns about a job it started."""

    id: str | None
    inline: bool
    status: str


def queue_name(name: str) -> str:
    """The name RQ knows the queue `name` by: with this deployment's RQ_QUEUE_PREFIX."""
    return current_app.config["RQ_QUEUE_PREFIX"] + name


def get_queue(name: str = "default") -> Queue | None:
    """The RQ queue `name`, or None when Redis is not configured."""
    connection = redis_store.connection(current_app)
    if connection is None:
        return None
    return Queue(queue_name(name), connection=connection)


def resolve(name: str) -> Callable[..., Any]:
    """The function a dotted job name ("package.module.function") stands for."""
    module_name, _, attribute = name.rpartition(".")
    if not module_name:
        raise ValueError(f"A job is named by module and function, like 'workers.mail_jobs.send_email_job': {name!r}")
    return getattr(importlib.import_module(module_name), attribute)


def enqueue(
    name: str,
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
    """Run the job `name` (a dotted path) with `args` in a worker, or right now when there is no Redis.

    Arguments must be primitives (ids, strings): they are pickled for the worker.
    `at` schedules the job (the worker must run with --with-scheduler); inline mode
    cannot schedule, so it refuses rather than running early.
    """
    rq_queue = get_queue(queue)
    if rq_queue is None:
        if at is not None:
            raise RuntimeError("Scheduling needs Redis; embedded mode uses the CLI instead.")
        func = resolve(name)
        try:
            func(*args)
        except Exception:
            # Inline jobs share the request; the caller's committed work must survive a failed job.
            logger.exception("inline job %s failed", name)
            return EnqueuedJob(id=job_id, inline=True, status="failed")
        return EnqueuedJob(id=job_id, inline=True, status="finished")
    options: dict[str, Any] = {
        "job_timeout": job_timeout,
        "result_ttl": result_ttl,
        "failure_ttl": failure_ttl,
        "job_id": job_id,
        # RQ logs a job's description when a worker takes it; by default that is the call with
        # its arguments, which for an email holds the body and its links. The name is enough.
        "description": name,
    }
    if retries:
        options["retry"] = Retry(max=retries, interval=retry_intervals or [10, 60, 300])
    if at is not None:
        job = rq_queue.enqueue_at(at, name, *args, **options)
    else:
        job = rq_queue.enqueue(name, *args, **options)
    return EnqueuedJob(id=job.id, inline=False, status=job.get_status(refresh=False) or "queued")

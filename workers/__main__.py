"""`python -m workers`: an RQ worker on the app's REDIS_URL (queues high, default, low) that outlives Redis outages."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError

from fitbud import create_app
from workers.context import use_app
from workers.worker import FitbudWorker

logger = logging.getLogger("fitbud.worker")

# Pauses between attempts to reach Redis again: doubling from the first to the last.
FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 30.0


def build_parser(default_queues: Sequence[str]) -> argparse.ArgumentParser:
    """The command line: queue names (highest priority first) and --burst."""
    parser = argparse.ArgumentParser(
        prog="python -m workers",
        description="Run Fitbud's background jobs from Redis (settings come from the environment).",
    )
    parser.add_argument(
        "queues",
        nargs="*",
        default=list(default_queues),
        help=f"queues to serve, highest priority first (default: {' '.join(default_queues)})",
    )
    parser.add_argument(
        "--burst", action="store_true", help="exit once the queues are empty (scripts and tests)"
    )
    return parser


class StopFlag:
    """SIGTERM or SIGINT while the worker waits for Redis: stop waiting and exit."""

    def __init__(self) -> None:
        self.raised = False

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._raise)
        signal.signal(signal.SIGINT, self._raise)

    def _raise(self, _signum: int, _frame: Any) -> None:
        self.raised = True


def wait_for_redis(connection: Redis, stop: StopFlag, sleep: Callable[[float], None] = time.sleep) -> bool:
    """Ping Redis until it answers, pausing longer each time (up to LONGEST_RETRY_SECONDS); False if stopped."""
    pause = FIRST_RETRY_SECONDS
    while not stop.raised:
        try:
            connection.ping()
            return True
        except RedisError as error:
            logger.warning("Redis unreachable (%s); trying again in %.0f s", error, pause)
        waited = 0.0
        while waited < pause and not stop.raised:  # a signal ends the pause within a quarter second
            sleep(0.25)
            waited += 0.25
        pause = min(pause * 2, LONGEST_RETRY_SECONDS)
    return False


def serve(
    make_worker: Callable[[], FitbudWorker],
    connection: Redis,
    work_options: dict[str, Any],
    stop: StopFlag | None = None,
) -> int:
    """Run workers until one is asked to stop: a worker that quits because Redis went away is replaced.

    rq's worker ends its loop on a Redis timeout, or on an error while a job runs; the compose
    service would be restarted by Docker, but a plain `python -m workers` would just exit. Here
    the process waits for Redis (with growing pauses) and starts a fresh worker (a new name, so
    rq's registry never sees two live workers of one name). A burst run, or a worker stopped by
    SIGTERM/SIGINT (rq's warm shutdown), ends the process.
    """
    stop = stop or StopFlag()
    previous = None
    while True:
        stop.install()
        if not wait_for_redis(connection, stop):
            return 0
        _release_scheduler_locks(previous)
        worker = make_worker()
        try:
            worker.work(**work_options)
        except RedisError as error:
            logger.warning("worker %s lost Redis (%s)", worker.name, error)
        if work_options.get("burst") or worker._shutdown_requested_date is not None or stop.raised:
            return 0
        logger.warning("worker %s stopped without being asked to; starting a new one", worker.name)
        previous = worker


def _release_scheduler_locks(worker: Any) -> None:
    """Free the queue locks the previous worker's scheduler held, so the next one's starts at once.

    A scheduler whose worker lost Redis was stopped without releasing them (Redis was away), and
    they would keep the new worker's scheduler out for a minute, until they expire.
    """
    scheduler = getattr(worker, "scheduler", None)
    if scheduler is None:
        return
    try:
        scheduler.release_locks()
    except RedisError:
        logger.warning("could not release the previous scheduler's locks; they expire within a minute")


def main(argv: Sequence[str] | None = None, app: Flask | None = None) -> int:
    """Start the worker; returns the process exit code."""
    app = app or create_app()
    args = build_parser(app.config["RQ_QUEUES"]).parse_args(argv)
    url = app.config.get("REDIS_URL")
    if not url:
        print(
            "REDIS_URL is not set: without Redis, jobs run inline in the web process "
            "and there is nothing for a worker to do.",
            file=sys.stderr,
        )
        return 2
    # Build the app once here; every forked work horse inherits it (and drops the parent's
    # pooled connections) instead of building its own for each job.
    use_app(app)
    prefix = app.config["RQ_QUEUE_PREFIX"]  # the names services enqueue to (fitbud/jobs.py)
    queues = [prefix + queue for queue in args.queues]
    # rq sets the read timeout itself (longer than its blocking wait on the queues).
    connection = Redis.from_url(url, socket_connect_timeout=app.config["REDIS_CONNECT_TIMEOUT"])
    # The scheduler (jobs enqueued with `at=`) is a long-lived helper process; a burst run that
    # exits when the queues are empty has no use for it.
    options = {"burst": args.burst, "with_scheduler": not args.burst, "logging_level": app.config["LOG_LEVEL"]}
    return serve(lambda: FitbudWorker(queues, connection=connection), connection, options)


if __name__ == "__main__":
    sys.exit(main())

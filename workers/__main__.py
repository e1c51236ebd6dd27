"""`python -m workers`: an RQ worker on the app's REDIS_URL, serving high, default and low."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from flask import Flask
from redis import Redis

from fitbud import create_app
from workers.context import use_app
from workers.worker import FitbudWorker


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
    worker = FitbudWorker([prefix + queue for queue in args.queues], connection=Redis.from_url(url))
    # The scheduler (jobs enqueued with `at=`) is a long-lived helper process; a burst run that
    # exits when the queues are empty has no use for it.
    worker.work(
        burst=args.burst, with_scheduler=not args.burst, logging_level=app.config["LOG_LEVEL"]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

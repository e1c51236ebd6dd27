"""The periodic job: outbox dispatch, due reminders and expired replays, every PERIODIC_INTERVAL_SECONDS."""

from __future__ import annotations

import logging
from dataclasses import asdict

from fitbud.services.periodic import run_periodic
from workers.context import job_context

logger = logging.getLogger("fitbud.jobs.periodic")


def periodic_job() -> dict[str, int]:
    """Run one periodic pass (workers/periodic.py starts it; `flask fitbud periodic` does the same)."""
    with job_context():
        result = asdict(run_periodic())
        logger.info("periodic pass", extra=result)
        return result

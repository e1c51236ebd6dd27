"""Report jobs: build a requested report in a worker (or inline) and store the file on its row."""

from __future__ import annotations

import logging

from rq import get_current_job

from fitbud.services.reports import execute_report
from workers.context import job_context

logger = logging.getLogger("fitbud.jobs.reports")


def run_report_job(report_id: int) -> str:
    """Build report `report_id`; progress and failures are written to the report row.

    Runs inside its own app context; a forked work horse gets fresh database connections
    (workers.context disposes the pool inherited from the parent process).
    """
    job = get_current_job()
    with job_context():
        logger.info("report %s: starting (job %s)", report_id, job.id if job else "inline")
        status = execute_report(report_id, job=job)
        logger.info("report %s: %s", report_id, status)
        return status

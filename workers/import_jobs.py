"""Import jobs: read a large uploaded file in a worker (or inline) and write what it holds, all or nothing."""

from __future__ import annotations

import logging

from rq import get_current_job

from fitbud.services.imports import execute_import
from workers.context import job_context

logger = logging.getLogger("fitbud.jobs.imports")


def run_import_job(import_id: int, skip_unmatched: bool = False) -> str:
    """Run import `import_id`; progress goes to its row and job.meta, a failure to its error and location."""
    job = get_current_job()
    with job_context():
        logger.info("import %s: starting (job %s)", import_id, job.id if job else "inline")
        status = execute_import(import_id, skip_unmatched=skip_unmatched, job=job)
        logger.info("import %s: %s", import_id, status)
        return status

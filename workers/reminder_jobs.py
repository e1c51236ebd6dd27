"""Jobs that send session reminders at their scheduled time."""

from __future__ import annotations

from datetime import datetime

from rq import get_current_job

from fitbud.services import reminders
from workers.context import job_context


def send_session_reminder_job(session_id: int, offset_minutes: int, starts_at_iso: str) -> bool:
    """Send one reminder, unless the session was cancelled or moved since it was scheduled."""
    with job_context():
        sent = reminders.send_reminder(session_id, offset_minutes, datetime.fromisoformat(starts_at_iso))
        job = get_current_job()
        if job is not None:
            job.meta["outcome"] = "sent" if sent else "skipped"
            job.save_meta()
        return sent

"""Session reminders: RQ jobs at fixed offsets before a session, or a CLI sweep without Redis.

Both paths end in `send_reminder`-style delivery that first records the reminder
(session, offset, start time) under a unique constraint, so no reminder goes out twice
even when a worker and the CLI race. A moved session has a new start time, hence new
reminders.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from fitbud.extensions import db, redis_store
from fitbud.jobs import SEND_SESSION_REMINDER, enqueue, get_queue
from fitbud.mail import send_mail
from fitbud.models import Client, SessionReminder, SessionStatus, TrainingSession, utcnow
from fitbud.services.local_time import zone_named
from fitbud.services.recurrence import local_iso

logger = logging.getLogger("fitbud.reminders")

REMINDER_QUEUE = "default"
REMINDER_JOB_TIMEOUT = 60
# A reminder is useless after its session started; keep results briefly, failures a week.
REMINDER_RESULT_TTL = 24 * 3600
REMINDER_FAILURE_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder job to put on the queue once the session is committed."""

    job_id: str
    session_id: int
    offset_minutes: int
    run_at: datetime
    starts_at: datetime


@dataclass(frozen=True)
class OutgoingMail:
    """A reminder email, composed before any commit expires the session it describes."""

    to: str
    subject: str
    body: str


def reminder_offsets() -> list[int]:
    """Minutes before the start at which reminders go out, largest first."""
    return sorted(current_app.config["SESSION_REMINDER_OFFSETS"], reverse=True)


def job_id(session_id: int, offset_minutes: int) -> str:
    """The deterministic RQ job id of one reminder, so it can be found and cancelled."""
    return f"reminder-{session_id}-{offset_minutes}"


def plan_reminders(sessions: list[TrainingSession]) -> list[PlannedReminder]:
    """Decide these sessions' reminder jobs and note their ids on them (the caller commits).

    Without Redis nothing is planned: `flask fitbud send-due-reminders` sends them instead.
    Reminders whose time has already passed are not scheduled.
    """
    if get_queue(REMINDER_QUEUE) is None:
        for session in sessions:
            session.reminder_job_ids = []
        return []
    now = utcnow()
    planned: list[PlannedReminder] = []
    for session in sessions:
        jobs = []
        if session.status == SessionStatus.SCHEDULED:
            for offset in reminder_offsets():
                run_at = session.starts_at - timedelta(minutes=offset)
                if run_at > now:
                    jobs.append(
                        PlannedReminder(job_id(session.id, offset), session.id, offset, run_at, session.starts_at)
                    )
        session.reminder_job_ids = [job.job_id for job in jobs]
        planned.extend(jobs)
    return planned


def enqueue_planned(planned: list[PlannedReminder]) -> None:
    """Put planned reminders on RQ's schedule; a Redis outage is logged, never raised.

    Running send-due-reminders periodically is a safe backstop: sent reminders are recorded.
    """
    for reminder in planned:
        try:
            enqueue(
                SEND_SESSION_REMINDER,
                reminder.session_id,
                reminder.offset_minutes,
                reminder.starts_at.isoformat(),
                queue=REMINDER_QUEUE,
                job_id=reminder.job_id,
                at=reminder.run_at,
                job_timeout=REMINDER_JOB_TIMEOUT,
                result_ttl=REMINDER_RESULT_TTL,
                failure_ttl=REMINDER_FAILURE_TTL,
            )
        except RedisError:
            logger.exception("could not schedule reminder %s", reminder.job_id)


def cancel_jobs(job_ids: list[str]) -> None:
    """Delete reminder jobs (and their place in the scheduled registry); missing ones are fine."""
    connection = redis_store.connection(current_app)
    if connection is None or not job_ids:
        return
    for reminder_job_id in job_ids:
        try:
            Job.fetch(reminder_job_id, connection=connection).delete()
        except NoSuchJobError:
            continue
        except RedisError:
            logger.exception("could not cancel reminder %s", reminder_job_id)


def _load(statement):
    return statement.options(
        joinedload(TrainingSession.client).joinedload(Client.user),
        joinedload(TrainingSession.trainer),
    )


def _when(offset_minutes: int) -> str:
    if offset_minutes % 1440 == 0:
        days = offset_minutes // 1440
        return "tomorrow" if days == 1 else f"in {days} days"
    if offset_minutes % 60 == 0:
        hours = offset_minutes // 60
        return "in 1 hour" if hours == 1 else f"in {hours} hours"
    return f"in {offset_minutes} minutes"


def _format_local(moment: datetime, tz_name: str) -> str:
    local = moment.astimezone(zone_named(tz_name))
    return f"{local:%A %d %B at %H:%M} ({tz_name})"


def compose_reminders(session: TrainingSession, offset_minutes: int) -> list[OutgoingMail]:
    """The client's and the trainer's reminder, each in their own timezone."""
    client, trainer = session.client, session.trainer
    where = session.meeting_url or session.location or "the usual place"
    kind = session.type.value.replace("_", " ")
    client_email = client.user.email if client.user is not None else client.email
    return [
        OutgoingMail(
            to=client_email,
            subject=f"Reminder: your {kind} session with {trainer.name} is {_when(offset_minutes)}",
            body=(
                f"Hi {client.name},\n\nYour {kind} session with {trainer.name} starts "
                f"{_format_local(session.starts_at, client.timezone)}.\nWhere: {where}\n\n"
                "If you cannot make it, let your trainer know in Fitbud.\n"
            ),
        ),
        OutgoingMail(
            to=trainer.email,
            subject=f"Reminder: {kind} session with {client.name} is {_when(offset_minutes)}",
            body=(
                f"Your {kind} session with {client.name} starts "
                f"{_format_local(session.starts_at, trainer.timezone)}.\nWhere: {where}\n"
                f"Client's local time: {local_iso(session.starts_at, client.timezone)}\n"
            ),
        ),
    ]


def _claim(session_id: int, offset_minutes: int, starts_at: datetime, delivered: bool) -> bool:
    """Record the reminder; False when it was already handled (by a worker or the CLI)."""
    db.session.add(
        SessionReminder(
            session_id=session_id,
            offset_minutes=offset_minutes,
            starts_at=starts_at,
            sent_at=utcnow(),
            delivered=delivered,
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _unclaim(session_id: int, offset_minutes: int, starts_at: datetime) -> None:
    db.session.rollback()
    db.session.execute(
        delete(SessionReminder).where(
            SessionReminder.session_id == session_id,
            SessionReminder.offset_minutes == offset_minutes,
            SessionReminder.starts_at == starts_at,
        )
    )
    db.session.commit()


def _deliver(session_id: int, offset_minutes: int, starts_at: datetime, mails: list[OutgoingMail]) -> bool:
    if not _claim(session_id, offset_minutes, starts_at, delivered=True):
        return False
    try:
        for mail in mails:
            send_mail(mail.to, mail.subject, mail.body)
    except Exception:
        # Forget the claim so a retry (RQ retry or the next CLI run) can send it.
        _unclaim(session_id, offset_minutes, starts_at)
        raise
    return True


def send_reminder(session_id: int, offset_minutes: int, expected_starts_at: datetime) -> bool:
    """Send one reminder if the session is still scheduled at the start it was planned for."""
    session = db.session.execute(
        _load(select(TrainingSession)).where(TrainingSession.id == session_id)
    ).scalar_one_or_none()
    if session is None or session.status != SessionStatus.SCHEDULED:
        return False
    if session.starts_at != expected_starts_at:
        return False
    mails = compose_reminders(session, offset_minutes)
    return _deliver(session_id, offset_minutes, session.starts_at, mails)


@dataclass(frozen=True)
class _Due:
    session_id: int
    starts_at: datetime
    offset_minutes: int
    skipped_offsets: tuple[int, ...]
    mails: tuple[OutgoingMail, ...]


def _due_reminders(now: datetime) -> list[_Due]:
    offsets = reminder_offsets()
    sessions = (
        db.session.execute(
            _load(select(TrainingSession))
            .where(
                TrainingSession.status == SessionStatus.SCHEDULED,
                TrainingSession.starts_at > now,
                TrainingSession.starts_at <= now + timedelta(minutes=max(offsets)),
            )
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
        .scalars()
        .all()
    )
    if not sessions:
        return []
    handled = {
        (row.session_id, row.offset_minutes, row.starts_at)
        for row in db.session.execute(
            select(SessionReminder.session_id, SessionReminder.offset_minutes, SessionReminder.starts_at).where(
                SessionReminder.session_id.in_([session.id for session in sessions])
            )
        )
    }
    due = []
    for session in sessions:
        offsets_due = [
            offset
            for offset in offsets
            if session.scheduled_at <= session.starts_at - timedelta(minutes=offset) <= now
            and (session.id, offset, session.starts_at) not in handled
        ]
        if not offsets_due:
            continue
        # Only the closest reminder is worth sending; earlier ones that were missed are skipped.
        closest = min(offsets_due)
        due.append(
            _Due(
                session_id=session.id,
                starts_at=session.starts_at,
                offset_minutes=closest,
                skipped_offsets=tuple(offset for offset in offsets_due if offset != closest),
                mails=tuple(compose_reminders(session, closest)),
            )
        )
    return due


def send_due_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Send every reminder whose time has come (embedded mode's scheduler).

    Returns (sent, failed). Reminders that fell due before the session was booked or moved
    are not sent, matching what the RQ path schedules.
    """
    now = now or utcnow()
    sent = failed = 0
    for due in _due_reminders(now):
        for offset in due.skipped_offsets:
            _claim(due.session_id, offset, due.starts_at, delivered=False)
        try:
            if _deliver(due.session_id, due.offset_minutes, due.starts_at, list(due.mails)):
                sent += 1
        except Exception:
            logger.exception("reminder for session %s failed", due.session_id)
            failed += 1
    return sent, failed

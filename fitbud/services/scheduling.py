"""Training sessions: booking, weekly series, moves, overlap conflicts and the status lifecycle.

Every query is scoped to the caller (the trainer's own sessions, or the client's own), so
someone else's session is simply not found. Times are stored in UTC; recurring series and
"this and following" moves are computed on the trainer's local clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.jobs import SEND_EMAIL
from fitbud.models import (
    ActivityType,
    Client,
    SessionSeries,
    SessionStatus,
    SessionType,
    TrainingSession,
    User,
    utcnow,
)
from fitbud.models.scheduling import session_summary
from fitbud.services import outbox, reminders
from fitbud.services.activity import record_activity
from fitbud.services.client_scope import own_client_ids, trainer_client
from fitbud.services.local_time import zone_named, zone_of
from fitbud.services.recurrence import (
    MAX_OCCURRENCES,
    WEEKDAY_CODES,
    TooManyOccurrences,
    WeeklyRule,
    expand_weekly,
    from_local,
    local_iso,
    overlaps,
    shift_wall_clock,
    to_local,
    wall_clock_delta,
)

SCOPE_THIS = "this"
SCOPE_FOLLOWING = "this_and_following"
SCOPES = (SCOPE_THIS, SCOPE_FOLLOWING)
MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 480
MAX_RANGE = timedelta(days=366)
# Bookings far in the past or future are almost always typos (a wrong year).
PAST_LIMIT = timedelta(days=366)
FUTURE_LIMIT = timedelta(days=2 * 366)
EDITABLE_FIELDS = ("type", "location", "meeting_url", "notes")


@dataclass(frozen=True)
class Booking:
    """What a new session needs, whoever asked for it (trainer, or an accepted request)."""

    client: Client
    starts_at: datetime
    duration_minutes: int
    type: SessionType
    location: str | None = None
    meeting_url: str | None = None
    notes: str = ""
    allow_overlap: bool = False


def overlapping(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Sessions overlapping [start, end), in a shape the (…, starts_at) indexes can serve.

    A session lasts at most MAX_DURATION_MINUTES (checked on every booking and change), so one
    that overlaps began at most that long before `start`. Saying so bounds starts_at from below;
    without it the index range is every session before `end`, the whole past of a trainer.
    """
    return and_(
        TrainingSession.starts_at < end,
        TrainingSession.starts_at >= start - timedelta(minutes=MAX_DURATION_MINUTES),
        TrainingSession.ends_at > start,
    )


def _with_people(statement: Select) -> Select:
    return statement.options(joinedload(TrainingSession.client), joinedload(TrainingSession.trainer))


def _with_names(statement: Select) -> Select:
    """For lists: of each person only what a listed session shows (name, timezone), not the whole profile."""
    return statement.options(
        joinedload(TrainingSession.client).load_only(Client.name, Client.timezone),
        joinedload(TrainingSession.trainer).load_only(User.name, User.timezone),
    )


def require_active(client: Client) -> None:
    """Archived or deactivated clients cannot be booked or messaged anew (409)."""
    if client.archived_at is not None or not client.is_active:
        raise ConflictError(
            "This client is archived; reactivate them first.", errors={"client_id": ["client is archived"]}
        )


def validate_range(start: datetime, end: datetime, max_range: timedelta = MAX_RANGE) -> tuple[datetime, datetime]:
    """A from/to pair in UTC: `to` after `from`, at most `max_range` apart (422 otherwise)."""
    if end <= start:
        raise InvalidInputError("`to` must be after `from`.", errors={"to": ["must be after from"]})
    if end - start > max_range:
        raise InvalidInputError(
            f"The range may span at most {max_range.days} days.",
            errors={"to": [f"at most {max_range.days} days after from"]},
        )
    return start.astimezone(UTC), end.astimezone(UTC)


def _check_start(starts_at: datetime, field: str = "starts_at") -> datetime:
    starts_at = starts_at.astimezone(UTC)
    now = utcnow()
    if not now - PAST_LIMIT <= starts_at <= now + FUTURE_LIMIT:
        raise InvalidInputError(
            "Sessions can be booked from a year ago up to two years ahead.",
            errors={field: ["must be within a year ago and two years ahead"]},
        )
    return starts_at


def _lock_trainer(trainer_id: int) -> None:
    # Serialises booking per trainer (PostgreSQL), so two requests cannot both pass the overlap check.
    db.session.execute(select(User.id).where(User.id == trainer_id).with_for_update())


def find_conflicts(
    trainer_id: int,
    client_id: int,
    intervals: list[tuple[datetime, datetime]],
    exclude_ids: Iterable[int] = (),
) -> list[dict[str, Any]]:
    """Non-cancelled sessions of the trainer or the client overlapping any interval (one query)."""
    if not intervals:
        return []
    earliest = min(start for start, _ in intervals)
    latest = max(end for _, end in intervals)
    statement = (
        select(TrainingSession)
        .where(
            TrainingSession.status != SessionStatus.CANCELLED,
            or_(TrainingSession.trainer_id == trainer_id, TrainingSession.client_id == client_id),
            overlapping(earliest, latest),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    excluded = list(exclude_ids)
    if excluded:
        statement = statement.where(TrainingSession.id.not_in(excluded))
    existing = db.session.execute(statement).scalars().all()
    found = {
        other.id: other
        for start, end in intervals
        for other in existing
        if overlaps(start, end, other.starts_at, other.ends_at)
    }
    return [session_summary(session) for session in sorted(found.values(), key=lambda s: (s.starts_at, s.id))]


def _raise_conflicts(conflicts: list[dict[str, Any]]) -> None:
    raise ConflictError(
        f"This overlaps {len(conflicts)} other session(s) of the trainer or the client; "
        "send allow_overlap=true to book it anyway.",
        errors={"starts_at": ["overlaps another session"]},
        details={"conflicts": conflicts},
    )


def notify(to: str, subject: str, body: str) -> None:
    """Email someone about a change to their sessions, through the mail job, once the caller commits."""
    outbox.add(SEND_EMAIL, to, subject, body, queue="default", job_timeout=60)


def _new_session(trainer: User, booking: Booking, **extra: Any) -> TrainingSession:
    starts_at = booking.starts_at.astimezone(UTC)
    session = TrainingSession(
        trainer_id=trainer.id,
        client_id=booking.client.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=booking.duration_minutes),
        duration_minutes=booking.duration_minutes,
        type=booking.type,
        status=SessionStatus.SCHEDULED,
        location=booking.location,
        meeting_url=booking.meeting_url,
        notes=booking.notes or "",
        scheduled_at=utcnow(),
        revision=0,
        reminder_job_ids=[],
        **extra,
    )
    db.session.add(session)
    return session


def book(trainer: User, booking: Booking) -> tuple[TrainingSession, list[reminders.PlannedReminder]]:
    """Add a session in the current transaction after the overlap check; the caller commits.

    The returned reminders are enqueued by the caller once the commit succeeded.
    """
    require_active(booking.client)
    starts_at = _check_start(booking.starts_at)
    ends_at = starts_at + timedelta(minutes=booking.duration_minutes)
    _lock_trainer(trainer.id)
    if not booking.allow_overlap:
        conflicts = find_conflicts(trainer.id, booking.client.id, [(starts_at, ends_at)])
        if conflicts:
            _raise_conflicts(conflicts)
    session = _new_session(trainer, booking)
    db.session.flush()
    return session, reminders.plan_reminders([session])


def create_session(trainer: User, data: dict[str, Any]) -> TrainingSession:
    """Book one session for one of the trainer's clients (409 on overlap unless allowed)."""
    booking = Booking(
        client=trainer_client(trainer, data["client_id"], field="client_id"),
        starts_at=data["starts_at"],
        duration_minutes=data["duration_minutes"],
        type=data["type"],
        location=data.get("location"),
        meeting_url=data.get("meeting_url"),
        notes=data.get("notes", ""),
        allow_overlap=data.get("allow_overlap", False),
    )
    session, planned = book(trainer, booking)
    db.session.commit()
    reminders.enqueue_planned(planned)
    return get_session(trainer, session.id)


def series_starts(trainer: User, first: datetime, recurrence: dict[str, Any]) -> tuple[WeeklyRule, list[datetime]]:
    """The weekly rule and the UTC start of every session it books, expanded on the trainer's clock.

    The one recurrence expansion: booking a series and previewing its conflicts both use it.
    A rule that books nothing, or more than a series may hold, is a 422.
    """
    tz = zone_of(trainer)
    weekdays = tuple(recurrence.get("weekdays") or ()) or (WEEKDAY_CODES[to_local(first, tz).weekday()],)
    rule = WeeklyRule(
        weekdays=weekdays,
        interval=recurrence.get("interval", 1),
        count=recurrence.get("count"),
        until=recurrence.get("until"),
    )
    if rule.until is not None and rule.until < to_local(first, tz).date():
        raise InvalidInputError(
            "The series must end after it starts.", errors={"recurrence.until": ["is before starts_at"]}
        )
    try:
        starts = expand_weekly(first, tz, rule)
    except TooManyOccurrences as error:
        raise InvalidInputError(
            f"A series may hold at most {MAX_OCCURRENCES} sessions; shorten it.", errors={"recurrence": [str(error)]}
        ) from None
    if not starts:
        raise InvalidInputError("This rule produces no sessions.", errors={"recurrence": ["no date matches the rule"]})
    return rule, starts


def create_series(trainer: User, data: dict[str, Any]) -> SessionSeries:
    """Expand a weekly rule on the trainer's local clock into real sessions, all or nothing."""
    client = trainer_client(trainer, data["client_id"], field="client_id")
    require_active(client)
    tz_name = trainer.timezone or "UTC"
    tz = zone_named(tz_name)
    first = _check_start(data["starts_at"])
    rule, starts = series_starts(trainer, first, data["recurrence"])
    duration = timedelta(minutes=data["duration_minutes"])
    _lock_trainer(trainer.id)
    if not data.get("allow_overlap", False):
        conflicts = find_conflicts(trainer.id, client.id, [(start, start + duration) for start in starts])
        if conflicts:
            _raise_conflicts(conflicts)
    series = SessionSeries(
        trainer_id=trainer.id,
        client_id=client.id,
        timezone=tz_name,
        local_start_time=to_local(first, tz).time(),
        duration_minutes=data["duration_minutes"],
        weekdays=list(rule.weekdays),
        interval=rule.interval,
        count=rule.count,
        until=rule.until,
        rrule=rule.as_rrule_text(),
        first_starts_at=starts[0],
    )
    db.session.add(series)
    db.session.flush()
    sessions = [
        _new_session(
            trainer,
            Booking(
                client=client,
                starts_at=start,
                duration_minutes=data["duration_minutes"],
                type=data["type"],
                location=data.get("location"),
                meeting_url=data.get("meeting_url"),
                notes=data.get("notes", ""),
            ),
            series_id=series.id,
            series_index=index,
        )
        for index, start in enumerate(starts)
    ]
    db.session.flush()
    planned = reminders.plan_reminders(sessions)
    db.session.commit()
    reminders.enqueue_planned(planned)
    return get_series(trainer, series.id)


def preview_conflicts(
    trainer: User,
    client_id: int | None,
    starts_at: datetime | None,
    duration_minutes: int | None,
    recurrence: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """What a booking would overlap, before anything is saved: the booking's own expansion and check.

    A half-filled form previews nothing; a client who is not the trainer's is a 404, as on booking.
    """
    if client_id is None:
        return []
    client = trainer_client(trainer, client_id)
    intervals = booking_intervals(trainer, starts_at, duration_minutes, recurrence)
    return find_conflicts(trainer.id, client.id, intervals) if intervals else []


def booking_intervals(
    trainer: User, starts_at: datetime | None, duration_minutes: int | None, recurrence: dict[str, Any] | None = None
) -> list[tuple[datetime, datetime]]:
    """The (start, end) of each session a booking would make, expanded as booking does; [] while half-filled."""
    if starts_at is None or not duration_minutes or duration_minutes <= 0:
        return []
    starts = [starts_at]
    if recurrence is not None:
        count = recurrence.get("count")
        if count is not None and count < 1:
            return []
        try:
            _rule, starts = series_starts(trainer, starts_at, recurrence)
        except InvalidInputError:
            return []
    length = timedelta(minutes=duration_minutes)
    return [(start, start + length) for start in starts]


def get_series(trainer: User, series_id: int) -> SessionSeries:
    """The trainer's series with its sessions in series order, or 404."""
    series = db.session.execute(
        select(SessionSeries)
        .options(
            selectinload(SessionSeries.sessions).options(
                joinedload(TrainingSession.client), joinedload(TrainingSession.trainer)
            )
        )
        .where(SessionSeries.id == series_id, SessionSeries.trainer_id == trainer.id)
    ).scalar_one_or_none()
    if series is None:
        raise NotFoundError("No such series.")
    return series


def list_sessions(
    trainer: User,
    start: datetime,
    end: datetime,
    client_id: int | None = None,
    status: SessionStatus | None = None,
) -> Select:
    """The trainer's sessions overlapping [start, end), in start order; the caller paginates."""
    start, end = validate_range(start, end)
    statement = (
        _with_names(select(TrainingSession))
        .where(
            TrainingSession.trainer_id == trainer.id,
            overlapping(start, end),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    if client_id is not None:
        statement = statement.where(TrainingSession.client_id == client_id)
    if status is not None:
        statement = statement.where(TrainingSession.status == status)
    return statement


def calendar_sessions(trainer: User, first: date, last: date) -> list[TrainingSession]:
    """The trainer's sessions from their local day `first` up to (not including) `last`, in start order."""
    tz = zone_of(trainer)
    start = from_local(datetime.combine(first, time()), tz)
    end = from_local(datetime.combine(last, time()), tz)
    return list(db.session.execute(list_sessions(trainer, start, end)).scalars().unique())


def list_client_sessions(
    user: User, start: datetime | None, end: datetime | None, status: SessionStatus | None = None
) -> Select:
    """A client's own sessions in a range (default: the coming year); the caller paginates."""
    if start is None:
        start = utcnow()
    if end is None:
        end = start + MAX_RANGE
    start, end = validate_range(start, end)
    statement = (
        _with_names(select(TrainingSession))
        .where(
            TrainingSession.client_id.in_(own_client_ids(user)),
            overlapping(start, end),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    if status is not None:
        statement = statement.where(TrainingSession.status == status)
    return statement


def client_upcoming_and_past(user: User, limit: int) -> tuple[list[TrainingSession], list[TrainingSession]]:
    """A client's next sessions (soonest first) and latest past ones (newest first), `limit` of each."""
    now = utcnow()
    base = _with_names(select(TrainingSession)).where(TrainingSession.client_id.in_(own_client_ids(user)))
    upcoming = base.where(TrainingSession.ends_at > now).order_by(TrainingSession.starts_at, TrainingSession.id)
    past = base.where(TrainingSession.ends_at <= now).order_by(
        TrainingSession.starts_at.desc(), TrainingSession.id.desc()
    )
    return (
        list(db.session.execute(upcoming.limit(limit)).scalars()),
        list(db.session.execute(past.limit(limit)).scalars()),
    )


def client_cancel_closes_at(session: TrainingSession) -> datetime:
    """When online cancellation of the session closes (SESSION_CANCEL_CUTOFF_HOURS before it starts)."""
    return session.starts_at - timedelta(hours=current_app.config["SESSION_CANCEL_CUTOFF_HOURS"])


def get_session(trainer: User, session_id: int) -> TrainingSession:
    """The trainer's session `session_id`, or 404."""
    session = db.session.execute(
        _with_people(select(TrainingSession)).where(
            TrainingSession.id == session_id, TrainingSession.trainer_id == trainer.id
        )
    ).scalar_one_or_none()
    if session is None:
        raise NotFoundError("No such session.")
    return session


def get_client_session(user: User, session_id: int) -> TrainingSession:
    """The client's own session `session_id`, or 404."""
    session = db.session.execute(
        _with_people(select(TrainingSession)).where(
            TrainingSession.id == session_id, TrainingSession.client_id.in_(own_client_ids(user))
        )
    ).scalar_one_or_none()
    if session is None:
        raise NotFoundError("No such session.")
    return session


def _locked(statement: Select) -> TrainingSession:
    session = db.session.execute(
        statement.options(
            joinedload(TrainingSession.client, innerjoin=True), joinedload(TrainingSession.trainer, innerjoin=True)
        ).with_for_update(of=TrainingSession)
    ).scalar_one_or_none()
    if session is None:
        raise NotFoundError("No such session.")
    return session


def _following(target: TrainingSession) -> list[TrainingSession]:
    if target.series_id is None:
        return []
    return list(
        db.session.execute(
            select(TrainingSession)
            .where(
                TrainingSession.series_id == target.series_id,
                TrainingSession.trainer_id == target.trainer_id,
                TrainingSession.series_index > target.series_index,
                TrainingSession.status == SessionStatus.SCHEDULED,
            )
            .order_by(TrainingSession.series_index)
            .with_for_update()
        ).scalars()
    )


def update_session(trainer: User, session_id: int, changes: dict[str, Any]) -> TrainingSession:
    """Move or edit a session, or it and the following ones of its series.

    A move of "this and following" shifts each later occurrence by the same change on the
    trainer's local clock, so a 07:00 -> 08:00 move stays 08:00 across DST.
    """
    changes = dict(changes)
    scope = changes.pop("scope", SCOPE_THIS)
    allow_overlap = changes.pop("allow_overlap", False)
    if not changes:
        raise InvalidInputError("Nothing to change.", errors={"_schema": ["send at least one field to change"]})
    _lock_trainer(trainer.id)
    target = _locked(
        select(TrainingSession).where(TrainingSession.id == session_id, TrainingSession.trainer_id == trainer.id)
    )
    if target.status != SessionStatus.SCHEDULED and set(changes) - {"notes"}:
        raise ConflictError(
            f"This session is {target.status.value}; only its notes can still change.",
            errors={"status": [f"{target.status.value} sessions cannot be moved or edited"]},
        )
    sessions = [target] + (_following(target) if scope == SCOPE_FOLLOWING else [])
    tz = zone_of(trainer)
    new_start = _check_start(changes["starts_at"]) if "starts_at" in changes else None
    delta = wall_clock_delta(target.starts_at, new_start, tz) if new_start is not None else None
    timing: dict[int, tuple[datetime, datetime, int]] = {}
    for session in sessions:
        start = session.starts_at
        if new_start is not None and delta is not None:
            start = new_start if session is target else shift_wall_clock(session.starts_at, delta, tz)
        duration = changes.get("duration_minutes", session.duration_minutes)
        timing[session.id] = (start, start + timedelta(minutes=duration), duration)
    if ("starts_at" in changes or "duration_minutes" in changes) and not allow_overlap:
        conflicts = find_conflicts(
            trainer.id,
            target.client_id,
            [(start, end) for start, end, _ in timing.values()],
            exclude_ids=[session.id for session in sessions],
        )
        if conflicts:
            _raise_conflicts(conflicts)
    moved: list[TrainingSession] = []
    stale_jobs: list[str] = []
    old_start = target.starts_at
    for session in sessions:
        start, end, duration = timing[session.id]
        if start != session.starts_at:
            moved.append(session)
            stale_jobs.extend(session.reminder_job_ids or [])
            session.scheduled_at = utcnow()
        session.starts_at, session.ends_at, session.duration_minutes = start, end, duration
        for field in EDITABLE_FIELDS:
            if field in changes:
                setattr(session, field, changes[field] if field != "notes" else (changes[field] or ""))
        session.revision += 1
    planned = reminders.plan_reminders(moved)
    client_email, client_tz = target.client.email, target.client.timezone
    if moved:
        more = f" (and {len(moved) - 1} following sessions)" if len(moved) > 1 else ""
        notify(
            client_email,
            "Your training session was moved",
            f"Your session on {local_iso(old_start, client_tz)} now starts at "
            f"{local_iso(timing[target.id][0], client_tz)}{more}.\n",
        )
    db.session.commit()
    reminders.cancel_jobs(stale_jobs)
    reminders.enqueue_planned(planned)
    return get_session(trainer, target.id)


def _require_transition(session: TrainingSession, status: SessionStatus) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise ConflictError(
            f"This session is already {session.status.value}; only scheduled sessions change status.",
            errors={"status": [f"cannot go from {session.status.value} to {status.value}"]},
        )
    if status in (SessionStatus.COMPLETED, SessionStatus.NO_SHOW) and session.starts_at > utcnow():
        raise ConflictError(
            "A session can be marked completed or no-show only once it has started.",
            errors={"status": ["the session has not started yet"]},
        )


def change_status(
    trainer: User, session_id: int, status: SessionStatus, reason: str | None = None, scope: str = SCOPE_THIS
) -> TrainingSession:
    """scheduled -> completed | cancelled | no_show, recording who and when (409 otherwise).

    Cancelling may take the following sessions of the series along; a no-show goes to the
    trainer's activity feed.
    """
    if reason and status != SessionStatus.CANCELLED:
        raise InvalidInputError("A reason is only kept for cancellations.", errors={"reason": ["only for cancelled"]})
    if scope == SCOPE_FOLLOWING and status != SessionStatus.CANCELLED:
        raise InvalidInputError(
            "Only a cancellation can apply to the following sessions.", errors={"scope": ["only for cancelled"]}
        )
    target = _locked(
        select(TrainingSession).where(TrainingSession.id == session_id, TrainingSession.trainer_id == trainer.id)
    )
    _require_transition(target, status)
    sessions = [target] + (_following(target) if scope == SCOPE_FOLLOWING else [])
    stale_jobs = _apply_status(sessions, status, trainer.id, reason)
    client = target.client
    if status == SessionStatus.NO_SHOW:
        record_activity(
            client,
            ActivityType.SESSION_MISSED,
            f"{client.name} missed the session of {local_iso(target.starts_at, trainer.timezone)}",
            {"session_id": target.id, "starts_at": target.starts_at.isoformat()},
        )
    client_email, client_tz, starts_at = client.email, client.timezone, target.starts_at
    if status == SessionStatus.CANCELLED:
        more = f" and the {len(sessions) - 1} following sessions" if len(sessions) > 1 else ""
        notify(
            client_email,
            "Your training session was cancelled",
            f"Your trainer cancelled the session of {local_iso(starts_at, client_tz)}{more}."
            + (f"\nReason: {reason}" if reason else "")
            + "\n",
        )
    db.session.commit()
    reminders.cancel_jobs(stale_jobs)
    return get_session(trainer, target.id)


def _apply_status(
    sessions: list[TrainingSession], status: SessionStatus, actor_id: int, reason: str | None
) -> list[str]:
    now = utcnow()
    stale_jobs: list[str] = []
    for session in sessions:
        session.status = status
        session.status_changed_by_id = actor_id
        session.status_changed_at = now
        session.revision += 1
        if status == SessionStatus.CANCELLED:
            session.cancellation_reason = reason
        stale_jobs.extend(session.reminder_job_ids or [])
        session.reminder_job_ids = []
    return stale_jobs


def client_cancel(user: User, session_id: int, reason: str | None = None) -> TrainingSession:
    """A client cancels their own session, allowed until the cutoff before it starts (409 after)."""
    session = _locked(
        select(TrainingSession).where(
            TrainingSession.id == session_id, TrainingSession.client_id.in_(own_client_ids(user))
        )
    )
    _require_transition(session, SessionStatus.CANCELLED)
    cutoff_hours = current_app.config["SESSION_CANCEL_CUTOFF_HOURS"]
    closes_at = client_cancel_closes_at(session)
    if utcnow() > closes_at:
        raise ConflictError(
            f"Sessions can be cancelled in the app up to {cutoff_hours} hours before they start; "
            f"this one starts at {local_iso(session.starts_at, session.client.timezone)}. "
            "Message your trainer instead.",
            errors={"starts_at": [f"online cancellation closed at {closes_at.isoformat()}"]},
        )
    stale_jobs = _apply_status([session], SessionStatus.CANCELLED, user.id, reason)
    trainer_email, trainer_tz = session.trainer.email, session.trainer.timezone
    client_name, starts_at = session.client.name, session.starts_at
    notify(
        trainer_email,
        f"{client_name} cancelled a session",
        f"{client_name} cancelled the session of {local_iso(starts_at, trainer_tz)}."
        + (f"\nReason: {reason}" if reason else "")
        + "\n",
    )
    db.session.commit()
    reminders.cancel_jobs(stale_jobs)
    return get_client_session(user, session_id)


def client_sessions(trainer: User, client_id: int, start: datetime, end: datetime) -> list[TrainingSession]:
    """Sessions of one of the trainer's clients overlapping [start, end), in start order (list_sessions' scope)."""
    return list(db.session.execute(list_sessions(trainer, start, end, client_id=client_id)).scalars())

"""Trainer availability: weekly working hours, days off, free slots, and clients' slot requests.

Working hours and days off are local to the trainer's timezone; free time is computed in
UTC from them, minus the trainer's non-cancelled sessions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import (
    RequestStatus,
    SessionRequest,
    SessionStatus,
    TrainerDayOff,
    TrainingSession,
    User,
    WorkingHours,
    utcnow,
)
from fitbud.services import reminders
from fitbud.services.client_scope import own_client, own_client_ids
from fitbud.services.local_time import zone_of
from fitbud.services.recurrence import chop, from_local, local_iso, subtract_intervals, to_local
from fitbud.services.scheduling import (
    Booking,
    book,
    booking_intervals,
    notify,
    overlapping,
    require_active,
    validate_range,
)

MAX_SLOT_RANGE = timedelta(days=31)
MAX_PENDING_REQUESTS = 10
Interval = tuple[datetime, datetime]


# Working hours ---------------------------------------------------------------------------


def list_working_hours(trainer: User) -> list[WorkingHours]:
    """The trainer's weekly intervals, Monday first."""
    return list(
        db.session.execute(
            select(WorkingHours)
            .where(WorkingHours.trainer_id == trainer.id)
            .order_by(WorkingHours.weekday, WorkingHours.start_time, WorkingHours.id)
        ).scalars()
    )


def outside_working_hours(trainer: User, intervals: list[Interval]) -> list[Interval]:
    """Those of `intervals` that no working-hours window of their (local) weekday holds whole.

    A trainer who has set no working hours keeps any hours: nothing is outside them.
    """
    hours = list_working_hours(trainer)
    if not hours:
        return []
    windows: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for row in hours:
        windows[row.weekday].append((row.start_time, row.end_time))
    tz = zone_of(trainer)
    outside = []
    for start, end in intervals:
        local_start, local_end = to_local(start, tz), to_local(end, tz)
        same_day = local_end.date() == local_start.date()
        held = same_day and any(
            opens <= local_start.time() and local_end.time() <= closes
            for opens, closes in windows[local_start.weekday()]
        )
        if not held:
            outside.append((start, end))
    return outside


@dataclass(frozen=True)
class BookingWarnings:
    """What to confirm before a booking is made: sessions it starts in the past, or outside working hours."""

    in_past: list[Interval]
    outside_hours: list[Interval]

    def __bool__(self) -> bool:
        return bool(self.in_past or self.outside_hours)


def booking_warnings(
    trainer: User, starts_at: datetime | None, duration_minutes: int | None, recurrence: dict[str, Any] | None = None
) -> BookingWarnings:
    """Past starts and out-of-hours sessions of a booking (the API still allows both, e.g. for back-filling)."""
    intervals = booking_intervals(trainer, starts_at, duration_minutes, recurrence)
    now = utcnow()
    return BookingWarnings(
        in_past=[interval for interval in intervals if interval[0] < now],
        outside_hours=outside_working_hours(trainer, intervals),
    )


def _times_in_order(start: time, end: time) -> None:
    if end <= start:
        raise InvalidInputError("The end must be after the start.", errors={"end_time": ["must be after start_time"]})


def _overlapping_hours(trainer: User, weekday: int, start: time, end: time, exclude_id: int | None) -> None:
    statement = select(WorkingHours).where(
        WorkingHours.trainer_id == trainer.id,
        WorkingHours.weekday == weekday,
        WorkingHours.start_time < end,
        WorkingHours.end_time > start,
    )
    if exclude_id is not None:
        statement = statement.where(WorkingHours.id != exclude_id)
    clash = db.session.execute(statement.limit(1)).scalar_one_or_none()
    if clash is not None:
        raise ConflictError(
            "These hours overlap hours you already have on that day.",
            errors={"start_time": [f"overlaps {clash.start_time:%H:%M}-{clash.end_time:%H:%M} (id {clash.id})"]},
        )


def _own_hours(trainer: User, hours_id: int) -> WorkingHours:
    hours = db.session.execute(
        select(WorkingHours).where(WorkingHours.id == hours_id, WorkingHours.trainer_id == trainer.id)
    ).scalar_one_or_none()
    if hours is None:
        raise NotFoundError("No such working hours.")
    return hours


def add_working_hours(trainer: User, data: dict[str, Any]) -> WorkingHours:
    """Add one weekly interval (409 when it overlaps another on the same weekday)."""
    _times_in_order(data["start_time"], data["end_time"])
    _overlapping_hours(trainer, data["weekday"], data["start_time"], data["end_time"], None)
    hours = WorkingHours(trainer_id=trainer.id, **data)
    db.session.add(hours)
    db.session.commit()
    return hours


def update_working_hours(trainer: User, hours_id: int, changes: dict[str, Any]) -> WorkingHours:
    """Change one weekly interval."""
    hours = _own_hours(trainer, hours_id)
    weekday = changes.get("weekday", hours.weekday)
    start = changes.get("start_time", hours.start_time)
    end = changes.get("end_time", hours.end_time)
    _times_in_order(start, end)
    _overlapping_hours(trainer, weekday, start, end, hours.id)
    hours.weekday, hours.start_time, hours.end_time = weekday, start, end
    db.session.commit()
    return hours


def delete_working_hours(trainer: User, hours_id: int) -> None:
    """Remove one weekly interval."""
    db.session.delete(_own_hours(trainer, hours_id))
    db.session.commit()


# Days off --------------------------------------------------------------------------------


def list_days_off(trainer: User, start: date | None = None, end: date | None = None) -> Select:
    """The trainer's exceptions in date order, optionally within [start, end]."""
    statement = (
        select(TrainerDayOff)
        .where(TrainerDayOff.trainer_id == trainer.id)
        .order_by(TrainerDayOff.on_date, TrainerDayOff.start_time, TrainerDayOff.id)
    )
    if start is not None:
        statement = statement.where(TrainerDayOff.on_date >= start)
    if end is not None:
        statement = statement.where(TrainerDayOff.on_date <= end)
    return statement


def days_off_from(trainer: User, first: date, limit: int = 50) -> list[TrainerDayOff]:
    """The trainer's days off on or after `first`, soonest first (what the scheduler lists)."""
    return list(db.session.execute(list_days_off(trainer, first).limit(limit)).scalars())


def _own_day_off(trainer: User, day_off_id: int) -> TrainerDayOff:
    day_off = db.session.execute(
        select(TrainerDayOff).where(TrainerDayOff.id == day_off_id, TrainerDayOff.trainer_id == trainer.id)
    ).scalar_one_or_none()
    if day_off is None:
        raise NotFoundError("No such day off.")
    return day_off


def _check_day_off(trainer: User, on_date: date, start: time | None, end: time | None, exclude_id: int | None) -> None:
    if (start is None) != (end is None):
        raise InvalidInputError(
            "Give both start_time and end_time for part of a day, or neither for the whole day.",
            errors={"end_time" if end is None else "start_time": ["give both times or neither"]},
        )
    if start is not None and end is not None:
        _times_in_order(start, end)
    statement = select(TrainerDayOff).where(TrainerDayOff.trainer_id == trainer.id, TrainerDayOff.on_date == on_date)
    if exclude_id is not None:
        statement = statement.where(TrainerDayOff.id != exclude_id)
    for other in db.session.execute(statement).scalars():
        # A day off is whole or has both times (checked above for the new one).
        if (
            other.start_time is None
            or other.end_time is None
            or start is None
            or end is None
            or (other.start_time < end and start < other.end_time)
        ):
            raise ConflictError(
                "You already have time off then.",
                errors={"on_date": [f"overlaps day off {other.id}"]},
            )


def add_day_off(trainer: User, data: dict[str, Any]) -> TrainerDayOff:
    """Add a day off (or part of one); 409 when it overlaps another."""
    _check_day_off(trainer, data["on_date"], data.get("start_time"), data.get("end_time"), None)
    day_off = TrainerDayOff(
        trainer_id=trainer.id,
        on_date=data["on_date"],
        start_time=data.get("start_time"),
        end_time=data.get("end_time"),
        reason=data.get("reason") or "",
    )
    db.session.add(day_off)
    db.session.commit()
    return day_off


def update_day_off(trainer: User, day_off_id: int, changes: dict[str, Any]) -> TrainerDayOff:
    """Change a day off."""
    day_off = _own_day_off(trainer, day_off_id)
    on_date = changes.get("on_date", day_off.on_date)
    start = changes.get("start_time", day_off.start_time)
    end = changes.get("end_time", day_off.end_time)
    _check_day_off(trainer, on_date, start, end, day_off.id)
    day_off.on_date, day_off.start_time, day_off.end_time = on_date, start, end
    if "reason" in changes:
        day_off.reason = changes["reason"] or ""
    db.session.commit()
    return day_off


def delete_day_off(trainer: User, day_off_id: int) -> None:
    """Remove a day off."""
    db.session.delete(_own_day_off(trainer, day_off_id))
    db.session.commit()


# Free time -------------------------------------------------------------------------------


def _local_day_bounds(day: date, start: time | None, end: time | None, tz) -> Interval:
    if start is None or end is None:
        return from_local(datetime.combine(day, time.min), tz), from_local(
            datetime.combine(day + timedelta(days=1), time.min), tz
        )
    return from_local(datetime.combine(day, start), tz), from_local(datetime.combine(day, end), tz)


def free_intervals(trainer: User, start: datetime, end: datetime) -> list[Interval]:
    """Working time within [start, end) minus days off and non-cancelled sessions (UTC)."""
    tz = zone_of(trainer)
    # One local day of margin on each side: an interval may cross into the window.
    first_day = to_local(start, tz).date() - timedelta(days=1)
    last_day = to_local(end, tz).date() + timedelta(days=1)
    by_weekday: dict[int, list[WorkingHours]] = defaultdict(list)
    for hours in list_working_hours(trainer):
        by_weekday[hours.weekday].append(hours)
    working: list[Interval] = []
    day = first_day
    while day <= last_day:
        for hours in by_weekday.get(day.weekday(), []):
            working.append(_local_day_bounds(day, hours.start_time, hours.end_time, tz))
        day += timedelta(days=1)
    if not working:
        return []
    busy: list[Interval] = [
        _local_day_bounds(day_off.on_date, day_off.start_time, day_off.end_time, tz)
        for day_off in db.session.execute(list_days_off(trainer, first_day, last_day)).scalars()
    ]
    busy.extend(
        (row.starts_at, row.ends_at)
        for row in db.session.execute(
            select(TrainingSession.starts_at, TrainingSession.ends_at).where(
                TrainingSession.trainer_id == trainer.id,
                TrainingSession.status != SessionStatus.CANCELLED,
                overlapping(min(s for s, _ in working), max(e for _, e in working)),
            )
        )
    )
    return subtract_intervals(working, busy)


@dataclass(frozen=True)
class Slot:
    """A free slot, with its start on the viewer's clock."""

    starts_at: datetime
    ends_at: datetime
    starts_at_local: str


@dataclass(frozen=True)
class Availability:
    """A trainer's free slots in a range, as one viewer sees them."""

    trainer_id: int
    timezone: str
    length_minutes: int
    start: datetime
    end: datetime
    slots: list[Slot]


def free_slots(trainer: User, start: datetime, end: datetime, length_minutes: int) -> list[Interval]:
    """Bookable slots of `length_minutes` within [start, end): in working time, free, not past.

    Slots run back to back from the start of each free stretch (a working-hours start or the
    end of a session).
    """
    start, end = validate_range(start, end, MAX_SLOT_RANGE)
    now = utcnow()
    slots = chop(free_intervals(trainer, start, end), timedelta(minutes=length_minutes))
    return [(s, e) for s, e in slots if s >= start and e <= end and s >= now]


def _availability(trainer: User, viewer_tz: str, start: datetime, end: datetime, length: int) -> Availability:
    slots = free_slots(trainer, start, end, length)
    return Availability(
        trainer_id=trainer.id,
        timezone=viewer_tz,
        length_minutes=length,
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        slots=[Slot(s, e, local_iso(s, viewer_tz)) for s, e in slots],
    )


def trainer_availability(trainer: User, start: datetime, end: datetime, length_minutes: int) -> Availability:
    """The trainer's own free slots, on their clock."""
    return _availability(trainer, trainer.timezone or "UTC", start, end, length_minutes)


def client_availability(user: User, start: datetime, end: datetime, length_minutes: int) -> Availability:
    """A client's view of their trainer's free slots, on the client's clock."""
    client = own_client(user)
    trainer = db.session.get_one(User, client.trainer_id)
    return _availability(trainer, client.timezone or "UTC", start, end, length_minutes)


# Requests --------------------------------------------------------------------------------


def request_session(user: User, data: dict[str, Any]) -> SessionRequest:
    """A client asks for a session at a time that is free in their trainer's calendar."""
    client = own_client(user)
    require_active(client)
    trainer = db.session.get_one(User, client.trainer_id)
    starts_at = data["starts_at"].astimezone(UTC)
    ends_at = starts_at + timedelta(minutes=data["duration_minutes"])
    if starts_at <= utcnow():
        raise InvalidInputError("Pick a time in the future.", errors={"starts_at": ["must be in the future"]})
    if starts_at - utcnow() > timedelta(days=366):
        raise InvalidInputError("Pick a time within the coming year.", errors={"starts_at": ["too far ahead"]})
    if not any(s <= starts_at and ends_at <= e for s, e in free_intervals(trainer, starts_at, ends_at)):
        raise ConflictError(
            "That time is not free in your trainer's calendar; pick one of the free slots.",
            errors={"starts_at": ["not within your trainer's free time"]},
        )
    pending = list(
        db.session.execute(
            select(SessionRequest).where(
                SessionRequest.client_id == client.id,
                SessionRequest.status == RequestStatus.PENDING,
                SessionRequest.starts_at > utcnow(),
            )
        ).scalars()
    )
    if any(other.starts_at < ends_at and starts_at < other.ends_at for other in pending):
        raise ConflictError(
            "You already asked for this time; wait for your trainer's answer.",
            errors={"starts_at": ["overlaps one of your pending requests"]},
        )
    if len(pending) >= MAX_PENDING_REQUESTS:
        raise ConflictError(
            f"You have {len(pending)} requests waiting; wait for answers before asking again.",
            errors={"starts_at": [f"at most {MAX_PENDING_REQUESTS} pending requests"]},
        )
    session_request = SessionRequest(
        trainer_id=trainer.id,
        client_id=client.id,
        starts_at=starts_at,
        ends_at=ends_at,
        duration_minutes=data["duration_minutes"],
        type=data["type"],
        note=data.get("note") or "",
        status=RequestStatus.PENDING,
    )
    db.session.add(session_request)
    client_name, trainer_email, trainer_tz = client.name, trainer.email, trainer.timezone
    notify(
        trainer_email,
        f"{client_name} asks for a session",
        f"{client_name} asks for a session at {local_iso(starts_at, trainer_tz)}. Accept or decline it in Fitbud.\n",
    )
    db.session.commit()
    return _request_by_id(SessionRequest.id == session_request.id)


def _request_by_id(*conditions: Any) -> SessionRequest:
    found = db.session.execute(
        select(SessionRequest).options(joinedload(SessionRequest.client)).where(*conditions)
    ).scalar_one_or_none()
    if found is None:
        raise NotFoundError("No such request.")
    return found


def list_requests(trainer: User, status: RequestStatus | None = None) -> Select:
    """The trainer's incoming requests, soonest first; the caller paginates."""
    statement = (
        select(SessionRequest)
        .options(joinedload(SessionRequest.client))
        .where(SessionRequest.trainer_id == trainer.id)
        .order_by(SessionRequest.starts_at, SessionRequest.id)
    )
    if status is not None:
        statement = statement.where(SessionRequest.status == status)
    return statement


def requests_for(trainer: User, status: RequestStatus | None, limit: int = 50) -> list[SessionRequest]:
    """The trainer's requests with their clients: pending ones soonest first, decided ones latest decided first."""
    statement = list_requests(trainer, status)
    if status is not RequestStatus.PENDING:
        statement = statement.order_by(None).order_by(
            SessionRequest.status != RequestStatus.PENDING,
            SessionRequest.decided_at.desc(),
            SessionRequest.starts_at,
            SessionRequest.id,
        )
    return list(db.session.execute(statement.limit(limit)).scalars())


def list_client_requests(user: User, status: RequestStatus | None = None) -> Select:
    """A client's own requests, newest first; the caller paginates."""
    statement = (
        select(SessionRequest)
        .options(joinedload(SessionRequest.client))
        .where(SessionRequest.client_id.in_(own_client_ids(user)))
        .order_by(SessionRequest.created_at.desc(), SessionRequest.id.desc())
    )
    if status is not None:
        statement = statement.where(SessionRequest.status == status)
    return statement


def latest_client_requests(user: User, limit: int) -> list[SessionRequest]:
    """A client's newest requests (what their sessions page lists)."""
    return list(db.session.execute(list_client_requests(user).limit(limit)).scalars())


def _pending_for_update(trainer: User, request_id: int) -> SessionRequest:
    found = db.session.execute(
        select(SessionRequest)
        .options(joinedload(SessionRequest.client, innerjoin=True))
        .where(SessionRequest.id == request_id, SessionRequest.trainer_id == trainer.id)
        .with_for_update(of=SessionRequest)
    ).scalar_one_or_none()
    if found is None:
        raise NotFoundError("No such request.")
    if found.status != RequestStatus.PENDING:
        raise ConflictError(
            f"This request was already {found.status.value}.",
            errors={"status": [f"request is {found.status.value}"]},
        )
    return found


def accept_request(trainer: User, request_id: int, data: dict[str, Any]) -> SessionRequest:
    """Book the requested time (overlap-checked like any booking) and tell the client."""
    session_request = _pending_for_update(trainer, request_id)
    if session_request.starts_at <= utcnow():
        raise ConflictError(
            "The requested time has passed; decline it and suggest another.",
            errors={"starts_at": ["request time has passed"]},
        )
    client = session_request.client
    session, planned = book(
        trainer,
        Booking(
            client=client,
            starts_at=session_request.starts_at,
            duration_minutes=session_request.duration_minutes,
            type=data.get("type", session_request.type),
            location=data.get("location"),
            meeting_url=data.get("meeting_url"),
            notes=data.get("notes", session_request.note),
            allow_overlap=data.get("allow_overlap", False),
        ),
    )
    session_request.status = RequestStatus.ACCEPTED
    session_request.decided_at = utcnow()
    session_request.session_id = session.id
    client_email, client_tz, starts_at = client.email, client.timezone, session_request.starts_at
    notify(
        client_email,
        "Your session request was accepted",
        f"Your trainer booked your session at {local_iso(starts_at, client_tz)}.\n",
    )
    db.session.commit()
    reminders.enqueue_planned(planned)
    return _request_by_id(SessionRequest.id == request_id)


def decline_request(trainer: User, request_id: int, reason: str | None = None) -> SessionRequest:
    """Turn a request down, with an optional reason for the client."""
    session_request = _pending_for_update(trainer, request_id)
    session_request.status = RequestStatus.DECLINED
    session_request.decided_at = utcnow()
    session_request.decline_reason = reason
    client = session_request.client
    client_email, client_tz, starts_at = client.email, client.timezone, session_request.starts_at
    notify(
        client_email,
        "Your session request was declined",
        f"Your trainer cannot do {local_iso(starts_at, client_tz)}."
        + (f"\nReason: {reason}" if reason else "")
        + "\nPick another free slot in Fitbud.\n",
    )
    db.session.commit()
    return _request_by_id(SessionRequest.id == request_id)

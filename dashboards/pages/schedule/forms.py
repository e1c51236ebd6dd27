"""The schedule's forms: their values read as dates, times and ids, and a booking made from them.

Booking goes through the same input shape as the sessions API (services/inputs.py) and the
scheduling service, so the form applies the API's rules; the errors come back keyed by field
and are grouped under the form's feedback slots.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from dashboards.forms import to_int
from fitbud.errors import DomainError, NotFoundError
from fitbud.models import User
from fitbud.services import availability, inputs, scheduling
from fitbud.services.local_time import zone_of
from fitbud.services.recurrence import from_local

# Where each input's errors show in the booking form ("start" holds the date and time's).
ERROR_SLOTS = ("client", "start", "duration", "location", "recurrence")
_SLOT_OF = {"client_id": "client", "starts_at": "start", "duration_minutes": "duration", "location": "location"}



def to_day(value: Any) -> date | None:
    """A date from a picker value ('YYYY-MM-DD', or the start of an ISO datetime), or None."""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def to_clock(value: Any) -> time | None:
    """A time of day from a time input ('HH:MM'), or None."""
    try:
        return time.fromisoformat(str(value)[:5])
    except ValueError:
        return None


def starts_at(trainer: User, day: Any, clock: Any) -> datetime | None:
    """The UTC instant of a date and time read on the trainer's clock, or None when either is missing."""
    day_value, clock_value = to_day(day), to_clock(clock)
    if day_value is None or clock_value is None:
        return None
    return from_local(datetime.combine(day_value, clock_value), zone_of(trainer))


def booking_payload(trainer: User, values: dict[str, Any]) -> dict[str, Any]:
    """The form as the sessions API's request body (so its input shape checks it the same way)."""
    start = starts_at(trainer, values.get("date"), values.get("time"))
    payload: dict[str, Any] = {
        "client_id": to_int(values.get("client")),
        "starts_at": start.isoformat() if start else None,
        "duration_minutes": to_int(values.get("duration")),
        "type": values.get("type"),
        "allow_overlap": bool(values.get("anyway")),
    }
    if values.get("location"):
        payload["location"] = values["location"]
    if values.get("repeat"):
        recurrence: dict[str, Any] = {"count": to_int(values.get("count"))}
        if values.get("weekdays"):
            recurrence["weekdays"] = list(values["weekdays"])
        payload["recurrence"] = recurrence
    return payload


def _recurrence(values: dict[str, Any]) -> dict[str, Any] | None:
    if not values.get("repeat"):
        return None
    return {"count": to_int(values.get("count")), "weekdays": list(values.get("weekdays") or ())}


def preview_warnings(trainer: User, values: dict[str, Any]) -> availability.BookingWarnings:
    """Sessions of the booking in the form that start in the past or fall outside working hours."""
    return availability.booking_warnings(
        trainer,
        starts_at(trainer, values.get("date"), values.get("time")),
        to_int(values.get("duration")),
        _recurrence(values),
    )


def preview_conflicts(trainer: User, values: dict[str, Any]) -> list[dict[str, Any]]:
    """What the booking in the form would overlap: the service's own expansion and check, nothing saved."""
    recurrence = _recurrence(values)
    return scheduling.preview_conflicts(
        trainer,
        to_int(values.get("client")),
        starts_at(trainer, values.get("date"), values.get("time")),
        to_int(values.get("duration")),
        recurrence,
    )


def field_errors(errors: dict[str, Any]) -> dict[str, str]:
    """Input or service errors (keyed by dotted path) grouped under the form's feedback slots."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, messages in errors.items():
        head, _, sub = key.partition(".")
        if head == "recurrence":
            grouped["recurrence"].extend(f"{sub}: {message}" if sub else str(message) for message in messages)
        else:
            grouped[_SLOT_OF.get(key, "start")].extend(str(message) for message in messages)
    return {slot: " ".join(messages) for slot, messages in grouped.items()}


@dataclass(frozen=True)
class Booked:
    """What became of a booking: booked, refused for overlaps, or refused with errors by slot."""

    outcome: str  # "ok" | "conflict" | "confirm" | "invalid"
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def book_from_form(trainer: User, values: dict[str, Any]) -> Booked:
    """Book the session or weekly series the form describes, through the API's input shape and the service."""
    payload = booking_payload(trainer, values)
    if not values.get("anyway") and preview_warnings(trainer, values):
        # The API books these (back-filling, a one-off early session); the form asks first.
        return Booked("confirm")
    shape = inputs.SeriesCreateSchema if "recurrence" in payload else inputs.SessionCreateSchema
    try:
        data = inputs.load(shape, {key: value for key, value in payload.items() if value is not None})
        if "recurrence" in data:
            scheduling.create_series(trainer, data)
        else:
            scheduling.create_session(trainer, data)
    except DomainError as error:
        # Not a generic alert: the form shows each refusal where the trainer can fix it.
        conflicts = (error.details or {}).get("conflicts") or []
        if conflicts:
            return Booked("conflict", conflicts=conflicts)
        if isinstance(error, NotFoundError):
            return Booked("invalid", {"client": "Pick one of your clients."})
        return Booked("invalid", field_errors(error.errors or {}) or {"start": error.message})
    return Booked("ok")

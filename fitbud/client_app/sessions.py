"""Sessions: upcoming and past, asking for one of the trainer's free slots, cancelling, the calendar feed.

Times are shown on the client's clock. Cancelling online closes SESSION_CANCEL_CUTOFF_HOURS
before a session starts; after that the page says why and points to Messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from typing import Any

from flask import Response, current_app, g, make_response, redirect, render_template, request, url_for

from fitbud.client_app import bp
from fitbud.client_app.forms import Form
from fitbud.client_app.session import app_client, app_user
from fitbud.errors import DomainError
from fitbud.ext.orm_session import writes_on_read
from fitbud.models import SessionStatus, SessionType, TrainingSession, utcnow
from fitbud.services import availability, calendar_feed, scheduling
from fitbud.services.client_scope import trainer_name
from fitbud.services.local_time import zone_of

LISTED = 10
SLOT_DAYS = 7
LENGTHS = (30, 45, 60, 90)
DEFAULT_LENGTH = 60
MAX_WEEKS_AHEAD = 8
NOTE_MAX = 1000
TYPE_LABELS = {
    SessionType.IN_PERSON.value: "In person",
    SessionType.ONLINE.value: "Online",
    SessionType.CHECK_IN_CALL.value: "Check-in call",
}
STATUS_LABELS = {
    SessionStatus.SCHEDULED.value: "Booked",
    SessionStatus.COMPLETED.value: "Done",
    SessionStatus.CANCELLED.value: "Cancelled",
    SessionStatus.NO_SHOW.value: "Missed",
}


@dataclass(frozen=True)
class Listed:
    """A session as the list shows it: whether it can still be cancelled online, and until when."""

    session: TrainingSession
    can_cancel: bool
    closes_at: datetime


@dataclass(frozen=True)
class SlotDay:
    """The free slots of one day on the client's clock."""

    day: date
    slots: list[tuple[str, str]]  # (value sent back: UTC ISO start, label: "09:00")


def _int_arg(name: str, default: int, allowed: range | tuple[int, ...]) -> int:
    value = request.args.get(name, type=int)
    return value if value is not None and value in allowed else default


def _slot_days(week: int, length: int) -> list[SlotDay]:
    zone = zone_of(app_client())
    start = utcnow() + timedelta(days=SLOT_DAYS * week)
    free = availability.client_availability(app_user(), start, start + timedelta(days=SLOT_DAYS), length)
    local = [(slot.starts_at.astimezone(zone), slot.starts_at) for slot in free.slots]
    return [
        SlotDay(day, [(utc.astimezone(UTC).isoformat(), f"{moment:%H:%M}") for moment, utc in group])
        for day, group in groupby(local, key=lambda pair: pair[0].date())
    ]


def _page(form: Form | None = None, status: int = 200, cancel_form: Form | None = None) -> Response:
    user = app_user()
    length = _int_arg("length", DEFAULT_LENGTH, LENGTHS)
    week = _int_arg("week", 0, range(MAX_WEEKS_AHEAD + 1))
    if form is None:
        form = Form({"duration_minutes": str(length), "type": SessionType.IN_PERSON.value})
    elif (form.values.get("duration_minutes") or "").isdigit() and int(form.values["duration_minutes"]) in LENGTHS:
        length = int(form.values["duration_minutes"])
    upcoming, past = scheduling.client_upcoming_and_past(user, LISTED)
    now = utcnow()
    listed = []
    for session in upcoming:
        closes_at = scheduling.client_cancel_closes_at(session)
        listed.append(Listed(session, session.status is SessionStatus.SCHEDULED and now <= closes_at, closes_at))
    return make_response(
        render_template(
            "client_app/sessions.html",
            form=form,
            cancel_form=cancel_form,
            upcoming=listed,
            past=past,
            requests=availability.latest_client_requests(user, LISTED),
            slot_days=_slot_days(week, length),
            length=length,
            lengths=LENGTHS,
            week=week,
            max_week=MAX_WEEKS_AHEAD,
            types=TYPE_LABELS,
            statuses=STATUS_LABELS,
            cutoff_hours=current_app.config["SESSION_CANCEL_CUTOFF_HOURS"],
            feed=calendar_feed.get_feed(user),
            trainer_name=trainer_name(app_client()),
            notice=request.args.get("done"),
        ),
        status,
    )


@bp.get("/app/sessions")
@writes_on_read  # the calendar feed address is made on first use
def sessions() -> Response:
    """Upcoming and past sessions, requests, the trainer's free slots and the calendar address."""
    return _page()


def _read_request(form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {}
    raw = form.text("starts_at")
    if not raw:
        form.add("starts_at", "Pick one of the free times.")
    else:
        try:
            starts_at = datetime.fromisoformat(raw)
        except ValueError:
            form.add("starts_at", "Pick one of the free times.")
        else:
            if starts_at.tzinfo is None:
                form.add("starts_at", "Pick one of the free times.")
            else:
                data["starts_at"] = starts_at
    length = form.number("duration_minutes", required=True, integer=True)
    if length is not None and length not in LENGTHS:
        form.add("duration_minutes", f"One of {', '.join(str(n) for n in LENGTHS)} minutes.")
    elif length is not None:
        data["duration_minutes"] = length
    kind = form.text("type", required=True)
    if kind and kind not in TYPE_LABELS:
        form.add("type", "Pick how the session happens.")
    elif kind:
        data["type"] = SessionType(kind)
    note = form.text("note", max_length=NOTE_MAX)
    if note:
        data["note"] = note
    return data


@bp.post("/app/sessions/requests")
def request_session() -> Response:
    """Ask the trainer for a session in one of their free slots; they accept or decline it."""
    form = Form(request.form)
    data = _read_request(form)
    if not form.ok:
        return _page(form, 422)
    try:
        availability.request_session(app_user(), data)
    except DomainError as error:
        form.take(error, {"starts_at": "starts_at", "duration_minutes": "duration_minutes", "type": "type"})
        return _page(form, int(error.status_code))
    return redirect(url_for("client_app.sessions", done="requested", _anchor="requests"), 303)


@bp.post("/app/sessions/<int:session_id>/cancel")
def cancel_session(session_id: int) -> Response:
    """Cancel one of the client's sessions up to the cutoff; someone else's is a 404."""
    g.app_section = "client_app.sessions"
    # Errors are shown beside the session's own cancel button (its fields carry the session id).
    form = Form(request.form)
    reason = form.text(f"reason-{session_id}", max_length=500)
    if not form.ok:
        return _page(status=422, cancel_form=form)
    try:
        scheduling.client_cancel(app_user(), session_id, reason or None)
    except DomainError as error:
        if error.status_code == 404:
            raise
        form.add(f"reason-{session_id}", error.message)
        return _page(status=int(error.status_code), cancel_form=form)
    return redirect(url_for("client_app.sessions", done="cancelled", _anchor="upcoming"), 303)

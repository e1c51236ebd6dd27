"""The schedule's callbacks, one responsibility each: navigate, draw the calendar, show and save the
booking form, preview its conflicts, show and act on a session, and keep the working hours.

Callbacks with several outputs name them (dict `output=`) and return dicts; every callback runs
through `page_callback`, which resolves the trainer and shows a service's refusal as an alert.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx

from dashboards.components import empty
from dashboards.forms import to_int
from dashboards.page_callback import page_callback
from dashboards.pages.schedule.forms import (
    ERROR_SLOTS,
    book_from_form,
    preview_conflicts,
    preview_warnings,
    starts_at,
    to_day,
)
from dashboards.pages.schedule.requests import register_requests_and_days_off
from dashboards.pages.schedule.views import (
    calendar_range,
    conflict_alert,
    hours_list,
    month_grid,
    session_info,
    warnings_alert,
    week_grid,
)
from fitbud.auth.roles import Role
from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.models import RequestStatus, SessionStatus, SessionType, TrainingSession, User
from fitbud.services import availability, inputs, scheduling
from fitbud.services.analytics import client_options
from fitbud.services.local_time import zone_of
from fitbud.services.recurrence import to_local

KEEP = dash.no_update
STATUS_BUTTONS = {
    "sc-cancel": SessionStatus.CANCELLED,
    "sc-complete": SessionStatus.COMPLETED,
    "sc-noshow": SessionStatus.NO_SHOW,
}
with_alert = page_callback(Role.TRAINER, alert="message")


def _clicked() -> None:
    """Go on only for a real click (a re-drawn button reports n_clicks None)."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        raise dash.exceptions.PreventUpdate


def _today(trainer: User) -> date:
    return to_local(datetime.now(UTC), zone_of(trainer)).date()


def _bump(changed: Any) -> int:
    """A new value for the sc-changed store, which redraws the calendar."""
    return (changed or 0) + 1


# Navigation and calendar ------------------------------------------------------------------


def navigate(trainer: User, *, anchor: Any, view: Any, **_clicks: Any) -> dict[str, Any]:
    """Previous, Today, Next, or a month day's number (which opens its week)."""
    _clicked()
    current = to_day(anchor) or date.today()
    trigger = ctx.triggered_id
    if isinstance(trigger, dict):
        return {"anchor": (to_day(trigger.get("date")) or current).isoformat(), "view": "week"}
    if trigger == "sc-today":
        return {"anchor": _today(trainer).isoformat(), "view": view}
    step = 1 if trigger == "sc-next" else -1
    if view == "month":
        month_index = current.year * 12 + current.month - 1 + step
        return {"anchor": date(month_index // 12, month_index % 12 + 1, 1).isoformat(), "view": view}
    return {"anchor": (current + timedelta(days=7 * step)).isoformat(), "view": view}


def calendar(trainer: User, *, anchor: Any, view: Any, changed: Any) -> dict[str, Any]:
    """The week (with working hours shaded) or month around the anchor day."""
    current = to_day(anchor) or date.today()
    view = "month" if view == "month" else "week"
    first, last = calendar_range(view, current)
    sessions = scheduling.calendar_sessions(trainer, first, last)
    if view == "month":
        return {"calendar": month_grid(trainer, first, current, sessions), "title": f"{current:%B %Y}"}
    title = f"Week of {first:%d %b} – {last - timedelta(days=1):%d %b %Y}"
    if not sessions:
        title += " · no sessions this week: pick a slot to book one"
    hours = availability.list_working_hours(trainer)
    zone = zone_of(trainer)
    asked = [
        request
        for request in availability.requests_for(trainer, RequestStatus.PENDING)
        if first <= to_local(request.starts_at, zone).date() < last
    ]
    return {"calendar": week_grid(trainer, first, sessions, hours, asked), "title": title}


# Booking ----------------------------------------------------------------------------------

_BOOKING_ERRORS = {f"{slot}_error": Output(f"sc-{slot}-error", "children") for slot in ERROR_SLOTS}
_NO_ERRORS = dict.fromkeys(_BOOKING_ERRORS)


def _duplicate(outputs: dict[str, Output]) -> dict[str, Output]:
    """The same outputs, for a second callback that writes them too."""
    return {
        name: Output(out.component_id, out.component_property, allow_duplicate=True) for name, out in outputs.items()
    }


_FORM_OUTPUTS = {
    "open": Output("sc-create-modal", "is_open"),
    "message": Output("sc-create-message", "children"),
    "anyway": Output("sc-anyway", "value"),
    **_BOOKING_ERRORS,
}


# The booking form's fields as a fresh form shows them (the layout's defaults).
BLANK_BOOKING = {
    "client": None,
    "duration": 60,
    "type": SessionType.IN_PERSON.value,
    "location": "",
    "repeat": False,
    "weekdays": [],
    "count": 8,
}


def show_booking_form(trainer: User, **_clicks: Any) -> dict[str, Any]:
    """A slot (or "Book a session") opens the form at that time, cleared; Close hides it."""
    _clicked()
    trigger = ctx.triggered_id
    closed = {"open": False, "message": None, "anyway": False, **_NO_ERRORS}
    if trigger == "sc-create-close":
        return {**closed, "date": KEEP, "time": KEEP, "clients": KEEP, **dict.fromkeys(BLANK_BOOKING, KEEP)}
    at = str(trigger.get("at")) if isinstance(trigger, dict) else ""
    return {
        **closed,
        "open": True,
        "date": (to_day(at) or _today(trainer)).isoformat(),
        "time": at[11:16] if len(at) >= 16 else "09:00",
        "clients": client_options(trainer),
        # Every opening starts from a blank booking: the last one's "Repeat weekly" must not stick.
        **BLANK_BOOKING,
    }


def save_booking(trainer: User, *, save: Any, changed: Any, **values: Any) -> dict[str, Any]:
    """Book what the form says (`values`); refusals show beside their fields, overlaps above the buttons."""
    _clicked()
    booked = book_from_form(trainer, values)
    if booked.outcome == "ok":
        return {"open": False, "message": None, "anyway": False, "changed": _bump(changed), **_NO_ERRORS}
    unchanged = {"open": True, "anyway": KEEP, "changed": KEEP}
    if booked.outcome == "confirm":
        alert = dbc.Alert(
            "Not booked yet: check the warning above, then tick “Book anyway” to book it.", color="warning"
        )
        return {**unchanged, "message": alert, **_NO_ERRORS}
    if booked.outcome == "conflict":
        alert = dbc.Alert(
            "Not booked: it overlaps other sessions. Tick “Book anyway” to book it regardless.", color="warning"
        )
        return {**unchanged, "message": alert, **_NO_ERRORS}
    alert = dbc.Alert("Not booked: please fix the fields marked above.", color="danger")
    return {**unchanged, "message": alert, **{f"{slot}_error": booked.errors.get(slot) for slot in ERROR_SLOTS}}


def conflicts(trainer: User, *, repeat: Any, **values: Any) -> dict[str, Any]:
    """As the form changes: what the booking would overlap; the weekly fields only when repeating."""
    form = {**values, "repeat": repeat}
    found = preview_conflicts(trainer, form)  # a forged client: the wrapper's alert
    alerts = [conflict_alert(trainer, found), warnings_alert(trainer, preview_warnings(trainer, form))]
    shown = [alert for alert in alerts if alert is not None] or None
    return {"conflicts": shown, "repeat_style": None if repeat else {"display": "none"}}


# A session's modal ------------------------------------------------------------------------


def show_session(trainer: User, **_clicks: Any) -> dict[str, Any]:
    """A session's chip opens its details, with the move fields at its current time; Close hides them."""
    _clicked()
    if ctx.triggered_id == "sc-sess-close":
        return {"open": False, "session_id": KEEP, "info": KEEP, "message": None, "move_date": KEEP, "move_time": KEEP}
    session_id = to_int(ctx.triggered_id.get("id")) or 0
    try:
        session = scheduling.get_session(trainer, session_id)
    except NotFoundError:
        info = empty("No such session.")
        return {"open": True, "session_id": None, "info": info, "message": None, "move_date": KEEP, "move_time": KEEP}
    local = to_local(session.starts_at, zone_of(trainer))
    return {
        "open": True,
        "session_id": session.id,
        "info": session_info(trainer, session),
        "message": None,
        "move_date": local.date().isoformat(),
        "move_time": f"{local:%H:%M}",
    }


def _change(trainer: User, session_id: int, trigger: str, values: dict[str, Any]) -> tuple[TrainingSession, str]:
    scope = values["scope"] if values["scope"] in scheduling.SCOPES else scheduling.SCOPE_THIS
    if trigger == "sc-move":
        start = starts_at(trainer, values["move_date"], values["move_time"])
        if start is None:
            raise InvalidInputError("Give the new date and start time.", errors={"starts_at": ["missing"]})
        changes = inputs.load(
            inputs.SessionUpdateSchema,
            {"starts_at": start.isoformat(), "scope": scope, "allow_overlap": bool(values["anyway"])},
        )
        return scheduling.update_session(trainer, session_id, changes), "Moved."
    status = STATUS_BUTTONS[trigger]
    cancelling = status is SessionStatus.CANCELLED
    session = scheduling.change_status(
        trainer,
        session_id,
        status,
        reason=(values["reason"] or None) if cancelling else None,
        scope=scope if cancelling else scheduling.SCOPE_THIS,
    )
    return session, f"Marked {status.value.replace('_', ' ')}."


def act_on_session(
    trainer: User, *, session_id: Any, changed: Any, move: Any, cancel: Any, complete: Any, noshow: Any, **values: Any
) -> dict[str, Any]:
    """Move the session (or it and the following ones), or cancel it or mark it completed or a no-show."""
    _clicked()
    try:  # the services find only the trainer's own sessions: a forged id is "No such session."
        session, done = _change(trainer, to_int(session_id) or 0, ctx.triggered_id, values)
    except ConflictError as error:
        overlaps = (error.details or {}).get("conflicts")
        if not overlaps:
            raise
        # Overlaps are listed, with the way round them; other refusals are the wrapper's alert.
        message = [
            "It would overlap other sessions. Tick “Move even if it overlaps” to move it anyway.",
            conflict_alert(trainer, overlaps),
        ]
        return {"session_id": KEEP, "info": KEEP, "message": dbc.Alert(message, color="danger"), "changed": KEEP}
    return {
        "session_id": session.id,
        "info": session_info(trainer, session),
        "message": dbc.Alert(done, color="success"),
        "changed": _bump(changed),
    }


# Working hours ----------------------------------------------------------------------------


def working_hours(trainer: User, *, weekday: Any, start: Any, end: Any, changed: Any, **_clicks: Any) -> dict[str, Any]:
    """The trainer's hours; Add hours and Remove change them first."""
    message, bump = None, KEEP
    trigger = ctx.triggered_id
    clicked = bool(ctx.triggered and ctx.triggered[0]["value"])
    if trigger == "sc-h-add" and clicked:
        data = inputs.load(
            inputs.WorkingHoursCreateSchema,
            {"weekday": to_int(weekday), "start_time": (start or "")[:5], "end_time": (end or "")[:5]},
        )
        availability.add_working_hours(trainer, data)
        message, bump = dbc.Alert("Hours added.", color="success"), _bump(changed)
    elif isinstance(trigger, dict) and clicked:
        availability.delete_working_hours(trainer, to_int(trigger.get("id")) or 0)
        message, bump = dbc.Alert("Hours removed.", color="success"), _bump(changed)
    return {"hours": hours_list(availability.list_working_hours(trainer)), "message": message, "changed": bump}


def register_callbacks(app: dash.Dash) -> None:
    """Wire each callback to its components."""
    app.callback(
        output={"anchor": Output("sc-anchor", "data"), "view": Output("sc-view", "value")},
        inputs={
            "back": Input("sc-prev", "n_clicks"),
            "today": Input("sc-today", "n_clicks"),
            "forward": Input("sc-next", "n_clicks"),
            "days": Input({"type": "sc-day", "date": ALL}, "n_clicks"),
        },
        state={"anchor": State("sc-anchor", "data"), "view": State("sc-view", "value")},
        prevent_initial_call=True,
    )(page_callback(Role.TRAINER)(navigate))
    app.callback(
        output={"calendar": Output("sc-calendar", "children"), "title": Output("sc-range-title", "children")},
        inputs={
            "anchor": Input("sc-anchor", "data"),
            "view": Input("sc-view", "value"),
            "changed": Input("sc-changed", "data"),
        },
    )(page_callback(Role.TRAINER)(calendar))
    app.callback(
        output={
            **_FORM_OUTPUTS,
            "date": Output("sc-date", "value"),
            "time": Output("sc-time", "value"),
            "clients": Output("sc-client", "options"),
            "client": Output("sc-client", "value"),
            "duration": Output("sc-duration", "value"),
            "type": Output("sc-type", "value"),
            "location": Output("sc-location", "value"),
            "repeat": Output("sc-repeat", "value"),
            "weekdays": Output("sc-weekdays", "value"),
            "count": Output("sc-count", "value"),
        },
        inputs={
            "slots": Input({"type": "sc-slot", "at": ALL}, "n_clicks"),
            "new": Input("sc-new", "n_clicks"),
            "close": Input("sc-create-close", "n_clicks"),
        },
        prevent_initial_call=True,
    )(with_alert(show_booking_form))
    app.callback(
        output={**_duplicate(_FORM_OUTPUTS), "changed": Output("sc-changed", "data")},
        inputs={"save": Input("sc-create-save", "n_clicks")},
        state={
            "client": State("sc-client", "value"),
            "date": State("sc-date", "value"),
            "time": State("sc-time", "value"),
            "duration": State("sc-duration", "value"),
            "type": State("sc-type", "value"),
            "location": State("sc-location", "value"),
            "repeat": State("sc-repeat", "value"),
            "weekdays": State("sc-weekdays", "value"),
            "count": State("sc-count", "value"),
            "anyway": State("sc-anyway", "value"),
            "changed": State("sc-changed", "data"),
        },
        prevent_initial_call=True,
    )(with_alert(save_booking))
    app.callback(
        output={"conflicts": Output("sc-conflicts", "children"), "repeat_style": Output("sc-repeat-fields", "style")},
        inputs={
            "client": Input("sc-client", "value"),
            "date": Input("sc-date", "value"),
            "time": Input("sc-time", "value"),
            "duration": Input("sc-duration", "value"),
            "repeat": Input("sc-repeat", "value"),
            "weekdays": Input("sc-weekdays", "value"),
            "count": Input("sc-count", "value"),
        },
    )(page_callback(Role.TRAINER, alert="conflicts")(conflicts))
    app.callback(
        output={
            "open": Output("sc-sess-modal", "is_open"),
            "session_id": Output("sc-sess-id", "data"),
            "info": Output("sc-sess-info", "children"),
            "message": Output("sc-sess-message", "children"),
            "move_date": Output("sc-move-date", "value"),
            "move_time": Output("sc-move-time", "value"),
        },
        inputs={
            "chips": Input({"type": "sc-sess", "id": ALL}, "n_clicks"),
            "close": Input("sc-sess-close", "n_clicks"),
        },
        prevent_initial_call=True,
    )(with_alert(show_session))
    app.callback(
        output={
            **_duplicate(
                {
                    "session_id": Output("sc-sess-id", "data"),
                    "info": Output("sc-sess-info", "children"),
                    "message": Output("sc-sess-message", "children"),
                    "changed": Output("sc-changed", "data"),
                }
            )
        },
        inputs={
            "move": Input("sc-move", "n_clicks"),
            "cancel": Input("sc-cancel", "n_clicks"),
            "complete": Input("sc-complete", "n_clicks"),
            "noshow": Input("sc-noshow", "n_clicks"),
        },
        state={
            "session_id": State("sc-sess-id", "data"),
            "move_date": State("sc-move-date", "value"),
            "move_time": State("sc-move-time", "value"),
            "anyway": State("sc-move-anyway", "value"),
            "scope": State("sc-scope", "value"),
            "reason": State("sc-reason", "value"),
            "changed": State("sc-changed", "data"),
        },
        prevent_initial_call=True,
    )(with_alert(act_on_session))
    app.callback(
        output={
            "hours": Output("sc-hours-list", "children"),
            "message": Output("sc-h-message", "children"),
            "changed": Output("sc-changed", "data", allow_duplicate=True),
        },
        inputs={"add": Input("sc-h-add", "n_clicks"), "deletes": Input({"type": "sc-h-del", "id": ALL}, "n_clicks")},
        state={
            "weekday": State("sc-h-weekday", "value"),
            "start": State("sc-h-start", "value"),
            "end": State("sc-h-end", "value"),
            "changed": State("sc-changed", "data"),
        },
        prevent_initial_call="initial_duplicate",
    )(with_alert(working_hours))
    register_requests_and_days_off(app)

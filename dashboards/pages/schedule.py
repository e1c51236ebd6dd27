"""Schedule: the trainer's week and month calendar, booking (once or weekly), moves, statuses, hours.

Everything goes through the scheduling and availability services; the conflict preview
calls the same overlap check the booking does, so what the trainer sees before saving is
what the service would refuse.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards.auth import current_dashboard_user
from dashboards.components import card, empty, page_title
from dashboards.page import Page
from fitbud.auth.roles import Role
from fitbud.errors import DomainError, InvalidInputError, NotFoundError
from fitbud.models import SessionStatus, SessionType, TrainingSession, User, WorkingHours
from fitbud.services import availability, inputs, scheduling
from fitbud.services.analytics import client_options
from fitbud.services.recurrence import WEEKDAY_CODES, from_local, to_local, zone

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FIRST_HOUR, LAST_HOUR = 6, 21
TYPE_LABELS = {
    SessionType.IN_PERSON: "In person",
    SessionType.ONLINE: "Online",
    SessionType.CHECK_IN_CALL: "Check-in call",
}
STATUS_COLORS = {
    SessionStatus.SCHEDULED: "primary",
    SessionStatus.COMPLETED: "success",
    SessionStatus.CANCELLED: "secondary",
    SessionStatus.NO_SHOW: "danger",
}
CREATE_FIELDS = ("client_id", "starts_at", "duration_minutes", "type", "location", "recurrence")


def _trainer() -> User | None:
    user = current_dashboard_user()
    return user if user is not None and user.role is Role.TRAINER else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _clock(value: Any) -> time | None:
    try:
        return time.fromisoformat(str(value)[:5])
    except ValueError:
        return None


def _feedback(field_id: str) -> html.Div:
    return html.Div(id=f"{field_id}-error", className="invalid-feedback d-block")


def _create_modal() -> dbc.Modal:
    type_options = [{"label": label, "value": kind.value} for kind, label in TYPE_LABELS.items()]
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Book a session")),
            dbc.ModalBody(
                [
                    dbc.Label("Client", html_for="sc-client"),
                    dbc.Select(id="sc-client", options=[], placeholder="Pick a client"),
                    _feedback("sc-client"),
                    dbc.Row(
                        [
                            dbc.Col(
                                [dbc.Label("Date", html_for="sc-date"), dbc.Input(id="sc-date", type="date")], xs=6
                            ),
                            dbc.Col(
                                [dbc.Label("Start", html_for="sc-time"), dbc.Input(id="sc-time", type="time")], xs=6
                            ),
                        ],
                        className="g-2 mt-1",
                    ),
                    _feedback("sc-start"),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label("Duration (minutes)", html_for="sc-duration"),
                                    dbc.Input(id="sc-duration", type="number", value=60, min=5, max=480, step=5),
                                    _feedback("sc-duration"),
                                ],
                                xs=6,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("Type", html_for="sc-type"),
                                    dbc.Select(id="sc-type", options=type_options, value=SessionType.IN_PERSON.value),
                                ],
                                xs=6,
                            ),
                        ],
                        className="g-2 mt-1",
                    ),
                    dbc.Label("Location", html_for="sc-location", className="mt-2"),
                    dbc.Input(id="sc-location", placeholder="Gym, park, video link…", maxLength=300),
                    _feedback("sc-location"),
                    dbc.Switch(id="sc-repeat", label="Repeat weekly", value=False, className="mt-3"),
                    html.Div(
                        [
                            dbc.Label("On", html_for="sc-weekdays"),
                            dbc.Checklist(
                                id="sc-weekdays",
                                options=[
                                    {"label": name, "value": code}
                                    for name, code in zip(DAY_NAMES, WEEKDAY_CODES, strict=True)
                                ],
                                value=[],
                                inline=True,
                            ),
                            dbc.Label("Number of sessions", html_for="sc-count"),
                            dbc.Input(id="sc-count", type="number", value=8, min=1, max=200),
                            _feedback("sc-recurrence"),
                        ],
                        id="sc-repeat-fields",
                        className="ms-2",
                    ),
                    html.Div(id="sc-conflicts", role="status", className="mt-3"),
                    dbc.Checkbox(
                        id="sc-anyway", label="Book anyway, despite the overlap", value=False, className="mt-1"
                    ),
                    html.Div(id="sc-create-message", role="status", className="mt-2"),
                ]
            ),
            dbc.ModalFooter(
                [
                    dbc.Button("Close", id="sc-create-close", color="secondary"),
                    dbc.Button("Book", id="sc-create-save", color="primary"),
                ]
            ),
        ],
        id="sc-create-modal",
        is_open=False,
    )


def _session_modal() -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Session")),
            dbc.ModalBody(
                [
                    html.Div(id="sc-sess-info"),
                    html.Hr(),
                    dbc.RadioItems(
                        id="sc-scope",
                        options=[
                            {"label": "This session", "value": scheduling.SCOPE_THIS},
                            {"label": "This and following in the series", "value": scheduling.SCOPE_FOLLOWING},
                        ],
                        value=scheduling.SCOPE_THIS,
                        inline=True,
                    ),
                    html.H3("Move", className="h6 mt-3"),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label("New date", html_for="sc-move-date"),
                                    dbc.Input(id="sc-move-date", type="date"),
                                ],
                                xs=6,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("New start", html_for="sc-move-time"),
                                    dbc.Input(id="sc-move-time", type="time"),
                                ],
                                xs=6,
                            ),
                        ],
                        className="g-2",
                    ),
                    dbc.Checkbox(id="sc-move-anyway", label="Move even if it overlaps", value=False, className="mt-1"),
                    dbc.Button("Move", id="sc-move", color="primary", size="sm", className="mt-2"),
                    html.H3("Status", className="h6 mt-3"),
                    dbc.Label("Cancellation reason (optional)", html_for="sc-reason"),
                    dbc.Input(id="sc-reason", maxLength=500),
                    html.Div(
                        [
                            dbc.Button("Cancel session", id="sc-cancel", color="outline-danger", size="sm"),
                            dbc.Button("Mark completed", id="sc-complete", color="outline-success", size="sm"),
                            dbc.Button("Mark no-show", id="sc-noshow", color="outline-warning", size="sm"),
                        ],
                        className="d-flex flex-wrap gap-2 mt-2",
                    ),
                    html.Div(id="sc-sess-message", role="status", className="mt-2"),
                ]
            ),
            dbc.ModalFooter(dbc.Button("Close", id="sc-sess-close", color="secondary")),
        ],
        id="sc-sess-modal",
        is_open=False,
    )


def _hours_form() -> Any:
    return html.Div(
        [
            html.Div(id="sc-hours-list"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Day", html_for="sc-h-weekday"),
                            dbc.Select(
                                id="sc-h-weekday",
                                value="0",
                                options=[{"label": n, "value": str(i)} for i, n in enumerate(DAY_NAMES)],
                            ),
                        ],
                        xs=4,
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("From", html_for="sc-h-start"),
                            dbc.Input(id="sc-h-start", type="time", value="09:00"),
                        ],
                        xs=4,
                        md=3,
                    ),
                    dbc.Col(
                        [dbc.Label("To", html_for="sc-h-end"), dbc.Input(id="sc-h-end", type="time", value="17:00")],
                        xs=4,
                        md=3,
                    ),
                    dbc.Col(
                        dbc.Button("Add hours", id="sc-h-add", color="outline-primary", className="mt-md-4"),
                        xs=12,
                        md=3,
                    ),
                ],
                className="g-2 mt-2",
            ),
            html.Div(id="sc-h-message", role="status", className="mt-2"),
        ]
    )


def layout(params: dict[str, str]) -> html.Div:
    """Calendar controls, the calendar, and working hours; the modals open from the calendar."""
    user = _trainer()
    today = to_local(datetime.now(UTC), zone(user.timezone)).date() if user is not None else date.today()
    anchor = _day(params.get("date")) or today
    return html.Div(
        [
            dcc.Store(id="sc-anchor", data=anchor.isoformat()),
            dcc.Store(id="sc-changed", data=0),
            dcc.Store(id="sc-sess-id"),
            page_title(
                "Schedule",
                dbc.ButtonGroup(
                    [
                        dbc.Button("‹", id="sc-prev", color="light", title="Previous"),
                        dbc.Button("Today", id="sc-today", color="light"),
                        dbc.Button("›", id="sc-next", color="light", title="Next"),
                    ]
                ),
                dbc.RadioItems(
                    id="sc-view",
                    options=[{"label": "Week", "value": "week"}, {"label": "Month", "value": "month"}],
                    value=params.get("view") if params.get("view") in ("week", "month") else "week",
                    inline=True,
                    className="btn-group",
                    inputClassName="btn-check",
                    labelClassName="btn btn-outline-primary",
                    labelCheckedClassName="active",
                ),
                dbc.Button("Book a session", id="sc-new", color="primary"),
            ),
            html.H2(id="sc-range-title", className="h6 text-muted"),
            dcc.Loading(html.Div(id="sc-calendar", className="fb-calendar"), type="dot"),
            html.Div(card("Working hours", _hours_form()), className="mt-3"),
            _create_modal(),
            _session_modal(),
        ]
    )


# The calendar ----------------------------------------------------------------------------


def _range(view: str, anchor: date) -> tuple[date, date]:
    monday = anchor - timedelta(days=anchor.weekday())
    if view == "month":
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        return start, start + timedelta(days=42)
    return monday, monday + timedelta(days=7)


def _chip(session: TrainingSession, tz) -> dbc.Button:
    local = to_local(session.starts_at, tz)
    label = f"{local:%H:%M} {session.client.name}"
    struck = session.status in (SessionStatus.CANCELLED,)
    return dbc.Button(
        [
            html.Span(label, className="text-decoration-line-through" if struck else ""),
            html.Span(" ↻", title="Part of a weekly series") if session.series_id else None,
        ],
        id={"type": "sc-sess", "id": session.id},
        color=STATUS_COLORS[session.status],
        outline=session.status is not SessionStatus.SCHEDULED,
        size="sm",
        className="fb-chip text-start w-100 mb-1",
        title=f"{label} · {session.duration_minutes} min · {session.status.value.replace('_', ' ')}",
    )


def week_grid(trainer: User, monday: date, sessions: list[TrainingSession], hours: list[WorkingHours]) -> Any:
    """Hours down, days across; a slot button in every empty hour, sessions at their start hour."""
    tz = zone(trainer.timezone)
    by_slot: dict[tuple[date, int], list[TrainingSession]] = defaultdict(list)
    for session in sessions:
        local = to_local(session.starts_at, tz)
        by_slot[(local.date(), local.hour)].append(session)
    used_hours = [hour for (_, hour) in by_slot]
    first_hour = min([FIRST_HOUR, *used_hours])
    last_hour = max([LAST_HOUR, *used_hours])
    working = defaultdict(list)
    for interval in hours:
        working[interval.weekday].append((interval.start_time, interval.end_time))
    days = [monday + timedelta(days=offset) for offset in range(7)]
    header = html.Thead(
        html.Tr(
            [html.Th("", scope="col")] + [html.Th(f"{DAY_NAMES[d.weekday()]} {d:%d %b}", scope="col") for d in days]
        )
    )
    rows = []
    for hour in range(first_hour, last_hour + 1):
        cells: list[Any] = [html.Th(f"{hour:02d}:00", scope="row", className="fb-hour")]
        for day in days:
            within = any(start <= time(hour) < end for start, end in working[day.weekday()])
            slot_sessions = by_slot.get((day, hour), [])
            content = [_chip(session, tz) for session in slot_sessions]
            content.append(
                html.Button(
                    "+",
                    id={"type": "sc-slot", "at": f"{day.isoformat()}T{hour:02d}:00"},
                    className="fb-slot",
                    title=f"Book {DAY_NAMES[day.weekday()]} {day:%d %b} {hour:02d}:00",
                    **{"aria-label": f"Book {DAY_NAMES[day.weekday()]} {day:%d %b} at {hour:02d}:00"},
                )
            )
            cells.append(html.Td(content, className="fb-cell" + ("" if within else " fb-off")))
        rows.append(html.Tr(cells))
    return html.Div(
        html.Table([header, html.Tbody(rows)], className="table table-sm table-bordered fb-week mb-0 bg-white"),
        className="table-responsive",
    )


def month_grid(trainer: User, start: date, anchor: date, sessions: list[TrainingSession]) -> Any:
    """Six weeks of days with their sessions; a day's number opens that week."""
    tz = zone(trainer.timezone)
    by_day: dict[date, list[TrainingSession]] = defaultdict(list)
    for session in sessions:
        by_day[to_local(session.starts_at, tz).date()].append(session)
    header = html.Thead(html.Tr([html.Th(name, scope="col") for name in DAY_NAMES]))
    rows = []
    for week in range(6):
        cells = []
        for offset in range(7):
            day = start + timedelta(days=7 * week + offset)
            day_sessions = by_day.get(day, [])
            cells.append(
                html.Td(
                    [
                        html.Button(
                            f"{day.day}",
                            id={"type": "sc-day", "date": day.isoformat()},
                            className="fb-daynum",
                            title=f"Open the week of {day:%d %b}",
                        ),
                        *[_chip(session, tz) for session in day_sessions[:3]],
                        html.Div(f"+{len(day_sessions) - 3} more", className="small text-muted")
                        if len(day_sessions) > 3
                        else None,
                    ],
                    className="fb-mcell" + (" fb-other-month" if day.month != anchor.month else ""),
                )
            )
        rows.append(html.Tr(cells))
    return html.Div(
        html.Table([header, html.Tbody(rows)], className="table table-sm table-bordered fb-month mb-0 bg-white"),
        className="table-responsive",
    )


def _hours_list(hours: list[WorkingHours]) -> Any:
    if not hours:
        return empty("No working hours yet.", "Add the hours you train clients; they shade the week view.")
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        f"{DAY_NAMES[interval.weekday]} {interval.start_time:%H:%M}–{interval.end_time:%H:%M}",
                        className="me-2",
                    ),
                    dbc.Button(
                        "Remove",
                        id={"type": "sc-h-del", "id": interval.id},
                        size="sm",
                        color="link",
                        className="p-0",
                        title=f"Remove {DAY_NAMES[interval.weekday]} hours",
                    ),
                ]
            )
            for interval in hours
        ],
        className="list-unstyled mb-0 fb-hours",
    )


# Booking -----------------------------------------------------------------------------------


def _starts_at(trainer: User, day: Any, clock: Any) -> datetime | None:
    day_value, clock_value = _day(day), _clock(clock)
    if day_value is None or clock_value is None:
        return None
    return from_local(datetime.combine(day_value, clock_value), zone(trainer.timezone))


def booking_payload(trainer: User, values: dict[str, Any]) -> dict[str, Any]:
    """The form as the sessions API's request body (so its schema checks it the same way)."""
    starts_at = _starts_at(trainer, values.get("date"), values.get("time"))
    payload: dict[str, Any] = {
        "client_id": _int(values.get("client")),
        "starts_at": starts_at.isoformat() if starts_at else None,
        "duration_minutes": _int(values.get("duration")),
        "type": values.get("type"),
        "allow_overlap": bool(values.get("anyway")),
    }
    if values.get("location"):
        payload["location"] = values["location"]
    if values.get("repeat"):
        recurrence: dict[str, Any] = {"count": _int(values.get("count"))}
        if values.get("weekdays"):
            recurrence["weekdays"] = list(values["weekdays"])
        payload["recurrence"] = recurrence
    return payload


def preview_conflicts(trainer: User, values: dict[str, Any]) -> list[dict[str, Any]]:
    """What the booking in the form would overlap: the service's own expansion and check, nothing saved."""
    recurrence = None
    if values.get("repeat"):
        recurrence = {"count": _int(values.get("count")), "weekdays": list(values.get("weekdays") or ())}
    return scheduling.preview_conflicts(
        trainer,
        _int(values.get("client")),
        _starts_at(trainer, values.get("date"), values.get("time")),
        _int(values.get("duration")),
        recurrence,
    )


def _conflict_alert(trainer: User, conflicts: list[dict[str, Any]]) -> Any:
    if not conflicts:
        return None
    tz = zone(trainer.timezone)
    lines = [
        html.Li(
            f"{to_local(datetime.fromisoformat(c['starts_at']), tz):%a %d %b %H:%M}–"
            f"{to_local(datetime.fromisoformat(c['ends_at']), tz):%H:%M}"
        )
        for c in conflicts[:10]
    ]
    return dbc.Alert(
        [
            html.Strong(f"Overlaps {len(conflicts)} other session(s):"),
            html.Ul(lines, className="mb-0"),
            html.Span("Tick “Book anyway” to book it regardless.", className="small"),
        ],
        color="warning",
        className="fb-conflicts",
    )


def _field_errors(errors: dict[str, Any]) -> dict[str, str]:
    """Input or service errors (keyed by dotted path) grouped under the form's feedback slots."""
    slots = {
        "client_id": "client",
        "starts_at": "start",
        "duration_minutes": "duration",
        "location": "location",
    }
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, messages in errors.items():
        if key == "conflicts":
            continue
        head, _, sub = key.partition(".")
        if head == "recurrence":
            grouped["recurrence"].extend(f"{sub}: {message}" if sub else str(message) for message in messages)
        else:
            grouped[slots.get(key, "start")].extend(str(message) for message in messages)
    return {slot: " ".join(messages) for slot, messages in grouped.items()}


def book_from_form(trainer: User, values: dict[str, Any]) -> tuple[str, dict[str, str], list[dict[str, Any]]]:
    """Book from the form: ("ok" | "invalid" | "conflict", field errors, conflicts)."""
    payload = booking_payload(trainer, values)
    schema = inputs.SeriesCreateSchema if "recurrence" in payload else inputs.SessionCreateSchema
    try:
        data = inputs.load(schema, {key: value for key, value in payload.items() if value is not None})
        if "recurrence" in data:
            scheduling.create_series(trainer, data)
        else:
            scheduling.create_session(trainer, data)
    except DomainError as error:
        conflicts = (error.errors or {}).get("conflicts") or []
        if conflicts:
            return "conflict", {}, conflicts
        if isinstance(error, NotFoundError):
            return "invalid", {"client": "Pick one of your clients."}, []
        return "invalid", _field_errors(error.errors or {}) or {"start": error.message}, []
    return "ok", {}, []


def _session_info(trainer: User, session: TrainingSession) -> Any:
    tz = zone(trainer.timezone)
    local = to_local(session.starts_at, tz)
    return html.Div(
        [
            html.H3(session.client.name, className="h5"),
            html.P(
                [
                    f"{local:%A %d %B %Y, %H:%M} · {session.duration_minutes} min · {TYPE_LABELS[session.type]}",
                    html.Br(),
                    f"Location: {session.location or '—'}",
                    html.Br(),
                    dbc.Badge(session.status.value.replace("_", " "), color=STATUS_COLORS[session.status]),
                    " Part of a weekly series." if session.series_id else "",
                ],
                className="mb-0",
            ),
        ]
    )


def register_callbacks(app: dash.Dash) -> None:
    """Navigation, calendar, booking with conflict preview, session actions and working hours."""

    @app.callback(
        Output("sc-anchor", "data"),
        Output("sc-view", "value"),
        Input("sc-prev", "n_clicks"),
        Input("sc-today", "n_clicks"),
        Input("sc-next", "n_clicks"),
        Input({"type": "sc-day", "date": ALL}, "n_clicks"),
        State("sc-anchor", "data"),
        State("sc-view", "value"),
        prevent_initial_call=True,
    )
    def navigate(_prev, _today, _next, _days, anchor, view):
        trainer = _trainer()
        if trainer is None or not ctx.triggered or not ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        current = _day(anchor) or date.today()
        trigger = ctx.triggered_id
        if isinstance(trigger, dict):
            return (_day(trigger.get("date")) or current).isoformat(), "week"
        if trigger == "sc-today":
            return to_local(datetime.now(UTC), zone(trainer.timezone)).date().isoformat(), view
        step = 1 if trigger == "sc-next" else -1
        if view == "month":
            month_index = current.year * 12 + current.month - 1 + step
            return date(month_index // 12, month_index % 12 + 1, 1).isoformat(), view
        return (current + timedelta(days=7 * step)).isoformat(), view

    @app.callback(
        Output("sc-calendar", "children"),
        Output("sc-range-title", "children"),
        Input("sc-anchor", "data"),
        Input("sc-view", "value"),
        Input("sc-changed", "data"),
    )
    def calendar(anchor, view, _changed):
        trainer = _trainer()
        if trainer is None:
            raise dash.exceptions.PreventUpdate
        current = _day(anchor) or date.today()
        view = "month" if view == "month" else "week"
        first, last = _range(view, current)
        sessions = scheduling.calendar_sessions(trainer, first, last)
        if view == "month":
            return month_grid(trainer, first, current, sessions), f"{current:%B %Y}"
        hours = availability.list_working_hours(trainer)
        title = f"Week of {first:%d %b} – {last - timedelta(days=1):%d %b %Y}"
        if not sessions:
            title += " · no sessions this week: pick a slot to book one"
        return week_grid(trainer, first, sessions, hours), title

    @app.callback(
        Output("sc-create-modal", "is_open"),
        Output("sc-date", "value"),
        Output("sc-time", "value"),
        Output("sc-client", "options"),
        Output("sc-create-message", "children"),
        Output("sc-changed", "data"),
        Output("sc-client-error", "children"),
        Output("sc-start-error", "children"),
        Output("sc-duration-error", "children"),
        Output("sc-location-error", "children"),
        Output("sc-recurrence-error", "children"),
        Output("sc-anyway", "value"),
        Input({"type": "sc-slot", "at": ALL}, "n_clicks"),
        Input("sc-new", "n_clicks"),
        Input("sc-create-save", "n_clicks"),
        Input("sc-create-close", "n_clicks"),
        State("sc-client", "value"),
        State("sc-date", "value"),
        State("sc-time", "value"),
        State("sc-duration", "value"),
        State("sc-type", "value"),
        State("sc-location", "value"),
        State("sc-repeat", "value"),
        State("sc-weekdays", "value"),
        State("sc-count", "value"),
        State("sc-anyway", "value"),
        State("sc-changed", "data"),
        prevent_initial_call=True,
    )
    def create(
        _slots,
        _new,
        _save,
        _close,
        client,
        day,
        clock,
        duration,
        kind,
        location,
        repeat,
        weekdays,
        count,
        anyway,
        changed,
    ):
        trainer = _trainer()
        if trainer is None or not ctx.triggered or not ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        keep = dash.no_update
        no_errors = (None, None, None, None, None)
        trigger = ctx.triggered_id
        if trigger == "sc-create-close":
            return False, keep, keep, keep, None, keep, *no_errors, False
        if isinstance(trigger, dict) or trigger == "sc-new":
            at = str(trigger.get("at")) if isinstance(trigger, dict) else ""
            slot_day = _day(at) or to_local(datetime.now(UTC), zone(trainer.timezone)).date()
            slot_time = at[11:16] if len(at) >= 16 else "09:00"
            return True, slot_day.isoformat(), slot_time, client_options(trainer), None, keep, *no_errors, False
        values = {
            "client": client,
            "date": day,
            "time": clock,
            "duration": duration,
            "type": kind,
            "location": location,
            "repeat": repeat,
            "weekdays": weekdays,
            "count": count,
            "anyway": anyway,
        }
        outcome, errors, _conflicts = book_from_form(trainer, values)
        if outcome == "ok":
            return (False, keep, keep, keep, None, (changed or 0) + 1, *no_errors, False)
        if outcome == "conflict":
            alert = dbc.Alert(
                "Not booked: it overlaps other sessions. Tick “Book anyway” to book it regardless.", color="warning"
            )
            return True, keep, keep, keep, alert, keep, *no_errors, keep
        slots = ("client", "start", "duration", "location", "recurrence")
        alert = dbc.Alert("Not booked: please fix the fields marked above.", color="danger")
        return (True, keep, keep, keep, alert, keep, *[errors.get(slot) for slot in slots], keep)

    @app.callback(
        Output("sc-conflicts", "children"),
        Output("sc-repeat-fields", "style"),
        Input("sc-client", "value"),
        Input("sc-date", "value"),
        Input("sc-time", "value"),
        Input("sc-duration", "value"),
        Input("sc-repeat", "value"),
        Input("sc-weekdays", "value"),
        Input("sc-count", "value"),
    )
    def conflicts(client, day, clock, duration, repeat, weekdays, count):
        trainer = _trainer()
        if trainer is None:
            raise dash.exceptions.PreventUpdate
        style = None if repeat else {"display": "none"}
        values = {
            "client": client,
            "date": day,
            "time": clock,
            "duration": duration,
            "repeat": repeat,
            "weekdays": weekdays,
            "count": count,
        }
        try:
            found = preview_conflicts(trainer, values)
        except NotFoundError:
            return dbc.Alert("No such client.", color="danger"), style
        return _conflict_alert(trainer, found), style

    @app.callback(
        Output("sc-sess-modal", "is_open"),
        Output("sc-sess-id", "data"),
        Output("sc-sess-info", "children"),
        Output("sc-sess-message", "children"),
        Output("sc-move-date", "value"),
        Output("sc-move-time", "value"),
        Output("sc-changed", "data", allow_duplicate=True),
        Input({"type": "sc-sess", "id": ALL}, "n_clicks"),
        Input("sc-move", "n_clicks"),
        Input("sc-cancel", "n_clicks"),
        Input("sc-complete", "n_clicks"),
        Input("sc-noshow", "n_clicks"),
        Input("sc-sess-close", "n_clicks"),
        State("sc-sess-id", "data"),
        State("sc-move-date", "value"),
        State("sc-move-time", "value"),
        State("sc-move-anyway", "value"),
        State("sc-scope", "value"),
        State("sc-reason", "value"),
        State("sc-changed", "data"),
        prevent_initial_call=True,
    )
    def session_actions(
        _chips, _move, _cancel, _complete, _noshow, _close, session_id, day, clock, anyway, scope, reason, changed
    ):
        trainer = _trainer()
        if trainer is None or not ctx.triggered or not ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        keep = dash.no_update
        trigger = ctx.triggered_id
        if trigger == "sc-sess-close":
            return False, keep, keep, None, keep, keep, keep
        tz = zone(trainer.timezone)
        if isinstance(trigger, dict):
            session_id = _int(trigger.get("id"))
        try:
            session = scheduling.get_session(trainer, _int(session_id) or 0)
        except NotFoundError:
            return True, None, empty("No such session."), None, keep, keep, keep
        if isinstance(trigger, dict):
            local = to_local(session.starts_at, tz)
            return (
                True,
                session.id,
                _session_info(trainer, session),
                None,
                local.date().isoformat(),
                f"{local:%H:%M}",
                keep,
            )
        scope = scope if scope in scheduling.SCOPES else scheduling.SCOPE_THIS
        try:
            if trigger == "sc-move":
                starts_at = _starts_at(trainer, day, clock)
                if starts_at is None:
                    raise InvalidInputError("Give the new date and start time.", errors={"starts_at": ["missing"]})
                changes = inputs.load(
                    inputs.SessionUpdateSchema,
                    {"starts_at": starts_at.isoformat(), "scope": scope, "allow_overlap": bool(anyway)},
                )
                session = scheduling.update_session(trainer, session.id, changes)
                done = "Moved."
            else:
                status = {
                    "sc-cancel": SessionStatus.CANCELLED,
                    "sc-complete": SessionStatus.COMPLETED,
                    "sc-noshow": SessionStatus.NO_SHOW,
                }[trigger]
                cancelling = status is SessionStatus.CANCELLED
                session = scheduling.change_status(
                    trainer,
                    session.id,
                    status,
                    reason=(reason or None) if cancelling else None,
                    scope=scope if cancelling else scheduling.SCOPE_THIS,
                )
                done = f"Marked {status.value.replace('_', ' ')}."
        except DomainError as error:
            conflicts = (error.errors or {}).get("conflicts")
            message = (
                [error.message]
                if not conflicts
                else [
                    "It would overlap other sessions. Tick “Move even if it overlaps” to move it anyway.",
                    _conflict_alert(trainer, conflicts),
                ]
            )
            return True, keep, keep, dbc.Alert(message, color="danger"), keep, keep, keep
        return (
            True,
            session.id,
            _session_info(trainer, session),
            dbc.Alert(done, color="success"),
            keep,
            keep,
            (changed or 0) + 1,
        )

    @app.callback(
        Output("sc-hours-list", "children"),
        Output("sc-h-message", "children"),
        Output("sc-changed", "data", allow_duplicate=True),
        Input("sc-h-add", "n_clicks"),
        Input({"type": "sc-h-del", "id": ALL}, "n_clicks"),
        State("sc-h-weekday", "value"),
        State("sc-h-start", "value"),
        State("sc-h-end", "value"),
        State("sc-changed", "data"),
        prevent_initial_call="initial_duplicate",
    )
    def working_hours(_add, _deletes, weekday, start, end, changed):
        trainer = _trainer()
        if trainer is None:
            raise dash.exceptions.PreventUpdate
        message = None
        bump = dash.no_update
        trigger = ctx.triggered_id
        clicked = bool(ctx.triggered and ctx.triggered[0]["value"])
        try:
            if trigger == "sc-h-add" and clicked:
                data = inputs.load(
                    inputs.WorkingHoursCreateSchema,
                    {"weekday": _int(weekday), "start_time": (start or "")[:5], "end_time": (end or "")[:5]},
                )
                availability.add_working_hours(trainer, data)
                message, bump = dbc.Alert("Hours added.", color="success"), (changed or 0) + 1
            elif isinstance(trigger, dict) and clicked:
                availability.delete_working_hours(trainer, _int(trigger.get("id")) or 0)
                message, bump = dbc.Alert("Hours removed.", color="success"), (changed or 0) + 1
        except DomainError as error:
            message = dbc.Alert(error.message, color="danger")
        return _hours_list(availability.list_working_hours(trainer)), message, bump


PAGE = Page(
    path="schedule",
    name="Schedule",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

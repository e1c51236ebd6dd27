"""What the schedule shows: the week and month grids, a session's details, the hours list, conflicts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from dashboards.components import empty
from fitbud.models import SessionRequest, SessionStatus, SessionType, TrainingSession, User, WorkingHours
from fitbud.services.local_time import zone_of
from fitbud.services.recurrence import to_local

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


def calendar_range(view: str, anchor: date) -> tuple[date, date]:
    """The local days a view shows around `anchor`: its Monday's week, or six weeks from the month's first Monday."""
    monday = anchor - timedelta(days=anchor.weekday())
    if view == "month":
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        return start, start + timedelta(days=42)
    return monday, monday + timedelta(days=7)


def _chip(session: TrainingSession, tz: ZoneInfo) -> dbc.Button:
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


def _request_chip(request: SessionRequest, tz: ZoneInfo) -> html.A:
    local = to_local(request.starts_at, tz)
    label = f"{local:%H:%M} {request.client.name} asks"
    return html.A(
        label,
        href=f"#sc-rq-{request.id}",
        className="fb-chip fb-request-chip d-block mb-1",
        title=f"{label} for {request.duration_minutes} min: accept or decline under Session requests",
    )


def week_grid(
    trainer: User,
    monday: date,
    sessions: list[TrainingSession],
    hours: list[WorkingHours],
    requests: Sequence[SessionRequest] = (),
) -> Any:
    """Hours down, days across; a slot button in every empty hour, sessions (and pending requests) at their hour."""
    tz = zone_of(trainer)
    by_slot: dict[tuple[date, int], list[TrainingSession]] = defaultdict(list)
    for session in sessions:
        local = to_local(session.starts_at, tz)
        by_slot[(local.date(), local.hour)].append(session)
    asked: dict[tuple[date, int], list[SessionRequest]] = defaultdict(list)
    for request in requests:
        local = to_local(request.starts_at, tz)
        asked[(local.date(), local.hour)].append(request)
    used_hours = [hour for (_, hour) in [*by_slot, *asked]]
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
            content += [_request_chip(request, tz) for request in asked.get((day, hour), [])]
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
    tz = zone_of(trainer)
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


def hours_list(hours: list[WorkingHours]) -> Any:
    """The trainer's weekly hours, each with its Remove button."""
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


def session_info(trainer: User, session: TrainingSession) -> Any:
    """A session's client, time, length, type, place and status, on the trainer's clock."""
    tz = zone_of(trainer)
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


def _when(trainer: User, intervals: list[tuple[datetime, datetime]]) -> str:
    tz = zone_of(trainer)
    shown = ", ".join(f"{to_local(start, tz):%a %d %b %H:%M}" for start, _ in intervals[:5])
    return shown + (f" and {len(intervals) - 5} more" if len(intervals) > 5 else "")


def warnings_alert(trainer: User, warnings: Any) -> Any:
    """Sessions of the booking that start in the past or fall outside working hours, or None."""
    if not warnings:
        return None
    lines = []
    if warnings.in_past:
        lines.append(html.Li(f"In the past: {_when(trainer, warnings.in_past)}."))
    if warnings.outside_hours:
        lines.append(html.Li(f"Outside your working hours: {_when(trainer, warnings.outside_hours)}."))
    return dbc.Alert(
        [
            html.Strong("Check before booking:"),
            html.Ul(lines, className="mb-0"),
            html.Span("Tick “Book anyway” to book it regardless.", className="small"),
        ],
        color="warning",
        className="fb-booking-warnings",
    )


def conflict_alert(trainer: User, conflicts: list[dict[str, Any]]) -> Any:
    """The sessions a booking would overlap (the first ten), or None when there are none."""
    if not conflicts:
        return None
    tz = zone_of(trainer)
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

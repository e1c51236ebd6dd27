"""The schedule page's components: calendar controls, the calendar, working hours and the two modals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.auth import current_dashboard_user
from dashboards.components import card, page_title
from dashboards.pages.schedule.forms import to_day
from dashboards.pages.schedule.requests import days_off_card, requests_card
from dashboards.pages.schedule.views import DAY_NAMES, TYPE_LABELS
from fitbud.auth.roles import Role
from fitbud.models import SessionType
from fitbud.services import scheduling
from fitbud.services.local_time import zone_of
from fitbud.services.recurrence import WEEKDAY_CODES, to_local


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
                        id="sc-anyway", label="Book anyway, despite the warnings above", value=False, className="mt-1"
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
    user = current_dashboard_user()
    tz = zone_of(user) if user is not None and user.role is Role.TRAINER else None
    today = to_local(datetime.now(UTC), tz).date() if tz is not None else date.today()
    anchor = to_day(params.get("date")) or today
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
            dbc.Row(
                [
                    dbc.Col(requests_card(), xs=12, lg=6),
                    dbc.Col([card("Working hours", _hours_form()), days_off_card()], xs=12, lg=6),
                ],
                className="mt-3",
                id="sc-requests-row",
            ),
            _create_modal(),
            _session_modal(),
        ]
    )

"""Client progress: one client's weight and trend, measurements, volume, adherence heatmap, calories, records."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards.auth import current_dashboard_user
from dashboards.client_components import (
    PROGRESS_PARTS,
    progress_figures,
    progress_ids,
    progress_outputs,
    progress_problem,
)
from dashboards.components import card, date_range, empty, page_title, parse_day
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.models import User
from fitbud.services import analytics
from fitbud.services.local_time import local_today

OUTPUTS = progress_ids("cl")


def layout(params: dict[str, str]) -> html.Div:
    """The page frame: client picker, period, and a card per chart."""
    user = current_dashboard_user()
    today = local_today(user) if user is not None else None
    picker = html.Div(
        [
            dbc.Label("Client", html_for="cl-client"),
            dcc.Dropdown(
                id="cl-client",
                value=_int_or_none(params.get("client_id")),
                clearable=False,
                placeholder="Pick a client",
                style={"minWidth": "14rem"},
            ),
        ]
    )
    return html.Div(
        [
            page_title("Client", picker, date_range("cl-range", analytics.DEFAULT_CLIENT_DAYS, today)),
            dbc.Row(id="cl-summary", className="g-2"),
            dbc.Row(
                [
                    dbc.Col(card("Weight and 7-day average", None, "cl-weight"), xs=12, lg=6),
                    dbc.Col(card("Measurements", None, "cl-measurements"), xs=12, lg=6),
                    dbc.Col(card("Weekly volume", None, "cl-volume"), xs=12, lg=6),
                    dbc.Col(card("Plan adherence by day", None, "cl-heatmap"), xs=12, lg=6),
                    dbc.Col(card("Calories against target", None, "cl-calories"), xs=12, lg=6),
                    dbc.Col(card("Personal records", None, "cl-records"), xs=12, lg=6),
                ]
            ),
        ]
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def register_callbacks(app: dash.Dash) -> None:
    """Fill the picker with the trainer's clients and the charts with the chosen one's progress."""

    @app.callback(
        Output("cl-client", "options"),
        Output("cl-client", "value"),
        Input("url", "pathname"),
        State("cl-client", "value"),
    )
    @page_callback(Role.TRAINER)
    def load_clients(user: User, _pathname: str | None, current: Any):
        options = analytics.client_options(user)
        values = {option["value"] for option in options}
        value = current if current in values else (options[0]["value"] if options else None)
        return options, value

    @app.callback(
        output=progress_outputs("cl"),
        inputs={
            "client_id": Input("cl-client", "value"),
            "start_date": Input("cl-range", "start_date"),
            "end_date": Input("cl-range", "end_date"),
        },
    )
    @page_callback(
        Role.TRAINER, alert="summary", render=progress_problem("Pick one of your clients from the list."), others=None
    )
    def update(user: User, client_id: Any, start_date: str | None, end_date: str | None):
        if client_id is None:
            nobody = dbc.Col(empty("No client picked.", "Pick a client above, or add your first client."))
            return dict.fromkeys(PROGRESS_PARTS) | {"summary": nobody}
        # The service only ever reads this trainer's clients: a forged id is a NotFoundError.
        progress = analytics.progress_for(user, client_id, parse_day(start_date), parse_day(end_date))
        return progress_figures(progress, user.unit_system)


PAGE = Page(
    path="client", name="Client", roles=frozenset({Role.TRAINER}), layout=layout, register_callbacks=register_callbacks
)

"""Client: one client's weight and trend, measurements, volume, adherence heatmap, calories, records."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from dashboards.auth import current_dashboard_user
from dashboards.components import card, date_range, empty, graph, kpi, number, page_title, parse_day, table
from dashboards.router import Page
from fitbud.analytics import figures
from fitbud.analytics.client import ClientProgress
from fitbud.auth.roles import Role
from fitbud.errors import DomainError, NotFoundError
from fitbud.services import analytics

OUTPUTS = ["cl-summary", "cl-weight", "cl-measurements", "cl-volume", "cl-heatmap", "cl-calories", "cl-records"]


def layout(params: dict[str, str]) -> html.Div:
    """The page frame: client picker, period, and a card per chart."""
    user = current_dashboard_user()
    today = analytics.local_today(user) if user is not None else None
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


def _summary(progress: ClientProgress) -> list[Any]:
    trend = progress.trend
    slope = trend["slope_kg_per_week"]
    adherence = progress.adherence
    goal_note = None
    if trend["goal_kg"] is not None:
        goal_note = f"goal {number(trend['goal_kg'])} kg" + (
            f", ETA {trend['goal_eta']:%d %b}" if trend["goal_eta"] else ""
        )
    return [
        kpi("Latest weight", number(trend["latest_kg"], 1, " kg"), goal_note),
        kpi("Trend", number(slope, 2, " kg/wk") if slope is not None else "—", "last 4 weeks"),
        kpi("Change in period", number(trend["change_kg"], 1, " kg")),
        kpi(
            "Adherence",
            number(adherence["adherence"], 1, " %"),
            f"{adherence['matched']} of {adherence['planned']} planned workouts",
        ),
    ]


def _records(frame) -> Any:
    if frame.empty:
        return empty("No records yet.", "Records appear once the client logs sets with weights.")
    rows = [
        (
            row.exercise,
            number(row.heaviest_kg, 1, " kg"),
            f"{row.heaviest_on:%d %b %Y}",
            number(row.best_e1rm_kg, 1, " kg"),
            row.days_trained,
        )
        for row in frame.itertuples(index=False)
    ]
    return table(rows, ["Exercise", "Heaviest", "On", "Est. 1RM", "Days"], "cl-records-table")


def progress_figures(progress: ClientProgress) -> list[Any]:
    """The summary tiles and each chart (or its empty state), in OUTPUTS order; the profile reuses it."""
    name = progress.name
    widen = "or widen the period."
    return [
        _summary(progress),
        graph(figures.weight_figure(progress.weight, progress.trend), "cl-weight-graph")
        if not progress.weight.empty
        else empty("No weigh-ins in this period.", f"Ask {name} to log their weight, {widen}"),
        graph(figures.measurements_figure(progress.measurements), "cl-measurements-graph")
        if not progress.measurements.empty
        else empty("No measurements in this period.", f"Ask {name} to add waist or hip measurements, {widen}"),
        graph(figures.volume_figure(progress.weekly_volume), "cl-volume-graph")
        if progress.weekly_volume["workouts"].sum()
        else empty("No workouts logged in this period.", f"{name}'s logged workouts will show here, {widen}"),
        graph(figures.heatmap_figure(progress.heatmap), "cl-heatmap-graph")
        if progress.adherence["planned"] or progress.weekly_volume["workouts"].sum()
        else empty("No workout plan in this period.", f"Assign a workout plan to {name} to track adherence."),
        graph(figures.calories_figure(progress.calories), "cl-calories-graph")
        if progress.calories["kcal"].notna().any()
        else empty("No meals logged in this period.", f"Ask {name} to log meals, or assign a diet plan with targets."),
        _records(progress.records),
    ]


def register_callbacks(app: dash.Dash) -> None:
    """Fill the picker with the trainer's clients and the charts with the chosen one's progress."""

    @app.callback(
        Output("cl-client", "options"),
        Output("cl-client", "value"),
        Input("url", "pathname"),
        dash.State("cl-client", "value"),
    )
    def load_clients(_pathname: str | None, current: Any):
        user = current_dashboard_user()
        if user is None or user.role is not Role.TRAINER:
            raise dash.exceptions.PreventUpdate
        options = analytics.client_options(user)
        values = {option["value"] for option in options}
        value = current if current in values else (options[0]["value"] if options else None)
        return options, value

    @app.callback(
        *[Output(output_id, "children") for output_id in OUTPUTS],
        Input("cl-client", "value"),
        Input("cl-range", "start_date"),
        Input("cl-range", "end_date"),
    )
    def update(client_id: Any, start_date: str | None, end_date: str | None):
        user = current_dashboard_user()
        if user is None or user.role is not Role.TRAINER:
            raise dash.exceptions.PreventUpdate
        blank = [None] * (len(OUTPUTS) - 1)
        if client_id is None:
            return [dbc.Col(empty("No client picked.", "Pick a client above, or add your first client."))] + blank
        try:
            # The service only ever reads this trainer's clients: a forged id is a NotFoundError.
            progress = analytics.progress_for(user, client_id, parse_day(start_date), parse_day(end_date))
        except NotFoundError:
            return [dbc.Col(empty("No such client.", "Pick one of your clients from the list."))] + blank
        except DomainError as error:
            return [dbc.Col(empty(error.message, "Pick a start date before the end date."))] + blank
        return progress_figures(progress)


PAGE = Page(
    path="client", name="Client", roles=frozenset({Role.TRAINER}), layout=layout, register_callbacks=register_callbacks
)

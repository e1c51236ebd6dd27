"""Overview: the trainer's morning view: KPIs, growth, this week's sessions, adherence, who needs attention."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, date_range, empty, graph, kpi, number, page_title, parse_day, table
from dashboards.router import Page
from fitbud.analytics import figures
from fitbud.auth.roles import Role
from fitbud.errors import DomainError
from fitbud.services import analytics

OUTPUTS = ["ov-kpis", "ov-growth", "ov-sessions", "ov-adherence", "ov-attention"]


def layout(params: dict[str, str]) -> html.Div:
    """The page frame; the figures arrive from the callback."""
    user = current_dashboard_user()
    today = analytics.local_today(user) if user is not None else None
    return html.Div(
        [
            page_title("Overview", date_range("ov-range", analytics.DEFAULT_OVERVIEW_DAYS, today)),
            dbc.Row(id="ov-kpis", className="g-2"),
            dbc.Row(
                [
                    dbc.Col(card("Clients by month", None, "ov-growth"), xs=12, lg=7),
                    dbc.Col(card("Sessions this week", None, "ov-sessions"), xs=12, lg=5),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(card("Adherence in the period", None, "ov-adherence"), xs=12, lg=5),
                    dbc.Col(card("Clients needing attention", None, "ov-attention"), xs=12, lg=7),
                ]
            ),
        ]
    )


def _kpis(kpis: dict[str, Any]) -> list[Any]:
    sessions = kpis["sessions_this_week"]
    growth = kpis["growth_pct"]
    tiles = [
        kpi(
            "Active clients",
            number(kpis["active_clients"]),
            f"+{kpis['new_this_month']} / -{kpis['churned_this_month']} this month",
        ),
        kpi("Growth", number(growth, 1, " %") if growth is not None else "—", "vs last month"),
        kpi(
            "Sessions this week",
            number(sum(sessions.values()) - sessions["cancelled"]),
            f"{sessions['completed']} done, {sessions['no_show']} no-show",
        ),
        kpi("Average adherence", number(kpis["average_adherence"], 1, " %"), "planned workouts done"),
        kpi("Check-ins to answer", number(kpis["checkins_awaiting_reply"])),
    ]
    if kpis.get("revenue_this_month"):
        amounts = ", ".join(f"{amount:,.2f} {currency}" for currency, amount in kpis["revenue_this_month"].items())
        tiles.append(kpi("Revenue this month", amounts))
    return tiles


def _attention(frame) -> Any:
    if frame.empty:
        return empty(
            "Nobody needs attention right now.",
            "Clients appear here after 7 quiet days, a missed session or an unanswered check-in.",
        )
    rows = [
        (
            html.A(row.name, href=f"{PREFIX}client?client_id={row.client_id}"),
            html.Div(
                [dbc.Badge(reason, color="warning", text_color="dark") for reason in row.reasons],
                className="fb-reasons",
            ),
        )
        for row in frame.head(25).itertuples(index=False)
    ]
    return table(rows, ["Client", "Why"], "ov-attention-table")


def register_callbacks(app: dash.Dash) -> None:
    """Fill the page from the trainer's (cached) overview."""

    @app.callback(
        *[Output(output_id, "children") for output_id in OUTPUTS],
        Input("ov-range", "start_date"),
        Input("ov-range", "end_date"),
    )
    def update(start_date: str | None, end_date: str | None):
        user = current_dashboard_user()
        if user is None or user.role is not Role.TRAINER:
            raise dash.exceptions.PreventUpdate
        try:
            overview = analytics.overview_for(user, parse_day(start_date), parse_day(end_date))
        except DomainError as error:
            problem = empty(error.message, "Pick a start date before the end date, within two years.")
            return [problem] + [None] * (len(OUTPUTS) - 1)
        kpis = overview.kpis
        if kpis["active_clients"] == 0 and overview.growth["new"].sum() == 0:
            return (
                [dbc.Col(empty("No clients yet.", "Add your first client; their logs will fill this page."))],
                empty("Client growth appears once you have clients."),
                empty("No sessions this week.", "Book sessions from the calendar."),
                empty("No adherence yet.", "Assign a workout plan to a client to measure adherence."),
                empty("Nobody needs attention right now."),
            )
        growth = graph(figures.growth_figure(overview.growth), "ov-growth-graph")
        sessions = (
            graph(figures.sessions_figure(overview.sessions_week), "ov-sessions-graph")
            if sum(overview.sessions_week.values())
            else empty("No sessions this week.", "Book sessions from the calendar to see them here.")
        )
        adherence = (
            graph(figures.adherence_figure(overview.adherence_histogram), "ov-adherence-graph")
            if overview.adherence_histogram["clients"].sum()
            else empty(
                "No planned workouts in this period.",
                "Assign workout plans to clients, or widen the period, to measure adherence.",
            )
        )
        return _kpis(kpis), growth, sessions, adherence, _attention(overview.attention)


PAGE = Page(
    path="", name="Overview", roles=frozenset({Role.TRAINER}), layout=layout, register_callbacks=register_callbacks
)

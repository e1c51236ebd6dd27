"""Overview: the trainer's morning view: KPIs, growth, this week's sessions, adherence, who needs attention."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, date_range, empty, graph, kpi, number, page_title, parse_day, table
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.analytics import figures
from fitbud.auth.roles import Role
from fitbud.errors import DomainError
from fitbud.models import User
from fitbud.services import analytics
from fitbud.services.local_time import local_today

PARTS = ("kpis", "growth", "sessions", "adherence", "attention")
OUTPUTS = [f"ov-{part}" for part in PARTS]


def layout(params: dict[str, str]) -> html.Div:
    """The page frame; the figures arrive from the callback."""
    user = current_dashboard_user()
    today = local_today(user) if user is not None else None
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
        kpi(
            "Check-ins to answer",
            html.A(number(kpis["checkins_awaiting_reply"]), href=f"{PREFIX}check-ins", id="ov-check-ins-link"),
            "open the inbox",
        ),
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


def _range_problem(error: DomainError) -> Any:
    return empty(error.message, "Pick a start date before the end date, within two years.")


def register_callbacks(app: dash.Dash) -> None:
    """Fill the page from the trainer's (cached) overview."""

    @app.callback(
        output={part: Output(f"ov-{part}", "children") for part in PARTS},
        inputs={"start_date": Input("ov-range", "start_date"), "end_date": Input("ov-range", "end_date")},
    )
    @page_callback(Role.TRAINER, alert="kpis", render=_range_problem, others=None)
    def update(user: User, start_date: str | None, end_date: str | None):
        overview = analytics.overview_for(user, parse_day(start_date), parse_day(end_date))
        kpis = overview.kpis
        if kpis["active_clients"] == 0 and overview.growth["new"].sum() == 0:
            return {
                "kpis": [dbc.Col(empty("No clients yet.", "Add your first client; their logs will fill this page."))],
                "growth": empty("Client growth appears once you have clients."),
                "sessions": empty("No sessions this week.", "Book sessions from the calendar."),
                "adherence": empty("No adherence yet.", "Assign a workout plan to a client to measure adherence."),
                "attention": empty("Nobody needs attention right now."),
            }
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
        return {
            "kpis": _kpis(kpis),
            "growth": growth,
            "sessions": sessions,
            "adherence": adherence,
            "attention": _attention(overview.attention),
        }


PAGE = Page(
    path="", name="Overview", roles=frozenset({Role.TRAINER}), layout=layout, register_callbacks=register_callbacks
)

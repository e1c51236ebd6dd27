"""Platform (admins): trainers, clients, sign-ups per week, active users, report jobs."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboards.components import card, empty, graph, kpi, number, page_title, table
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.analytics import figures
from fitbud.auth.roles import Role
from fitbud.models import User
from fitbud.services import analytics

PARTS = ("kpis", "signups", "active", "reports", "trainers")
OUTPUTS = [f"pf-{part}" for part in PARTS]


def layout(params: dict[str, str]) -> html.Div:
    """The page frame with a weeks selector."""
    weeks = html.Div(
        [
            dbc.Label("Weeks", html_for="pf-weeks"),
            dbc.Select(
                id="pf-weeks", value="12", options=[{"label": f"{n} weeks", "value": str(n)} for n in (4, 12, 26, 52)]
            ),
        ]
    )
    return html.Div(
        [
            page_title("Platform", weeks),
            dbc.Row(id="pf-kpis", className="g-2"),
            dbc.Row(
                [
                    dbc.Col(card("Sign-ups per week", None, "pf-signups"), xs=12, lg=6),
                    dbc.Col(card("Clients logging per week", None, "pf-active"), xs=12, lg=6),
                    dbc.Col(card("Report jobs", None, "pf-reports"), xs=12, lg=4),
                    dbc.Col(card("Largest rosters", None, "pf-trainers"), xs=12, lg=8),
                ]
            ),
        ]
    )


def register_callbacks(app: dash.Dash) -> None:
    """Fill the page from the (briefly cached) platform figures."""

    @app.callback(
        output={part: Output(f"pf-{part}", "children") for part in PARTS},
        inputs={"weeks": Input("pf-weeks", "value")},
    )
    @page_callback(Role.ADMIN)
    def update(_user: User, weeks: str | None):
        try:
            count = min(max(int(weeks or 12), 1), 104)
        except ValueError:
            count = 12
        stats = analytics.platform_for(weeks=count)
        totals = stats.totals
        kpis = [
            kpi("Trainers", number(totals["trainers"]), f"{totals['active_trainers']} active"),
            kpi("Clients", number(totals["clients"]), f"{totals['active_clients']} active"),
            kpi("Users active (7 days)", number(totals["users_active_7d"])),
            kpi("Users active (30 days)", number(totals["users_active_30d"])),
        ]
        signup_total = int(stats.signups[["admin", "trainer", "client"]].to_numpy().sum())
        signups = (
            graph(figures.signups_figure(stats.signups), "pf-signups-graph")
            if signup_total
            else empty("No sign-ups in this period.", "Pick a longer period.")
        )
        active = (
            graph(figures.active_clients_figure(stats.weekly_active_clients), "pf-active-graph")
            if stats.weekly_active_clients["clients"].sum()
            else empty("No client logged anything in this period.")
        )
        job_rows = [(status, count) for status, count in stats.reports_by_status.items()]
        trainers = (
            table(
                [
                    (
                        row.name,
                        row.email,
                        row.clients,
                        row.active_clients,
                        f"{row.last_login_at:%d %b %Y}" if row.last_login_at is not None else "never",
                    )
                    for row in stats.trainers.itertuples(index=False)
                ],
                ["Trainer", "Email", "Clients", "Active", "Last login"],
                "pf-trainers-table",
            )
            if not stats.trainers.empty
            else empty("No trainers yet.", "Trainers appear here once they sign up.")
        )
        return {
            "kpis": kpis,
            "signups": signups,
            "active": active,
            "reports": table(job_rows, ["Status", "Jobs"]),
            "trainers": trainers,
        }


PAGE = Page(
    path="platform",
    name="Platform",
    roles=frozenset({Role.ADMIN}),
    layout=layout,
    register_callbacks=register_callbacks,
)

"""Clients: the trainer's roster as a searchable, sortable table, and the form to invite a client."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, empty, number, page_title, table
from dashboards.forms import done, error_outputs, error_values, field, problem
from dashboards.router import Page
from fitbud.auth.roles import Role
from fitbud.errors import DomainError
from fitbud.extensions import db
from fitbud.models import Client, User
from fitbud.services import analytics, billing, clients

SORTS = {
    "name": "Name (A–Z)",
    "-name": "Name (Z–A)",
    "-last_activity": "Most recently active",
    "last_activity": "Least recently active",
    "-adherence": "Highest adherence",
    "adherence": "Lowest adherence",
}
HEADER = ["Name", "Status", "Goals", "Last activity", "Adherence", "Subscription"]
INVITE_FIELDS = {"cs-invite-name": "name", "cs-invite-email": "email"}
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SEARCH_MAX = 100


def layout(params: dict[str, str]) -> html.Div:
    """The roster table with its search and sort, and the invite form."""
    invite = card(
        "Invite a client",
        [
            html.P("They get an email with a link to create their login; you can also copy it.", className="small"),
            field("Name", dbc.Input(id="cs-invite-name", type="text", maxLength=120), "cs-invite-name"),
            field("Email", dbc.Input(id="cs-invite-email", type="email", maxLength=254), "cs-invite-email"),
            dbc.Button("Send invitation", id="cs-invite-submit", color="primary", n_clicks=0),
            dcc.Loading(html.Div(id="cs-invite-result", className="mt-3"), type="dot"),
        ],
    )
    search = html.Div(
        [
            dbc.Label("Search", html_for="cs-search"),
            dbc.Input(id="cs-search", type="search", placeholder="Name or email", debounce=True, maxLength=SEARCH_MAX),
        ]
    )
    sort = html.Div(
        [
            dbc.Label("Sort by", html_for="cs-sort"),
            dbc.Select(id="cs-sort", options=[{"label": v, "value": k} for k, v in SORTS.items()], value="name"),
        ]
    )
    return html.Div(
        [
            page_title("Clients", search, sort),
            dcc.Store(id="cs-invited", data=0),
            dbc.Row(
                [
                    dbc.Col(card("Your clients", dcc.Loading(html.Div(id="cs-table")), None), xs=12, lg=8),
                    dbc.Col(invite, xs=12, lg=4),
                ]
            ),
        ]
    )


def status_of(client: Client) -> tuple[str, str]:
    """A client's status for the roster and its badge colour."""
    if client.archived_at is not None:
        return "archived", "secondary"
    if client.user_id is None:
        return "invited", "info"
    if not client.is_active:
        return "paused", "warning"
    return "active", "success"


def goal_label(goal: str) -> str:
    """'fat_loss' -> 'Fat loss'."""
    return goal.replace("_", " ").capitalize()


def local_time(moment: datetime | None, user: User) -> str:
    """A timestamp in the trainer's timezone, or an em dash."""
    if moment is None:
        return "—"
    return f"{moment.astimezone(ZoneInfo(user.timezone or 'UTC')):%d %b %Y %H:%M}"


def roster(user: User, search: str | None, sort: str | None) -> list[dict[str, Any]]:
    """The trainer's current clients as table rows (dicts), searched and sorted."""
    sort = sort if sort in SORTS else "name"
    service_sort = sort if "adherence" not in sort else "name"
    search = (search or "").strip()[:SEARCH_MAX] or None
    found = db.session.execute(clients.list_clients(user, search=search, sort=service_sort)).all()
    if not found:
        return []
    adherence_frame = analytics.overview_for(user).adherence
    adherence = {int(row.client_id): row.adherence for row in adherence_frame.itertuples(index=False)}
    subscriptions = billing.subscription_statuses(user.id, [client.id for client in found])
    rows = [
        {
            "client": client,
            "adherence": adherence.get(client.id),
            "subscription": subscriptions.get(client.id, "none"),
        }
        for client in found
    ]
    if "adherence" in sort:
        known = [row for row in rows if row["adherence"] is not None]
        unknown = [row for row in rows if row["adherence"] is None]
        known.sort(key=lambda row: row["adherence"], reverse=sort.startswith("-"))
        rows = known + unknown  # clients with no plan sort last either way
    return rows


def roster_table(user: User, rows: list[dict[str, Any]]) -> Any:
    """The roster rows as a table with a link to each client's profile."""
    cells = []
    for row in rows:
        client = row["client"]
        status, colour = status_of(client)
        cells.append(
            (
                html.A(client.name, href=f"{PREFIX}clients/{client.id}", className="fb-client-link"),
                dbc.Badge(status, color=colour),
                ", ".join(goal_label(goal) for goal in client.goals) or "—",
                local_time(client.last_activity_at, user),
                number(row["adherence"], 1, " %"),
                row["subscription"].replace("_", " "),
            )
        )
    return table(cells, HEADER, "cs-roster")


def register_callbacks(app: dash.Dash) -> None:
    """The roster (search, sort, refresh after an invite) and the invite form."""

    @app.callback(
        Output("cs-table", "children"),
        Input("cs-search", "value"),
        Input("cs-sort", "value"),
        Input("cs-invited", "data"),
    )
    def update_table(search: Any, sort: Any, _invited: Any):
        user = current_dashboard_user()
        if user is None or user.role is not Role.TRAINER:
            raise dash.exceptions.PreventUpdate
        search = search if isinstance(search, str) else None
        rows = roster(user, search, sort if isinstance(sort, str) else None)
        if not rows:
            if search:
                return empty(f"No client matches “{search.strip()}”.", "Try part of a name or an email.")
            return empty("No clients yet.", "Invite your first client with the form on this page.")
        return roster_table(user, rows)

    @app.callback(
        Output("cs-invite-result", "children"),
        *error_outputs(list(INVITE_FIELDS)),
        Output("cs-invited", "data"),
        Output("cs-invite-name", "value"),
        Output("cs-invite-email", "value"),
        Input("cs-invite-submit", "n_clicks"),
        State("cs-invite-name", "value"),
        State("cs-invite-email", "value"),
        State("cs-invited", "data"),
        prevent_initial_call=True,
    )
    def invite(_clicks: Any, name: Any, email: Any, invited: Any):
        user = current_dashboard_user()
        if user is None or user.role is not Role.TRAINER:
            raise dash.exceptions.PreventUpdate
        name = name.strip() if isinstance(name, str) else ""
        email = email.strip() if isinstance(email, str) else ""
        keep = [name, email]
        errors: dict[str, list[str]] = {}
        if not name:
            errors["name"] = ["Enter the client's name."]
        if not EMAIL_SHAPE.match(email):
            errors["email"] = ["Enter an email address like client@example.com."]
        if errors:
            return [None, *error_values(errors, INVITE_FIELDS), dash.no_update, *keep]
        try:
            created = clients.create_client(user, {"name": name, "email": email})
        except DomainError as error:
            return [problem(error), *error_values(error.errors, INVITE_FIELDS), dash.no_update, *keep]
        link = html.Div(
            [
                done(f"{created.client.name} is invited. The link works once, for 7 days."),
                dbc.Label("Invitation link", html_for="cs-invite-link"),
                dbc.InputGroup(
                    [
                        dbc.Input(id="cs-invite-link", value=created.invite_url, readonly=True),
                        dbc.InputGroupText(dcc.Clipboard(target_id="cs-invite-link", title="Copy the link")),
                    ],
                    className="fb-invite-link",
                ),
            ]
        )
        return [link, *error_values({}, INVITE_FIELDS), (invited or 0) + 1, "", ""]


PAGE = Page(
    path="clients",
    name="Clients",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

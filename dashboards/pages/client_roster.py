"""Client roster: the trainer's roster as a searchable, sortable table, and the form to invite a client."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards.auth import PREFIX
from dashboards.client_components import goal_label, status_of
from dashboards.components import card, empty, local_time, number, page_title, table
from dashboards.forms import EMAIL_SHAPE, SEARCH_DEBOUNCE_MS, done, error_outputs, error_values, field
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.models import User
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
            dbc.Input(
                id="cs-search",
                type="search",
                placeholder="Name or email",
                debounce=SEARCH_DEBOUNCE_MS,
                maxLength=SEARCH_MAX,
            ),
        ]
    )
    sort = html.Div(
        [
            dbc.Label("Sort by", html_for="cs-sort"),
            dbc.Select(id="cs-sort", options=[{"label": v, "value": k} for k, v in SORTS.items()], value="name"),
        ]
    )
    archived = dbc.Switch(id="cs-archived", label="Archived", value=False, className="mb-2")
    return html.Div(
        [
            page_title("Clients", search, sort, archived),
            dcc.Store(id="cs-invited", data=0),
            dbc.Row(
                [
                    dbc.Col(card("Your clients", dcc.Loading(html.Div(id="cs-table")), None), xs=12, lg=8),
                    dbc.Col(invite, xs=12, lg=4),
                ]
            ),
        ]
    )


def roster(user: User, search: str | None, sort: str | None, archived: bool = False) -> list[dict[str, Any]]:
    """The trainer's current (or archived) clients as table rows (dicts), searched and sorted."""
    sort = sort if sort in SORTS else "name"
    service_sort = sort if "adherence" not in sort else "name"
    search = (search or "").strip()[:SEARCH_MAX] or None
    found = clients.client_rows(user, search=search, sort=service_sort, archived=archived)
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


def roster_table(user: User, rows: list[dict[str, Any]], archived: bool = False) -> Any:
    """The roster rows as a table with a link to each client's profile (archived ones: their account page)."""
    cells = []
    for row in rows:
        client = row["client"]
        status, colour = status_of(client)
        href = f"{PREFIX}clients/{client.id}/account" if archived else f"{PREFIX}clients/{client.id}"
        cells.append(
            (
                html.A(client.name, href=href, className="fb-client-link"),
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
        Input("cs-archived", "value"),
    )
    @page_callback(Role.TRAINER)
    def update_table(user: User, search: Any, sort: Any, _invited: Any, archived: Any):
        search = search if isinstance(search, str) else None
        archived = archived is True
        rows = roster(user, search, sort if isinstance(sort, str) else None, archived)
        if not rows:
            if search:
                return empty(f"No client matches “{search.strip()}”.", "Try part of a name or an email.")
            if archived:
                return empty("No archived clients.", "Archive a client from their profile; restore them here.")
            return empty("No clients yet.", "Invite your first client with the form on this page.")
        return roster_table(user, rows, archived)

    @app.callback(
        output={
            "result": Output("cs-invite-result", "children"),
            **error_outputs(INVITE_FIELDS),
            "invited": Output("cs-invited", "data"),
            "name": Output("cs-invite-name", "value"),
            "email": Output("cs-invite-email", "value"),
        },
        inputs={
            "_clicks": Input("cs-invite-submit", "n_clicks"),
            "name": State("cs-invite-name", "value"),
            "email": State("cs-invite-email", "value"),
            "invited": State("cs-invited", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="result", fields=INVITE_FIELDS)
    def invite(user: User, _clicks: Any, name: Any, email: Any, invited: Any):
        name = name.strip() if isinstance(name, str) else ""
        email = email.strip() if isinstance(email, str) else ""
        errors: dict[str, list[str]] = {}
        if not name:
            errors["name"] = ["Enter the client's name."]
        if not EMAIL_SHAPE.match(email):
            errors["email"] = ["Enter an email address like client@example.com."]
        if errors:
            # The typed values stay (trimmed), with each problem next to its field.
            fields = error_values(errors, INVITE_FIELDS)
            return {"result": None, **fields, "invited": dash.no_update, "name": name, "email": email}
        created = clients.create_client(user, {"name": name, "email": email})
        link = done(
            f"{created.client.name} is invited: the link is on its way to {created.client.email} "
            "and works once, for 7 days."
        )
        cleared = error_values({}, INVITE_FIELDS)
        return {"result": link, **cleared, "invited": (invited or 0) + 1, "name": "", "email": ""}


PAGE = Page(
    path="clients",
    name="Clients",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

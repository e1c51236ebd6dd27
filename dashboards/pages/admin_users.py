"""Users (admins): search every account, filter by role, deactivate and reactivate.

Deactivating ends every session of the account at once (the accounts service); an admin
cannot deactivate themselves, and the page shows the service's refusal.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards.components import card, empty, local_time, page_title, table
from dashboards.forms import SEARCH_DEBOUNCE_MS, done, to_int
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.models import User
from fitbud.services import accounts

SHOWN_AT_MOST = 100
SEARCH_MAX = 100
ROLE_OPTIONS = [{"label": "All roles", "value": ""}] + [
    {"label": role.value.capitalize(), "value": role.value} for role in Role
]


def layout(params: dict[str, str]) -> html.Div:
    """Search and role filter above the table of accounts."""
    search = html.Div(
        [
            dbc.Label("Search", html_for="au-search"),
            dbc.Input(
                id="au-search",
                type="search",
                placeholder="Name or email",
                debounce=SEARCH_DEBOUNCE_MS,
                maxLength=SEARCH_MAX,
            ),
        ]
    )
    role = html.Div([dbc.Label("Role", html_for="au-role"), dbc.Select(id="au-role", options=ROLE_OPTIONS, value="")])
    return html.Div(
        [
            page_title("Users", search, role),
            dcc.Store(id="au-changed", data=0),
            html.Div(id="au-message", role="status"),
            card("Accounts", dcc.Loading(html.Div(id="au-table"), type="dot")),
        ]
    )


def user_rows(viewer: User, users: list[User]) -> list[tuple[Any, ...]]:
    """One row per account with its Deactivate (or Reactivate) button; none on the viewer's own row."""
    rows = []
    for user in users:
        status = dbc.Badge(
            "active" if user.is_active else "deactivated", color="success" if user.is_active else "secondary"
        )
        action: Any = "you"
        if user.id != viewer.id:
            action = dbc.Button(
                "Deactivate" if user.is_active else "Reactivate",
                # The wanted state rides in the id: a second click on a stale row repeats it, harmlessly.
                id={"type": "au-toggle", "id": user.id, "to": "off" if user.is_active else "on"},
                color="outline-danger" if user.is_active else "outline-success",
                size="sm",
            )
        rows.append((user.name, user.email, user.role.value, status, local_time(user.last_login_at, viewer), action))
    return rows


def register_callbacks(app: dash.Dash) -> None:
    """The filtered table, and the toggle on each row."""

    @app.callback(
        Output("au-table", "children"),
        inputs={
            "search": Input("au-search", "value"),
            "role": Input("au-role", "value"),
            "_changed": Input("au-changed", "data"),
        },
    )
    @page_callback(Role.ADMIN)
    def show_users(user: User, search: Any, role: Any, _changed: Any):
        text = search.strip()[:SEARCH_MAX] if isinstance(search, str) else None
        wanted = Role(role) if role in {r.value for r in Role} else None
        found = accounts.find_users(wanted, text or None, SHOWN_AT_MOST + 1)
        if not found:
            return empty("No account matches.", "Try part of a name or an email, or another role.")
        note = f"Showing the newest {SHOWN_AT_MOST}: narrow the search." if len(found) > SHOWN_AT_MOST else None
        header = ["Name", "Email", "Role", "Status", "Last login", ""]
        return [table(user_rows(user, found[:SHOWN_AT_MOST]), header, "au-users"), note]

    @app.callback(
        output={"message": Output("au-message", "children"), "changed": Output("au-changed", "data")},
        inputs={
            "_clicks": Input({"type": "au-toggle", "id": ALL, "to": ALL}, "n_clicks"),
            "changed": State("au-changed", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.ADMIN, alert="message")
    def toggle(user: User, _clicks: Any, changed: Any):
        if not ctx.triggered or not ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        user_id = to_int(ctx.triggered_id.get("id")) or 0
        changed_user = accounts.set_user_active(user_id, ctx.triggered_id.get("to") == "on", actor=user)
        verb = "reactivated" if changed_user.is_active else "deactivated: their sessions have ended"
        return {"message": done(f"{changed_user.name} ({changed_user.email}) {verb}."), "changed": (changed or 0) + 1}


PAGE = Page(
    path="users",
    name="Users",
    roles=frozenset({Role.ADMIN}),
    layout=layout,
    register_callbacks=register_callbacks,
)

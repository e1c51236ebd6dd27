"""Account: the logged-in user's name, email, password, timezone and units."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from flask_jwt_extended import get_jwt

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, page_title, user_menu
from dashboards.forms import EMAIL_SHAPE, done, error_outputs, error_values, field
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.models import User
from fitbud.services import accounts, calendar_feed, identity

FIELDS = {
    "pf-name": "name",
    "pf-email": "email",
    "pf-timezone": "timezone",
    "pf-units": "unit_system",
    "pf-current-password": "current_password",
    "pf-new-password": "new_password",
}
ROLES = frozenset({Role.TRAINER, Role.ADMIN})


def _email_hint(user: User | None) -> str | None:
    """Where a new address waits for its link, or that the current one is still to be confirmed."""
    if user is None:
        return None
    if user.pending_email:
        return f"{user.pending_email} becomes your email when you open the link we sent there."
    if not user.email_verified:
        return "Not confirmed yet: open the link we sent to this address."
    return None


def layout(params: dict[str, str]) -> html.Div:
    """The form, filled from the current user."""
    user = current_dashboard_user()
    zones = sorted(accounts.timezone_names()) if user is not None else []
    form = [
        field("Name", dbc.Input(id="pf-name", value=user.name if user else "", maxLength=120), "pf-name"),
        field(
            "Email",
            dbc.Input(id="pf-email", type="email", value=user.email if user else ""),
            "pf-email",
            _email_hint(user),
        ),
        field(
            "Timezone",
            dcc.Dropdown(id="pf-timezone", options=zones, value=user.timezone if user else None, clearable=False),
            "pf-timezone",
        ),
        field(
            "Units",
            dbc.RadioItems(
                id="pf-units",
                options=[
                    {"label": "Metric (kg, cm)", "value": "metric"},
                    {"label": "Imperial (lb, in)", "value": "imperial"},
                ],
                value=user.unit_system if user else "metric",
                inline=True,
            ),
            "pf-units",
        ),
        html.H2("Password", className="fs-6 fw-semibold mt-2"),
        field(
            "Current password",
            dbc.Input(id="pf-current-password", type="password", autoComplete="current-password"),
            "pf-current-password",
            "Needed to change your email or your password.",
        ),
        field(
            "New password",
            dbc.Input(id="pf-new-password", type="password", autoComplete="new-password"),
            "pf-new-password",
            "Leave empty to keep your password. At least 10 characters.",
        ),
        html.Div(id="pf-feedback"),
        dbc.Button("Save", id="pf-save", color="primary", n_clicks=0),
    ]
    feed = [
        html.P(
            "Subscribe to this address in your calendar app to see your sessions there. "
            "Anyone with the address can read your schedule: make a new one if it leaks.",
            className="small",
        ),
        dbc.Label("Feed address", html_for="pf-feed-url"),
        dbc.InputGroup(
            [
                dbc.Input(id="pf-feed-url", readonly=True),
                dbc.InputGroupText(dcc.Clipboard(target_id="pf-feed-url", title="Copy the address")),
            ],
            className="fb-invite-link mb-2",
        ),
        html.Div(id="pf-feed-note", className="small mb-2"),
        dbc.Button("Make a new address", id="pf-feed-rotate", color="secondary", outline=True, n_clicks=0),
    ]
    return html.Div(
        [
            page_title("Your profile"),
            dbc.Row(
                [
                    dbc.Col(card("Account", form), xs=12, md=8, lg=6),
                    dbc.Col(card("Calendar feed", feed), xs=12, md=8, lg=6),
                ]
            ),
        ]
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def register_callbacks(app: dash.Dash) -> None:
    """Save the profile through the accounts service (the API's rules)."""

    @app.callback(
        output={
            "feedback": Output("pf-feedback", "children"),
            **error_outputs(FIELDS),
            "current_password": Output("pf-current-password", "value"),
            "new_password": Output("pf-new-password", "value"),
            # The top bar shows the name: a saved new name shows there at once.
            "menu": Output("nav-user", "children", allow_duplicate=True),
        },
        inputs={
            "_clicks": Input("pf-save", "n_clicks"),
            "values": [State(control_id, "value") for control_id in FIELDS],
        },
        prevent_initial_call=True,
    )
    @page_callback(*ROLES, alert="feedback", fields=FIELDS)
    def save(user: User, _clicks: Any, values: list[Any]):
        name, email, timezone, units, current, new = values
        errors: dict[str, list[str]] = {}
        if not _text(name):
            errors["name"] = ["Enter your name."]
        if not EMAIL_SHAPE.match(_text(email)):
            errors["email"] = ["Enter an email address like you@example.com."]
        if errors:
            keep = {"current_password": dash.no_update, "new_password": dash.no_update, "menu": dash.no_update}
            return {"feedback": None, **error_values(errors, FIELDS), **keep}
        changes: dict[str, Any] = {"name": _text(name), "email": _text(email)}
        if isinstance(timezone, str):
            changes["timezone"] = timezone
        if isinstance(units, str):
            changes["unit_system"] = units
        if isinstance(new, str) and new:
            changes["new_password"] = new
        if isinstance(current, str) and current:
            changes["current_password"] = current
        saved_user = identity.update_profile(user, changes, get_jwt().get("sid"))
        pending = identity.pending_email(saved_user)
        saved = done(
            f"Your profile is saved. We sent a link to {pending}: your email changes to it when you open that link."
            if pending and pending == _text(email).lower()
            else "Your profile is saved."
        )
        menu = user_menu(saved_user.name, PREFIX)
        return {"feedback": saved, **error_values({}, FIELDS), "current_password": "", "new_password": "", "menu": menu}

    @app.callback(
        output={"url": Output("pf-feed-url", "value"), "note": Output("pf-feed-note", "children")},
        inputs={"clicks": Input("pf-feed-rotate", "n_clicks")},
    )
    @page_callback(*ROLES, alert="note")
    def feed(user: User, clicks: Any):
        # Loaded with the page; the button replaces the address (the old one stops working).
        if clicks:
            address = calendar_feed.rotate_feed(user)
            note: Any = done("New address made: subscriptions to the old one have stopped.")
        else:
            address = calendar_feed.get_feed(user)
            note = None
        return {"url": address.url, "note": note}


PAGE = Page(
    path="profile", name="Profile", roles=ROLES, layout=layout, register_callbacks=register_callbacks, in_nav=False
)

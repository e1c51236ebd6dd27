"""The dashboard shell: navbar, URL, page container, and the callback that routes between pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from dashboards.auth import DASHBOARD_ROLES, PREFIX
from dashboards.components import empty, user_menu
from dashboards.page_callback import page_callback
from dashboards.router import pages, pages_for, resolve
from fitbud.models import User


def shell() -> html.Div:
    """The static frame every page renders into; it reads no user, so it is safe outside requests."""
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dbc.Navbar(
                dbc.Container(
                    [
                        dbc.NavbarBrand("Fitbud", href=PREFIX, className="fb-brand text-white"),
                        dbc.NavbarToggler(id="nav-toggle", n_clicks=0),
                        dbc.Collapse(
                            [
                                dbc.Nav(id="nav-links", className="me-auto", navbar=True),
                                dbc.Nav(id="nav-user", navbar=True),
                            ],
                            id="nav-collapse",
                            is_open=False,
                            navbar=True,
                        ),
                    ],
                    fluid=True,
                ),
                dark=True,
                color="#1f4e79",
                className="fb-navbar mb-2",
            ),
            dbc.Container(id="page", fluid=True, className="pb-4"),
        ]
    )


def validation_layout() -> html.Div:
    """Every component any page can show, so Dash can check callbacks against them."""
    return html.Div([shell(), *[page.components() for page in pages()]])


def _nav(path: str, role: Any) -> list[Any]:
    return [
        dbc.NavItem(dbc.NavLink(page.name, href=PREFIX + page.path, active=page.path == path))
        for page in pages_for(role)
        if page.in_nav
    ]


def unverified_banner(email: str) -> dbc.Alert:
    """What an account with an unproven address may not do yet, and where to get a new link."""
    return dbc.Alert(
        [
            f"Confirm your email address: open the link we sent to {email}. Until then you can set up "
            "your account, but not invite clients or set up payments. ",
            html.A("Send the link again", href="/confirm-email", className="alert-link", id="unverified-resend"),
        ],
        color="warning",
        id="unverified-banner",
        className="py-2",
    )


def register_routing(app: dash.Dash) -> None:
    """Route URL changes to pages and keep the navbar in step."""

    @app.callback(
        output={
            "page": Output("page", "children"),
            "nav": Output("nav-links", "children"),
            "user_menu": Output("nav-user", "children"),
        },
        inputs={"pathname": Input("url", "pathname"), "search": Input("url", "search")},
    )
    @page_callback(*DASHBOARD_ROLES)
    def show_page(user: User, pathname: str | None, search: str | None):
        path = (pathname or PREFIX).removeprefix(PREFIX).strip("/")
        found = resolve(path, user.role)
        params = {key: values[-1] for key, values in parse_qs((search or "").lstrip("?")).items()}
        menu = user_menu(user.name, PREFIX)
        if found is None:
            content = empty("There is no such page.", "Use the menu above to pick one.")
            return {"page": content, "nav": _nav(path, user.role), "user_menu": menu}
        # The path's segments ("clients/<client_id>") win over a query parameter of the same name.
        content = found.page.layout(params | found.captured)
        if not user.email_verified:
            content = html.Div([unverified_banner(user.email), content])
        return {"page": content, "nav": _nav(found.page.path, user.role), "user_menu": menu}

    @app.callback(Output("nav-collapse", "is_open"), Input("nav-toggle", "n_clicks"), prevent_initial_call=True)
    @page_callback(*DASHBOARD_ROLES)
    def toggle(_user: User, n_clicks: int) -> bool:
        return bool(n_clicks and n_clicks % 2)

"""A client's account, for their trainer: archive or restore them, resend or revoke their invitation.

Reached from the client's profile and from the roster's archived list; the clients service
applies the API's rules (an archived client gets no invitation, one with a login needs none).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards.auth import PREFIX
from dashboards.client_components import status_of
from dashboards.components import as_id, card, empty, local_time, page_title
from dashboards.forms import done
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.errors import NotFoundError
from fitbud.models import Client, User
from fitbud.services import clients


def action(op: str, text: str, **style: Any) -> dbc.Button:
    """A button of the page; pattern ids, as each shows only in some states."""
    return dbc.Button(text, id={"type": "ca-act", "op": op}, **style)


def layout(params: dict[str, str]) -> html.Div:
    """The frame; the client's state and buttons come from a callback scoped to the trainer."""
    return html.Div(
        [
            dcc.Store(id="ca-client", data=as_id(params.get("client_id"))),
            dcc.Store(id="ca-changed", data=0),
            html.A("← Client profile", href=f"{PREFIX}clients/{params.get('client_id', '')}", className="small"),
            html.Div(page_title("Client account"), id="ca-header"),
            html.Div(id="ca-message", role="status"),
            dcc.ConfirmDialog(
                id="ca-confirm-archive",
                message="Archive this client? They leave your roster and their invitation stops working; "
                "all their data is kept and you can restore them.",
            ),
            dbc.Row(
                [
                    dbc.Col(card("On your roster", None, "ca-roster"), xs=12, md=6),
                    dbc.Col(card("Invitation", None, "ca-invitation"), xs=12, md=6),
                ]
            ),
        ]
    )


def every_component() -> html.Div:
    """The frame, for Dash's validation layout."""
    return html.Div([layout({})])


def roster_card(client: Client) -> Any:
    """Archive (after a confirmation) or restore."""
    if client.archived_at is not None:
        return [
            html.P("Archived: not on your roster. Their data is kept.", className="small"),
            action("restore", "Restore to the roster", color="success"),
        ]
    return [
        html.P("On your roster.", className="small"),
        action("archive", "Archive", color="danger", outline=True),
    ]


def invitation_card(trainer: User, client: Client) -> Any:
    """Whether the client has a login, or their open invitation with Resend and Revoke."""
    if client.user_id is not None:
        return html.P(f"{client.name} has a login: no invitation is needed.", className="small")
    if client.archived_at is not None:
        return html.P("Restore the client to send them an invitation.", className="small")
    invitation = clients.open_invitation(trainer, client.id)
    if invitation is None:
        state = html.P("No working invitation: the last one expired or was revoked.", className="small")
        return [state, action("resend", "Send a new invitation", color="primary")]
    state = html.P(
        f"Sent to {invitation.sent_to} on {local_time(invitation.created_at, trainer)}; "
        f"the link works until {local_time(invitation.expires_at, trainer)}.",
        className="small",
    )
    buttons = html.Div(
        [
            action("resend", "Resend (new link)", color="primary", outline=True),
            action("revoke", "Revoke", color="danger", outline=True),
        ],
        className="d-flex gap-2",
    )
    return [state, buttons]


def issued_notice(name: str, email: str) -> html.Div:
    """Where the new invitation went (the link goes only to the client's address: accepting it proves it)."""
    return done(
        f"A new invitation is on its way to {name} at {email}; the previous link no longer works. "
        "Only the link in that email can be used."
    )


def register_callbacks(app: dash.Dash) -> None:
    """Show the client's state; act on a button (archive after its confirmation)."""

    @app.callback(
        output={
            "header": Output("ca-header", "children"),
            "roster": Output("ca-roster", "children"),
            "invitation": Output("ca-invitation", "children"),
        },
        inputs={"client_id": Input("ca-client", "data"), "_changed": Input("ca-changed", "data")},
    )
    @page_callback(Role.TRAINER)
    def show(user: User, client_id: Any, _changed: Any):
        try:
            client = clients.get_client(user, client_id)
        except NotFoundError:
            missing = empty("No such client.", "Pick one of your clients from the Clients page.")
            return {"header": page_title("No such client."), "roster": missing, "invitation": None}
        status, colour = status_of(client)
        header = page_title(client.name, html.Div([dbc.Badge(status, color=colour), html.Span(f" {client.email}")]))
        return {"header": header, "roster": roster_card(client), "invitation": invitation_card(user, client)}

    @app.callback(
        output={
            "message": Output("ca-message", "children"),
            "changed": Output("ca-changed", "data"),
            "confirm": Output("ca-confirm-archive", "displayed"),
        },
        inputs={
            "_clicks": Input({"type": "ca-act", "op": ALL}, "n_clicks"),
            "_confirmed": Input("ca-confirm-archive", "submit_n_clicks"),
            "client_id": State("ca-client", "data"),
            "changed": State("ca-changed", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="message")
    def act(user: User, _clicks: Any, _confirmed: Any, client_id: Any, changed: Any):
        if not ctx.triggered or not ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        trigger = ctx.triggered_id
        op = trigger.get("op") if isinstance(trigger, dict) else "archived"
        if op == "archive":  # asks first; the dialog's OK comes back as "archived"
            return {"message": dash.no_update, "changed": dash.no_update, "confirm": True}
        client = clients.get_client(user, client_id)
        if op == "archived":
            clients.archive_client(user, client.id)
            message: Any = done(f"{client.name} is archived; restore them here whenever you like.")
        elif op == "restore":
            clients.restore_client(user, client.id)
            message = done(f"{client.name} is back on your roster.")
        elif op == "resend":
            issued = clients.resend_invitation(user, client.id)
            message = issued_notice(client.name, issued.invitation.sent_to)
        elif op == "revoke":
            clients.revoke_invitation(user, client.id)
            message = done(f"The invitation to {client.name} is revoked: its link no longer works.")
        else:
            raise dash.exceptions.PreventUpdate
        return {"message": message, "changed": (changed or 0) + 1, "confirm": False}


PAGE = Page(
    path="clients/<client_id>/account",
    name="Client account",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
    in_nav=False,
    validation_layout=every_component,
)

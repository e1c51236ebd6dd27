"""Messages: the trainer's conversations with unread counts, one thread, and a box to send; polled."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from sqlalchemy import select

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, empty, page_title
from dashboards.forms import problem
from dashboards.pages.clients import local_time
from dashboards.router import Page
from fitbud.auth.roles import Role
from fitbud.errors import DomainError, NotFoundError
from fitbud.extensions import db
from fitbud.models import Conversation, User
from fitbud.services import analytics, messaging

POLL_MS = 3000
THREAD_SIZE = 50


def as_id(value: Any) -> int | None:
    """A positive integer id from a URL or callback value; None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def layout(params: dict[str, str]) -> html.Div:
    """Conversation list on the left (top on phones), the open thread and the send box."""
    return html.Div(
        [
            page_title("Messages"),
            dcc.Store(
                id="msg-open", data={"conversation": params.get("conversation"), "client": params.get("client_id")}
            ),
            dcc.Store(id="msg-sent", data=0),
            dcc.Interval(id="msg-poll", interval=POLL_MS),
            dbc.Row(
                [
                    dbc.Col(card("Conversations", html.Div(id="msg-list", className="fb-conversations")), xs=12, md=4),
                    dbc.Col(
                        card(
                            "Thread",
                            [
                                html.Div(id="msg-thread", className="fb-thread mb-3", **{"aria-live": "polite"}),
                                html.Div(id="msg-feedback"),
                                dbc.Label("Your message", html_for="msg-body"),
                                dbc.Textarea(id="msg-body", rows=2, maxLength=messaging.MAX_BODY_LENGTH),
                                dbc.Button("Send", id="msg-send", color="primary", className="mt-2", n_clicks=0),
                            ],
                        ),
                        xs=12,
                        md=8,
                    ),
                ]
            ),
        ]
    )


def conversation_of_client(user: User, client_id: int) -> Conversation | None:
    """The trainer's conversation with their client, without creating one."""
    conversation_id = db.session.execute(
        select(Conversation.id).where(Conversation.trainer_id == user.id, Conversation.client_id == client_id)
    ).scalar_one_or_none()
    return messaging.get_conversation(user, conversation_id) if conversation_id else None


def thread_view(user: User, conversation_id: int) -> list[Any]:
    """The newest messages of one of the caller's conversations, oldest at the top."""
    page = messaging.list_messages(user, conversation_id, limit=THREAD_SIZE)
    if not page.items:
        return [empty("No messages yet.", "Say hello below.")]
    bubbles = []
    for message in reversed(page.items):
        mine = message.sender_role == user.role
        bubbles.append(
            html.Div(
                [
                    html.Div(message.body),
                    html.Div(
                        ("You · " if mine else "") + local_time(message.created_at, user), className="fb-bubble-meta"
                    ),
                ],
                className="fb-bubble " + ("fb-bubble-mine" if mine else "fb-bubble-theirs"),
            )
        )
    return bubbles


def _conversation_list(user: User, open_id: int | None) -> Any:
    conversations = list(db.session.execute(messaging.list_conversations(user)).unique().scalars())
    if not conversations:
        return empty("No conversations yet.", "Open a client's profile and choose Messages to write to them.")
    items = []
    for conversation in conversations:
        unread = conversation.unread_count or 0
        label = [html.Span(conversation.client.name, className="fw-semibold")]
        if conversation.last_message is not None:
            preview = conversation.last_message.body[:40]
            label.append(html.Div(preview, className="small text-muted text-truncate"))
        items.append(
            dbc.ListGroupItem(
                [
                    html.Div(label, className="text-truncate"),
                    dbc.Badge(str(unread), color="danger", pill=True, title=f"{unread} unread") if unread else None,
                ],
                href=f"{PREFIX}messages?conversation={conversation.id}",
                active=conversation.id == open_id,
                action=True,
            )
        )
    return dbc.ListGroup(items, flush=True)


def _open_conversation(user: User, wanted: dict[str, Any] | None) -> int | None:
    """The conversation the URL asks for; `client_id` opens (or starts) the one with that client."""
    wanted = wanted if isinstance(wanted, dict) else {}
    conversation_id = as_id(wanted.get("conversation"))
    if conversation_id is not None:
        return messaging.get_conversation(user, conversation_id).id
    client_id = as_id(wanted.get("client"))
    if client_id is not None:
        client = analytics.get_trainers_client(user, client_id)
        existing = conversation_of_client(user, client.id)
        return existing.id if existing else messaging.start_conversation(user, client.id)[0].id
    return None


def register_callbacks(app: dash.Dash) -> None:
    """Refresh the list and thread on a timer and after sending; send a message."""

    @app.callback(
        Output("msg-list", "children"),
        Output("msg-thread", "children"),
        Input("msg-poll", "n_intervals"),
        Input("msg-sent", "data"),
        Input("msg-open", "data"),
    )
    def refresh(_ticks: Any, _sent: Any, wanted: Any):
        user = current_dashboard_user()
        if user is None or user.role is not Role.TRAINER:
            raise dash.exceptions.PreventUpdate
        try:
            open_id = _open_conversation(user, wanted)
        except NotFoundError:
            return _conversation_list(user, None), [empty("No such conversation.", "Pick one from the list.")]
        except DomainError as error:
            return _conversation_list(user, None), [problem(error)]
        if open_id is None:
            return _conversation_list(user, None), [
                empty("Pick a conversation.", "Your conversations are listed here.")
            ]
        thread = thread_view(user, open_id)
        latest = db.session.execute(
            select(Conversation.last_message_id).where(Conversation.id == open_id)
        ).scalar_one_or_none()
        if latest:
            messaging.mark_read(user, open_id, latest)
        return _conversation_list(user, open_id), thread

    @app.callback(
        Output("msg-feedback", "children"),
        Output("msg-body", "value"),
        Output("msg-sent", "data"),
        Input("msg-send", "n_clicks"),
        State("msg-body", "value"),
        State("msg-open", "data"),
        State("msg-sent", "data"),
        prevent_initial_call=True,
    )
    def send(_clicks: Any, body: Any, wanted: Any, sent: Any):
        user = current_dashboard_user()
        if user is None or user.role is not Role.TRAINER:
            raise dash.exceptions.PreventUpdate
        try:
            open_id = _open_conversation(user, wanted)
            if open_id is None:
                return empty("Pick a conversation first."), dash.no_update, dash.no_update
            messaging.send_message(user, open_id, body if isinstance(body, str) else "")
        except DomainError as error:
            return problem(error), dash.no_update, dash.no_update
        return None, "", (sent if isinstance(sent, int) else 0) + 1


PAGE = Page(
    path="messages",
    name="Messages",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

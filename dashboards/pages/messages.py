"""Messages: the trainer's conversations with unread counts, one thread, and a box to send; polled."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards.auth import PREFIX
from dashboards.client_components import thread
from dashboards.components import as_id, card, empty, page_title
from dashboards.forms import problem
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.errors import DomainError, NotFoundError
from fitbud.models import User
from fitbud.services import messaging
from fitbud.services.client_scope import trainer_client

POLL_MS = 3000
THREAD_SIZE = 50


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


def _conversation_list(user: User, open_id: int | None) -> Any:
    conversations = messaging.recent_conversations(user)
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
        client = trainer_client(user, client_id)
        existing = messaging.conversation_with_client(user, client.id)
        return existing.id if existing else messaging.start_conversation(user, client.id)[0].id
    return None


def _thread_problem(error: DomainError) -> list[Any]:
    if isinstance(error, NotFoundError):
        return [empty("No such conversation.", "Pick one from the list.")]
    return [problem(error)]


def register_callbacks(app: dash.Dash) -> None:
    """Refresh the list and thread on a timer and after sending; send a message."""

    @app.callback(
        output={"list": Output("msg-list", "children"), "thread": Output("msg-thread", "children")},
        inputs={
            "_ticks": Input("msg-poll", "n_intervals"),
            "_sent": Input("msg-sent", "data"),
            "wanted": Input("msg-open", "data"),
        },
    )
    @page_callback(Role.TRAINER, alert="thread", render=_thread_problem)
    def refresh(user: User, _ticks: Any, _sent: Any, wanted: Any):
        try:
            open_id = _open_conversation(user, wanted)
        except DomainError as error:
            # The list still loads when the URL names a conversation (or client) this trainer can't open.
            return {"list": _conversation_list(user, None), "thread": _thread_problem(error)}
        if open_id is None:
            pick = empty("Pick a conversation.", "Your conversations are listed here.")
            return {"list": _conversation_list(user, None), "thread": [pick]}
        thread_page = messaging.list_messages(user, open_id, limit=THREAD_SIZE)
        messaging.mark_all_read(user, open_id)
        return {"list": _conversation_list(user, open_id), "thread": thread(user, thread_page.items)}

    @app.callback(
        output={
            "feedback": Output("msg-feedback", "children"),
            "body": Output("msg-body", "value"),
            "sent": Output("msg-sent", "data"),
        },
        inputs={
            "_clicks": Input("msg-send", "n_clicks"),
            "body": State("msg-body", "value"),
            "wanted": State("msg-open", "data"),
            "sent": State("msg-sent", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="feedback")
    def send(user: User, _clicks: Any, body: Any, wanted: Any, sent: Any):
        open_id = _open_conversation(user, wanted)
        if open_id is None:
            return {"feedback": empty("Pick a conversation first."), "body": dash.no_update, "sent": dash.no_update}
        messaging.send_message(user, open_id, body if isinstance(body, str) else "")
        return {"feedback": None, "body": "", "sent": (sent if isinstance(sent, int) else 0) + 1}


PAGE = Page(
    path="messages",
    name="Messages",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

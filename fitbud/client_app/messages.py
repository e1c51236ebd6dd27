"""Messages: the thread with the trainer, sent once per Idempotency-Key, new ones fetched by polling.

The page polls a small fragment (`/app/messages/new?after=<last id>`) every few seconds: when
nothing came it answers 204 with no body after one indexed query, so htmx leaves the page alone.
"""

from __future__ import annotations

import uuid

from flask import Response, g, make_response, redirect, render_template, request, url_for

from fitbud.auth.roles import Role
from fitbud.client_app import bp
from fitbud.client_app.forms import Form, run_once
from fitbud.client_app.session import app_client, app_user
from fitbud.errors import DomainError
from fitbud.ext.orm_session import writes_on_read
from fitbud.models import Message, User
from fitbud.services import messaging
from fitbud.services.client_scope import trainer_name

THREAD_LENGTH = 50
POLL_SECONDS = 3


def _read_up_to(user: User, conversation_id: int, messages: list[Message], read_up_to: int) -> None:
    """Reading the thread marks the trainer's messages read (the badge drops at once)."""
    if any(not is_mine(message) and message.id > read_up_to for message in messages):
        messaging.mark_read(user, conversation_id, messages[-1].id)
        g.pop("app_unread", None)


def _page(form: Form | None = None, status: int = 200) -> Response:
    user = app_user()
    if form is None:
        form = Form({"idempotency_key": str(uuid.uuid4())})
    conversation = messaging.own_conversation(user)
    thread: list[Message] = []
    older = False
    if conversation is not None:
        page = messaging.list_messages(user, conversation.id, limit=THREAD_LENGTH)
        thread = list(reversed(page.items))
        older = page.has_more
        _read_up_to(user, conversation.id, thread, conversation.my_last_read_id or 0)
    return make_response(
        render_template(
            "client_app/messages.html",
            form=form,
            conversation=conversation,
            thread=thread,
            older=older,
            last_id=thread[-1].id if thread else 0,
            poll_seconds=POLL_SECONDS,
            trainer_name=trainer_name(app_client()),
        ),
        status,
    )


@bp.get("/app/messages")
@writes_on_read  # reading the thread moves the read marker
def messages() -> Response:
    """The thread with the trainer, newest at the bottom, and the box to write in."""
    return _page()


@bp.post("/app/messages")
def send_message() -> Response:
    """Send a message once per Idempotency-Key (a double tap stores one), then show the thread."""
    user = app_user()
    form = Form(request.form)
    body = form.text("body", required=True, max_length=messaging.MAX_BODY_LENGTH)
    key = form.text("idempotency_key", required=True, max_length=200)
    if not form.ok:
        return _page(form, 422)

    def work() -> Message:
        conversation, _created = messaging.start_conversation(user, None)
        return messaging.send_message(user, conversation.id, body)

    try:
        run_once(user, key, request.path, {"body": body}, work, lambda message: {"message_id": message.id})
    except DomainError as error:
        form.take(error, {"body": "body"})
        return _page(form, int(error.status_code))
    return redirect(url_for("client_app.messages", _anchor="latest"), 303)


@bp.get("/app/messages/new")
@writes_on_read  # what arrives while the thread is open is read
def new_messages() -> Response:
    """What came after message `after`: 204 when nothing did, else the new messages and the next poller."""
    user = app_user()
    after = request.args.get("after", type=int)
    if after is None or after < 0:
        return make_response("", 400)
    conversation_id = messaging.own_conversation_id(user)
    if conversation_id is None:
        return make_response("", 204)
    page = messaging.list_messages(user, conversation_id, after=after, limit=THREAD_LENGTH)
    if not page.items:
        return make_response("", 204)
    fresh = list(reversed(page.items))
    # The client has the thread open: what arrives now is read.
    _read_up_to(user, conversation_id, fresh, after)
    return make_response(
        render_template(
            "client_app/_messages_new.html",
            fresh=fresh,
            last_id=fresh[-1].id,
            poll_seconds=POLL_SECONDS,
            trainer_name=trainer_name(app_client()),
            was_empty=after == 0,
        )
    )


def is_mine(message: Message) -> bool:
    """Whether the client wrote this message (else the trainer did)."""
    return message.sender_role is Role.CLIENT

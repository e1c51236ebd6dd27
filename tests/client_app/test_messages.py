"""The Messages page: the thread with the trainer, sending once per key, polling, the unread badge."""

from __future__ import annotations

from fitbud.extensions import db
from fitbud.models import Conversation, Message, User
from fitbud.services import messaging
from tests.client_app.helpers import csrf, form_value, login
from tests.factories import ClientFactory
from tests.helpers import assert_page_error, count_statements

IDLE_POLL_STATEMENTS = 5  # measured: login session, user, conversation id, its scope, messages


def _send(http, body: str = "Can I swap squats for lunges?", key: str | None = None):
    page = http.get("/app/messages").get_data(as_text=True)
    data = {"csrf_token": csrf(http), "idempotency_key": key or form_value(page, "idempotency_key"), "body": body}
    return http.post("/app/messages", data=data)


def _trainer_says(trainer, client_record, body: str) -> Message:
    conversation, _ = messaging.start_conversation(trainer, client_record.id)
    return messaging.send_message(trainer, conversation.id, body)


def test_an_empty_thread_invites_a_first_message(app_http, client_record, trainer):
    html = app_http.get("/app/messages").get_data(as_text=True)
    assert "No messages yet" in html and f"with {trainer.name}" in html
    assert db.session.query(Conversation).count() == 0


def test_a_sent_message_is_stored_and_shown(app_http, client_record):
    response = _send(app_http, "Can I swap squats for lunges?")
    assert response.status_code == 303 and response.headers["Location"].endswith("#latest")
    message = db.session.query(Message).one()
    assert message.body == "Can I swap squats for lunges?" and message.sender_role.value == "client"
    assert "Can I swap squats for lunges?" in app_http.get("/app/messages").get_data(as_text=True)


def test_sending_twice_with_the_same_key_stores_one_message(app_http, client_record):
    page = app_http.get("/app/messages").get_data(as_text=True)
    key = form_value(page, "idempotency_key")
    assert _send(app_http, "Hello", key=key).status_code == 303
    assert _send(app_http, "Hello", key=key).status_code == 303
    assert db.session.query(Message).count() == 1


def test_a_blank_message_is_refused_beside_the_box(app_http, client_record):
    response = _send(app_http, "   ")
    assert 'id="body-error">This field is required.' in assert_page_error(response, 422, "body")
    assert db.session.query(Message).count() == 0


def test_a_too_long_message_is_refused_beside_the_box(app_http, client_record):
    response = _send(app_http, "x" * (messaging.MAX_BODY_LENGTH + 1))
    assert 'id="body-error">At most 4000 characters.' in assert_page_error(response, 422, "body")


def test_a_message_without_the_csrf_value_is_refused(app_http, client_record):
    response = app_http.post("/app/messages", data={"body": "Hi", "idempotency_key": "k-1234567890"})
    assert_page_error(response, 403, text="reload the page")
    assert db.session.query(Message).count() == 0


def test_the_trainers_reply_shows_with_the_unread_badge_until_the_thread_is_read(
    app_http, client_record, client_login, trainer
):
    _trainer_says(trainer, client_record, "Yes, lunges are fine.")
    plan = app_http.get("/app/plan").get_data(as_text=True)
    assert "data-unread-badge" in plan and "1<span" in plan
    thread = app_http.get("/app/messages").get_data(as_text=True)
    assert "Yes, lunges are fine." in thread and "data-unread-badge" not in thread
    assert messaging.unread_total(db.session.get(User, client_login.id)) == 0
    assert "data-unread-badge" not in app_http.get("/app/plan").get_data(as_text=True)


def test_polling_with_nothing_new_is_an_empty_204(app_http, client_record, trainer):
    message = _trainer_says(trainer, client_record, "Morning!")
    response = app_http.get(f"/app/messages/new?after={message.id}", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.get_data() == b""


def test_polling_returns_what_came_since_and_the_next_cursor(app_http, client_record, trainer):
    first = _trainer_says(trainer, client_record, "Morning!")
    second = _trainer_says(trainer, client_record, "How did the squats go?")
    html = app_http.get(f"/app/messages/new?after={first.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "How did the squats go?" in html and "Morning!" not in html
    assert f"after={second.id}" in html and 'hx-swap-oob="beforeend:#thread"' in html
    # The client had the thread open: the new message counts as read.
    db.session.expire_all()
    assert db.session.get(Conversation, second.conversation_id).client_last_read_id == second.id


def test_polling_without_a_cursor_is_a_400(app_http, client_record):
    response = app_http.get("/app/messages/new")
    # status-only: the htmx poll answers an empty 400, neither a page nor the envelope.
    assert response.status_code == 400 and response.get_data() == b""


def test_another_clients_thread_is_never_shown(app_http, client_record, trainer):
    other = ClientFactory(trainer=trainer, with_login=True)
    _trainer_says(trainer, other, "Private to the other client")
    assert "Private to the other client" not in app_http.get("/app/messages").get_data(as_text=True)
    assert app_http.get("/app/messages/new?after=0").status_code == 204


def test_a_trainer_opening_messages_is_sent_to_the_dashboard(http, trainer):
    login(http, trainer.email)
    response = http.get("/app/messages")
    assert response.status_code == 302 and response.headers["Location"].startswith("/dashboard")


def test_an_idle_poll_costs_a_few_small_queries(app_http, client_record, trainer):
    message = _trainer_says(trainer, client_record, "Morning!")
    with count_statements() as counter:
        response = app_http.get(f"/app/messages/new?after={message.id}", headers={"HX-Request": "true"})
    assert response.status_code == 204
    # The login check, the conversation's id and the (empty) page of messages after the cursor.
    assert counter.count <= IDLE_POLL_STATEMENTS, counter.statements


def test_the_first_message_to_arrive_removes_the_empty_thread_note(app_http, client_record, trainer):
    assert 'id="thread-empty"' in app_http.get("/app/messages").get_data(as_text=True)
    _trainer_says(trainer, client_record, "Hello!")
    html = app_http.get("/app/messages/new?after=0", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Hello!" in html and '<p id="thread-empty" hx-swap-oob="delete">' in html

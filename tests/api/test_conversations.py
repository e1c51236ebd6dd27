"""Conversations: one per trainer–client pair, the list with last message and unread count, access."""

import pytest

from fitbud.extensions import db
from fitbud.models import Conversation
from tests.factories import ClientFactory, ClientUserFactory, ConversationFactory, MessageFactory
from tests.helpers import assert_error, bearer, count_statements
from tests.scheduling_helpers import NOW, login_of

CONVERSATIONS = "/api/v1/conversations"


def test_trainer_starts_a_conversation_and_gets_the_same_one_again(http, trainer, client_record, trainer_headers):
    created = http.post(CONVERSATIONS, json={"client_id": client_record.id}, headers=trainer_headers)
    assert created.status_code == 201
    assert created.json["client"] == {"id": client_record.id, "name": client_record.name}
    assert created.json["trainer"] == {"id": trainer.id, "name": trainer.name}
    assert created.json["last_message"] is None and created.json["unread_count"] == 0
    again = http.post(CONVERSATIONS, json={"client_id": client_record.id}, headers=trainer_headers)
    assert again.status_code == 200 and again.json["id"] == created.json["id"]
    assert db.session.query(Conversation).count() == 1


def test_client_reaches_their_trainer_without_naming_anyone(http, trainer, client_record, client_headers,
                                                            trainer_headers):
    created = http.post(CONVERSATIONS, json={}, headers=client_headers)
    assert created.status_code == 201 and created.json["trainer"]["id"] == trainer.id
    from_trainer = http.post(CONVERSATIONS, json={"client_id": client_record.id}, headers=trainer_headers)
    assert from_trainer.status_code == 200 and from_trainer.json["id"] == created.json["id"]


@pytest.mark.parametrize(
    ("headers_fixture", "body", "field"),
    [
        ("trainer_headers", {}, "client_id"),
        ("trainer_headers", {"client_id": "seven"}, "client_id"),
        ("trainer_headers", {"client_id": 1, "topic": "x"}, "topic"),
        ("client_headers", {"client_id": 1}, "client_id"),
    ],
)
def test_bad_start_requests_are_422(http, request, client_record, headers_fixture, body, field):
    headers = request.getfixturevalue(headers_fixture)
    assert_error(http.post(CONVERSATIONS, json=body, headers=headers), 422, field)


def test_another_trainers_client_is_404(http, other_trainer, trainer_headers):
    stranger = ClientFactory(trainer=other_trainer, with_login=True)
    assert_error(http.post(CONVERSATIONS, json={"client_id": stranger.id}, headers=trainer_headers), 404, "client_id")


def test_a_client_without_a_trainer_is_404(http):
    assert_error(
        http.post(CONVERSATIONS, json={}, headers=bearer(ClientUserFactory())),
        404,
        message="You are not coached by a trainer on Fitbud",
    )


def test_no_new_conversation_with_an_archived_client(http, client_record, trainer_headers):
    client_record.archived_at = NOW
    db.session.commit()
    assert_error(
        http.post(CONVERSATIONS, json={"client_id": client_record.id}, headers=trainer_headers), 409, "client_id"
    )


def test_conversations_need_a_trainer_or_client(http, admin_headers):
    assert_error(http.get(CONVERSATIONS), 401, message="Authentication required")
    assert_error(http.get(CONVERSATIONS, headers=admin_headers), 403, "role")
    assert_error(http.post(CONVERSATIONS, json={}, headers=admin_headers), 403, "role")


def test_list_shows_last_message_and_unread_count_most_recent_first(http, trainer, trainer_headers):
    quiet = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    busy = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    MessageFactory(conversation=quiet, body="Hi")
    MessageFactory(conversation=busy, body="First")
    MessageFactory(conversation=busy, body="Second")
    MessageFactory(conversation=busy, body="My reply", from_trainer=True)
    MessageFactory(conversation=busy, body="Thanks!")
    listed = http.get(CONVERSATIONS, headers=trainer_headers).json
    assert [row["id"] for row in listed] == [busy.id, quiet.id]
    assert listed[0]["last_message"]["body"] == "Thanks!"
    # Everything from the client counts until the trainer reads it; the trainer's own never does.
    assert [row["unread_count"] for row in listed] == [3, 1]


def test_client_lists_only_their_own_conversation(http, trainer, client_record, client_headers):
    mine = ConversationFactory(client=client_record)
    ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    MessageFactory(conversation=mine, from_trainer=True)
    listed = http.get(CONVERSATIONS, headers=client_headers).json
    assert [(row["id"], row["unread_count"]) for row in listed] == [(mine.id, 1)]


def test_list_statement_count_is_the_same_at_5_and_50_conversations(http, trainer):
    headers = bearer(trainer)
    counts = []
    made = 0
    for target in (5, 50):
        while made < target:
            conversation = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
            MessageFactory(conversation=conversation)
            made += 1
        with count_statements() as counter:
            response = http.get(CONVERSATIONS, query_string={"page_size": 100}, headers=headers)
        assert len(response.json) == target
        assert all(row["last_message"] and row["unread_count"] == 1 for row in response.json)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 4


def test_only_participants_can_open_a_conversation(http, trainer, client_record, client_headers, trainer_headers,
                                                   other_trainer_headers):
    conversation = ConversationFactory(client=client_record)
    outsider = bearer(login_of(ClientFactory(trainer=trainer, with_login=True)))
    url = f"{CONVERSATIONS}/{conversation.id}"
    assert http.get(url, headers=trainer_headers).status_code == 200
    assert http.get(url, headers=client_headers).status_code == 200
    assert_error(http.get(url, headers=other_trainer_headers), 404, message="No such conversation")
    assert_error(http.get(url, headers=outsider), 404, message="No such conversation")
    assert_error(http.get(f"{CONVERSATIONS}/999999", headers=trainer_headers), 404, message="No such conversation")

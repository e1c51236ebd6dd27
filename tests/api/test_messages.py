"""Messages: sending, idempotent retries, newest-first cursor paging, read markers, feed events, isolation."""

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, Message
from tests.factories import ClientFactory, ConversationFactory, MessageFactory
from tests.helpers import assert_error, bearer
from tests.scheduling_helpers import login_of

CONVERSATIONS = "/api/v1/conversations"


@pytest.fixture
def conversation(client_record):
    """The conversation of `client_record` and `trainer`."""
    return ConversationFactory(client=client_record)


def _messages_url(conversation_id):
    return f"{CONVERSATIONS}/{conversation_id}/messages"


def _send(http, headers, conversation_id, body, **extra_headers):
    return http.post(_messages_url(conversation_id), json={"body": body}, headers={**headers, **extra_headers})


def _page(http, headers, conversation_id, **query):
    response = http.get(_messages_url(conversation_id), query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return [row["id"] for row in response.json["items"]], response.json["has_more"]


# Sending ---------------------------------------------------------------------------------


def test_client_sends_a_message_and_the_trainer_sees_it_unread(http, conversation, client_headers, client_user,
                                                               trainer_headers):
    sent = _send(http, client_headers, conversation.id, "  Can we move Friday?  ")
    assert sent.status_code == 201
    assert sent.json["body"] == "Can we move Friday?"
    assert sent.json["sender_id"] == client_user.id and sent.json["sender_role"] == "client"
    seen = http.get(f"{CONVERSATIONS}/{conversation.id}", headers=trainer_headers).json
    assert seen["last_message"]["id"] == sent.json["id"] and seen["unread_count"] == 1
    mine = http.get(f"{CONVERSATIONS}/{conversation.id}", headers=client_headers).json
    assert mine["unread_count"] == 0 and mine["last_read_message_id"] == sent.json["id"]


def test_a_client_message_lands_in_the_trainers_feed(http, trainer, conversation, client_record, client_headers,
                                                     trainer_headers):
    sent = _send(http, client_headers, conversation.id, "Feeling great after yesterday")
    _send(http, trainer_headers, conversation.id, "Good to hear")
    events = db.session.execute(select(ActivityEvent).where(ActivityEvent.trainer_id == trainer.id)).scalars().all()
    assert [(e.type, e.client_id, e.payload["message_id"]) for e in events] == [
        (ActivityType.MESSAGE_RECEIVED, client_record.id, sent.json["id"])
    ]
    assert events[0].summary == f"{client_record.name}: Feeling great after yesterday"


def test_a_body_of_exactly_4000_characters_is_fine(http, conversation, trainer_headers):
    assert _send(http, trainer_headers, conversation.id, "x" * 4000).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [({"body": ""}, "body"), ({"body": "   \n\t "}, "body"), ({"body": "x" * 4001}, "body"), ({"body": 42}, "body"),
     ({}, "body"), ({"body": "hi", "urgent": True}, "urgent")],
)
def test_bad_message_bodies_are_422(http, conversation, trainer_headers, body, field):
    response = http.post(_messages_url(conversation.id), json=body, headers=trainer_headers)
    assert_error(response, 422, field)
    assert db.session.query(Message).count() == 0


def test_only_participants_can_send(http, trainer, conversation, other_trainer_headers, admin_headers):
    outsider = bearer(login_of(ClientFactory(trainer=trainer, with_login=True)))
    assert_error(_send(http, other_trainer_headers, conversation.id, "hello"), 404, message="No such conversation")
    assert_error(_send(http, outsider, conversation.id, "hello"), 404, message="No such conversation")
    assert_error(_send(http, admin_headers, conversation.id, "hello"), 403, "role")
    assert_error(
        http.post(_messages_url(conversation.id), json={"body": "hello"}), 401, message="Authentication required"
    )
    assert db.session.query(Message).count() == 0


def test_an_archived_clients_conversation_is_read_only(http, conversation, client_record, trainer_headers):
    from fitbud.models import utcnow

    client_record.archived_at = utcnow()
    db.session.commit()
    assert_error(_send(http, trainer_headers, conversation.id, "hello"), 409, "conversation_id")


def test_a_retried_send_with_the_same_key_stores_nothing_new(http, conversation, client_headers):
    first = _send(http, client_headers, conversation.id, "Running late", **{"Idempotency-Key": "msg-1"})
    retry = _send(http, client_headers, conversation.id, "Running late", **{"Idempotency-Key": "msg-1"})
    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert db.session.query(Message).count() == 1
    reused = _send(http, client_headers, conversation.id, "Something else", **{"Idempotency-Key": "msg-1"})
    assert_error(reused, 409, "Idempotency-Key")


def test_different_keys_send_twice(http, conversation, client_headers):
    _send(http, client_headers, conversation.id, "Same words", **{"Idempotency-Key": "a"})
    _send(http, client_headers, conversation.id, "Same words", **{"Idempotency-Key": "b"})
    assert db.session.query(Message).count() == 2


# Reading and paging ----------------------------------------------------------------------


@pytest.fixture
def seven(conversation):
    """Seven messages alternating sides; returns their ids oldest first."""
    return [MessageFactory(conversation=conversation, from_trainer=bool(n % 2)).id for n in range(7)]


def test_messages_come_newest_first(http, conversation, seven, trainer_headers):
    ids, has_more = _page(http, trainer_headers, conversation.id)
    assert ids == list(reversed(seven)) and has_more is False


def test_paging_back_with_before(http, conversation, seven, trainer_headers):
    first, more = _page(http, trainer_headers, conversation.id, limit=3)
    second, more_2 = _page(http, trainer_headers, conversation.id, limit=3, before=first[-1])
    third, more_3 = _page(http, trainer_headers, conversation.id, limit=3, before=second[-1])
    assert first + second + third == list(reversed(seven))
    assert (more, more_2, more_3) == (True, True, False)


def test_a_message_arriving_between_pages_does_not_shift_them(http, conversation, seven, trainer_headers,
                                                              client_headers):
    first, _ = _page(http, trainer_headers, conversation.id, limit=3)
    newcomer = _send(http, client_headers, conversation.id, "Arrived mid-scroll").json["id"]
    second, _ = _page(http, trainer_headers, conversation.id, limit=3, before=first[-1])
    assert second == list(reversed(seven))[3:6]
    since, more = _page(http, trainer_headers, conversation.id, after=first[0])
    assert since == [newcomer] and more is False


def test_paging_forward_with_after_returns_the_oldest_newer_ones_first_in_line(http, conversation, seven,
                                                                               trainer_headers):
    ids, more = _page(http, trainer_headers, conversation.id, after=seven[0], limit=3)
    assert ids == [seven[3], seven[2], seven[1]] and more is True


def test_a_window_between_before_and_after(http, conversation, seven, trainer_headers):
    ids, _ = _page(http, trainer_headers, conversation.id, after=seven[1], before=seven[5])
    assert ids == [seven[4], seven[3], seven[2]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"before": "abc"}, "before"),
        ({"before": 5, "after": 4}, "before"),
        ({"after": -1}, "after"),
    ],
)
def test_bad_paging_queries_are_422(http, conversation, trainer_headers, query, field):
    response = http.get(_messages_url(conversation.id), query_string=query, headers=trainer_headers)
    assert_error(response, 422, field)


def test_pairs_are_isolated(http, trainer, conversation, seven, trainer_headers):
    other_client = ClientFactory(trainer=trainer, with_login=True)
    other = ConversationFactory(client=other_client)
    theirs = MessageFactory(conversation=other).id
    other_headers = bearer(login_of(other_client))
    ids, _ = _page(http, trainer_headers, conversation.id, limit=100)
    assert theirs not in ids
    assert _page(http, other_headers, other.id)[0] == [theirs]
    assert_error(http.get(_messages_url(conversation.id), headers=other_headers), 404, message="No such conversation")
    # A cursor taken from another conversation reveals nothing of it.
    assert _page(http, trainer_headers, conversation.id, after=seven[-1])[0] == []


def test_strangers_cannot_read_messages(http, conversation, other_trainer_headers):
    assert_error(
        http.get(_messages_url(conversation.id), headers=other_trainer_headers), 404, message="No such conversation"
    )
    assert_error(http.get(_messages_url(conversation.id)), 401, message="Authentication required")


# Read markers ----------------------------------------------------------------------------


def _read(http, headers, conversation_id, up_to):
    return http.post(f"{CONVERSATIONS}/{conversation_id}/read", json={"up_to_message_id": up_to}, headers=headers)


def test_reading_up_to_a_message_clears_unread_and_never_goes_back(http, conversation, trainer_headers,
                                                                   client_headers):
    first = MessageFactory(conversation=conversation).id
    second = MessageFactory(conversation=conversation).id
    partly = _read(http, trainer_headers, conversation.id, first)
    assert partly.status_code == 200 and partly.json["unread_count"] == 1
    fully = _read(http, trainer_headers, conversation.id, second)
    assert fully.json["unread_count"] == 0 and fully.json["last_read_message_id"] == second
    backwards = _read(http, trainer_headers, conversation.id, first)
    assert backwards.json["last_read_message_id"] == second
    # The client can see how far the trainer has read.
    seen = http.get(f"{CONVERSATIONS}/{conversation.id}", headers=client_headers).json
    assert seen["other_last_read_message_id"] == second


def test_reading_a_message_of_another_conversation_is_422(http, trainer, conversation, trainer_headers):
    other = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    foreign = MessageFactory(conversation=other).id
    assert_error(_read(http, trainer_headers, conversation.id, foreign), 422, "up_to_message_id")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "up_to_message_id"),
        ({"up_to_message_id": "last"}, "up_to_message_id"),
        ({"up_to_message_id": 0}, "up_to_message_id"),
        ({"up_to_message_id": 1, "all": True}, "all"),
    ],
)
def test_bad_read_markers_are_422(http, conversation, trainer_headers, body, field):
    response = http.post(f"{CONVERSATIONS}/{conversation.id}/read", json=body, headers=trainer_headers)
    assert_error(response, 422, field)


def test_strangers_cannot_mark_read(http, conversation, other_trainer_headers):
    message = MessageFactory(conversation=conversation).id
    assert_error(_read(http, other_trainer_headers, conversation.id, message), 404, message="No such conversation")
    assert_error(
        http.post(f"{CONVERSATIONS}/{conversation.id}/read", json={"up_to_message_id": message}),
        401,
        message="Authentication required",
    )


def test_a_message_says_which_side_sent_it_and_which_client_profile_it_is_about(
    http, client_headers, trainer_headers, client_record, client_user, trainer
):
    conversation = http.post("/api/v1/conversations", json={}, headers=client_headers).json
    sent = http.post(
        f"/api/v1/conversations/{conversation['id']}/messages", json={"body": "Hi"}, headers=client_headers
    ).json
    reply = http.post(
        f"/api/v1/conversations/{conversation['id']}/messages", json={"body": "Hello"}, headers=trainer_headers
    ).json

    assert (sent["sender_role"], sent["sender_id"], sent["client_id"]) == ("client", client_user.id, client_record.id)
    assert (reply["sender_role"], reply["sender_id"], reply["client_id"]) == ("trainer", trainer.id, client_record.id)
    listed = http.get(f"/api/v1/conversations/{conversation['id']}/messages", headers=trainer_headers).json
    assert {message["client_id"] for message in listed["items"]} == {client_record.id}

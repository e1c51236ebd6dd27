"""Trainer–client conversations: one per pair, messages paged by id, read markers, unread counts.

Only the two participants can see a conversation; for anyone else it does not exist (404).
Sending locks the conversation row before inserting, so within a conversation message ids
are committed in order and an id cursor never skips a message that commits late.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, with_expression

from fitbud.auth.roles import Role
from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import ActivityType, Client, Conversation, Message, User, utcnow
from fitbud.services.activity import record_activity
from fitbud.services.client_scope import own_client, own_client_ids, trainer_client
from fitbud.services.scheduling import require_active

MAX_BODY_LENGTH = 4000
DEFAULT_PAGE = 50
MAX_PAGE = 100


@dataclass(frozen=True)
class MessagePage:
    """Messages newest first; `has_more` says whether more exist in the direction paged."""

    items: list[Message]
    has_more: bool


def _my_read_column(user: User):
    return Conversation.trainer_last_read_id if user.role == Role.TRAINER else Conversation.client_last_read_id


def _their_read_column(user: User):
    return Conversation.client_last_read_id if user.role == Role.TRAINER else Conversation.trainer_last_read_id


def _scoped(user: User, statement: Select) -> Select:
    if user.role == Role.TRAINER:
        return statement.where(Conversation.trainer_id == user.id)
    if user.role == Role.CLIENT:
        return statement.where(Conversation.client_id.in_(own_client_ids(user)))
    return statement.where(false())


def _unread_count(user: User):
    other_role = Role.CLIENT if user.role == Role.TRAINER else Role.TRAINER
    return (
        select(func.count(Message.id))
        .where(
            Message.conversation_id == Conversation.id,
            Message.id > _my_read_column(user),
            Message.sender_role == other_role,
        )
        .correlate(Conversation)
        .scalar_subquery()
    )


def _with_summary(user: User, statement: Select) -> Select:
    return statement.options(
        joinedload(Conversation.client),
        joinedload(Conversation.trainer),
        joinedload(Conversation.last_message),
        with_expression(Conversation.unread_count, _unread_count(user)),
        with_expression(Conversation.my_last_read_id, _my_read_column(user)),
        with_expression(Conversation.their_last_read_id, _their_read_column(user)),
    )


def list_conversations(user: User) -> Select:
    """The caller's conversations, most recently active first, each with its last message and
    the caller's unread count (one query per page)."""
    return _scoped(user, _with_summary(user, select(Conversation))).order_by(
        Conversation.last_activity_at.desc(), Conversation.id.desc()
    )


def recent_conversations(user: User) -> list[Conversation]:
    """The caller's conversations as rows, most recently active first (the list_conversations order)."""
    return list(db.session.execute(list_conversations(user)).unique().scalars())


def get_conversation(user: User, conversation_id: int) -> Conversation:
    """One of the caller's conversations, or 404."""
    conversation = db.session.execute(
        _scoped(user, _with_summary(user, select(Conversation)))
        .where(Conversation.id == conversation_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if conversation is None:
        raise NotFoundError("No such conversation.")
    return conversation


def conversation_with_client(trainer: User, client_id: int) -> Conversation | None:
    """The trainer's conversation with one of their clients, without creating it; None if none yet.

    Scoped to the caller like every read here: another trainer's client has no conversation.
    """
    return db.session.execute(
        _scoped(trainer, _with_summary(trainer, select(Conversation)))
        .where(Conversation.client_id == client_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def own_conversation(user: User) -> Conversation | None:
    """A client's conversation with their trainer (with the unread summary), or None before the first message."""
    statement = list_conversations(user).limit(1).execution_options(populate_existing=True)
    return db.session.execute(statement).scalar_one_or_none()


def own_conversation_id(user: User) -> int | None:
    """The id of a client's conversation with their trainer, or None (one cheap query, for polling)."""
    statement = _scoped(user, select(Conversation.id)).order_by(Conversation.last_activity_at.desc()).limit(1)
    return db.session.execute(statement).scalar_one_or_none()


def start_conversation(user: User, client_id: int | None) -> tuple[Conversation, bool]:
    """The conversation of a trainer and a client, created if missing; (conversation, created).

    A trainer names the client; a client always talks to their own trainer.
    """
    if user.role == Role.TRAINER:
        if client_id is None:
            raise InvalidInputError("Name the client.", errors={"client_id": ["Missing data for required field."]})
        client = trainer_client(user, client_id, field="client_id")
    else:
        if client_id is not None:
            raise InvalidInputError(
                "Clients talk to their own trainer; leave client_id out.",
                errors={"client_id": ["only trainers choose a client"]},
            )
        client = own_client(user)
    existing = _pair(client)
    if existing is not None:
        return get_conversation(user, existing), False
    require_active(client)
    conversation = Conversation(trainer_id=client.trainer_id, client_id=client.id, last_activity_at=utcnow())
    db.session.add(conversation)
    try:
        db.session.commit()
    except IntegrityError:
        # Both sides started it at once: the other request won, use its conversation.
        db.session.rollback()
        existing = _pair(client)
        if existing is None:
            raise
        return get_conversation(user, existing), False
    return get_conversation(user, conversation.id), True


def _pair(client: Client) -> int | None:
    return db.session.execute(
        select(Conversation.id).where(Conversation.trainer_id == client.trainer_id, Conversation.client_id == client.id)
    ).scalar_one_or_none()


def _visible_id(user: User, conversation_id: int) -> int:
    found = db.session.execute(
        _scoped(user, select(Conversation.id)).where(Conversation.id == conversation_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFoundError("No such conversation.")
    return found


def list_messages(
    user: User,
    conversation_id: int,
    before: int | None = None,
    after: int | None = None,
    limit: int = DEFAULT_PAGE,
) -> MessagePage:
    """A page of messages, newest first, by id cursor.

    `before` pages back in history (has_more: older ones exist); `after` alone fetches what
    came since, oldest of those first in the page (has_more: even newer ones exist). Ids are
    stable, so a message arriving between two fetches never shifts or repeats a page.
    """
    _visible_id(user, conversation_id)
    limit = max(1, min(limit, MAX_PAGE))
    statement = select(Message).where(Message.conversation_id == conversation_id)
    if before is not None:
        statement = statement.where(Message.id < before)
    if after is not None:
        statement = statement.where(Message.id > after)
    forward = after is not None and before is None
    statement = statement.order_by(Message.id.asc() if forward else Message.id.desc()).limit(limit + 1)
    rows = list(db.session.execute(statement).scalars())
    has_more = len(rows) > limit
    rows = rows[:limit]
    if forward:
        rows.reverse()
    return MessagePage(items=rows, has_more=has_more)


def _lock(user: User, conversation_id: int) -> Conversation:
    conversation = db.session.execute(
        _scoped(user, select(Conversation))
        .options(joinedload(Conversation.client, innerjoin=True))
        .where(Conversation.id == conversation_id)
        .with_for_update(of=Conversation)
    ).scalar_one_or_none()
    if conversation is None:
        raise NotFoundError("No such conversation.")
    return conversation


def send_message(user: User, conversation_id: int, body: str) -> Message:
    """Post a message; a client's message also lands in the trainer's activity feed."""
    text = (body or "").strip()
    if not text:
        raise InvalidInputError("Write something first.", errors={"body": ["must not be blank"]})
    if len(text) > MAX_BODY_LENGTH:
        raise InvalidInputError(
            f"Messages are at most {MAX_BODY_LENGTH} characters.",
            errors={"body": [f"at most {MAX_BODY_LENGTH} characters"]},
        )
    conversation = _lock(user, conversation_id)
    if conversation.client.archived_at is not None or not conversation.client.is_active:
        raise ConflictError(
            "This client is archived; the conversation is read-only.",
            errors={"conversation_id": ["conversation is read-only"]},
        )
    now = utcnow()
    message = Message(
        conversation_id=conversation.id, sender_id=user.id, sender_role=user.role, body=text, created_at=now
    )
    db.session.add(message)
    db.session.flush()
    conversation.last_message_id = message.id
    conversation.last_activity_at = now
    if user.role == Role.TRAINER:
        conversation.trainer_last_read_id = message.id
    else:
        conversation.client_last_read_id = message.id
        client = conversation.client
        preview = text if len(text) <= 120 else text[:117] + "..."
        record_activity(
            client,
            ActivityType.MESSAGE_RECEIVED,
            f"{client.name}: {preview}",
            {"conversation_id": conversation.id, "message_id": message.id},
        )
    db.session.commit()
    return message


def mark_read(user: User, conversation_id: int, up_to_message_id: int) -> Conversation:
    """Mark the conversation read up to a message of it; the marker never moves backwards."""
    conversation = _lock(user, conversation_id)
    belongs = db.session.execute(
        select(Message.id).where(Message.id == up_to_message_id, Message.conversation_id == conversation.id)
    ).scalar_one_or_none()
    if belongs is None:
        raise InvalidInputError(
            "That message is not part of this conversation.",
            errors={"up_to_message_id": ["not a message of this conversation"]},
        )
    if user.role == Role.TRAINER:
        conversation.trainer_last_read_id = max(conversation.trainer_last_read_id, up_to_message_id)
    else:
        conversation.client_last_read_id = max(conversation.client_last_read_id, up_to_message_id)
    db.session.commit()
    return get_conversation(user, conversation_id)


def unread_total(user: User) -> int:
    """How many messages from the other side the caller has not read, across their conversations."""
    statement = _scoped(user, select(func.coalesce(func.sum(_unread_count(user)), 0)).select_from(Conversation))
    return int(db.session.execute(statement).scalar_one())


def mark_all_read(user: User, conversation_id: int) -> Conversation:
    """Mark one of the caller's conversations read up to its last message (a no-op when it has none)."""
    conversation = get_conversation(user, conversation_id)
    if conversation.last_message_id is None:
        return conversation
    return mark_read(user, conversation_id, conversation.last_message_id)

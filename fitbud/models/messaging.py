"""Trainer–client conversations and their messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, column_property, foreign, mapped_column, query_expression, relationship

from fitbud.auth.roles import Role
from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from fitbud.models.client import Client
from fitbud.models.user import User, enum_column


class Message(Base):
    """One message; ids only grow within a conversation, so they are the paging cursor."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    sender_role: Mapped[Role] = mapped_column(enum_column(Role, 16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Conversation(TimestampMixin, Base):
    """The one conversation between a trainer and one of their clients.

    Read markers are the highest message id each side has read; unread counts are the
    other side's messages above it.
    """

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("trainer_id", "client_id", name="uq_conversations_trainer_id_client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # No foreign key: messages point at conversations, and a cycle would complicate migrations.
    last_message_id: Mapped[int | None] = mapped_column(Integer)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    trainer_last_read_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    client_last_read_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id], lazy="raise")
    client: Mapped[Client] = relationship(lazy="raise")
    last_message: Mapped[Message | None] = relationship(
        primaryjoin=lambda: foreign(Conversation.last_message_id) == Message.id,
        viewonly=True,
        lazy="raise",
    )
    # Filled per caller by the listing queries (with_expression); None when not loaded.
    unread_count: Mapped[int | None] = query_expression()
    my_last_read_id: Mapped[int | None] = query_expression()
    their_last_read_id: Mapped[int | None] = query_expression()


# The client profile a message's conversation is with, so an app never has to tell a user id
# (sender_id) from a client id by itself. Declared here: it reads conversations, defined above.
Message.client_id = column_property(  # type: ignore[attr-defined]
    select(Conversation.client_id)
    .where(Conversation.id == Message.conversation_id)
    .correlate_except(Conversation)  # its own conversations, also when loaded beside a conversation
    .scalar_subquery()
)

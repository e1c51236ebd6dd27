"""Factories for conversations and messages."""

from __future__ import annotations

import factory
from sqlalchemy import select

from fitbud.auth.roles import Role
from fitbud.models import Client, Conversation, Message, utcnow
from tests.factories.accounts import ClientFactory
from tests.factories.base import BaseFactory


def _client_login(stub) -> int | None:
    # Read by id: relationships are lazy="raise" and expire on every commit.
    from fitbud.extensions import db

    return db.session.execute(select(Client.user_id).where(Client.id == stub.conversation.client_id)).scalar_one()


class ConversationFactory(BaseFactory):
    """The conversation of a client (with a login) and their trainer."""

    class Meta:
        model = Conversation

    client = factory.SubFactory(ClientFactory, with_login=True)
    trainer_id = factory.LazyAttribute(lambda o: o.client.trainer_id)
    last_activity_at = factory.LazyFunction(utcnow)


class MessageFactory(BaseFactory):
    """A message from the client (pass from_trainer=True for the trainer's side).

    Like the service, it moves the conversation's last message forward.
    """

    class Meta:
        model = Message
        exclude = ("conversation", "from_trainer")

    conversation = factory.SubFactory(ConversationFactory)
    conversation_id = factory.SelfAttribute("conversation.id")
    from_trainer = False
    sender_role = factory.LazyAttribute(lambda o: Role.TRAINER if o.from_trainer else Role.CLIENT)
    sender_id = factory.LazyAttribute(lambda o: o.conversation.trainer_id if o.from_trainer else _client_login(o))
    body = factory.Sequence(lambda n: f"Message {n}")
    created_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def _advance_conversation(message, create, _extracted, **_kwargs):
        if not create:
            return
        from fitbud.extensions import db

        conversation = db.session.get(Conversation, message.conversation_id)
        conversation.last_message_id = message.id
        conversation.last_activity_at = message.created_at
        db.session.commit()

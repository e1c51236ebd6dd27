"""Request and response shapes of conversations and messages."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import ValidationError, fields, validate, validates_schema

from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.auth.roles import Role
from fitbud.services.messaging import DEFAULT_PAGE, MAX_BODY_LENGTH, MAX_PAGE


class MessageSchema(ma.Schema):
    """One message."""

    id = fields.Integer()
    conversation_id = fields.Integer()
    sender_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The sender's user id (an account, as in /users/me); null once that account is gone."},
    )
    sender_role = fields.Enum(
        Role,
        by_value=True,
        metadata={"description": "Who wrote it: `trainer` or `client` (the conversation's two sides)."},
    )
    client_id = fields.Integer(
        metadata={
            "description": "The client profile id of the conversation's client (as in /clients/{client_id}), "
            "whoever sent the message; not a user id."
        }
    )
    body = fields.String()
    created_at = Timestamp()


class ParticipantSchema(ma.Schema):
    """One side of a conversation."""

    id = fields.Integer()
    name = fields.String()


class ConversationSchema(ma.Schema):
    """A conversation as the caller sees it: last message, unread count, read markers."""

    id = fields.Integer()
    trainer = fields.Nested(ParticipantSchema, metadata={"description": "The trainer; `id` is their user id."})
    client = fields.Nested(
        ParticipantSchema,
        metadata={"description": "The client; `id` is their client profile id (as in /clients/{client_id})."},
    )
    last_message = fields.Nested(MessageSchema, allow_none=True)
    last_activity_at = Timestamp()
    unread_count = fields.Integer(metadata={"description": "Messages from the other side you have not read"})
    my_last_read_id = fields.Integer(data_key="last_read_message_id")
    their_last_read_id = fields.Integer(
        data_key="other_last_read_message_id", metadata={"description": "How far the other side has read"}
    )
    created_at = Timestamp()


class ConversationCreateSchema(StrictSchema):
    """Trainers name the client; clients send {} to reach their trainer."""

    client_id = fields.Integer(strict=True)


class MessageCreateSchema(StrictSchema):
    """A message of 1 to 4,000 characters (surrounding whitespace is trimmed)."""

    body = fields.String(required=True)

    @validates_schema
    def _body_has_text(self, data, **_kwargs):
        text = data.get("body", "").strip()
        if not text:
            raise ValidationError("Must not be blank.", "body")
        if len(text) > MAX_BODY_LENGTH:
            raise ValidationError(f"At most {MAX_BODY_LENGTH} characters.", "body")


class MessageQueryArgsSchema(StrictSchema):
    """Cursor paging: `before` an id goes back in history, `after` an id fetches what came since."""

    before = fields.Integer(validate=validate.Range(min=1))
    after = fields.Integer(validate=validate.Range(min=0))
    limit = fields.Integer(validate=validate.Range(1, MAX_PAGE), load_default=DEFAULT_PAGE)

    @validates_schema
    def _window_not_empty(self, data, **_kwargs):
        if "before" in data and "after" in data and data["before"] <= data["after"] + 1:
            raise ValidationError("`before` must be greater than `after` + 1.", "before")


class MessagePageSchema(ma.Schema):
    """Messages newest first; has_more: more exist in the direction you paged."""

    items = fields.List(fields.Nested(MessageSchema))
    has_more = fields.Boolean()


class ReadMarkerSchema(StrictSchema):
    """Everything up to and including this message is read."""

    up_to_message_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))

"""Conversations between a trainer and a client: list, start, read, page messages, send."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.conversations.schemas import (
    ConversationCreateSchema,
    ConversationSchema,
    MessageCreateSchema,
    MessagePageSchema,
    MessageQueryArgsSchema,
    MessageSchema,
    ReadMarkerSchema,
)
from fitbud.api.pagination import paginate
from fitbud.auth.roles import Role
from fitbud.services import messaging

blp = Blueprint("conversations", __name__, url_prefix="/conversations", description="Trainer–client messaging")


@blp.route("")
class ConversationViews(MethodView):
    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.conditional
    @blp.response(200, ConversationSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Your conversations, most recent first, with the last message and your unread count."""
        return paginate(messaging.list_conversations(current_user), pagination_parameters)

    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.idempotent
    @blp.arguments(ConversationCreateSchema)
    @blp.response(201, ConversationSchema)
    @blp.alt_response(200, schema=ConversationSchema, description="It already existed")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Start the conversation with a client (trainers) or your trainer (clients); returns an existing one."""
        conversation, created = messaging.start_conversation(current_user, data.get("client_id"))
        return conversation, 201 if created else 200


@blp.route("/<int:conversation_id>")
class ConversationByIdViews(MethodView):
    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.conditional
    @blp.response(200, ConversationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, conversation_id):
        """One of your conversations."""
        return messaging.get_conversation(current_user, conversation_id)


@blp.route("/<int:conversation_id>/messages")
class MessageViews(MethodView):
    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.conditional
    @blp.arguments(MessageQueryArgsSchema, location="query")
    @blp.response(200, MessagePageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, conversation_id):
        """Messages newest first, paged by message id (`before`, `after`, `limit`)."""
        return messaging.list_messages(
            current_user, conversation_id, args.get("before"), args.get("after"), args["limit"]
        )

    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.idempotent
    @blp.arguments(MessageCreateSchema)
    @blp.response(201, MessageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, conversation_id):
        """Send a message; retrying with the same Idempotency-Key returns the first one."""
        return messaging.send_message(current_user, conversation_id, data["body"])


@blp.route("/<int:conversation_id>/read")
class ReadMarkerViews(MethodView):
    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.idempotent
    @blp.arguments(ReadMarkerSchema)
    @blp.response(200, ConversationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, conversation_id):
        """Mark everything up to a message as read (never moves backwards)."""
        return messaging.mark_read(current_user, conversation_id, data["up_to_message_id"])

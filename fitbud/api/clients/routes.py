"""Trainers manage their clients: roster, profiles, invitations, archiving and purging."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.clients.schemas import (
    ClientCreatedSchema,
    ClientCreateSchema,
    ClientDeleteQueryArgsSchema,
    ClientListItemSchema,
    ClientProfileSchema,
    ClientPurgeSchema,
    ClientQueryArgsSchema,
    ClientUpdateSchema,
    InvitationIssuedSchema,
)
from fitbud.api.pagination import page_rows
from fitbud.auth.roles import Role
from fitbud.ext.smorest import TOO_MANY_REQUESTS
from fitbud.services import clients

blp = Blueprint("clients", __name__, url_prefix="/clients", description="Your clients (trainers)")


@blp.route("")
class ClientViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.cached_per_trainer("clients")
    @blp.arguments(ClientQueryArgsSchema, location="query")
    @blp.response(200, ClientListItemSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your clients: search name or email, filter by status and goal, sort by name, created or activity.

        Archived clients are listed only with `archived=true`.
        """
        statement = clients.list_clients(
            current_user,
            search=args.get("q"),
            is_active=args.get("is_active"),
            goal=args.get("goal"),
            archived=args["archived"],
            sort=args["sort"],
        )
        return page_rows(statement, pagination_parameters)

    # Not @blp.idempotent: a replay store would keep the invitation token in plain text, and a
    # retried create is already safe (the same email for the same trainer is a 409).
    @blp.login_required(Role.TRAINER)
    @blp.arguments(ClientCreateSchema)
    @blp.response(201, ClientCreatedSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self, data):
        """Add a client and email them an invitation link (single use, valid 7 days).

        The link goes only to the client's address (accepting it proves the address is theirs);
        only its hash is stored. 403 `email_unverified` until your own address is confirmed. Each
        invitation email spends from your account's quota (INVITATION_QUOTA): 429 with
        Retry-After beyond it.
        """
        return clients.create_client(current_user, data)


@blp.route("/<int:client_id>")
class ClientByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.cached_per_trainer("client", private=True)
    @blp.response(200, ClientProfileSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id):
        """One of your clients, with private notes, health details, allergies and dietary preferences."""
        return clients.get_client(current_user, client_id)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(ClientUpdateSchema)
    @blp.response(200, ClientProfileSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, client_id):
        """Change a client's profile, notes, health, allergies, preferences or status; `archived: false` restores."""
        return clients.update_client(current_user, client_id, data)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(ClientDeleteQueryArgsSchema, location="query")
    @blp.arguments(ClientPurgeSchema)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, query, body, client_id):
        """Archive a client; with `?purge=true` and their exact name as `confirm_name`, delete all their data.

        Purging removes the client, their login, plans given to them, logs, check-ins and
        sessions, and cannot be undone.
        """
        if query["purge"]:
            clients.purge_client(current_user, client_id, body.get("confirm_name"))
        else:
            clients.archive_client(current_user, client_id)


@blp.route("/<int:client_id>/invitation")
class ClientInvitationViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(201, InvitationIssuedSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self, client_id):
        """Email a new invitation link; the previous one stops working (409 if they have a login).

        403 `email_unverified` until your own address is confirmed. Spends from the same
        invitation quota as adding a client (429 with Retry-After beyond it).
        """
        return clients.resend_invitation(current_user, client_id)

    @blp.login_required(Role.TRAINER)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, client_id):
        """Revoke the open invitation: its link stops working (409 if they already have a login)."""
        clients.revoke_invitation(current_user, client_id)

"""A client's own sessions, online cancellation, their trainer's free slots and slot requests."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.availability.schemas import AvailabilityQueryArgsSchema, AvailabilitySchema
from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.api.sessions.schemas import (
    ClientCancelSchema,
    ClientSessionQueryArgsSchema,
    RequestQueryArgsSchema,
    SessionRequestCreateSchema,
    SessionRequestSchema,
    SessionSchema,
)
from fitbud.auth.roles import Role
from fitbud.services import availability, scheduling

blp = Blueprint("my_sessions", __name__, url_prefix="/me", description="Your sessions (clients)")


@blp.route("/sessions")
class MySessionViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(ClientSessionQueryArgsSchema, location="query")
    @blp.response(200, SessionSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your sessions, by start time (default: the coming year)."""
        statement = scheduling.list_client_sessions(
            current_user, args.get("start"), args.get("end"), args.get("status")
        )
        return paginate(statement, pagination_parameters)


@blp.route("/sessions/<int:session_id>")
class MySessionByIdViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, session_id):
        """One of your sessions."""
        return scheduling.get_client_session(current_user, session_id)


@blp.route("/sessions/<int:session_id>/cancel")
class MySessionCancelViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(ClientCancelSchema)
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, session_id):
        """Cancel one of your sessions, up to the cutoff before it starts (409 with the reason after)."""
        return scheduling.client_cancel(current_user, session_id, data.get("reason"))


@blp.route("/sessions/requests")
class MySessionRequestViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(RequestQueryArgsSchema, location="query")
    @blp.response(200, SessionRequestSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your requests for slots, newest first."""
        return paginate(availability.list_client_requests(current_user, args.get("status")), pagination_parameters)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(SessionRequestCreateSchema)
    @blp.response(201, SessionRequestSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Ask for a session in one of your trainer's free slots (409 when the time is not free)."""
        return availability.request_session(current_user, data)


@blp.route("/availability")
class MyAvailabilityViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(AvailabilityQueryArgsSchema, location="query")
    @blp.response(200, AvailabilitySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Your trainer's free slots, on your clock (at most 31 days)."""
        return availability.client_availability(current_user, args["start"], args["end"], args["length"])

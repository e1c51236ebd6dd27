"""A trainer's sessions: calendar list, booking, weekly series, moves, status, and slot requests."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.api.sessions.schemas import (
    RequestAcceptSchema,
    RequestDeclineSchema,
    RequestQueryArgsSchema,
    SeriesCreateSchema,
    SeriesSchema,
    SessionCreateSchema,
    SessionQueryArgsSchema,
    SessionRequestSchema,
    SessionSchema,
    SessionStatusChangeSchema,
    SessionUpdateSchema,
)
from fitbud.auth.roles import Role
from fitbud.services import availability, scheduling

blp = Blueprint("sessions", __name__, url_prefix="/sessions", description="Training sessions (trainers)")


@blp.route("")
class SessionViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.cached_per_trainer("sessions")
    @blp.arguments(SessionQueryArgsSchema, location="query")
    @blp.response(200, SessionSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your sessions overlapping `from`..`to` (at most 366 days), by start time."""
        statement = scheduling.list_sessions(
            current_user, args["start"], args["end"], args.get("client_id"), args.get("status")
        )
        return paginate(statement, pagination_parameters)

    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(SessionCreateSchema)
    @blp.response(201, SessionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Book a session (409 listing the overlapping sessions unless allow_overlap)."""
        return scheduling.create_session(current_user, data)


@blp.route("/series")
class SeriesViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(SeriesCreateSchema)
    @blp.response(201, SeriesSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Book a weekly series (at most 200 sessions), all or nothing."""
        return scheduling.create_series(current_user, data)


@blp.route("/series/<int:series_id>")
class SeriesByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, SeriesSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, series_id):
        """A series and all its sessions."""
        return scheduling.get_series(current_user, series_id)


@blp.route("/<int:session_id>")
class SessionByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, session_id):
        """One of your sessions."""
        return scheduling.get_session(current_user, session_id)

    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(SessionUpdateSchema)
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, session_id):
        """Move or edit a session, or it and the following ones of its series."""
        return scheduling.update_session(current_user, session_id, data)


@blp.route("/<int:session_id>/status")
class SessionStatusViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(SessionStatusChangeSchema)
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, session_id):
        """scheduled -> completed | cancelled | no_show; anything else is a 409."""
        return scheduling.change_status(
            current_user, session_id, data["status"], data.get("reason"), data["scope"]
        )


@blp.route("/requests")
class SessionRequestViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(RequestQueryArgsSchema, location="query")
    @blp.response(200, SessionRequestSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your clients' requests for slots, soonest first."""
        return paginate(availability.list_requests(current_user, args.get("status")), pagination_parameters)


@blp.route("/requests/<int:request_id>/accept")
class SessionRequestAcceptViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(RequestAcceptSchema)
    @blp.response(200, SessionRequestSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, request_id):
        """Accept a pending request: books the session (overlap-checked); see session_id."""
        return availability.accept_request(current_user, request_id, data)


@blp.route("/requests/<int:request_id>/decline")
class SessionRequestDeclineViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(RequestDeclineSchema)
    @blp.response(200, SessionRequestSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, request_id):
        """Decline a pending request."""
        return availability.decline_request(current_user, request_id, data.get("reason"))

"""Give a client a plan (an immutable snapshot), see their history, end an assignment."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.assignments.schemas import (
    AssignmentCreateSchema,
    AssignmentEndSchema,
    AssignmentListItemSchema,
    AssignmentQueryArgsSchema,
    AssignmentSchema,
)
from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.auth.roles import Role
from fitbud.services import assignments

blp = Blueprint(
    "assignments", __name__, url_prefix="/clients", description="Plans given to your clients (trainers)"
)


@blp.route("/<int:client_id>/assignments")
class AssignmentViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(AssignmentQueryArgsSchema, location="query")
    @blp.response(200, AssignmentListItemSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate()
    def get(self, args, client_id, pagination_parameters):
        """A client's assignment history, newest first."""
        statement = assignments.list_assignments(current_user, client_id, args.get("kind"))
        return paginate(statement, pagination_parameters)

    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(AssignmentCreateSchema)
    @blp.response(201, AssignmentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, client_id):
        """Give the client a snapshot of a template; their current plan of that kind ends the day before.

        A diet holding foods with the client's allergens is a 409 naming them, unless
        acknowledge_allergens is true (recorded on the assignment).
        """
        return assignments.assign_plan(
            current_user,
            client_id,
            data["plan_id"],
            data["start_date"],
            acknowledge_allergens=data["acknowledge_allergens"],
        )


@blp.route("/<int:client_id>/assignments/<int:assignment_id>")
class AssignmentByIdViews(MethodView):
    """An assignment is read-only: PUT and PATCH get 405 (assign a new plan instead)."""

    @blp.login_required(Role.TRAINER)
    @blp.response(200, AssignmentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id, assignment_id):
        """One assignment with its snapshot content."""
        return assignments.get_assignment(current_user, client_id, assignment_id)


@blp.route("/<int:client_id>/assignments/<int:assignment_id>/end")
class AssignmentEndViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(AssignmentEndSchema)
    @blp.response(200, AssignmentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, client_id, assignment_id):
        """End an assignment after `end_date` (default today); ending one not yet started cancels it."""
        return assignments.end_assignment(current_user, client_id, assignment_id, data.get("end_date"))

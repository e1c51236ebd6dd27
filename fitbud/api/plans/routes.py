"""A trainer's plan templates: create, list, edit (versioned), duplicate, delete or archive."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.api.plans.schemas import (
    PlanCreateSchema,
    PlanDuplicateSchema,
    PlanListItemSchema,
    PlanQueryArgsSchema,
    PlanSchema,
    PlanUpdateSchema,
)
from fitbud.auth.roles import Role
from fitbud.services import plans

blp = Blueprint("plans", __name__, url_prefix="/plans", description="Plan templates (trainers)")


@blp.route("")
class PlanViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(PlanQueryArgsSchema, location="query")
    @blp.response(200, PlanListItemSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your templates, most recently edited first; filter by kind and tags, search name or description."""
        statement = plans.list_plans(
            current_user,
            kind=args.get("kind"),
            search=args.get("q"),
            tags=args.get("tag"),
            archived=args["archived"],
            sort=args["sort"],
        )
        return paginate(statement, pagination_parameters)

    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(PlanCreateSchema)
    @blp.response(201, PlanSchema)
    def post(self, data):
        """Create a template; invalid content is a 422 naming the bad field's path."""
        return plans.create_plan(current_user, data)


@blp.route("/<int:plan_id>")
class PlanByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, PlanSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, plan_id):
        """One of your templates, with its content (and totals for a diet)."""
        return plans.get_plan(current_user, plan_id)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(PlanUpdateSchema)
    @blp.response(200, PlanSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, plan_id):
        """Edit a template (bumps its version); clients already given it keep their snapshot."""
        return plans.update_plan(current_user, plan_id, data)

    @blp.login_required(Role.TRAINER)
    @blp.response(204)
    @blp.alt_response(
        200, schema=PlanSchema, description="Archived instead: clients were given this plan", success=True
    )
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, plan_id):
        """Delete a template (204), or archive it when it was assigned to clients (200 with the plan)."""
        archived = plans.delete_plan(current_user, plan_id)
        if archived is not None:
            return PlanSchema().dump(archived), 200
        return None


@blp.route("/<int:plan_id>/duplicate")
class PlanDuplicateViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(PlanDuplicateSchema)
    @blp.response(201, PlanSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, plan_id):
        """Copy a template into a new one at version 1."""
        return plans.duplicate_plan(current_user, plan_id, data.get("name"))

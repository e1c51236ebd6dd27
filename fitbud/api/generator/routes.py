"""Drafting plans from rules (or an AI provider) for the trainer to review, edit and assign."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.generator.schemas import GeneratedPlanSchema, GenerateQueryArgsSchema, GenerateRequestSchema
from fitbud.auth.roles import Role
from fitbud.services.plan_generation import generate_plan

blp = Blueprint("generator", __name__, url_prefix="/plans", description="Generated plan drafts")


@blp.route("/generate")
class PlanGenerateViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(GenerateQueryArgsSchema, location="query")
    @blp.arguments(GenerateRequestSchema)
    @blp.response(200, GeneratedPlanSchema)
    @blp.alt_response(201, schema=GeneratedPlanSchema, description="Drafts saved as templates (save=true)")
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, query, data):
        """Draft a workout (and a diet when body data is known) with a reason for every choice.

        Nothing is assigned; save=true stores the drafts as your templates (source: generated).
        Impossible requests get a 422 saying what to change.
        """
        result = generate_plan(current_user, data, save=query["save"])
        return (result, 201) if result["saved"] else result

"""The exercise library: everyone reads it; trainers manage their own custom exercises."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.exercises.schemas import (
    AlternativeSchema,
    AlternativesQueryArgsSchema,
    ExerciseQueryArgsSchema,
    ExerciseSchema,
    VocabularySchema,
)
from fitbud.auth.roles import Role
from fitbud.data.library import vocabulary
from fitbud.services import exercises
from fitbud.services.inputs import ExerciseCreateSchema, ExerciseUpdateSchema

blp = Blueprint("exercises", __name__, url_prefix="/exercises", description="The exercise library")


def _page(items: list, pagination_parameters) -> list:
    """One page of an in-memory list (the library is cached whole, see services.exercises)."""
    pagination_parameters.item_count = len(items)
    start = (pagination_parameters.page - 1) * pagination_parameters.page_size
    return items[start : start + pagination_parameters.page_size]


@blp.route("")
class ExerciseViews(MethodView):
    @blp.login_required()
    @blp.arguments(ExerciseQueryArgsSchema, location="query")
    @blp.response(200, ExerciseSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Built-in exercises plus your trainer's (or your own) custom ones, by name."""
        return _page(exercises.search(current_user, args), pagination_parameters)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(ExerciseCreateSchema)
    @blp.response(201, ExerciseSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Add a custom exercise, visible to you and your clients."""
        return exercises.create_custom(current_user, data)


@blp.route("/vocabulary")
class ExerciseVocabularyViews(MethodView):
    @blp.login_required()
    @blp.response(200, VocabularySchema)
    def get(self):
        """The muscles, equipment, categories, movement patterns, levels and tracking values."""
        return vocabulary()


@blp.route("/<int:exercise_id>")
class ExerciseByIdViews(MethodView):
    @blp.login_required()
    @blp.response(200, ExerciseSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, exercise_id):
        """One exercise of your library."""
        return exercises.get_exercise(current_user, exercise_id)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(ExerciseUpdateSchema)
    @blp.response(200, ExerciseSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, exercise_id):
        """Change one of your custom exercises (built-ins are read-only: 403)."""
        return exercises.update_custom(current_user, exercise_id, data)

    @blp.login_required(Role.TRAINER)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, exercise_id):
        """Delete one of your custom exercises; one that plans or logs use is a 409."""
        exercises.delete_custom(current_user, exercise_id)


@blp.route("/<int:exercise_id>/alternatives")
class ExerciseAlternativesViews(MethodView):
    @blp.login_required()
    @blp.arguments(AlternativesQueryArgsSchema, location="query")
    @blp.response(200, AlternativeSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, exercise_id):
        """Exercises with the same movement pattern and primary muscles, closest first, each with a reason."""
        return exercises.alternatives(
            current_user, exercise_id, args.get("equipment"), args["avoid"], args["limit"]
        )

"""The food table: everyone searches it; trainers add their own foods."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.foods.schemas import (
    FoodCreateSchema,
    FoodQueryArgsSchema,
    FoodSchema,
    FoodUpdateSchema,
    FoodVocabularySchema,
)
from fitbud.api.pagination import paginate
from fitbud.auth.roles import Role
from fitbud.data.foods import ALLERGENS, CATEGORIES, DIETS, sources
from fitbud.services import foods

blp = Blueprint("foods", __name__, url_prefix="/foods", description="The food table")


@blp.route("")
class FoodViews(MethodView):
    @blp.login_required()
    @blp.arguments(FoodQueryArgsSchema, location="query")
    @blp.response(200, FoodSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Built-in foods plus your trainer's (or your own), by name; filter by allergen, diet and category."""
        return paginate(foods.search(current_user, args), pagination_parameters)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(FoodCreateSchema)
    @blp.response(201, FoodSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Add your own food, visible to you and your clients."""
        return foods.create_own(current_user, data)


@blp.route("/vocabulary")
class FoodVocabularyViews(MethodView):
    @blp.login_required()
    @blp.response(200, FoodVocabularySchema)
    def get(self):
        """The allergens, diets and categories foods are described with, and the sources of the built-ins."""
        return {
            "allergens": list(ALLERGENS),
            "diets": list(DIETS),
            "categories": list(CATEGORIES),
            "sources": sources(),
        }


@blp.route("/<int:food_id>")
class FoodByIdViews(MethodView):
    @blp.login_required()
    @blp.response(200, FoodSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, food_id):
        """One food of your table."""
        return foods.get_food(current_user, food_id)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(FoodUpdateSchema)
    @blp.response(200, FoodSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, food_id):
        """Change one of your foods (built-ins are read-only: 403)."""
        return foods.update_own(current_user, food_id, data)

    @blp.login_required(Role.TRAINER)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, food_id):
        """Delete one of your foods."""
        foods.delete_own(current_user, food_id)

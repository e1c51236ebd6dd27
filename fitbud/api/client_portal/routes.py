"""A client's own side: their profile, the plans they follow, and what today holds."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.client_portal.schemas import MyPlanSchema, TodaySchema
from fitbud.api.clients.schemas import OwnProfileSchema, OwnProfileUpdateSchema
from fitbud.auth.roles import Role
from fitbud.services import assignments, clients

blp = Blueprint("client_portal", __name__, url_prefix="/me", description="Your profile and plan (clients)")


@blp.route("/profile")
class MyProfileViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, OwnProfileSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """Your profile, health details, allergies and dietary preferences, in your units."""
        return clients.own_profile(current_user)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(OwnProfileUpdateSchema)
    @blp.response(200, OwnProfileSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data):
        """Change your profile, health details, allergies and dietary preferences; a value given replaces it."""
        return clients.update_own_profile(current_user, data)


@blp.route("/plan")
class MyPlanViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, MyPlanSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """The workout and diet plans you follow today, those coming next, and their exercises."""
        return assignments.my_plan(current_user)


@blp.route("/today")
class MyTodayViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.conditional
    @blp.cached_per_trainer("today")
    @blp.response(200, TodaySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """Today's workout (or rest) and meals, counted from each plan's start in your timezone."""
        return assignments.today_for(current_user)

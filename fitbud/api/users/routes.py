"""The logged-in user's own account."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt

from fitbud.api.blueprint import Blueprint
from fitbud.api.schemas import UserSchema
from fitbud.api.users.schemas import UserUpdateSchema
from fitbud.services import accounts

blp = Blueprint("users", __name__, url_prefix="/users", description="Your account")


@blp.route("/me")
class MeView(MethodView):
    @blp.login_required()
    @blp.response(200, UserSchema)
    def get(self):
        """Your account."""
        return current_user

    @blp.login_required()
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data):
        """Change your name, email, timezone, units or password (ends your other sessions)."""
        return accounts.update_profile(current_user, data, get_jwt().get("sid"))

"""The logged-in user's own account."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt

from fitbud.api.blueprint import Blueprint
from fitbud.api.schemas import UserSchema
from fitbud.api.users.schemas import UserUpdateSchema
from fitbud.ext.smorest import TOO_MANY_REQUESTS
from fitbud.services import accounts

blp = Blueprint("users", __name__, url_prefix="/users", description="Your account")


@blp.route("/me")
class MeViews(MethodView):
    @blp.login_required()
    @blp.response(200, UserSchema)
    def get(self):
        """Your account."""
        return current_user

    @blp.login_required()
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def patch(self, data):
        """Change your name, email, timezone, units or password.

        Send only the fields that change. A new email or a new password needs
        `current_password`; a new password also ends every other session of yours (this one
        stays logged in). A taken email is a 409. Current-password checks share one budget per
        account (AUTH_RATE_LIMIT) with the client app's and the dashboard's profile: 429 beyond it.
        """
        return accounts.update_profile(current_user, data, get_jwt().get("sid"))

"""The logged-in user's own account."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt

from fitbud.api.blueprint import Blueprint
from fitbud.api.users.schemas import MeSchema, UserUpdateSchema
from fitbud.ext.smorest import TOO_MANY_REQUESTS
from fitbud.services import identity

blp = Blueprint("users", __name__, url_prefix="/users", description="Your account")


@blp.route("/me")
class MeViews(MethodView):
    @blp.login_required()
    @blp.response(200, MeSchema)
    def get(self):
        """Your account."""
        return current_user

    @blp.login_required()
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def patch(self, data):
        """Change your name, email, timezone, units or password.

        Send only the fields that change. A new email or a new password needs
        `current_password`; a new password also ends every other session of yours (this one
        stays logged in). A new email is not applied at once: a link goes to it (and a notice to
        your current address), `pending_email` shows it, and the email changes when the link is
        used (POST /auth/verify-email). A taken email is a 409. Current-password checks share one
        budget per account (AUTH_RATE_LIMIT) with the client app's and the dashboard's profile:
        429 beyond it.
        """
        return identity.update_profile(current_user, data, get_jwt().get("sid"))

"""Sign-up, login, token refresh and logout."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt

from fitbud.api.auth.schemas import LoginSchema, RegisterSchema, TokenPairSchema, UserSchema
from fitbud.api.blueprint import Blueprint
from fitbud.auth.limits import limit_auth_by_email, limit_auth_by_ip
from fitbud.ext.smorest import TOO_MANY_REQUESTS
from fitbud.services import accounts

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Accounts and tokens")


@blp.route("/register")
class RegisterViews(MethodView):
    @limit_auth_by_ip
    @limit_auth_by_email
    @blp.arguments(RegisterSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self, data):
        """Create a trainer account (409 if the email is taken, 422 if the password is weak)."""
        return accounts.register_trainer(data["email"], data["password"], data["name"])


@blp.route("/login")
class LoginViews(MethodView):
    @limit_auth_by_ip
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self, data):
        """Exchange email and password for an access and a refresh token.

        An unknown email and a wrong password get the same 401. Attempts are limited per
        address (AUTH_RATE_LIMIT) and per email, the latter shared with the browser's /login.
        """
        return accounts.login(data["email"], data["password"])


@blp.route("/refresh")
class RefreshViews(MethodView):
    @limit_auth_by_ip
    @blp.login_required(refresh=True)
    @blp.response(200, TokenPairSchema)
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self):
        """Swap the refresh token (sent as the Bearer token) for a new pair.

        The old refresh token stops working. Presenting an old refresh token again ends the
        whole login session: its newest access and refresh tokens stop working too.
        """
        return accounts.rotate_session(current_user, get_jwt())


@blp.route("/logout")
class LogoutViews(MethodView):
    @blp.login_required()
    @blp.response(204)
    def post(self):
        """End this login session: its access and refresh tokens stop working at once."""
        accounts.revoke_session(get_jwt()["sid"], "logout")

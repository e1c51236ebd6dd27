"""Sign-up, login, token refresh and logout."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt

from fitbud.api.auth.schemas import (
    ForgotPasswordSchema,
    LoginSchema,
    NoticeSchema,
    RegisterSchema,
    ResetPasswordSchema,
    TokenPairSchema,
    UserSchema,
    VerifyEmailSchema,
)
from fitbud.api.blueprint import Blueprint
from fitbud.auth.limits import (
    limit_auth_by_email,
    limit_auth_by_ip,
    limit_password_reset_by_email,
    limit_password_reset_by_ip,
    limit_verification_resend,
)
from fitbud.ext.smorest import TOO_MANY_REQUESTS
from fitbud.services import accounts, identity

RESET_REQUESTED = (
    "If an account with a confirmed address uses this email, a link to choose a new password is on its way."
)

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
        """Create a trainer account and email a link that confirms the address.

        409 if the email is taken, 422 if the password is weak. The account may log in at once;
        until the link is used it may not invite clients or act on billing (403 `email_unverified`).
        """
        return identity.register_trainer(data["email"], data["password"], data["name"])


@blp.route("/verify-email")
class VerifyEmailViews(MethodView):
    @limit_auth_by_ip
    @blp.arguments(VerifyEmailSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(410, response="GONE")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self, data):
        """Confirm an email address with the token from the emailed link (sign-up or email change).

        Unknown token: 404. Used, replaced or expired: 410. For an email change, the account's
        email becomes the new address (409 if a confirmed account took it meanwhile).
        """
        return identity.confirm_email(data["token"])


@blp.route("/resend-verification")
class ResendVerificationViews(MethodView):
    @blp.login_required()
    @limit_verification_resend
    @blp.response(202, NoticeSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self):
        """Email a new link that confirms your address (the previous one stops working).

        409 once the address is confirmed. Limited per account (VERIFICATION_RESEND_LIMIT).
        """
        identity.resend_verification(current_user)
        return {"message": f"A new confirmation link is on its way to {current_user.email}."}


@blp.route("/forgot-password")
class ForgotPasswordViews(MethodView):
    @limit_password_reset_by_ip
    @limit_password_reset_by_email
    @blp.arguments(ForgotPasswordSchema)
    @blp.response(202, NoticeSchema)
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self, data):
        """Email a link to choose a new password, if the address is an account's confirmed address.

        The answer is the same whether or not such an account exists. Limited per address and
        per IP (PASSWORD_RESET_LIMIT_PER_EMAIL, PASSWORD_RESET_LIMIT_PER_IP).
        """
        identity.request_password_reset(data["email"])
        return {"message": RESET_REQUESTED}


@blp.route("/reset-password")
class ResetPasswordViews(MethodView):
    @limit_auth_by_ip
    @blp.arguments(ResetPasswordSchema)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(410, response="GONE")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    def post(self, data):
        """Set a new password with the token from the emailed link; every login session ends.

        Unknown token: 404. Used, replaced or expired: 410. Weak password: 422 (the link still works).
        """
        identity.reset_password(data["token"], data["password"])


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

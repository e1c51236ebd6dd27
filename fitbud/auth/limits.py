"""Rate limits on the endpoints that hash passwords or mint tokens."""

from __future__ import annotations

from flask import current_app, request
from flask_jwt_extended import get_jwt_identity
from flask_limiter.util import get_remote_address

from fitbud.extensions import limiter

TOO_MANY_ATTEMPTS = "Too many attempts; wait the number of seconds in Retry-After and try again."


def _auth_limit() -> str:
    # Read per request, so AUTH_RATE_LIMIT (and a test's override of it) applies at once.
    return current_app.config["AUTH_RATE_LIMIT"]


def _email_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    if email is None and request.form:
        email = request.form.get("email")  # the browser's login form
    if isinstance(email, str) and email.strip():
        # The same normalisation as the email field, so "A@x.io" and "a@x.io " share a bucket.
        return "email:" + email.strip().lower()
    return "ip:" + get_remote_address()


# Per client address, and per target account so one account can't be hammered from many
# addresses. Each endpoint has its own buckets (flask-limiter scopes a limit to its route).
limit_auth_by_ip = limiter.limit(
    _auth_limit, key_func=get_remote_address, error_message=TOO_MANY_ATTEMPTS
)
limit_auth_by_email = limiter.limit(
    _auth_limit, key_func=_email_key, error_message=TOO_MANY_ATTEMPTS
)
# The browser's login form: the same per-account budget as the API's login, counted on posts.
limit_browser_login_by_email = limiter.limit(
    _auth_limit, key_func=_email_key, scope="auth-email", methods=["POST"], error_message=TOO_MANY_ATTEMPTS
)


def _user_key() -> str:
    return f"user:{get_jwt_identity()}"


def _not_checking_the_password() -> bool:
    body = request.get_json(silent=True)
    if isinstance(body, dict):
        return not ("new_password" in body or "current_password" in body)
    # The app's profile form always sends both fields; a filled one means a password check.
    return not (request.form.get("new_password") or request.form.get("current_password"))


# Checking the current password (for a new password or a new email) hashes too, and a stolen
# access token must not be a way to guess the password: those requests share the auth limit, per
# account. Place it below login_required so the account is known.
limit_password_change = limiter.limit(
    _auth_limit,
    key_func=_user_key,
    exempt_when=_not_checking_the_password,
    error_message=TOO_MANY_ATTEMPTS,
)

"""Per-address rate limits on the endpoints that hash passwords or mint tokens.

Per-account budgets on password checks (login, current password) live in
services/attempt_limits.py, spent by the service that checks the password, so every way in
shares them.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_jwt_extended import get_jwt_identity
from flask_limiter.util import get_remote_address

from fitbud.extensions import limiter
from fitbud.services.attempt_limits import TOO_MANY_ATTEMPTS


def _auth_limit() -> str:
    # Read per request, so AUTH_RATE_LIMIT (and a test's override of it) applies at once.
    return current_app.config["AUTH_RATE_LIMIT"]


def _email_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    if email is None and request.form:
        email = request.form.get("email")  # the browser's sign-up form
    if isinstance(email, str) and email.strip():
        # The same normalisation as the email field, so "A@x.io" and "a@x.io " share a bucket.
        return "email:" + email.strip().lower()
    return "ip:" + get_remote_address()


# Per client address, and (sign-up) per target address so one address can't be hammered from
# many places. Each endpoint has its own buckets (flask-limiter scopes a limit to its route).
limit_auth_by_ip = limiter.limit(
    _auth_limit, key_func=get_remote_address, error_message=TOO_MANY_ATTEMPTS
)
limit_auth_by_email = limiter.limit(
    _auth_limit, key_func=_email_key, error_message=TOO_MANY_ATTEMPTS
)



# Statuses whose Retry-After means "wait this long": a spent limit, and an outage.
RETRY_AFTER_STATUSES = frozenset({429, 503})


def _retry_after_only_when_waiting(response: Response) -> Response:
    # flask-limiter sends Retry-After (the window's reset) with every answer of a limited route,
    # success included; generic HTTP clients then stall before their next request.
    if response.status_code not in RETRY_AFTER_STATUSES:
        response.headers.pop("Retry-After", None)
    return response


def init_app(app: Flask) -> None:
    """Keep Retry-After for 429 and 503. Call before limiter.init_app: hooks run in reverse order."""
    app.after_request(_retry_after_only_when_waiting)


def _user_key() -> str:
    return f"user:{get_jwt_identity()}"


def _resend_limit() -> str:
    return current_app.config["VERIFICATION_RESEND_LIMIT"]


def _reset_limit_per_email() -> str:
    return current_app.config["PASSWORD_RESET_LIMIT_PER_EMAIL"]


def _reset_limit_per_ip() -> str:
    return current_app.config["PASSWORD_RESET_LIMIT_PER_IP"]


# Each of these sends an email: the limits keep Fitbud from being used to flood a mailbox, and
# keep reset requests from probing many addresses. Placed below login_required (resend) so the
# account is known. The browser's forms share the API's buckets (one scope each).
limit_verification_resend = limiter.limit(
    _resend_limit,
    key_func=_user_key,
    scope="verification-resend",
    methods=["POST"],
    error_message=TOO_MANY_ATTEMPTS,
)
limit_password_reset_by_email = limiter.limit(
    _reset_limit_per_email,
    key_func=_email_key,
    scope="reset-email",
    methods=["POST"],
    error_message=TOO_MANY_ATTEMPTS,
)
limit_password_reset_by_ip = limiter.limit(
    _reset_limit_per_ip,
    key_func=get_remote_address,
    scope="reset-ip",
    methods=["POST"],
    error_message=TOO_MANY_ATTEMPTS,
)

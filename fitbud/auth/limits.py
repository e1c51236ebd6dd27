"""Rate limits on the endpoints that hash passwords or mint tokens."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from fitbud.extensions import limiter


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _email_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    if isinstance(email, str) and email.strip():
        return "email:" + email.strip().lower()
    return "ip:" + get_remote_address()


# Per client address, and per target account so one account can't be hammered from many addresses.
limit_auth_by_ip = limiter.limit(_auth_limit, key_func=get_remote_address, scope="auth-ip")
limit_auth_by_email = limiter.limit(_auth_limit, key_func=_email_key, scope="auth-email")

"""What every browser page of Fitbud shares: the form token of logged-out forms and where a role lands.

Logged-out forms (login, sign-up, an invitation) cannot use the JWT's double-submit CSRF value,
so they carry a token kept in the signed session cookie instead (this stops login CSRF).
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session

from fitbud.auth.roles import Role

FORM_TOKEN_KEY = "fitbud_form_csrf"
APP_HOME = "/app/"
DASHBOARD_HOME = "/dashboard/"


def form_token() -> str:
    """The logged-out form's CSRF token, kept in the signed session cookie."""
    token = session.get(FORM_TOKEN_KEY)
    if not token:
        token = session[FORM_TOKEN_KEY] = secrets.token_urlsafe(32)
    return token


def form_token_ok() -> bool:
    """Whether the posted form carries this browser's form token."""
    sent = request.form.get("csrf_token", "")
    expected = session.get(FORM_TOKEN_KEY, "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def forget_form_token() -> None:
    """A new token for the next form (after a login: the old one may have been seen logged out)."""
    session.pop(FORM_TOKEN_KEY, None)


def home_for(role: Role) -> str:
    """Where a user lands after logging in: clients in the app, trainers and admins on the dashboard."""
    return APP_HOME if role is Role.CLIENT else DASHBOARD_HOME


def is_local_path(value: str | None, prefix: str) -> bool:
    """Whether `value` is a path under `prefix` on this site (never another host: no open redirect)."""
    return bool(value) and value.startswith(prefix) and "//" not in value and "\\" not in value


def next_for(role: Role, value: str | None) -> str:
    """`value` when it leads into the part of the site made for `role`, else that part's home."""
    home = home_for(role)
    return value if is_local_path(value, home) else home

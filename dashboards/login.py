"""Browser login and logout for the dashboards: a form that puts the access token in cookies."""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from flask import Blueprint, Response, current_app, make_response, redirect, render_template, request, session, url_for
from flask_jwt_extended import decode_token, set_access_cookies, unset_jwt_cookies
from flask_limiter.util import get_remote_address

from dashboards.auth import DASHBOARD_ROLES, PREFIX
from fitbud.auth.limits import _auth_limit
from fitbud.errors import AuthenticationError
from fitbud.extensions import limiter
from fitbud.services import accounts

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
FORM_TOKEN_KEY = "fitbud_form_csrf"

# The login page is public, so it cannot use the guarded /dashboard/assets/ route for its CSS.
bp = Blueprint(
    "web_auth", __name__, template_folder="templates", static_folder=str(ASSETS_DIR), static_url_path="/web-assets"
)
# The same per-address budget as the API's login (one scope), counted on form posts only.
_limit_login = limiter.limit(_auth_limit, key_func=get_remote_address, scope="auth-ip", methods=["POST"])


def _form_token() -> str:
    """The login form's CSRF token, kept in the signed session cookie (stops login CSRF)."""
    token = session.get(FORM_TOKEN_KEY)
    if not token:
        token = session[FORM_TOKEN_KEY] = secrets.token_urlsafe(32)
    return token


def _form_token_ok() -> bool:
    sent = request.form.get("csrf_token", "")
    expected = session.get(FORM_TOKEN_KEY, "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def _safe_next(value: str | None) -> str:
    # Only ever go back into the dashboard: anything else could be an open redirect.
    if value and value.startswith(PREFIX) and "//" not in value and "\\" not in value:
        return value
    return PREFIX


def _page(error: str | None = None, status: int = 200, email: str = "") -> Response:
    response = make_response(
        render_template(
            "auth/login.html",
            error=error,
            email=email,
            next=_safe_next(request.values.get("next")),
            csrf_token=_form_token(),
            denied=request.args.get("denied"),
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login", methods=["GET", "POST"])
@_limit_login
def login() -> Response:
    """GET: the form. POST: check the password and set the access token cookies."""
    if request.method == "GET":
        return _page()
    email = request.form.get("email", "").strip()
    if not _form_token_ok():
        return _page("The form expired; please try again.", 400, email)
    try:
        user = accounts.authenticate(email, request.form.get("password", ""))
    except AuthenticationError as error:
        return _page(error.message, 401, email)
    if user.role not in DASHBOARD_ROLES:
        return _page("The dashboard is for trainers and admins; clients use the Fitbud app.", 403, email)
    pair = accounts.start_session(user)
    response = redirect(_safe_next(request.form.get("next")))
    set_access_cookies(response, pair.access_token)
    session.pop(FORM_TOKEN_KEY, None)  # a new token for the next form
    return response


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response:
    """GET: a confirmation form (logging out by link would be forgeable). POST: end the session."""
    if request.method == "GET":
        response = make_response(render_template("auth/logout.html", csrf_token=_form_token()))
        response.headers["Cache-Control"] = "no-store"
        return response
    if not _form_token_ok():
        return redirect(url_for("web_auth.logout"))
    cookie = request.cookies.get(current_app.config.get("JWT_ACCESS_COOKIE_NAME", "access_token_cookie"))
    if cookie:
        try:
            claims = decode_token(cookie, allow_expired=True)
        except Exception:  # noqa: BLE001 - a broken cookie simply has no session to end
            claims = {}
        if claims.get("sid"):
            accounts.revoke_session(claims["sid"], "logout")
    response = redirect(url_for("web_auth.login", logged_out=1))
    unset_jwt_cookies(response)
    session.pop(FORM_TOKEN_KEY, None)
    return response

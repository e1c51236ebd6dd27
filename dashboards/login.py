"""The one browser login and logout: a form that puts the access token in cookies.

Clients land in their app at /app/, trainers and admins on the dashboards at /dashboard/.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, make_response, redirect, render_template, request, url_for
from flask_jwt_extended import decode_token, set_access_cookies, unset_jwt_cookies
from flask_limiter.util import get_remote_address

from fitbud.auth.browser import (
    APP_HOME,
    DASHBOARD_HOME,
    FORM_TOKEN_KEY,
    forget_form_token,
    form_token,
    form_token_ok,
    is_local_path,
    next_for,
)
from fitbud.auth.limits import _auth_limit
from fitbud.errors import AuthenticationError, TooManyRequestsError
from fitbud.extensions import limiter
from fitbud.services import accounts

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
__all__ = ["FORM_TOKEN_KEY", "_form_token", "_form_token_ok", "bp"]

# The login page is public, so it cannot use the guarded /dashboard/assets/ route for its CSS.
bp = Blueprint(
    "web_auth", __name__, template_folder="templates", static_folder=str(ASSETS_DIR), static_url_path="/web-assets"
)
# The same per-address budget as the API's login (one scope), counted on form posts only. The
# per-account budget is the API's own: accounts.authenticate spends it, whichever login is used.
_limit_login = limiter.limit(_auth_limit, key_func=get_remote_address, scope="auth-ip", methods=["POST"])


# The login form's CSRF token lives in the signed session cookie (stops login CSRF); the sign-up
# page shares it.
_form_token = form_token
_form_token_ok = form_token_ok


def _safe_next(value: str | None) -> str:
    # Only ever back into the app or the dashboard: anything else could be an open redirect.
    # Which of the two is allowed is decided by the role once the password is checked.
    if is_local_path(value, APP_HOME) or is_local_path(value, DASHBOARD_HOME):
        return value
    return ""


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
    except TooManyRequestsError as error:
        response = _page(error.message, 429, email)
        response.headers.update(error.headers)
        return response
    except AuthenticationError as error:
        # One answer for an unknown address and a wrong password, whatever the account's role.
        return _page(error.message, 401, email)
    pair = accounts.start_session(user)
    response = redirect(next_for(user.role, request.form.get("next")))
    set_access_cookies(response, pair.access_token)
    forget_form_token()  # a new token for the next form
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
    # The client app keeps pages and unsent entries on the phone (service worker, IndexedDB):
    # whoever uses this browser next must not see them.
    response.headers["Clear-Site-Data"] = '"storage"'
    forget_form_token()
    return response

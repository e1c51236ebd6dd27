"""Who may see the dashboards: cookie login, a guard on every /dashboard/ route, and the current user.

Browsers carry the JWT in an httpOnly cookie (flask-jwt-extended cookie mode). State-changing
requests, Dash's callback POSTs included, must echo the csrf_access_token cookie in the
X-CSRF-TOKEN header (double submit); flask-jwt-extended rejects them otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, Response, current_app, g, has_request_context, jsonify, redirect, request, url_for
from flask_jwt_extended import current_user, get_jwt, set_access_cookies, verify_jwt_in_request
from flask_jwt_extended.exceptions import CSRFError, JWTExtendedException, NoAuthorizationError
from jwt.exceptions import PyJWTError

from fitbud.auth.browser import home_for
from fitbud.auth.roles import Role
from fitbud.errors import error_body
from fitbud.models import User
from fitbud.services import accounts

PREFIX = "/dashboard/"
DASHBOARD_ROLES = frozenset({Role.TRAINER, Role.ADMIN})
# Dash's own endpoints (layout, dependencies, callbacks, component files) and static assets:
# requests for data, which get a 401 rather than a redirect to the login page.
_DATA_PREFIXES = ("_", "assets/")


def current_dashboard_user() -> User | None:
    """The logged-in trainer or admin of this dashboard request; None outside one.

    Dash may build layouts at start-up or on another route's first request, where there is
    no dashboard user; callers must treat None as "show nothing".
    """
    if not has_request_context():
        return None
    return g.get("dashboard_user")


def is_data_request(path: str) -> bool:
    """Whether a /dashboard/ path is one of Dash's data endpoints or an asset, not a page."""
    return path.startswith(PREFIX) and path[len(PREFIX) :].startswith(_DATA_PREFIXES)


def _authenticate() -> tuple[User | None, str]:
    try:
        verify_jwt_in_request(locations=["cookies"])
    except CSRFError:
        return None, "Missing CSRF token: send the csrf_access_token cookie's value in X-CSRF-TOKEN."
    except NoAuthorizationError:
        return None, "Log in to see the dashboard."
    except (JWTExtendedException, PyJWTError) as error:
        return None, f"Your login is no longer valid ({error}); log in again."
    return current_user, ""


def _json_error(status: int, message: str) -> Response:
    response = jsonify(error_body(status, message))
    response.status_code = status
    return response


def guard_dashboard() -> Response | None:
    """before_request: every /dashboard/ route needs a logged-in trainer or admin."""
    if not request.path.startswith(PREFIX):
        return None
    user, problem = _authenticate()
    page = request.method == "GET" and not is_data_request(request.path)
    if user is None:
        if page:
            return redirect(url_for("web_auth.login", next=request.full_path.rstrip("?")))
        return _json_error(401, problem)
    if user.role not in DASHBOARD_ROLES:
        if page:
            # One login for everyone: a client who opens a dashboard link goes to their app.
            return redirect(home_for(user.role))
        return _json_error(403, "The dashboard is for trainers and admins.")
    g.dashboard_user = user
    return None


def refresh_dashboard_cookie(response: Response) -> Response:
    """after_request: keep an active dashboard login alive by renewing a half-spent access cookie.

    The new token belongs to the same login session (same `sid`), so logging out or revoking
    that session still ends it at once. Renewing counts as a use of the session: its idle limit
    moves on, never past its maximum age (services/accounts.py), after which nothing renews it.
    """
    user = current_dashboard_user()
    if user is None or response.status_code >= 400:
        return response
    claims = get_jwt()
    lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    remaining = datetime.fromtimestamp(claims["exp"], UTC) - datetime.now(UTC)
    if remaining < lifetime / 2 and remaining > timedelta(0):
        token = accounts.renew_browser_login(user, claims)
        if token is not None:
            set_access_cookies(response, token)
    return response


def init_guard(server: Flask) -> None:
    """Install the guard; it must run before Dash's own before_request hooks (so: register first)."""
    server.before_request(guard_dashboard)
    server.after_request(refresh_dashboard_cookie)

"""Who is using the app: the cookie login of a client, checked before every /app/ page.

The JWT travels in the httpOnly cookie set by /login (the same as the dashboards'). A POST must
also send the csrf_access_token cookie's value, as the X-CSRF-TOKEN header (htmx) or as the
csrf_token field of a plain form (flask-jwt-extended's double-submit check).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, g, redirect, request, url_for
from flask_jwt_extended import (
    current_user,
    get_csrf_token,
    get_jwt,
    set_access_cookies,
    verify_jwt_in_request,
)
from flask_jwt_extended.exceptions import CSRFError, JWTExtendedException
from jwt.exceptions import PyJWTError

from fitbud.auth.browser import APP_HOME, home_for
from fitbud.auth.roles import Role
from fitbud.client_app.assets import STATIC_PREFIX
from fitbud.client_app.offline import PUBLIC_PATHS
from fitbud.models import Client, User
from fitbud.services import accounts
from fitbud.services.client_scope import own_client

CSRF_REFUSED = "This form has expired or did not come from Fitbud; reload the page and try again."


def app_user() -> User:
    """The logged-in client of this /app/ request (the guard has checked it)."""
    return g.app_user


def app_client() -> Client:
    """The coaching record of the logged-in client, loaded once per request."""
    if "app_client" not in g:
        g.app_client = own_client(app_user())
    return g.app_client


def csrf_value() -> str:
    """The double-submit value forms and htmx requests send back (it is in the signed JWT too).

    When this request renews the cookie, the new token's value: the page being rendered will
    post back after the browser has stored the new cookie.
    """
    renewed = g.get("renewed_access_token")
    return get_csrf_token(renewed) if renewed else get_jwt().get("csrf", "")


def _to_login() -> Response:
    target = request.full_path.rstrip("?") if request.method == "GET" else APP_HOME
    login = url_for("web_auth.login", next=target)
    if request.headers.get("HX-Request"):
        # htmx swaps a redirect's body into the page; tell it to navigate instead.
        response = Response(status=204)
        response.headers["HX-Redirect"] = login
        return response
    return redirect(login, 303)


def guard() -> Response | None:
    """before_request of the app's pages: a logged-in client, else the login page (or a 403)."""
    if not request.path.startswith(APP_HOME) or request.path.startswith(STATIC_PREFIX):
        return None
    if request.path in PUBLIC_PATHS:
        return None
    try:
        verify_jwt_in_request(locations=["cookies"])
    except CSRFError:
        abort(403, CSRF_REFUSED)
    except (JWTExtendedException, PyJWTError):
        return _to_login()
    user = current_user
    if user.role is not Role.CLIENT:
        if request.method == "GET":
            return redirect(home_for(user.role))
        abort(403, "The app is for clients; trainers and admins use the dashboard.")
    g.app_user = user
    _renew_if_half_spent(user)
    return None


def _renew_if_half_spent(user: User) -> None:
    """Keep an active login alive: a half-spent access token is replaced during this request.

    The new token belongs to the same login session (same `sid`), so logging out or revoking
    that session still ends it at once. It is made before the page renders, so the page's forms
    carry the new token's CSRF value.
    """
    claims = get_jwt()
    lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    remaining = datetime.fromtimestamp(claims["exp"], UTC) - datetime.now(UTC)
    if timedelta(0) < remaining < lifetime / 2:
        # A use of the session: its idle limit moves on, never past its maximum age.
        g.renewed_access_token = accounts.renew_browser_login(user, claims)


def renew_cookie(response: Response) -> Response:
    """after_request: send the renewed access token, if this request made one."""
    token = g.get("renewed_access_token")
    if token:
        set_access_cookies(response, token)
    return response


def no_store(response: Response) -> Response:
    """after_request: personal pages are never kept by shared caches or the back-forward cache."""
    if g.get("app_user") is not None and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def keep_alive() -> Response:
    """GET /app/session: nothing but the guard's work, so an open page renews a half-spent login.

    A workout takes longer than an access token lives; the Today page calls this every few
    minutes while it is open, so finishing an hour later still finds the client logged in.
    """
    return Response(status=204)


def init_guard(bp: Blueprint) -> None:
    """Check every request of the blueprint; renew cookies and forbid caching on the way out."""
    bp.before_request(guard)
    bp.add_url_rule("/app/session", "keep_alive", keep_alive)
    bp.after_request(renew_cookie)
    bp.after_request(no_store)

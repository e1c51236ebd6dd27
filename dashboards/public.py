"""Public pages: the home page for visitors and the trainer sign-up form (same rules as the API)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, make_response, redirect, render_template, request, send_from_directory, session
from flask_jwt_extended import current_user, set_access_cookies, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_limiter.util import get_remote_address
from jwt.exceptions import PyJWTError

from dashboards.auth import PREFIX
from dashboards.forms import EMAIL_SHAPE
from dashboards.login import FORM_TOKEN_KEY, _form_token, _form_token_ok
from fitbud.auth.browser import home_for
from fitbud.auth.limits import _auth_limit
from fitbud.auth.roles import Role
from fitbud.errors import DomainError
from fitbud.extensions import limiter
from fitbud.services import accounts, identity

bp = Blueprint("web_public", __name__, template_folder="templates")
# Sign-up hashes a password: the same per-address budget as login and the API's register.
_limit_signup = limiter.limit(_auth_limit, key_func=get_remote_address, scope="auth-ip", methods=["POST"])
NAME_MAX = 120
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
# Browsers ask for /favicon.ico on every page (the login, the client app) and keep it; a day is plenty.
FAVICON_MAX_AGE = 24 * 3600


def _logged_in_role() -> Role | None:
    """The role in a valid login cookie, if any (the home page is public, so no guard runs)."""
    try:
        verify_jwt_in_request(optional=True, locations=["cookies"])
    except (JWTExtendedException, PyJWTError):
        return None
    return current_user.role if current_user else None


@bp.route("/favicon.ico")
def favicon() -> Response:
    """The same icon Dash shows on the dashboard, for every other page (browsers ask for this path)."""
    return send_from_directory(ASSETS_DIR, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=FAVICON_MAX_AGE)


@bp.route("/")
def home() -> Response:
    """What Fitbud does for a trainer; anyone logged in goes straight to their app or dashboard."""
    role = _logged_in_role()
    if role is not None:
        return redirect(home_for(role))
    return make_response(render_template("public/home.html"))


def _signup_page(errors: dict[str, list[str]] | None = None, message: str | None = None, status: int = 200):
    response = make_response(
        render_template(
            "auth/signup.html",
            errors=errors or {},
            message=message,
            form={"name": request.form.get("name", ""), "email": request.form.get("email", "")},
            csrf_token=_form_token(),
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_problems(name: str, email: str, password: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = ["Enter your name."]
    elif len(name) > NAME_MAX:
        problems["name"] = [f"At most {NAME_MAX} characters."]
    if not EMAIL_SHAPE.match(email):
        problems["email"] = ["Enter an email address like you@example.com."]
    if not password:
        problems["password"] = ["Choose a password."]
    return problems


@bp.route("/signup", methods=["GET", "POST"])
@_limit_signup
def signup() -> Response:
    """GET: the form. POST: create the trainer, mail the confirmation link, log them in (cookie), open the Overview."""
    if request.method == "GET":
        return _signup_page()
    if not _form_token_ok():
        return _signup_page(message="The form expired; please try again.", status=400)
    name = request.form.get("name", "").strip()
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    problems = _form_problems(name, email, password)
    if problems:
        return _signup_page(problems, "Please correct the fields below.", 422)
    try:
        user = identity.register_trainer(email, password, name)
    except DomainError as error:
        return _signup_page(error.errors or {}, error.message, error.status_code)
    pair = accounts.start_session(user)
    response = redirect(PREFIX)
    set_access_cookies(response, pair.access_token)
    session.pop(FORM_TOKEN_KEY, None)
    return response

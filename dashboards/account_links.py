"""The pages the links in Fitbud's emails open: confirm an email address, choose a new password.

Logged-out pages like the invitation's: a GET shows what the link will do and a button or a
form, and only the POST (with the logged-out form token) uses the link, so a mail scanner that
opens links uses none. Also the "Forgot password?" form, and the logged-in page that sends a
new confirmation link. Each calls services/identity.py, the API's rules and limits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, make_response, redirect, render_template, request, url_for
from flask_jwt_extended import current_user, get_jwt, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError

from dashboards.forms import EMAIL_SHAPE
from fitbud.auth.browser import form_token, form_token_ok, home_for
from fitbud.auth.limits import (
    limit_auth_by_ip,
    limit_password_reset_by_email,
    limit_password_reset_by_ip,
    limit_verification_resend,
)
from fitbud.auth.passwords import MIN_PASSWORD_LENGTH
from fitbud.errors import DomainError, InvalidInputError
from fitbud.services import identity

bp = Blueprint("web_links", __name__, template_folder="templates")
RESET_REQUESTED = (
    "If an account with a confirmed address uses this email, a link to choose a new password is on its way. "
    "It works once, for a short while."
)


def _render(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, csrf_token=form_token(), **context), status)
    response.headers["Cache-Control"] = "no-store"
    # A link's token is a secret: never send it onwards in a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/forgot-password", methods=["GET", "POST"])
@limit_password_reset_by_ip
@limit_password_reset_by_email
def forgot_password() -> Response:
    """GET: the form. POST: mail a reset link if the address is an account's proven one; the same answer always."""
    if request.method == "GET":
        return _render("auth/forgot_password.html", email="")
    email = request.form.get("email", "").strip()
    if not form_token_ok():
        return _render("auth/forgot_password.html", 400, email=email, error="The form expired; please try again.")
    if not EMAIL_SHAPE.match(email):
        problem = "Enter an email address like you@example.com."
        return _render("auth/forgot_password.html", 422, email=email, error=problem)
    identity.request_password_reset(email)
    return _render("auth/forgot_password.html", email="", sent=RESET_REQUESTED)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limit_auth_by_ip
def reset_password(token: str) -> Response:
    """GET: the new-password form. POST: use the link, set the password (every session ends), go to the login."""
    if request.method == "GET":
        return _render("auth/reset_password.html", token=token, min_length=MIN_PASSWORD_LENGTH)
    error = None
    password = request.form.get("password", "")
    if not form_token_ok():
        error = "The form expired; please try again."
    elif not password:
        error = "Choose a password."
    elif password != request.form.get("password_confirm", ""):
        error = "The two passwords are not the same."
    if error:
        return _render("auth/reset_password.html", 422, token=token, min_length=MIN_PASSWORD_LENGTH, error=error)
    try:
        identity.reset_password(token, password)
    except InvalidInputError as problem:
        details = " ".join(m for messages in problem.errors.values() for m in messages)
        return _render(
            "auth/reset_password.html",
            422,
            token=token,
            min_length=MIN_PASSWORD_LENGTH,
            error=f"{problem.message} {details}".strip(),
        )
    except DomainError as problem:
        return _render("auth/link_problem.html", int(problem.status_code), message=problem.message, forgot=True)
    return redirect(url_for("web_auth.login", reset=1), 303)


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
@limit_auth_by_ip
def verify_email(token: str) -> Response:
    """GET: a button that confirms the address. POST: use the link; the address is now the account's, proven."""
    if request.method == "GET":
        return _render("auth/verify_email.html", token=token)
    if not form_token_ok():
        return _render("auth/verify_email.html", 400, token=token, error="The form expired; please try again.")
    try:
        user = identity.confirm_email(token)
    except DomainError as problem:
        return _render("auth/link_problem.html", int(problem.status_code), message=problem.message, forgot=False)
    return _render("auth/verify_email.html", confirmed=user.email, home=home_for(user.role))


def _cookie_login(view: Callable[..., Response]) -> Callable[..., Response]:
    """The browser's login cookie (CSRF-checked on a POST), else the login page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            verify_jwt_in_request(locations=["cookies"])
        except (JWTExtendedException, PyJWTError):
            return redirect(url_for("web_auth.login", next=request.path))
        return view(*args, **kwargs)

    return wrapper


@bp.route("/confirm-email", methods=["GET", "POST"])
@_cookie_login
@limit_verification_resend
def confirm_email_status() -> Response:
    """GET: whether your address is confirmed. POST: send a new confirmation link (limited per account)."""
    user = current_user
    jwt_csrf = get_jwt().get("csrf", "")
    sent = None
    error = None
    if request.method == "POST":
        try:
            identity.resend_verification(user)
            sent = f"A new link is on its way to {user.email}. It works once; the previous one no longer does."
        except DomainError as problem:
            error = problem.message
    return _render(
        "auth/confirm_email.html",
        user=user,
        verified=identity.is_verified(user),
        jwt_csrf=jwt_csrf,
        home=home_for(user.role),
        sent=sent,
        error=error,
    )

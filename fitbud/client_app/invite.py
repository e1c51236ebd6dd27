"""The invitation page: a client sets their password and lands in the app, logged in."""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request, url_for
from flask_jwt_extended import set_access_cookies

from fitbud.auth.browser import forget_form_token, form_token, form_token_ok
from fitbud.auth.limits import limit_auth_by_ip
from fitbud.auth.passwords import MIN_PASSWORD_LENGTH
from fitbud.client_app import bp
from fitbud.client_app.forms import Form
from fitbud.errors import ConflictError, GoneError, InvalidInputError, NotFoundError
from fitbud.services import invitations

PROBLEMS = {
    "unknown": "This invitation link is not valid. Check that you opened the whole link from the email.",
    "used": "This invitation has already been used to create a login.",
    "revoked": "This invitation was replaced by a newer one or withdrawn.",
    "expired": "This invitation has expired (links work for 7 days).",
}


def _page(token: str, preview: invitations.InvitationPreview, form: Form | None = None, status: int = 200) -> Response:
    if preview.problem:
        response = make_response(
            render_template("client_app/invite_gone.html", preview=preview, reason=PROBLEMS[preview.problem]),
            404 if preview.problem == "unknown" else 410,
        )
    else:
        response = make_response(
            render_template(
                "client_app/invite.html",
                preview=preview,
                token=token,
                form=form or Form({}),
                form_token=form_token(),
                min_length=MIN_PASSWORD_LENGTH,
            ),
            status,
        )
    response.headers["Cache-Control"] = "no-store"
    # The token is a secret: never send it onwards in a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limit_auth_by_ip
def invite(token: str) -> Response:
    """GET: who invites whom, and the password form. POST: create the login and open the app."""
    preview = invitations.preview(token)
    if request.method == "GET" or preview.problem:
        return _page(token, preview)
    form = Form(request.form)
    if not form_token_ok():
        form.add("", "The form expired; please try again.")
        return _page(token, preview, form, 400)
    password = request.form.get("password", "")
    if not password:
        form.add("password", "Choose a password.")
    elif password != request.form.get("password_confirm", ""):
        form.add("password_confirm", "The two passwords are not the same.")
    if not form.ok:
        return _page(token, preview, form, 422)
    try:
        accepted = invitations.accept(token, password, None)
    except InvalidInputError as error:
        form.take(error, {"password": "password"})
        return _page(token, preview, form, 422)
    except (GoneError, NotFoundError):
        return _page(token, invitations.preview(token))
    except ConflictError:
        form.add("", "An account with this email already exists: log in instead.")
        return _page(token, preview, form, 409)
    response = redirect(url_for("client_app.today", welcome=1), 303)
    set_access_cookies(response, accepted.tokens.access_token)
    forget_form_token()
    return response

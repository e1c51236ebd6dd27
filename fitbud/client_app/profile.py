"""Profile: name, email (with the current password), password, units, timezone; food and allergies; my data; log out."""

from __future__ import annotations

from typing import Any

from flask import Response, g, make_response, redirect, render_template, request, url_for
from flask_jwt_extended import get_jwt

from fitbud.client_app import bp
from fitbud.client_app.forms import Form
from fitbud.client_app.session import app_client, app_user
from fitbud.data.foods import ALLERGENS, DIETS
from fitbud.errors import DomainError, NotFoundError
from fitbud.ext.orm_session import writes_on_read
from fitbud.models import ReportType
from fitbud.services import accounts, clients, dietary, identity, reports

UNIT_CHOICES = (("metric", "Metric (kg, cm)"), ("imperial", "Imperial (lb, in)"))
# What the profile form sends under the API's names; the password fields are never redisplayed.
FIELDS = {
    "name": "name",
    "email": "email",
    "timezone": "timezone",
    "unit_system": "unit_system",
    "current_password": "current_password",
    "new_password": "new_password",
}
SECRET_FIELDS = ("current_password", "new_password")
EXPORTS_SHOWN = 3


def _diet_form(diet_form: Form | None) -> Form | None:
    """The food form: as submitted (with its errors), else the stored values; None when not coached."""
    if diet_form is not None:
        return diet_form
    try:
        details = dietary.dietary_of(clients.own_profile(app_user()))
    except NotFoundError:
        return None
    return Form(
        {
            "other_allergies": details["other_allergies"],
            "dislikes": details["dislikes"],
            "allergies": details["allergies"],
            "dietary_preferences": details["dietary_preferences"],
        }
    )


def _page(form: Form | None = None, status: int = 200, diet_form: Form | None = None) -> Response:
    user = app_user()
    if form is None:
        form = Form(
            {"name": user.name, "email": user.email, "timezone": user.timezone, "unit_system": user.unit_system}
        )
    else:
        form = Form({k: v for k, v in form.values.items() if k not in SECRET_FIELDS}, form.errors)
    return make_response(
        render_template(
            "client_app/profile.html",
            form=form,
            diet_form=_diet_form(diet_form),
            allergens=[(allergen, dietary.label(allergen).capitalize()) for allergen in ALLERGENS],
            diets=[(diet, dietary.label(diet).capitalize()) for diet in DIETS],
            units=UNIT_CHOICES,
            timezones=[(zone, zone.replace("_", " ")) for zone in sorted(accounts.timezone_names())],
            exports=reports.latest_own(user, ReportType.CLIENT_EXPORT, EXPORTS_SHOWN),
            saved=request.args.get("saved"),
            pending_email=identity.pending_email(user),
        ),
        status,
    )


@bp.get("/app/profile")
def profile() -> Response:
    """The client's account settings, their data exports and the way out."""
    return _page()


def _changes(form: Form) -> dict[str, Any]:
    user = app_user()
    changes: dict[str, Any] = {}
    name = form.text("name", required=True, max_length=120)
    if name and name != user.name:
        changes["name"] = name
    email = form.text("email", required=True, max_length=254)
    if email and "@" not in email:
        form.add("email", "Enter an email address like name@example.com.")
    elif email and accounts.normalize_email(email) != user.email:
        changes["email"] = email
    timezone = form.text("timezone", required=True)
    if timezone and timezone != user.timezone:
        changes["timezone"] = timezone
    unit_system = form.text("unit_system", required=True)
    if unit_system and unit_system != user.unit_system:
        changes["unit_system"] = unit_system
    current = form.values.get("current_password") or ""
    new = form.values.get("new_password") or ""
    if len(current) > 256:
        form.add("current_password", "At most 256 characters.")
    if len(new) > 256:
        form.add("new_password", "At most 256 characters.")
    if new:
        changes["new_password"] = new
        if not current:
            form.add("current_password", "Required to change the password.")
    if current and ("email" in changes or new):
        changes["current_password"] = current
    elif "email" in changes and not current:
        form.add("current_password", "Required to change your email.")
    return changes


@bp.post("/app/profile")
def update_profile() -> Response:
    """Save the changed settings at once (or none of them); a new password ends the other logins."""
    form = Form(request.form)
    changes = _changes(form)
    if not form.ok:
        return _page(form, 422)
    if changes:
        try:
            identity.update_profile(app_user(), changes, get_jwt().get("sid"))
        except DomainError as error:
            form.take(error, FIELDS)
            response = _page(form, int(error.status_code))
            response.headers.update(error.headers)  # Retry-After once the password budget is spent
            return response
    return redirect(url_for("client_app.profile", saved=1, _anchor="saved"), 303)


@bp.post("/app/profile/diet")
def update_diet() -> Response:
    """Save the client's allergies and dietary preferences (their trainer's diets respect them)."""
    chosen = {name: [v for v in request.form.getlist(name) if v in allowed]
              for name, allowed in (("allergies", ALLERGENS), ("dietary_preferences", DIETS))}
    form = Form({**request.form.to_dict(), **chosen})
    changes: dict[str, Any] = {
        **chosen,
        "other_allergies": form.text("other_allergies", max_length=dietary.MAX_FREE_TEXT),
        "dislikes": form.text("dislikes", max_length=dietary.MAX_FREE_TEXT),
    }
    if not form.ok:
        return _page(status=422, diet_form=form)
    try:
        clients.update_own_profile(app_user(), changes)
    except DomainError as error:
        form.take(error, {name: name for name in changes})
        return _page(status=int(error.status_code), diet_form=form)
    return redirect(url_for("client_app.profile", saved=1, _anchor="saved"), 303)


@bp.post("/app/profile/export")
def start_export() -> Response:
    """Ask for a copy of my data (the client export report); it is listed below the form when ready."""
    report = reports.start_report(app_user(), ReportType.CLIENT_EXPORT, {"client_id": app_client().id})
    return redirect(url_for("client_app.profile", _anchor=f"export-{report.id}"), 303)


@bp.get("/app/profile/export/<int:report_id>")
@writes_on_read  # a report whose job died is marked failed when it is looked at
def download_export(report_id: int) -> Response:
    """The finished export file; someone else's report is a 404."""
    g.app_section = "client_app.profile"
    name, content_type, content = reports.report_file(app_user(), report_id)
    response = make_response(content)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""Check-in: the weekly form (in the client's units) and past check-ins with the trainer's replies."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, g, make_response, redirect, render_template, request, url_for

from fitbud.client_app import bp
from fitbud.client_app.forms import Form, run_once
from fitbud.client_app.session import app_user
from fitbud.errors import DomainError
from fitbud.services import assignments, check_ins
from fitbud.services.measures import BODY_FAT, BODY_WEIGHT, CHECK_IN_MEASUREMENTS, CIRCUMFERENCES

RATINGS = (
    ("energy", "Energy", "1 = exhausted, 5 = full of energy"),
    ("stress", "Stress", "1 = calm, 5 = very stressed"),
    ("adherence", "Sticking to the plan", "1 = not at all, 5 = all week"),
)
# The free questions; the question is the answer's key, so the trainer reads it as asked.
QUESTIONS = (
    ("wins", "What went well this week?"),
    ("struggles", "What was hard?"),
    ("questions", "Anything to ask your trainer?"),
)
ANSWER_MAX = 2000


def _page(form: Form | None = None, status: int = 200) -> Response:
    user = app_user()
    if form is None:
        today = assignments.today_for(user)["date"]
        form = Form({"submitted_on": today.isoformat(), "idempotency_key": str(uuid.uuid4())})
    return make_response(
        render_template(
            "client_app/check_in.html",
            form=form,
            ratings=RATINGS,
            questions=QUESTIONS,
            measurements=CHECK_IN_MEASUREMENTS,
            past=check_ins.latest_own(user),
            sent=request.args.get("sent"),
        ),
        status,
    )


@bp.get("/app/check-in")
def check_in() -> Response:
    """The weekly check-in form and the past check-ins with the trainer's replies."""
    return _page()


def _read(form: Form, unit_system: str) -> dict[str, Any]:
    data: dict[str, Any] = {"submitted_on": form.day("submitted_on")}
    weight = form.quantity("weight", BODY_WEIGHT, unit_system)
    if weight is not None:
        data["weight_kg"] = weight
    body_fat = form.number("body_fat", minimum=BODY_FAT.minimum, maximum=BODY_FAT.maximum)
    if body_fat is not None:
        data["body_fat_pct"] = body_fat
    measured = {}
    for name in CHECK_IN_MEASUREMENTS:
        value = form.quantity(f"m-{name}", CIRCUMFERENCES[name], unit_system)
        if value is not None:
            measured[name] = value
    data["measurements_cm"] = measured
    sleep = form.number("sleep_hours", minimum=0, maximum=24)
    if sleep is not None:
        data["sleep_hours"] = sleep
    for name, _label, _hint in RATINGS:
        rating = form.number(name, integer=True, minimum=1, maximum=5)
        if rating is not None:
            data[name] = rating
    answers = {}
    for name, question in QUESTIONS:
        text = form.text(f"q-{name}", max_length=ANSWER_MAX)
        if text:
            answers[question] = text
    data["answers"] = answers
    return data


@bp.post("/app/check-in")
def submit_check_in() -> Response:
    """Send this week's check-in, once per Idempotency-Key; one per day, as the service rules."""
    user = app_user()
    form = Form(request.form)
    data = _read(form, user.unit_system)
    key = form.text("idempotency_key", required=True, max_length=200)
    if form.ok and len(data) == 3 and not data["measurements_cm"] and not data["answers"]:
        form.add("", "Fill in at least one thing: your weight, a rating or an answer.")
    if not form.ok:
        return _page(form, 422)
    try:
        body = run_once(
            user, key, request.path, data, lambda: check_ins.create(user, data), lambda c: {"check_in_id": c.id}
        )
    except DomainError as error:
        fields = {
            "submitted_on": "submitted_on",
            "weight_kg": "weight",
            "body_fat_pct": "body_fat",
            "sleep_hours": "sleep_hours",
            **{name: name for name, _l, _h in RATINGS},
            **{f"measurements_cm.{name}": f"m-{name}" for name in CHECK_IN_MEASUREMENTS},
        }
        form.take(error, fields)
        return _page(form, int(error.status_code))
    return redirect(url_for("client_app.check_in", sent=body["check_in_id"], _anchor="sent"), 303)


@bp.get("/app/check-in/<int:check_in_id>")
def check_in_detail(check_in_id: int) -> Response:
    """One of the client's check-ins with the trainer's reply; anyone else's is a 404."""
    g.app_section = "client_app.check_in"
    found = check_ins.get_own(app_user(), check_in_id)
    return make_response(
        render_template(
            "client_app/check_in_detail.html", check_in=found, ratings=RATINGS, measurements=CHECK_IN_MEASUREMENTS
        )
    )

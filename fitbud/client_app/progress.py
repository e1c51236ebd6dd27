"""Progress: log weight and measurements; charts of weight, measurements, volume, adherence and calories; records.

The figures are the ones the trainer sees (services/progress.my_progress, the pipeline behind
GET /api/v1/me/progress), drawn as small server-side SVG charts: nothing extra for the phone to load.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Response, make_response, redirect, render_template, request, url_for

from fitbud.client_app import bp
from fitbud.client_app.forms import Form, run_once
from fitbud.client_app.progress_view import (
    DEFAULT_RANGE,
    METRIC_NAMES,
    RANGES,
    adherence_chart,
    calories_chart,
    measurement_charts,
    volume_chart,
    weight_chart,
)
from fitbud.client_app.session import app_client, app_user
from fitbud.errors import DomainError
from fitbud.services import assignments, body_metrics, imports, records, workout_logs
from fitbud.services import progress as progress_service
from fitbud.services.units import from_si_distance, from_si_mass, mass_unit, unit_label

FORMS = ("weight", "measure")
RECENT_WORKOUTS = 5
RECENT_ACTIVITIES = 5


def _new_form(form_id: str, today) -> Form:
    return Form({f"{form_id}-measured_on": today.isoformat(), "idempotency_key": str(uuid.uuid4())})


def _page(forms: dict[str, Form] | None = None, status: int = 200) -> Response:
    user = app_user()
    chosen = request.args.get("range", DEFAULT_RANGE)
    label, days = RANGES.get(chosen, RANGES[DEFAULT_RANGE])
    today = assignments.today_for(user)["date"]
    figures = progress_service.my_progress(user, today - timedelta(days=days - 1), today)
    unit_system = user.unit_system
    forms = forms or {}
    return make_response(
        render_template(
            "client_app/progress.html",
            figures=figures,
            ranges=RANGES,
            chosen=chosen if chosen in RANGES else DEFAULT_RANGE,
            range_label=label,
            weight=weight_chart(figures.weight, unit_system, figures.last),
            measurements=measurement_charts(figures.measurements, unit_system, figures.last),
            volume=volume_chart(figures.weekly_volume, unit_system),
            adherence=adherence_chart(figures.weekly_adherence),
            calories=calories_chart(figures.daily_calories, figures.last),
            records=[
                {
                    "name": record.exercise_name,
                    "heaviest": f"{from_si_mass(record.heaviest.weight_kg, unit_system):g} {mass_unit(unit_system)}"
                    f" × {record.heaviest.reps}",
                    "heaviest_on": record.heaviest.performed_on,
                    "e1rm": f"{from_si_mass(record.best_estimated_1rm.estimated_1rm_kg, unit_system):g}"
                    f" {mass_unit(unit_system)}",
                }
                for record in records.personal_records(app_client().id)
            ],
            weight_form=forms.get("weight") or _new_form("weight", today),
            measure_form=forms.get("measure") or _new_form("measure", today),
            workouts=workout_logs.latest_own(user, RECENT_WORKOUTS),
            cardio=_cardio(figures, unit_system),
            activities=[
                {
                    "sport": activity.sport.replace("_", " ").capitalize(),
                    "day": activity.performed_on,
                    "minutes": round(activity.duration_seconds / 60),
                    "distance": _distance(activity.distance_m, unit_system),
                    "heart_rate": activity.avg_heart_rate,
                }
                for activity in imports.latest_activities(user, RECENT_ACTIVITIES)
            ],
            metric_names=METRIC_NAMES,
            logged=request.args.get("logged"),
        ),
        status,
    )


def _distance(metres: float | None, unit_system: str) -> str | None:
    if not metres:
        return None
    return f"{from_si_distance(metres, unit_system):.1f} {unit_label('distance', unit_system)}"


def _cardio(figures, unit_system: str) -> dict[str, object]:
    """The range's activities, minutes and distance, and the average of the days with a step count."""
    weeks = figures.weekly_activity
    steps = [point["steps"] for point in figures.daily_steps]
    return {
        "activities": sum(week["activities"] for week in weeks),
        "minutes": sum(week["minutes"] for week in weeks),
        "distance": _distance(sum(week["distance_m"] for week in weeks), unit_system),
        "steps": round(sum(steps) / len(steps)) if steps else None,
    }


@bp.get("/app/progress")
def progress() -> Response:
    """The client's progress over 4 weeks to a year, and the forms to log weight and measurements."""
    return _page()


@bp.post("/app/progress/metrics")
def log_metric() -> Response:
    """Log one weight or measurement for a day (in the client's units), once per Idempotency-Key."""
    user = app_user()
    form_id = request.form.get("form_id", "")
    if form_id not in FORMS:
        form_id = "measure"
    form = Form(request.form)
    metric = "weight" if form_id == "weight" else form.text(f"{form_id}-metric", required=True)
    if metric != "weight" and metric and metric not in METRIC_NAMES:
        form.add(f"{form_id}-metric", "Choose one of the measurements listed.")
    value = form.number(f"{form_id}-value", required=True)
    day = form.day(f"{form_id}-measured_on")
    key = form.text("idempotency_key", required=True, max_length=200)
    status = 422
    if form.ok:
        data = {"measured_on": day, "metric": metric, "value": value}
        try:
            run_once(user, key, request.path, data, lambda: body_metrics.create(user, data), lambda m: {"id": m.id})
        except DomainError as error:
            status = int(error.status_code)  # 409 for a second value the same day, 422 for a bad one
            form.take(
                error,
                {"value": f"{form_id}-value", "measured_on": f"{form_id}-measured_on", "metric": f"{form_id}-metric"},
            )
    if not form.ok:
        return _page({form_id: form}, status)
    anchor = "weight" if metric == "weight" else "measurements"
    return redirect(url_for("client_app.progress", logged=metric, _anchor=anchor), 303)

"""Today: the workout of the day, logged set by set and saved once; the day's meals and a quick meal log."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, make_response, redirect, render_template, request, url_for

from fitbud.client_app import bp
from fitbud.client_app.forms import Form, run_once
from fitbud.client_app.session import app_client, app_user
from fitbud.client_app.today_view import exercise_cards, macro_rows, set_summary
from fitbud.errors import DomainError
from fitbud.services import assignments, meal_logs, workout_logs
from fitbud.services.measures import LIFTED_WEIGHT, MAX_REPS, MAX_SET_SECONDS

MEAL_NAME_MAX = 80
MAX_KCAL = 10_000
MAX_GRAMS = 1_000


def _new_key() -> str:
    return str(uuid.uuid4())


def _workout_state(today: dict[str, Any]) -> dict[str, Any]:
    user = app_user()
    workout = today["workout"]
    cards = []
    if workout and not workout["rest"]:
        ids = {item["exercise_id"] for item in workout["items"]}
        last = workout_logs.last_performance(user, ids, today["date"])
        cards = exercise_cards(workout, last, user.unit_system)
    return {"workout": workout, "cards": cards}


def _context(workout_form: Form | None = None, meal_form: Form | None = None) -> dict[str, Any]:
    user = app_user()
    today = assignments.today_for(user)
    nutrition = meal_logs.nutrition_day(app_client(), today["date"])
    logged = workout_logs.logged_on(user, today["date"])
    return {
        "today": today,
        **_workout_state(today),
        "logged": [{"log": log, "sets": [set_summary(s, user.unit_system) for s in log.sets]} for log in logged],
        "nutrition": nutrition,
        "macros": macro_rows(nutrition.totals, nutrition.targets),
        "workout_form": workout_form or Form({"idempotency_key": _new_key()}),
        "meal_form": meal_form or Form({"idempotency_key": _new_key()}),
        "welcome": request.args.get("welcome") == "1",
        "saved": request.args.get("saved"),
    }


@bp.get("/app/")
def today() -> Response:
    """Today's workout (or rest) and meals, in the client's timezone and units."""
    return make_response(render_template("client_app/today.html", **_context()))


def _read_sets(form: Form, cards: list, unit_system: str) -> list[dict[str, Any]]:
    """The sets ticked as done, per exercise, in SI; problems go to the form beside each input."""
    exercises = []
    for card in cards:
        done = []
        for row in card.rows:
            prefix = f"s-{card.index}-{row.number}"
            if not form.values.get(f"{prefix}-done"):
                continue
            if card.timed:
                seconds = form.number(
                    f"{prefix}-seconds", required=True, integer=True, minimum=1, maximum=MAX_SET_SECONDS
                )
                done.append({"duration_seconds": seconds})
                continue
            reps = form.number(f"{prefix}-reps", required=True, integer=True, minimum=0, maximum=MAX_REPS)
            weight = form.quantity(f"{prefix}-weight", LIFTED_WEIGHT, unit_system)
            rpe = form.number(f"{prefix}-rpe", minimum=1, maximum=10)
            done.append({"reps": reps, "weight_kg": weight, "rpe": rpe})
        if done:
            exercises.append({"exercise_id": card.exercise_id, "sets": done})
    return exercises


@bp.post("/app/workout")
def finish_workout() -> Response:
    """Save the sets ticked as done as one workout log, once per Idempotency-Key (a retry changes nothing)."""
    user = app_user()
    form = Form(request.form)
    today = assignments.today_for(user)
    state = _workout_state(today)
    workout = state["workout"]
    if not state["cards"]:
        form.add("", "There is no workout to log today.")
        return _render_today(form, None, 422)
    exercises = _read_sets(form, state["cards"], user.unit_system)
    effort = form.number("perceived_effort", integer=True, minimum=1, maximum=10)
    minutes = form.number("duration_minutes", integer=True, minimum=1, maximum=24 * 60)
    notes = form.text("notes", max_length=2000)
    key = form.text("idempotency_key", required=True, max_length=200)
    if form.ok and not exercises:
        form.add("", "Tick at least one set as done before finishing.")
    if not form.ok:
        return _render_today(form, None, 422)
    data = {
        "performed_on": today["date"],
        "assignment_id": workout["assignment_id"],
        "plan_week_index": workout["week_index"],
        "plan_day_index": workout["day_index"],
        "exercises": exercises,
        "notes": notes,
        **({"perceived_effort": effort} if effort is not None else {}),
        **({"duration_minutes": minutes} if minutes is not None else {}),
    }
    try:
        body = run_once(
            user,
            key,
            request.path,
            data,
            lambda: workout_logs.create(user, data),
            lambda log: {"workout_log_id": log.id},
        )
    except DomainError as error:
        form.take(
            error, {"perceived_effort": "perceived_effort", "duration_minutes": "duration_minutes", "notes": "notes"}
        )
        return _render_today(form, None, error.status_code)
    return redirect(url_for("client_app.today", saved=body["workout_log_id"], _anchor="done"), 303)


def _render_today(workout_form: Form | None, meal_form: Form | None, status: int) -> Response:
    return make_response(render_template("client_app/today.html", **_context(workout_form, meal_form)), status)


@bp.post("/app/meals")
def log_meal() -> Response:
    """A quick meal entry (name, kcal, macros) for today, once per Idempotency-Key.

    htmx swaps only the meals section; without JavaScript the whole page comes back.
    """
    user = app_user()
    form = Form(request.form)
    name = form.text("meal_name", required=True, max_length=MEAL_NAME_MAX)
    kcal = form.number("kcal", required=True, minimum=0, maximum=MAX_KCAL)
    macros = {key: form.number(key, minimum=0, maximum=MAX_GRAMS) for key in ("protein_g", "carbs_g", "fat_g")}
    key = form.text("idempotency_key", required=True, max_length=200)
    partial = bool(request.headers.get("HX-Request"))
    if form.ok:
        today = assignments.today_for(user)["date"]
        data = {
            "eaten_on": today,
            "meal_name": name,
            "kcal": kcal,
            **{k: v for k, v in macros.items() if v is not None},
        }
        try:
            run_once(
                user, key, request.path, data, lambda: meal_logs.create(user, data), lambda log: {"meal_log_id": log.id}
            )
        except DomainError as error:
            form.take(
                error,
                {
                    "meal_name": "meal_name",
                    "kcal": "kcal",
                    "protein_g": "protein_g",
                    "carbs_g": "carbs_g",
                    "fat_g": "fat_g",
                    "eaten_on": "meal_name",
                },
            )
    if form.ok:
        if not partial:
            return redirect(url_for("client_app.today", _anchor="meals"), 303)
        return make_response(render_template("client_app/_meals.html", **_context()))
    if partial:
        # htmx only swaps successful responses; the section with its field errors is the answer.
        return make_response(render_template("client_app/_meals.html", **_context(meal_form=form)))
    return _render_today(None, form, 422)

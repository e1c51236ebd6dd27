"""The Today page: the workout logged set by set and saved once, meals against the plan, rest days."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from fitbud.client_app.today_view import set_summary
from fitbud.extensions import db
from fitbud.models import IdempotencyKey, MealLog, PlanKind, WorkoutLog, WorkoutSet
from tests.client_app.helpers import csrf, form_value
from tests.factories import PlanAssignmentFactory, WorkoutLogFactory, WorkoutSetFactory
from tests.helpers import assert_page_error


def _finish(http, key: str | None = None, **fields) -> object:
    page = http.get("/app/").get_data(as_text=True)
    data = {"csrf_token": csrf(http), "idempotency_key": key or form_value(page, "idempotency_key"), **fields}
    return http.post("/app/workout", data=data)


def _sets(log_id: int) -> list[WorkoutSet]:
    return list(
        db.session.execute(
            select(WorkoutSet)
            .where(WorkoutSet.workout_log_id == log_id)
            .order_by(WorkoutSet.exercise_order, WorkoutSet.set_number)
        ).scalars()
    )


def test_today_shows_the_workout_with_sets_load_rest_and_notes(app_http, workout_day):
    html = app_http.get("/app/").get_data(as_text=True)
    assert "Legs and core" in html and "Back Squat" in html and "2 × 5" in html
    assert "100 kg" in html and "rest 120 s" in html and "Brace before each rep." in html
    assert "Sit between your hips." in html  # instructions, behind "How to do it"
    assert 'id="s-0-2-weight"' in html and 'id="s-1-1-seconds"' in html


def test_today_shows_loads_in_pounds_for_an_imperial_client(app_http, workout_day, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    html = app_http.get("/app/").get_data(as_text=True)
    assert "220.5 lb" in html and 'value="220.5"' in html


def test_a_rest_day_says_so(app_http, workout_day):
    workout_day.start_date = date.today() - timedelta(days=1)  # today is the plan's rest day
    db.session.commit()
    html = app_http.get("/app/").get_data(as_text=True)
    assert "Rest day" in html and "Finish workout" not in html


def test_without_a_plan_the_page_says_the_trainer_has_not_assigned_one(app_http, client_record):
    html = app_http.get("/app/").get_data(as_text=True)
    assert "No workout plan yet" in html and "No diet plan yet" in html


def test_last_times_performance_is_shown_beside_each_set(app_http, workout_day, exercises, client_record):
    log = WorkoutLogFactory(client=client_record, performed_on=date.today() - timedelta(days=3))
    WorkoutSetFactory(workout_log=log, exercise=exercises[0], set_number=1, reps=5, weight_kg=95.0, rpe=8)
    WorkoutSetFactory(workout_log=log, exercise=exercises[0], set_number=2, reps=4, weight_kg=95.0)
    html = app_http.get("/app/").get_data(as_text=True)
    assert "Last: 5 × 95 kg @ RPE 8" in html and "Last: 4 × 95 kg" in html
    assert 'id="s-0-1-weight" name="s-0-1-weight" inputmode="decimal" value="95"' in html


def test_finishing_saves_one_log_with_the_sets_done(app_http, workout_day, exercises):
    response = _finish(
        app_http,
        **{
            "s-0-1-done": "1",
            "s-0-1-reps": "5",
            "s-0-1-weight": "100",
            "s-0-1-rpe": "8",
            "s-0-2-done": "1",
            "s-0-2-reps": "4",
            "s-0-2-weight": "100",
            "s-1-1-done": "1",
            "s-1-1-seconds": "50",
            "perceived_effort": "8",
            "notes": "Felt strong",
        },
    )
    assert response.status_code == 303 and "saved=" in response.headers["Location"]
    log = db.session.execute(select(WorkoutLog)).scalar_one()
    assert (log.assignment_id, log.plan_week_index, log.plan_day_index) == (workout_day.id, 0, 0)
    assert log.sets_done == 3 and log.sets_planned == 3 and log.perceived_effort == 8 and log.notes == "Felt strong"
    sets = _sets(log.id)
    assert [(s.exercise_id, s.reps, s.weight_kg, s.rpe) for s in sets[:2]] == [
        (exercises[0].id, 5, 100.0, 8.0),
        (exercises[0].id, 4, 100.0, None),
    ]
    assert sets[2].exercise_id == exercises[1].id and sets[2].duration_seconds == 50
    assert "Workout saved" in app_http.get(response.headers["Location"]).get_data(as_text=True)


def test_sets_not_ticked_as_done_are_not_logged(app_http, workout_day):
    _finish(app_http, **{"s-0-1-done": "1", "s-0-1-reps": "5", "s-0-1-weight": "100", "s-0-2-reps": "5"})
    log = db.session.execute(select(WorkoutLog)).scalar_one()
    assert log.sets_done == 1


def test_an_imperial_client_logs_pounds_stored_as_kilograms(app_http, workout_day, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    _finish(app_http, **{"s-0-1-done": "1", "s-0-1-reps": "5", "s-0-1-weight": "225"})
    assert round(_sets(db.session.execute(select(WorkoutLog.id)).scalar_one())[0].weight_kg, 3) == 102.058


def test_sending_the_same_finish_twice_saves_one_workout(app_http, workout_day):
    fields = {"s-0-1-done": "1", "s-0-1-reps": "5", "s-0-1-weight": "100"}
    first = _finish(app_http, key="finish-once", **fields)
    again = _finish(app_http, key="finish-once", **fields)
    assert first.headers["Location"] == again.headers["Location"]
    assert db.session.query(WorkoutLog).count() == 1
    assert (
        db.session.execute(select(IdempotencyKey.status_code).where(IdempotencyKey.key == "finish-once")).scalar()
        == 201
    )


def test_the_same_key_with_other_sets_is_a_conflict(app_http, workout_day):
    _finish(app_http, key="finish-twice", **{"s-0-1-done": "1", "s-0-1-reps": "5"})
    response = _finish(app_http, key="finish-twice", **{"s-0-1-done": "1", "s-0-1-reps": "6"})
    assert_page_error(response, 409, text="already used with a different request")
    assert db.session.query(WorkoutLog).count() == 1


def test_reps_that_are_not_a_number_show_the_error_beside_the_field(app_http, workout_day):
    response = _finish(app_http, **{"s-0-1-done": "1", "s-0-1-reps": "five"})
    html = assert_page_error(response, 422, "s-0-1-reps")
    assert 'id="s-0-1-reps-error">Enter a whole number.' in html
    assert 'aria-invalid="true" aria-describedby="s-0-1-reps-error"' in html
    assert db.session.query(WorkoutLog).count() == 0


def test_an_implausible_load_is_refused_in_the_clients_units(app_http, workout_day, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    response = _finish(app_http, **{"s-0-1-done": "1", "s-0-1-reps": "5", "s-0-1-weight": "3000"})
    html = assert_page_error(response, 422, "s-0-1-weight")
    assert 'id="s-0-1-weight-error">Must be between 0 and 2204.6 lb.' in html


def test_an_rpe_outside_one_to_ten_is_refused(app_http, workout_day):
    response = _finish(app_http, **{"s-0-1-done": "1", "s-0-1-reps": "5", "s-0-1-rpe": "11"})
    assert 'id="s-0-1-rpe-error">Must be between 1 and 10.' in assert_page_error(response, 422, "s-0-1-rpe")


def test_finishing_with_no_set_done_asks_for_one(app_http, workout_day):
    response = _finish(app_http, **{"s-0-1-reps": "5"})
    assert_page_error(response, 422, text="Tick at least one set as done")


def test_a_form_that_failed_keeps_what_was_typed_and_its_key(app_http, workout_day):
    response = _finish(app_http, key="kept-key", **{"s-0-1-done": "1", "s-0-1-reps": "5", "perceived_effort": "12"})
    html = response.get_data(as_text=True)
    assert 'id="perceived_effort-error">Must be between 1 and 10.' in html
    assert 'value="kept-key"' in html and 'name="s-0-1-done" value="1" class="set-done" checked' in html
    assert _finish(app_http, key="kept-key", **{"s-0-1-done": "1", "s-0-1-reps": "5"}).status_code == 303


def test_finishing_on_a_rest_day_is_refused(app_http, workout_day):
    workout_day.start_date = date.today() - timedelta(days=1)
    db.session.commit()
    response = _finish(app_http, key="rest-day", **{"s-0-1-done": "1", "s-0-1-reps": "5"})
    assert_page_error(response, 422, text="no workout to log today")


def test_another_clients_plan_never_shows(app_http, workout_day, exercises):
    other = PlanAssignmentFactory(kind=PlanKind.WORKOUT, name="Somebody else's plan", content=workout_day.content)
    assert other.client_id != workout_day.client_id
    assert "Somebody else" not in app_http.get("/app/").get_data(as_text=True)


# Meals ----------------------------------------------------------------------------------------


def _log_meal(http, headers=None, **fields):
    page = http.get("/app/").get_data(as_text=True)
    keys = [value for value in __import__("re").findall(r'name="idempotency_key" value="([^"]*)"', page)]
    data = {"csrf_token": csrf(http), "idempotency_key": keys[-1], **fields}
    return http.post("/app/meals", data=data, headers=headers or {})


def test_today_shows_planned_meals_against_what_is_logged(app_http, diet_day, client_record):
    from tests.factories import MealLogFactory

    MealLogFactory(client=client_record, meal_name="Breakfast", eaten_on=date.today(), kcal=450)
    html = app_http.get("/app/").get_data(as_text=True)
    assert "Breakfast" in html and "Chicken breast" in html
    assert 'id="macro-kcal" max="2000" value="450' in html and "450 of 2000 kcal" in html


def test_a_quick_meal_is_logged_for_today_and_the_section_comes_back(app_http, diet_day):
    response = _log_meal(app_http, headers={"HX-Request": "true"}, meal_name="Lunch", kcal="640", protein_g="40")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(
        '<section class="card" aria-labelledby="meals-heading"'
    )
    assert "Lunch" in html and "640 of 2000 kcal" in html
    meal = db.session.execute(select(MealLog)).scalar_one()
    assert (meal.meal_name, meal.kcal, meal.protein_g, meal.eaten_on) == ("Lunch", 640.0, 40.0, date.today())


def test_without_javascript_a_quick_meal_redirects_back_to_the_meals(app_http, diet_day):
    response = _log_meal(app_http, meal_name="Lunch", kcal="640")
    assert response.status_code == 303 and response.headers["Location"].endswith("/app/#meals")


def test_a_quick_meal_without_calories_shows_the_error_beside_the_field(app_http, diet_day):
    response = _log_meal(app_http, headers={"HX-Request": "true"}, meal_name="Lunch", kcal="")
    html = response.get_data(as_text=True)
    assert 'id="kcal-error">This field is required.' in html and 'value="Lunch"' in html
    assert db.session.query(MealLog).count() == 0


def test_a_quick_meal_with_a_bad_value_is_a_422_page_without_javascript(app_http, diet_day):
    response = _log_meal(app_http, meal_name="", kcal="-5")
    html = assert_page_error(response, 422, ("meal_name", "kcal"))
    assert (
        'id="meal_name-error">This field is required.' in html
        and 'id="kcal-error">Must be between 0 and 10000.' in html
    )


def test_a_quick_meal_sent_twice_is_logged_once(app_http, diet_day):
    page = app_http.get("/app/").get_data(as_text=True)
    key = __import__("re").findall(r'name="idempotency_key" value="([^"]*)"', page)[-1]
    data = {"csrf_token": csrf(app_http), "idempotency_key": key, "meal_name": "Snack", "kcal": "200"}
    app_http.post("/app/meals", data=data)
    app_http.post("/app/meals", data=data)
    assert db.session.query(MealLog).count() == 1


def test_the_day_is_the_clients_day_not_the_servers(http, client_record, client_login):
    import time_machine

    from tests.client_app.helpers import login

    client_login.timezone = client_record.timezone = "Pacific/Kiritimati"  # UTC+14
    db.session.commit()
    noon_utc = f"{date.today().isoformat()}T12:00:00Z"
    with time_machine.travel(noon_utc, tick=False):
        login(http, client_login.email)
        html = http.get("/app/").get_data(as_text=True)
    tomorrow = date.today() + timedelta(days=1)
    assert f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B}" in html


def test_a_timed_or_distance_set_is_told_by_its_time_or_distance_not_a_nominal_rep():
    hold = WorkoutSet(set_number=1, reps=1, duration_seconds=45)
    run = WorkoutSet(set_number=1, reps=None, distance_m=5000)
    lift = WorkoutSet(set_number=1, reps=5, weight_kg=80.0, rpe=8)

    assert set_summary(hold, "metric") == "45 s"
    assert set_summary(run, "metric") == "5 km"
    assert set_summary(lift, "metric") == "5 × 80 kg @ RPE 8"

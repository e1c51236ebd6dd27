"""Workout logs: create with sets, volume, plan links, validation, ownership, idempotency, units."""

from datetime import timedelta

import pytest

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, Client, PlanKind, WorkoutLog, WorkoutSet
from tests.api.progress_support import count_rows, days_ago, idempotent, today
from tests.factories import (
    ClientFactory,
    ExerciseFactory,
    PlanAssignmentFactory,
    WorkoutLogFactory,
    diet_content,
    workout_content,
)
from tests.helpers import assert_error, bearer, count_statements

URL = "/api/v1/me/workout-logs"


@pytest.fixture
def squat(trainer):
    return ExerciseFactory(owner=trainer, name="Squat")


@pytest.fixture
def bench(trainer):
    return ExerciseFactory(owner=trainer, name="Bench")


def _body(squat, bench=None, **extra):
    exercises = [{"exercise_id": squat.id, "sets": [{"reps": 5, "weight": 100, "rpe": 8}, {"reps": 5, "weight": 110}]}]
    if bench is not None:
        exercises.append({"exercise_id": bench.id, "sets": [{"reps": 10, "weight": 60}]})
    return {"performed_on": today().isoformat(), "duration_minutes": 60, "exercises": exercises, **extra}


def test_create_computes_volume_and_sets_done(http, client_headers, client_record, squat, bench):
    response = http.post(URL, json=_body(squat, bench), headers=client_headers)
    assert response.status_code == 201, response.json
    log = response.json
    assert log["total_volume"] == 5 * 100 + 5 * 110 + 10 * 60
    assert log["sets_done"] == 3 and log["sets_planned"] is None
    assert [e["exercise_id"] for e in log["exercises"]] == [squat.id, bench.id]
    assert log["exercises"][0]["sets"][1] == {
        "set_number": 2, "reps": 5, "weight": 110.0, "rpe": None, "duration_seconds": None, "distance": None
    }


def test_create_marks_client_activity(http, client_headers, client_record, squat):
    http.post(URL, json=_body(squat), headers=client_headers)
    db.session.expire_all()
    assert db.session.get(Client, client_record.id).last_activity_at is not None


def test_create_adds_workout_logged_to_trainer_feed(http, client_headers, client_record, trainer, squat):
    http.post(URL, json=_body(squat), headers=client_headers)
    event = db.session.query(ActivityEvent).one()
    assert event.type is ActivityType.WORKOUT_LOGGED and event.trainer_id == trainer.id
    assert event.payload["sets_done"] == 2


def test_deleting_a_workout_takes_its_feed_events_with_it(http, client_headers, trainer_headers, squat):
    # Two sets of a first squat: a workout_logged and a record_set event, both about this workout.
    created = http.post(URL, json=_body(squat), headers=client_headers).json
    meal = {"eaten_on": today().isoformat(), "meal_name": "Breakfast", "kcal": 420}
    http.post("/api/v1/me/meal-logs", json=meal, headers=client_headers)
    assert {e["type"] for e in http.get("/api/v1/feed", headers=trainer_headers).json["items"]} >= {
        "workout_logged", "meal_logged"
    }

    assert http.delete(f"{URL}/{created['id']}", headers=client_headers).status_code == 204

    items = http.get("/api/v1/feed", headers=trainer_headers).json["items"]
    assert [e["type"] for e in items] == ["meal_logged"]


def test_cardio_set_with_time_and_distance(http, client_headers, client_record, trainer):
    run = ExerciseFactory(owner=trainer, name="Run", category="cardio")
    body = {"performed_on": today().isoformat(), "exercises": [
        {"exercise_id": run.id, "sets": [{"duration_seconds": 1800, "distance": 5.5}]}
    ]}
    response = http.post(URL, json=body, headers=client_headers)
    assert response.status_code == 201, response.json
    assert response.json["exercises"][0]["sets"][0]["distance"] == 5.5
    assert db.session.query(WorkoutSet).one().distance_m == 5500
    assert response.json["total_volume"] == 0


def test_imperial_weights_round_trip(http, client_user, client_headers, squat):
    client_user.unit_system = "imperial"
    db.session.commit()
    body = {"performed_on": today().isoformat(), "exercises": [
        {"exercise_id": squat.id, "sets": [{"reps": 5, "weight": 225.5}]}
    ]}
    response = http.post(URL, json=body, headers=client_headers)
    assert response.status_code == 201, response.json
    assert response.json["exercises"][0]["sets"][0]["weight"] == 225.5
    assert response.json["total_volume"] == pytest.approx(5 * 225.5)
    stored = db.session.query(WorkoutSet).one()
    assert stored.weight_kg == pytest.approx(102.285, abs=0.001)


# Plan links -----------------------------------------------------------------------------------


def _plan(client_record, squat, **overrides):
    overrides.setdefault("start_date", today())
    return PlanAssignmentFactory(client=client_record, content=workout_content([squat.id]), **overrides)


def test_link_defaults_to_the_day_scheduled_on_the_date(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat)
    response = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers)
    assert response.status_code == 201, response.json
    assert (response.json["plan_week_index"], response.json["plan_day_index"]) == (0, 0)
    assert response.json["sets_planned"] == 3 and response.json["sets_done"] == 2


def test_link_with_explicit_day_indices(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat, start_date=days_ago(3))
    body = _body(squat, assignment_id=assignment.id, plan_week_index=0, plan_day_index=0)
    response = http.post(URL, json=body, headers=client_headers)
    assert response.status_code == 201, response.json
    assert response.json["sets_planned"] == 3


def test_link_to_another_clients_assignment_is_422(http, client_headers, client_record, trainer, squat):
    other = ClientFactory(trainer=trainer)
    assignment = _plan(other, squat)
    response = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers)
    assert_error(response, 422, "assignment_id")


def test_link_to_ended_assignment_is_422(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat, start_date=days_ago(30), end_date=days_ago(1))
    response = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers)
    assert_error(response, 422, "assignment_id")
    assert "not active" in response.json["errors"]["assignment_id"][0]


def test_link_to_not_yet_started_assignment_is_422(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat, start_date=today() + timedelta(days=1))
    response = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers)
    assert_error(response, 422, "assignment_id")


def test_link_to_diet_assignment_is_422(http, client_headers, client_record, squat):
    assignment = PlanAssignmentFactory(
        client=client_record, kind=PlanKind.DIET, content=diet_content(), start_date=today()
    )
    response = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers)
    assert_error(response, 422, "assignment_id")
    assert response.json["errors"]["assignment_id"] == ["Not a workout plan."]


def test_link_to_missing_day_index_is_422(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat)
    body = _body(squat, assignment_id=assignment.id, plan_week_index=0, plan_day_index=5)
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "plan_day_index")


def test_link_to_missing_week_index_is_422(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat)
    body = _body(squat, assignment_id=assignment.id, plan_week_index=3, plan_day_index=0)
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "plan_week_index")


def test_link_to_rest_day_is_422(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat)
    body = _body(squat, assignment_id=assignment.id, plan_week_index=0, plan_day_index=1)
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "plan_day_index")
    assert response.json["errors"]["plan_day_index"] == ["That plan day is a rest day."]


def test_link_on_a_date_the_plan_leaves_uncovered_is_422(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat, start_date=days_ago(2))  # day 2 of a 2-day week
    response = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers)
    assert_error(response, 422, "plan_day_index")


def test_day_index_without_assignment_is_422(http, client_headers, client_record, squat):
    response = http.post(URL, json=_body(squat, plan_week_index=0, plan_day_index=0), headers=client_headers)
    assert_error(response, 422, "plan_week_index")


# Validation -----------------------------------------------------------------------------------


def test_tomorrow_is_accepted(http, client_headers, client_record, squat):
    body = _body(squat, performed_on=(today() + timedelta(days=1)).isoformat())
    assert http.post(URL, json=body, headers=client_headers).status_code == 201


def test_date_after_tomorrow_is_422(http, client_headers, client_record, squat):
    body = _body(squat, performed_on=(today() + timedelta(days=2)).isoformat())
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "performed_on")


def test_missing_date_is_422(http, client_headers, client_record, squat):
    body = _body(squat)
    del body["performed_on"]
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "performed_on")


def test_reps_of_wrong_type_is_422_with_path(http, client_headers, client_record, squat):
    body = _body(squat)
    body["exercises"][0]["sets"][1]["reps"] = "five"
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "exercises.0.sets.1.reps")
    assert "exercises.0.sets.1.reps" in response.json["errors"]


def test_reps_out_of_range_is_422(http, client_headers, client_record, squat):
    body = _body(squat)
    body["exercises"][0]["sets"][0]["reps"] = 1001
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "exercises.0.sets.0.reps")
    assert "exercises.0.sets.0.reps" in response.json["errors"]


def test_implausible_weight_is_422_in_callers_units(http, client_user, client_headers, client_record, squat):
    client_user.unit_system = "imperial"
    db.session.commit()
    body = _body(squat)
    body["exercises"][0]["sets"][0]["weight"] = 2500
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "exercises.0.sets.0.weight")
    assert response.json["errors"]["exercises.0.sets.0.weight"] == [
        "Must be between 0 and 2204.6 lb."
    ]


def test_set_with_nothing_done_is_422(http, client_headers, client_record, squat):
    body = _body(squat)
    body["exercises"][0]["sets"][0] = {"rpe": 7}
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "exercises.0.sets.0.reps")


def test_unknown_field_is_422(http, client_headers, client_record, squat):
    response = http.post(URL, json=_body(squat, mood="great"), headers=client_headers)
    assert_error(response, 422, "mood")


def test_other_trainers_exercise_is_422_with_path(http, client_headers, client_record, other_trainer, squat):
    foreign = ExerciseFactory(owner=other_trainer)
    body = _body(squat)
    body["exercises"].append({"exercise_id": foreign.id, "sets": [{"reps": 5}]})
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "exercises.1.exercise_id")


def test_builtin_exercise_is_accepted(http, client_headers, client_record):
    builtin = ExerciseFactory(owner=None, name="Deadlift")
    body = {"performed_on": today().isoformat(), "exercises": [{"exercise_id": builtin.id, "sets": [{"reps": 3}]}]}
    assert http.post(URL, json=body, headers=client_headers).status_code == 201


# Auth and ownership ---------------------------------------------------------------------------


def test_no_token_is_401(http, squat):
    assert_error(http.post(URL, json=_body(squat)), 401, message="Authentication required")
    assert_error(http.get(URL), 401, message="Authentication required")


def test_trainer_cannot_log_for_themselves_403(http, trainer_headers, squat):
    assert_error(http.post(URL, json=_body(squat), headers=trainer_headers), 403, "role")


def test_other_clients_log_is_404(http, client_headers, trainer):
    foreign = WorkoutLogFactory(client=ClientFactory(trainer=trainer, with_login=True))
    assert_error(http.get(f"{URL}/{foreign.id}", headers=client_headers), 404, message="No such workout log")
    assert_error(
        http.patch(f"{URL}/{foreign.id}", json={"notes": "x"}, headers=client_headers),
        404,
        message="No such workout log",
    )
    assert_error(http.delete(f"{URL}/{foreign.id}", headers=client_headers), 404, message="No such workout log")


# Reading, updating, deleting ------------------------------------------------------------------


def test_list_is_newest_first_and_filters_by_date(http, client_headers, client_record):
    for n in (1, 5, 10):
        WorkoutLogFactory(client=client_record, performed_on=days_ago(n))
    response = http.get(f"{URL}?from={days_ago(6).isoformat()}", headers=client_headers)
    assert [log["performed_on"] for log in response.json] == [days_ago(1).isoformat(), days_ago(5).isoformat()]
    everything = http.get(URL, headers=client_headers)
    assert '"total": 3' in everything.headers["X-Pagination"]


def test_list_with_from_after_to_is_422(http, client_headers, client_record):
    response = http.get(f"{URL}?from={today().isoformat()}&to={days_ago(3).isoformat()}", headers=client_headers)
    assert_error(response, 422, "from")


@pytest.mark.parametrize("logs", [5, 30])
def test_list_uses_four_statements_whatever_the_size(http, client_headers, client_record, squat, logs):
    from tests.factories import WorkoutSetFactory

    for n in range(logs):
        log = WorkoutLogFactory(client=client_record, performed_on=days_ago(n % 20))
        WorkoutSetFactory(workout_log=log, exercise=squat)
    with count_statements() as counter:
        response = http.get(f"{URL}?page_size=50", headers=client_headers)
    assert response.status_code == 200 and len(response.json) == logs
    assert counter.count == 4  # token, page with its total, sets, the trainer's comments


def test_get_one(http, client_headers, client_record, squat):
    created = http.post(URL, json=_body(squat), headers=client_headers).json
    response = http.get(f"{URL}/{created['id']}", headers=client_headers)
    assert response.status_code == 200 and response.json == created


def test_patch_replaces_sets_and_recomputes_volume(http, client_headers, client_record, squat):
    created = http.post(URL, json=_body(squat), headers=client_headers).json
    body = {"exercises": [{"exercise_id": squat.id, "sets": [{"reps": 3, "weight": 120}]}], "notes": "heavy"}
    response = http.patch(f"{URL}/{created['id']}", json=body, headers=client_headers)
    assert response.status_code == 200, response.json
    assert response.json["total_volume"] == 360 and response.json["sets_done"] == 1
    assert response.json["notes"] == "heavy"
    assert count_rows(WorkoutSet) == 1


def test_patch_unlinks_with_null_assignment(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat)
    created = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers).json
    response = http.patch(f"{URL}/{created['id']}", json={"assignment_id": None}, headers=client_headers)
    assert response.status_code == 200
    assert response.json["assignment_id"] is None and response.json["sets_planned"] is None


def test_patch_moving_linked_log_outside_plan_is_422(http, client_headers, client_record, squat):
    assignment = _plan(client_record, squat)
    created = http.post(URL, json=_body(squat, assignment_id=assignment.id), headers=client_headers).json
    body = {"performed_on": days_ago(7).isoformat()}
    response = http.patch(f"{URL}/{created['id']}", json=body, headers=client_headers)
    assert_error(response, 422, "assignment_id")


def test_patch_with_date_after_tomorrow_is_422(http, client_headers, client_record):
    log = WorkoutLogFactory(client=client_record)
    body = {"performed_on": (today() + timedelta(days=3)).isoformat()}
    assert_error(http.patch(f"{URL}/{log.id}", json=body, headers=client_headers), 422, "performed_on")


def test_delete_removes_log_and_sets(http, client_headers, client_record, squat):
    created = http.post(URL, json=_body(squat), headers=client_headers).json
    assert http.delete(f"{URL}/{created['id']}", headers=client_headers).status_code == 204
    assert count_rows(WorkoutLog) == 0 and count_rows(WorkoutSet) == 0


# Idempotency ----------------------------------------------------------------------------------


def test_retry_with_same_key_returns_first_result_and_stores_nothing(http, client_headers, client_record, squat):
    headers = idempotent(client_headers, "workout-1")
    first = http.post(URL, json=_body(squat), headers=headers)
    retry = http.post(URL, json=_body(squat), headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert count_rows(WorkoutLog) == 1 and count_rows(ActivityEvent) == 1


def test_same_key_with_other_body_is_409(http, client_headers, client_record, squat):
    headers = idempotent(client_headers, "workout-2")
    http.post(URL, json=_body(squat), headers=headers)
    response = http.post(URL, json=_body(squat, notes="different"), headers=headers)
    assert_error(response, 409, "Idempotency-Key")
    assert count_rows(WorkoutLog) == 1


def test_failed_request_frees_its_key(http, client_headers, client_record, squat):
    headers = idempotent(client_headers, "workout-3")
    bad = _body(squat, performed_on=(today() + timedelta(days=5)).isoformat())
    assert_error(http.post(URL, json=bad, headers=headers), 422, "performed_on")
    assert http.post(URL, json=_body(squat), headers=headers).status_code == 201


# The trainer's read-only view -----------------------------------------------------------------


def test_trainer_lists_and_reads_clients_logs(http, trainer_headers, client_record):
    log = WorkoutLogFactory(client=client_record)
    listed = http.get(f"/api/v1/clients/{client_record.id}/workout-logs", headers=trainer_headers)
    assert listed.status_code == 200 and [item["id"] for item in listed.json] == [log.id]
    one = http.get(f"/api/v1/clients/{client_record.id}/workout-logs/{log.id}", headers=trainer_headers)
    assert one.status_code == 200 and one.json["id"] == log.id


def test_trainer_cannot_edit_clients_logs(http, trainer_headers, client_record):
    log = WorkoutLogFactory(client=client_record)
    url = f"/api/v1/clients/{client_record.id}/workout-logs/{log.id}"
    assert_error(
        http.patch(url, json={"notes": "x"}, headers=trainer_headers),
        405,
        message="The method is not allowed for the requested URL",
    )
    assert_error(
        http.delete(url, headers=trainer_headers), 405, message="The method is not allowed for the requested URL"
    )


def test_other_trainer_gets_404(http, other_trainer_headers, client_record):
    log = WorkoutLogFactory(client=client_record)
    base = f"/api/v1/clients/{client_record.id}/workout-logs"
    assert_error(http.get(base, headers=other_trainer_headers), 404, message="No such client")
    assert_error(http.get(f"{base}/{log.id}", headers=other_trainer_headers), 404, message="No such workout log")


def test_trainer_list_of_client_without_logs_is_empty(http, trainer_headers, client_record):
    response = http.get(f"/api/v1/clients/{client_record.id}/workout-logs", headers=trainer_headers)
    assert response.status_code == 200 and response.json == []


def test_client_cannot_use_trainer_routes_404(http, client_headers, client_record):
    response = http.get(f"/api/v1/clients/{client_record.id}/workout-logs", headers=client_headers)
    assert_error(response, 404, message="No such client")


@pytest.mark.parametrize("logs", [5, 30])
def test_trainer_list_uses_four_statements(http, trainer_headers, client_record, squat, logs):
    from tests.factories import WorkoutSetFactory

    for n in range(logs):
        WorkoutSetFactory(workout_log=WorkoutLogFactory(client=client_record, performed_on=days_ago(n)), exercise=squat)
    url = f"/api/v1/clients/{client_record.id}/workout-logs?page_size=50"
    with count_statements() as counter:
        response = http.get(url, headers=trainer_headers)
    assert len(response.json) == logs
    assert counter.count == 4, counter.statements  # token, page with its total, sets, comments


def test_trainer_sees_logs_in_their_own_units(http, trainer, trainer_headers, client_record, client_headers, squat):
    http.post(URL, json=_body(squat), headers=client_headers)
    trainer.unit_system = "imperial"
    db.session.commit()
    response = http.get(f"/api/v1/clients/{client_record.id}/workout-logs", headers=bearer(trainer))
    assert response.json[0]["exercises"][0]["sets"][0]["weight"] == pytest.approx(220.46, abs=0.01)

"""Personal records per exercise (heaviest set, best Epley 1RM) and record_set feed events."""

import pytest

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType
from tests.api.progress_support import days_ago, today
from tests.factories import ClientFactory, ExerciseFactory, WorkoutLogFactory, WorkoutSetFactory
from tests.helpers import assert_error, bearer


@pytest.fixture
def squat(trainer):
    return ExerciseFactory(owner=trainer, name="Squat")


def _set(client, exercise, day, reps, weight):
    return WorkoutSetFactory(
        workout_log=WorkoutLogFactory(client=client, performed_on=day), exercise=exercise, reps=reps, weight_kg=weight
    )


def _records(http, headers, client):
    return http.get(f"/api/v1/clients/{client.id}/records", headers=headers)


def test_heaviest_set_and_best_epley_1rm_can_differ(http, trainer_headers, client_record, squat):
    _set(client_record, squat, days_ago(30), 5, 100)  # e1RM 116.67
    heaviest = _set(client_record, squat, days_ago(20), 1, 110)  # a single: e1RM is the weight
    _set(client_record, squat, days_ago(10), 3, 105)  # e1RM 115.5
    response = _records(http, trainer_headers, client_record)
    assert response.status_code == 200
    [record] = response.json
    assert record["exercise_name"] == "Squat"
    assert record["heaviest"] == {
        "weight": 110, "reps": 1, "estimated_1rm": 110, "performed_on": days_ago(20).isoformat(),
        "workout_log_id": heaviest.workout_log_id,
    }
    assert record["best_estimated_1rm"]["estimated_1rm"] == pytest.approx(116.67)
    assert record["best_estimated_1rm"]["performed_on"] == days_ago(30).isoformat()


def test_a_tie_keeps_the_date_it_was_first_set(http, trainer_headers, client_record, squat):
    _set(client_record, squat, days_ago(5), 5, 100)
    _set(client_record, squat, days_ago(9), 5, 100)
    [record] = _records(http, trainer_headers, client_record).json
    assert record["heaviest"]["performed_on"] == days_ago(9).isoformat()
    assert record["best_estimated_1rm"]["performed_on"] == days_ago(9).isoformat()


def test_sets_without_weight_or_reps_hold_no_records(http, trainer_headers, client_record, squat, trainer):
    plank = ExerciseFactory(owner=trainer, name="Push-up")
    _set(client_record, plank, days_ago(1), 20, None)
    _set(client_record, squat, days_ago(1), 0, 200)  # a failed attempt
    _set(client_record, squat, days_ago(2), 5, 90)
    records = _records(http, trainer_headers, client_record).json
    assert [r["exercise_name"] for r in records] == ["Squat"]
    assert records[0]["heaviest"]["weight"] == 90


def test_one_record_per_exercise_sorted_by_name(http, trainer_headers, client_record, squat, trainer):
    bench = ExerciseFactory(owner=trainer, name="Bench")
    _set(client_record, squat, days_ago(1), 5, 100)
    _set(client_record, bench, days_ago(1), 5, 70)
    assert [r["exercise_name"] for r in _records(http, trainer_headers, client_record).json] == ["Bench", "Squat"]


def test_other_clients_sets_are_not_counted(http, trainer, trainer_headers, client_record, squat):
    _set(ClientFactory(trainer=trainer), squat, days_ago(1), 5, 300)
    _set(client_record, squat, days_ago(1), 5, 100)
    [record] = _records(http, trainer_headers, client_record).json
    assert record["heaviest"]["weight"] == 100


def test_records_in_trainers_units(http, trainer, client_record, squat):
    _set(client_record, squat, days_ago(1), 1, 100)
    trainer.unit_system = "imperial"
    db.session.commit()
    [record] = _records(http, bearer(trainer), client_record).json
    assert record["heaviest"]["weight"] == pytest.approx(220.46)


def test_client_reads_own_records(http, client_headers, client_record, squat):
    _set(client_record, squat, days_ago(1), 5, 100)
    response = http.get("/api/v1/me/records", headers=client_headers)
    assert response.status_code == 200 and response.json[0]["heaviest"]["weight"] == 100


def test_records_auth(http, client_headers, other_trainer_headers, client_record):
    assert_error(http.get(f"/api/v1/clients/{client_record.id}/records"), 401, message="Authentication required")
    assert_error(_records(http, client_headers, client_record), 404, message="No such client")
    assert_error(_records(http, other_trainer_headers, client_record), 404, message="No such client")


# record_set feed events -----------------------------------------------------------------------


def _log(http, headers, squat, reps, weight, day=None):
    body = {"performed_on": (day or today()).isoformat(),
            "exercises": [{"exercise_id": squat.id, "sets": [{"reps": reps, "weight": weight}]}]}
    response = http.post("/api/v1/me/workout-logs", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def _record_events():
    return db.session.query(ActivityEvent).filter(ActivityEvent.type == ActivityType.RECORD_SET).all()


def test_first_log_of_an_exercise_is_a_baseline_not_a_record(http, client_headers, client_record, squat):
    _log(http, client_headers, squat, 5, 100)
    assert _record_events() == []


def test_beating_the_heaviest_set_adds_a_record_event(http, client_headers, client_record, squat, trainer):
    _log(http, client_headers, squat, 5, 100, days_ago(7))
    log = _log(http, client_headers, squat, 3, 110)
    [event] = _record_events()
    assert event.trainer_id == trainer.id and event.client_id == client_record.id
    assert event.payload["kinds"] == ["heaviest", "estimated_1rm"]
    assert event.payload["workout_log_id"] == log["id"] and event.payload["heaviest_weight_kg"] == 110
    assert "Squat: 110.0 kg x 3" in event.summary


def test_more_reps_at_same_weight_is_an_estimated_1rm_record(http, client_headers, client_record, squat):
    _log(http, client_headers, squat, 5, 100, days_ago(7))
    _log(http, client_headers, squat, 8, 100)
    [event] = _record_events()
    assert event.payload["kinds"] == ["estimated_1rm"]
    assert event.payload["estimated_1rm_kg"] == pytest.approx(126.67)


def test_a_lighter_session_sets_no_record(http, client_headers, client_record, squat):
    _log(http, client_headers, squat, 5, 100, days_ago(7))
    _log(http, client_headers, squat, 5, 90)
    assert _record_events() == []


def test_editing_a_log_upward_sets_a_record(http, client_headers, client_record, squat):
    _log(http, client_headers, squat, 5, 100, days_ago(7))
    log = _log(http, client_headers, squat, 5, 90)
    body = {"exercises": [{"exercise_id": squat.id, "sets": [{"reps": 5, "weight": 120}]}]}
    assert http.patch(f"/api/v1/me/workout-logs/{log['id']}", json=body, headers=client_headers).status_code == 200
    assert len(_record_events()) == 1


def test_record_summary_uses_the_trainers_units(http, client_headers, client_record, squat, trainer):
    trainer.unit_system = "imperial"
    db.session.commit()
    _log(http, client_headers, squat, 5, 100, days_ago(7))
    _log(http, client_headers, squat, 5, 120)
    [event] = _record_events()
    assert "264.6 lb x 5" in event.summary

"""The trainer's progress report: weight trend, measurements, weekly volume and adherence, calories."""

from datetime import date, timedelta

import pytest

from fitbud.extensions import db
from fitbud.models import PlanKind
from tests.api.progress_support import today
from tests.factories import (
    BodyMetricFactory,
    CheckInFactory,
    ExerciseFactory,
    MealLogFactory,
    PlanAssignmentFactory,
    WorkoutLogFactory,
    diet_content,
)
from tests.helpers import assert_error, bearer

MONDAY = date(2025, 1, 6)
RANGE = f"from={MONDAY.isoformat()}&to={(MONDAY + timedelta(days=20)).isoformat()}"  # three full weeks


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def _report(http, headers, client, query=RANGE):
    return http.get(f"/api/v1/clients/{client.id}/progress?{query}", headers=headers)


def _three_day_plan(exercise_id: int) -> dict:
    """Training on Monday, Wednesday and Friday (days 0, 2, 4), rest between."""
    train = {"name": "Train", "items": [{"exercise_id": exercise_id, "sets": 3, "reps": 5}]}
    rest = {"name": "Rest", "rest": True}
    return {"weeks": [{"days": [train, rest, train, rest, train]}]}


def test_weight_series_with_seven_day_rolling_mean(http, trainer_headers, client_record):
    BodyMetricFactory(client=client_record, measured_on=day(-3), value=84.0)  # before the range: warms the mean
    BodyMetricFactory(client=client_record, measured_on=day(0), value=82.0)
    BodyMetricFactory(client=client_record, measured_on=day(3), value=80.0)
    BodyMetricFactory(client=client_record, measured_on=day(10), value=79.0)
    response = _report(http, trainer_headers, client_record)
    assert response.status_code == 200, response.json
    assert response.json["weight"] == [
        {"date": day(0).isoformat(), "weight": 82.0, "rolling_mean_7d": 83.0},
        {"date": day(3).isoformat(), "weight": 80.0, "rolling_mean_7d": 82.0},
        {"date": day(10).isoformat(), "weight": 79.0, "rolling_mean_7d": 79.0},
    ]


def test_check_in_weight_fills_days_without_a_weigh_in(http, trainer_headers, client_record):
    BodyMetricFactory(client=client_record, measured_on=day(1), value=80.0)
    CheckInFactory(client=client_record, submitted_on=day(1), weight_kg=90.0)
    CheckInFactory(client=client_record, submitted_on=day(8), weight_kg=79.0)
    weights = _report(http, trainer_headers, client_record).json["weight"]
    assert [(w["date"], w["weight"]) for w in weights] == [(day(1).isoformat(), 80.0), (day(8).isoformat(), 79.0)]


def test_measurements_from_metrics_and_check_ins(http, trainer_headers, client_record):
    BodyMetricFactory(client=client_record, measured_on=day(0), metric="waist", value=90.0)
    CheckInFactory(client=client_record, submitted_on=day(7), body_fat_pct=22.0, measurements_cm={"waist": 88.0})
    measurements = _report(http, trainer_headers, client_record).json["measurements"]
    assert measurements == {
        "body_fat": [{"date": day(7).isoformat(), "value": 22.0}],
        "waist": [{"date": day(0).isoformat(), "value": 90.0}, {"date": day(7).isoformat(), "value": 88.0}],
    }


def test_weekly_volume_grouped_by_monday(http, trainer_headers, client_record):
    WorkoutLogFactory(client=client_record, performed_on=day(0), total_volume_kg=1000)
    WorkoutLogFactory(client=client_record, performed_on=day(6), total_volume_kg=500)  # Sunday, same week
    WorkoutLogFactory(client=client_record, performed_on=day(14), total_volume_kg=700)
    volume = _report(http, trainer_headers, client_record).json["weekly_volume"]
    assert volume == [
        {"week_start": day(0).isoformat(), "volume": 1500.0, "workouts": 2},
        {"week_start": day(7).isoformat(), "volume": 0.0, "workouts": 0},
        {"week_start": day(14).isoformat(), "volume": 700.0, "workouts": 1},
    ]


def test_weekly_adherence_against_the_plan(http, trainer, trainer_headers, client_record):
    exercise = ExerciseFactory(owner=trainer)
    PlanAssignmentFactory(client=client_record, content=_three_day_plan(exercise.id), start_date=MONDAY)
    for n in (0, 2):  # week 1: two of three
        WorkoutLogFactory(client=client_record, performed_on=day(n))
    for n in (14, 15, 16, 18):  # week 3: four days trained, three planned
        WorkoutLogFactory(client=client_record, performed_on=day(n))
    WorkoutLogFactory(client=client_record, performed_on=day(16))  # a second workout the same day counts once
    adherence = _report(http, trainer_headers, client_record).json["weekly_adherence"]
    assert [(w["planned"], w["logged"]) for w in adherence] == [(3, 2), (3, 0), (3, 4)]
    assert [w["adherence"] for w in adherence] == [pytest.approx(2 / 3), 0.0, 1.0]


def test_adherence_counts_only_while_the_assignment_is_active(http, trainer, trainer_headers, client_record):
    exercise = ExerciseFactory(owner=trainer)
    PlanAssignmentFactory(
        client=client_record, content=_three_day_plan(exercise.id), start_date=day(7), end_date=day(9)
    )
    adherence = _report(http, trainer_headers, client_record).json["weekly_adherence"]
    assert [w["planned"] for w in adherence] == [0, 2, 0]
    assert adherence[0]["adherence"] is None


def test_daily_calories_against_diet_target(http, trainer_headers, client_record):
    PlanAssignmentFactory(
        client=client_record, kind=PlanKind.DIET, content=diet_content(), start_date=day(1), end_date=day(2)
    )
    MealLogFactory(client=client_record, eaten_on=day(1), kcal=400)
    MealLogFactory(client=client_record, eaten_on=day(1), kcal=300)
    MealLogFactory(client=client_record, eaten_on=day(5), kcal=900)
    calories = _report(http, trainer_headers, client_record).json["daily_calories"]
    assert calories == [
        {"date": day(1).isoformat(), "kcal": 700.0, "target_kcal": 630.0, "difference_kcal": 70.0},
        {"date": day(2).isoformat(), "kcal": None, "target_kcal": 630.0, "difference_kcal": None},
        {"date": day(5).isoformat(), "kcal": 900.0, "target_kcal": None, "difference_kcal": None},
    ]


def test_report_includes_streaks_and_range(http, trainer_headers, client_record):
    WorkoutLogFactory(client=client_record, performed_on=today())
    body = _report(http, trainer_headers, client_record).json
    assert body["streaks"]["current"] == 1
    assert (body["from"], body["to"]) == (day(0).isoformat(), day(20).isoformat())
    assert body["units"] == {"mass": "kg", "length": "cm", "percent": "%", "distance": "km"}


def test_default_range_is_the_last_13_weeks(http, trainer_headers, client_record):
    body = _report(http, trainer_headers, client_record, query="").json
    assert body["to"] == today().isoformat()
    assert body["from"] == (today() - timedelta(days=90)).isoformat()


def test_report_in_trainers_imperial_units(http, trainer, client_record):
    BodyMetricFactory(client=client_record, measured_on=day(0), value=100.0)
    BodyMetricFactory(client=client_record, measured_on=day(0), metric="waist", value=254.0)
    trainer.unit_system = "imperial"
    db.session.commit()
    body = _report(http, bearer(trainer), client_record).json
    assert body["weight"][0]["weight"] == pytest.approx(220.46)
    assert body["measurements"]["waist"][0]["value"] == 100.0
    assert body["units"]["mass"] == "lb"


def test_from_after_to_is_422(http, trainer_headers, client_record):
    response = _report(http, trainer_headers, client_record, query="from=2025-02-01&to=2025-01-01")
    assert_error(response, 422, "from")


def test_range_longer_than_two_years_is_422(http, trainer_headers, client_record):
    response = _report(http, trainer_headers, client_record, query="from=2020-01-01&to=2025-01-01")
    assert_error(response, 422, "from")


def test_bad_date_is_422(http, trainer_headers, client_record):
    assert_error(_report(http, trainer_headers, client_record, query="from=soon"), 422, "from")


def test_report_auth(http, client_headers, other_trainer_headers, client_record):
    assert_error(http.get(f"/api/v1/clients/{client_record.id}/progress"), 401, message="Authentication required")
    assert_error(_report(http, client_headers, client_record), 404, message="No such client")
    assert_error(_report(http, other_trainer_headers, client_record), 404, message="No such client")

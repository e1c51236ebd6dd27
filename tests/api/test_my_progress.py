"""GET /me/progress: a client's own progress, the same figures their trainer's /clients/<id>/progress gives."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from fitbud.extensions import db
from fitbud.models import PlanKind
from tests.api.progress_support import today
from tests.factories import (
    BodyMetricFactory,
    CheckInFactory,
    ClientFactory,
    ExerciseFactory,
    MealLogFactory,
    PlanAssignmentFactory,
    WorkoutLogFactory,
    diet_content,
)
from tests.helpers import assert_error, assert_same_statement_count, bearer, count_statements

MONDAY = date(2025, 1, 6)
RANGE = f"from={MONDAY.isoformat()}&to={(MONDAY + timedelta(days=20)).isoformat()}"  # three full weeks
MINE = "/api/v1/me/progress"


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def _a_varied_month(trainer, client) -> None:
    """Weigh-ins, a measurement, a check-in, workouts against a plan, meals against a diet."""
    exercise = ExerciseFactory(owner=trainer)
    train = {"name": "Train", "items": [{"exercise_id": exercise.id, "sets": 3, "reps": 5}]}
    PlanAssignmentFactory(
        client=client, content={"weeks": [{"days": [train, {"name": "Rest", "rest": True}, train]}]}, start_date=MONDAY
    )
    PlanAssignmentFactory(client=client, kind=PlanKind.DIET, content=diet_content(), start_date=day(1), end_date=day(9))
    for n, kg in ((-2, 84.0), (0, 82.5), (4, 81.0), (11, 80.2)):
        BodyMetricFactory(client=client, measured_on=day(n), value=kg)
    BodyMetricFactory(client=client, measured_on=day(2), metric="waist", value=91.0)
    CheckInFactory(client=client, submitted_on=day(7), weight_kg=80.9, body_fat_pct=21.5)
    for n in (0, 2, 7, 15):
        WorkoutLogFactory(client=client, performed_on=day(n), total_volume_kg=1000 + n)
    for n, kcal in ((1, 500), (1, 250), (5, 1900), (12, 2100)):
        MealLogFactory(client=client, eaten_on=day(n), kcal=kcal)


def test_a_client_sees_what_their_trainer_sees(http, trainer, trainer_headers, client_record, client_headers):
    _a_varied_month(trainer, client_record)

    mine = http.get(f"{MINE}?{RANGE}", headers=client_headers)
    theirs = http.get(f"/api/v1/clients/{client_record.id}/progress?{RANGE}", headers=trainer_headers)

    assert mine.status_code == 200, mine.json
    assert mine.json == theirs.json
    assert mine.json["weight"][0] == {"date": day(0).isoformat(), "weight": 82.5, "rolling_mean_7d": 83.25}
    assert [w["planned"] for w in mine.json["weekly_adherence"]] == [2, 2, 2]


def test_figures_are_in_the_clients_units(http, trainer_headers, client_record, client_user, client_headers):
    BodyMetricFactory(client=client_record, measured_on=day(0), value=100.0)
    BodyMetricFactory(client=client_record, measured_on=day(0), metric="waist", value=254.0)
    client_user.unit_system = "imperial"
    db.session.commit()

    mine = http.get(f"{MINE}?{RANGE}", headers=client_headers).json
    theirs = http.get(f"/api/v1/clients/{client_record.id}/progress?{RANGE}", headers=trainer_headers).json

    assert mine["weight"][0]["weight"] == pytest.approx(220.46)
    assert mine["measurements"]["waist"][0]["value"] == 100.0
    assert mine["units"] == {"mass": "lb", "length": "in", "percent": "%", "distance": "mi"}
    assert theirs["weight"][0]["weight"] == 100.0


def test_only_the_callers_own_logs_count(http, trainer, client_record, client_headers):
    neighbour = ClientFactory(trainer=trainer, with_login=True)
    BodyMetricFactory(client=neighbour, measured_on=day(0), value=70.0)
    WorkoutLogFactory(client=neighbour, performed_on=day(0), total_volume_kg=900)
    BodyMetricFactory(client=client_record, measured_on=day(1), value=90.0)

    body = http.get(f"{MINE}?{RANGE}", headers=client_headers).json

    assert body["client_id"] == client_record.id
    assert [w["weight"] for w in body["weight"]] == [90.0]
    assert [w["volume"] for w in body["weekly_volume"]] == [0.0, 0.0, 0.0]


def test_default_range_is_the_last_13_weeks_in_the_clients_timezone(http, client_record, client_user):
    client_record.timezone = "Pacific/Auckland"  # UTC+13 in January
    db.session.commit()
    with time_machine.travel(datetime(2026, 1, 10, 12, 0, tzinfo=UTC)):
        body = http.get(MINE, headers=bearer(client_user)).json
    assert body["to"] == "2026-01-11"
    assert body["from"] == (date(2026, 1, 11) - timedelta(days=90)).isoformat()


def test_streaks_count_today(http, client_record, client_headers):
    WorkoutLogFactory(client=client_record, performed_on=today())
    assert http.get(MINE, headers=client_headers).json["streaks"]["current"] == 1


def test_a_new_log_shows_at_once(http, client_headers):
    before = http.get(MINE, headers=client_headers).json["weight"]
    logged = http.post("/api/v1/me/body-metrics", headers=client_headers,
                       json={"measured_on": today().isoformat(), "metric": "weight", "value": 80.5})
    assert logged.status_code == 201, logged.json
    after = http.get(MINE, headers=client_headers).json["weight"]
    assert before == [] and [w["weight"] for w in after] == [80.5]


def test_a_repeat_read_is_served_from_the_cache(http, client_record, client_headers):
    BodyMetricFactory(client=client_record, measured_on=today(), value=80.0)
    first = http.get(MINE, headers=client_headers)
    with count_statements() as counter:
        again = http.get(MINE, headers=client_headers)
    assert counter.count == 0, counter.statements
    assert again.get_data() == first.get_data()


def test_statements_do_not_grow_with_the_logs(http, trainer, client_record, client_headers):
    exercise = ExerciseFactory(owner=trainer)
    train = {"name": "Train", "items": [{"exercise_id": exercise.id, "sets": 3, "reps": 5}]}
    since = today() - timedelta(days=80)
    PlanAssignmentFactory(client=client_record, content={"weeks": [{"days": [train]}]}, start_date=since)
    PlanAssignmentFactory(client=client_record, kind=PlanKind.DIET, content=diet_content(), start_date=since)
    made = [0]

    def make_rows(n):
        for _ in range(n):
            logged_on = today() - timedelta(days=made[0])
            BodyMetricFactory(client=client_record, measured_on=logged_on, value=80.0 + made[0] / 10)
            WorkoutLogFactory(client=client_record, performed_on=logged_on)
            MealLogFactory(client=client_record, eaten_on=logged_on, kcal=600)
            CheckInFactory(client=client_record, submitted_on=logged_on, weight_kg=80.0)
            made[0] += 1

    # Token, coaching record, assignments, weekly training, body metrics, check-ins, calories, streak days.
    # One more than before imports: activities and daily metrics are read together (one UNION ALL).
    assert_same_statement_count(http, make_rows, MINE, client_headers, at_most=9)


def test_from_after_to_is_422_naming_from(http, client_headers):
    assert_error(http.get(f"{MINE}?from=2025-02-01&to=2025-01-01", headers=client_headers), 422, "from")


def test_a_range_longer_than_two_years_is_422_naming_from(http, client_headers):
    assert_error(http.get(f"{MINE}?from=2020-01-01&to=2025-01-01", headers=client_headers), 422, "from")


def test_a_bad_date_is_422_naming_from(http, client_headers):
    assert_error(http.get(f"{MINE}?from=soon", headers=client_headers), 422, "from")


def test_an_unknown_query_parameter_is_422_naming_it(http, client_headers):
    body = assert_error(http.get(f"{MINE}?client_id=1", headers=client_headers), 422, "client_id")
    assert body["errors"] == {"client_id": ["Unknown field."]}


def test_without_a_token_is_401(http):
    assert_error(http.get(MINE), 401, message="token")


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_other_roles_are_403(http, role, trainer_headers, admin_headers):
    headers = {"trainer": trainer_headers, "admin": admin_headers}[role]
    assert_error(http.get(MINE, headers=headers), 403, "role")


def test_a_client_without_a_coaching_record_is_404(http, client_record, client_user):
    headers = bearer(client_user)
    db.session.delete(client_record)
    db.session.commit()
    assert_error(http.get(MINE, headers=headers), 404, message="not coached by a trainer")


def test_the_body_holds_the_progress_fields_only(http, trainer, client_record, client_headers):
    _a_varied_month(trainer, client_record)
    body = http.get(f"{MINE}?{RANGE}", headers=client_headers).json
    assert set(body) == {
        "client_id", "from", "to", "units", "weight", "measurements",
        "weekly_volume", "weekly_adherence", "daily_calories", "streaks",
        "weekly_activity", "daily_steps", "resting_heart_rate",
    }
    # The pipeline's working figures (sets, planned and trained days) stay inside.
    assert set(body["weekly_volume"][0]) == {"week_start", "volume", "workouts"}

"""POST /api/v1/plans/generate: drafts, saving, and every class of bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import PlanTemplate
from tests.factories import ClientFactory
from tests.helpers import assert_error

URL = "/api/v1/plans/generate"


def _body(**overrides) -> dict:
    body = {"goal": "strength", "experience": "intermediate", "days_per_week": 3, "session_minutes": 60,
            "equipment": ["barbell", "bench", "dumbbell", "pull_up_bar"], "avoid": [], "seed": 11,
            "body": {"sex": "male", "age": 30, "height_cm": 180, "weight_kg": 80}}
    body.update(overrides)
    return body


def _templates() -> int:
    return db.session.execute(select(func.count()).select_from(PlanTemplate)).scalar_one()


def test_generate_returns_a_draft_without_storing_it(http, trainer_headers):
    response = http.post(URL, json=_body(goal="muscle_gain"), headers=trainer_headers)
    assert response.status_code == 200, response.json
    data = response.json
    assert data["source"] == "rules" and data["fallback_reason"] is None and data["seed"] == 11
    assert data["workout"]["kind"] == "workout" and data["workout"]["content"]["weeks"]
    assert data["diet"]["kind"] == "diet"
    assert data["diet"]["content"]["targets"] == {"kcal": 2692, "protein": 144, "carbs": 361, "fat": 75}
    assert {e["topic"] for e in data["explanations"]} >= {"split", "exercise", "progression", "time", "energy"}
    assert data["saved"] is None
    assert _templates() == 0


def test_reference_woman_gets_the_hand_computed_targets(http, trainer_headers):
    body = _body(goal="fat_loss", days_per_week=4,
                 body={"sex": "female", "age": 45, "height_cm": 165, "weight_kg": 68})
    response = http.post(URL, json=body, headers=trainer_headers)
    assert response.json["diet"]["content"]["targets"] == {"kcal": 1643, "protein": 136, "carbs": 172, "fat": 46}


def test_same_inputs_and_seed_give_the_same_response(http, trainer_headers):
    first = http.post(URL, json=_body(), headers=trainer_headers).json
    second = http.post(URL, json=_body(), headers=trainer_headers).json
    assert first == second


def test_save_stores_templates_marked_generated(http, trainer, trainer_headers):
    response = http.post(f"{URL}?save=true", json=_body(), headers=trainer_headers)
    assert response.status_code == 201
    saved = response.json["saved"]
    workout = db.session.get(PlanTemplate, saved["workout_plan_id"])
    diet = db.session.get(PlanTemplate, saved["diet_plan_id"])
    assert workout.trainer_id == trainer.id and workout.source == "generated"
    assert workout.content == response.json["workout"]["content"]
    assert diet.source == "generated" and diet.content == response.json["diet"]["content"]


def test_save_retried_with_the_same_idempotency_key_stores_once(http, trainer_headers):
    headers = {**trainer_headers, "Idempotency-Key": "generate-1"}
    first = http.post(f"{URL}?save=true", json=_body(), headers=headers)
    again = http.post(f"{URL}?save=true", json=_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _templates() == 2


def test_same_idempotency_key_with_another_body_is_409(http, trainer_headers):
    headers = {**trainer_headers, "Idempotency-Key": "generate-2"}
    http.post(URL, json=_body(), headers=headers)
    assert_error(http.post(URL, json=_body(seed=12), headers=headers), 409, "Idempotency-Key")


def test_client_of_the_trainer_is_used(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer)
    response = http.post(URL, json=_body(client_id=client.id), headers=trainer_headers)
    assert response.status_code == 200
    assert response.json["inputs"]["client_id"] == client.id


def test_another_trainers_client_is_404(http, other_trainer, trainer_headers):
    theirs = ClientFactory(trainer=other_trainer)
    response = http.post(URL, json=_body(client_id=theirs.id), headers=trainer_headers)
    assert_error(response, 404, "client_id")


def test_impossible_request_is_422_saying_what_to_change(http, trainer_headers):
    avoid = ["squat", "hinge", "lunge", "isolation", "core", "rotation", "carry", "cardio"]
    response = http.post(URL, json=_body(days_per_week=6, avoid=avoid, goal="endurance"), headers=trainer_headers)
    assert_error(response, 422, ("avoid", "days_per_week"))
    assert response.json["message"].startswith("No exercise in your library fits")


@pytest.mark.parametrize("missing", ["goal", "experience", "days_per_week", "session_minutes"])
def test_missing_required_field_is_422(http, trainer_headers, missing):
    body = _body()
    del body[missing]
    response = http.post(URL, json=body, headers=trainer_headers)
    assert_error(response, 422, missing)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("goal", "get_huge"), ("experience", "guru"), ("days_per_week", "three"), ("days_per_week", 1),
        ("days_per_week", 7), ("days_per_week", 3.5), ("session_minutes", 19), ("session_minutes", 121),
        ("equipment", "barbell"), ("equipment", ["spaceship"]), ("avoid", ["knees"]), ("weeks", 0),
        ("weeks", 13), ("seed", -1), ("seed", "lucky"), ("meals_per_day", 7), ("unit_system", "nautical"),
        ("client_id", "me"), ("body", "tall"),
    ],
)
def test_bad_value_is_422(http, trainer_headers, field, value):
    response = http.post(URL, json=_body(**{field: value}), headers=trainer_headers)
    assert_error(response, 422, field)


@pytest.mark.parametrize(
    ("field", "value"),
    [("weight_kg", 12), ("weight_kg", 400), ("height_cm", 80), ("age", 9), ("sex", "robot"),
     ("activity_level", "couch"), ("bmi", 22)],
)
def test_implausible_body_value_is_422(http, trainer_headers, field, value):
    body = _body()
    body["body"] = {**body["body"], field: value}
    response = http.post(URL, json=body, headers=trainer_headers)
    assert_error(response, 422, f"body.{field}")


def test_unknown_field_is_422(http, trainer_headers):
    response = http.post(URL, json=_body(intensity="max"), headers=trainer_headers)
    assert_error(response, 422, "intensity")


def test_bad_save_flag_is_422(http, trainer_headers):
    assert_error(http.post(f"{URL}?save=perhaps", json=_body(), headers=trainer_headers), 422, "save")


def test_not_json_is_415(http, trainer_headers):
    response = http.post(URL, data="goal=strength", headers={**trainer_headers, "Content-Type": "text/plain"})
    assert_error(response, 415, message="Content-Type: application/json")


def test_client_may_not_generate(http, client_headers):
    assert_error(http.post(URL, json=_body(), headers=client_headers), 403, "role")


def test_admin_may_not_generate(http, admin_headers):
    assert_error(http.post(URL, json=_body(), headers=admin_headers), 403, "role")


def test_generate_needs_a_token(http):
    assert_error(http.post(URL, json=_body()), 401, message="Authentication required")


def test_openapi_documents_the_new_endpoints(http):
    from openapi_spec_validator import validate

    spec = http.get("/api/openapi.json").json
    validate(spec)
    assert "post" in spec["paths"]["/api/v1/plans/generate"]
    assert {"get"} <= set(spec["paths"]["/api/v1/exercises/{exercise_id}/alternatives"])

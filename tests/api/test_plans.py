"""Plan templates: create with validated content, list, edit (versioned), duplicate, delete or archive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from fitbud.extensions import db
from fitbud.models import Exercise, PlanKind, PlanTemplate
from tests.factories import (
    ExerciseFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    diet_content,
    workout_content,
)
from tests.helpers import assert_error

URL = "/api/v1/plans"


@pytest.fixture
def exercise(trainer):
    """A custom exercise in the trainer's library."""
    return ExerciseFactory(owner=trainer, name="Goblet Squat")


def _workout(http, headers, exercise_ids, **body):
    body.setdefault("kind", "workout")
    body.setdefault("name", "Strength A")
    body.setdefault("content", workout_content(exercise_ids))
    return http.post(URL, json=body, headers=headers)


# --- create -------------------------------------------------------------------------------


def test_create_workout_plan(http, trainer_headers, exercise):
    response = _workout(http, trainer_headers, [exercise.id], description="Three lifts", tags=["Strength", "strength"])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["version"] == 1 and body["kind"] == "workout" and body["tags"] == ["strength"]
    assert body["content"]["weeks"][0]["days"][0]["items"][0]["exercise_id"] == exercise.id
    assert body["content"]["weeks"][0]["days"][0]["rest"] is False
    assert body["totals"] is None


@pytest.fixture
def builtin_exercise(app):
    """A built-in exercise, removed afterwards (the database reset keeps built-in rows)."""
    exercise = ExerciseFactory(owner=None)
    yield exercise
    db.session.rollback()
    db.session.execute(delete(Exercise).where(Exercise.id == exercise.id))
    db.session.commit()


def test_create_workout_plan_with_builtin_exercise(http, trainer_headers, builtin_exercise):
    assert _workout(http, trainer_headers, [builtin_exercise.id]).status_code == 201


def test_create_diet_plan_returns_daily_and_meal_totals(http, trainer_headers):
    response = http.post(
        URL, json={"kind": "diet", "name": "Lean", "content": diet_content()}, headers=trainer_headers
    )
    assert response.status_code == 201, response.json
    totals = response.json["totals"]
    assert totals[0]["totals"] == {"kcal": 630.0, "protein": 72.0, "carbs": 54.0, "fat": 13.0}
    assert [meal["kcal"] for meal in totals[0]["meals"]] == [300.0, 330.0]


def test_amrap_time_and_distance_targets_are_accepted(http, trainer_headers, exercise):
    content = workout_content([exercise.id, exercise.id, exercise.id])
    items = content["weeks"][0]["days"][0]["items"]
    items[0]["reps"] = "amrap"
    del items[1]["reps"]
    items[1]["duration_seconds"] = 45
    del items[2]["reps"]
    items[2]["distance_m"] = 400
    response = _workout(http, trainer_headers, [], content=content)
    assert response.status_code == 201, response.json
    saved = response.json["content"]["weeks"][0]["days"][0]["items"]
    assert saved[0]["reps"] == "AMRAP" and saved[1]["duration_seconds"] == 45 and saved[2]["distance_m"] == 400


def test_an_item_without_any_target_names_reps(http, trainer_headers, exercise):
    content = workout_content([exercise.id])
    del content["weeks"][0]["days"][0]["items"][0]["reps"]
    response = _workout(http, trainer_headers, [], content=content)
    assert_error(response, 422, "content.weeks.0.days.0.items.0.reps")
    assert "distance_m" in str(response.json)


def test_invalid_reps_reports_the_exact_path(http, trainer_headers, exercise):
    content = workout_content([exercise.id, exercise.id])
    content["weeks"][0]["days"].insert(0, {"name": "Rest", "rest": True})
    content["weeks"][0]["days"].insert(0, {"name": "Rest", "rest": True})
    content["weeks"][0]["days"][2]["items"][1]["reps"] = "lots"
    response = _workout(http, trainer_headers, [], content=content)
    assert_error(response, 422, "content.weeks.0.days.2.items.1.reps")


def test_unknown_exercise_is_invalid(http, trainer_headers):
    response = _workout(http, trainer_headers, [987654])
    assert_error(response, 422, "content.weeks.0.days.0.items.0.exercise_id")


def test_other_trainers_custom_exercise_is_invalid(http, trainer_headers, other_trainer):
    foreign = ExerciseFactory(owner=other_trainer)
    response = _workout(http, trainer_headers, [foreign.id])
    assert_error(response, 422, "content.weeks.0.days.0.items.0.exercise_id")


def test_diet_content_under_workout_kind_is_invalid(http, trainer_headers):
    response = _workout(http, trainer_headers, [], content=diet_content())
    assert_error(response, 422, ("content.days", "content.weeks"))
    assert any(path.startswith("content.") for path in response.json["errors"])


def test_diet_item_with_negative_kcal_is_reported_with_its_path(http, trainer_headers):
    content = diet_content()
    content["days"][0]["meals"][1]["items"][0]["kcal"] = -5
    response = http.post(URL, json={"kind": "diet", "name": "Bad", "content": content}, headers=trainer_headers)
    assert_error(response, 422, "content.days.0.meals.1.items.0.kcal")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "No kind", "content": {}}, "kind"),
        ({"kind": "yoga", "name": "Bad kind", "content": {}}, "kind"),
        ({"kind": "workout", "content": {}}, "name"),
        ({"kind": "workout", "name": "No content"}, "content"),
        ({"kind": "workout", "name": "x" * 121, "content": {}}, "name"),
        ({"kind": "workout", "name": "Tags", "tags": "strength", "content": {}}, "tags"),
        ({"kind": "workout", "name": "Extra", "content": {}, "owner": 1}, "owner"),
    ],
)
def test_create_rejects_bad_body(http, trainer_headers, body, field):
    response = http.post(URL, json=body, headers=trainer_headers)
    assert_error(response, 422, field)


@pytest.mark.parametrize("content", [[], "weeks", 3])
def test_content_that_is_not_an_object_is_invalid(http, trainer_headers, content):
    response = _workout(http, trainer_headers, [], content=content)
    assert_error(response, 422, "content")


def test_create_is_for_trainers_only(http, client_headers, exercise):
    assert_error(_workout(http, client_headers, [exercise.id]), 403, "role")


def test_create_needs_a_token(http, exercise):
    assert_error(_workout(http, {}, [exercise.id]), 401, message="Authentication required")


# --- list and read ------------------------------------------------------------------------


def test_list_shows_my_unarchived_plans_most_recent_first(http, trainer, other_trainer, trainer_headers):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    PlanTemplateFactory(trainer=trainer, name="Older", updated_at=base)
    PlanTemplateFactory(trainer=trainer, name="Newer", updated_at=base + timedelta(days=1))
    PlanTemplateFactory(trainer=trainer, name="Archived", archived_at=base)
    PlanTemplateFactory(trainer=other_trainer, name="Not mine")
    response = http.get(URL, headers=trainer_headers)
    assert [p["name"] for p in response.json] == ["Newer", "Older"]
    assert "content" not in response.json[0]


def test_list_filters_by_kind(http, trainer, trainer_headers):
    PlanTemplateFactory(trainer=trainer, name="Lift")
    PlanTemplateFactory(trainer=trainer, name="Eat", kind=PlanKind.DIET, content=diet_content())
    assert [p["name"] for p in http.get(f"{URL}?kind=diet", headers=trainer_headers).json] == ["Eat"]


def test_list_filters_by_every_tag_given(http, trainer, trainer_headers):
    PlanTemplateFactory(trainer=trainer, name="Both", tags=["beginner", "home"])
    PlanTemplateFactory(trainer=trainer, name="Home only", tags=["home"])
    PlanTemplateFactory(trainer=trainer, name="None", tags=[])
    home = http.get(f"{URL}?tag=home&sort=name", headers=trainer_headers).json
    assert [p["name"] for p in home] == ["Both", "Home only"]
    both = http.get(f"{URL}?tag=home&tag=Beginner", headers=trainer_headers).json
    assert [p["name"] for p in both] == ["Both"]


def test_list_searches_name_and_description(http, trainer, trainer_headers):
    PlanTemplateFactory(trainer=trainer, name="Hypertrophy", description="")
    PlanTemplateFactory(trainer=trainer, name="Block B", description="hypertrophy focus")
    PlanTemplateFactory(trainer=trainer, name="Cardio", description="")
    response = http.get(f"{URL}?q=HYPER&sort=name", headers=trainer_headers)
    assert [p["name"] for p in response.json] == ["Block B", "Hypertrophy"]


def test_list_archived_shows_only_archived(http, trainer, trainer_headers):
    PlanTemplateFactory(trainer=trainer, name="Live")
    PlanTemplateFactory(trainer=trainer, name="Old", archived_at=datetime.now(UTC))
    assert [p["name"] for p in http.get(f"{URL}?archived=true", headers=trainer_headers).json] == ["Old"]


def test_list_paginates(http, trainer, trainer_headers):
    for n in range(3):
        PlanTemplateFactory(trainer=trainer, name=f"Plan {n}")
    response = http.get(f"{URL}?sort=name&page=2&page_size=2", headers=trainer_headers)
    assert [p["name"] for p in response.json] == ["Plan 2"]


@pytest.mark.parametrize("query", ["kind=yoga", "sort=size", "archived=maybe", "page=0"])
def test_list_rejects_bad_query(http, trainer_headers, query):
    assert_error(http.get(f"{URL}?{query}", headers=trainer_headers), 422, query.split("=")[0])


def test_list_is_for_trainers_only(http, client_headers):
    assert_error(http.get(URL, headers=client_headers), 403, "role")


def test_get_plan_includes_content_and_totals(http, trainer, trainer_headers):
    plan = PlanTemplateFactory(trainer=trainer, kind=PlanKind.DIET, content=diet_content())
    response = http.get(f"{URL}/{plan.id}", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json["content"] == diet_content() and response.json["totals"][0]["totals"]["kcal"] == 630.0


def test_get_unknown_plan_is_not_found(http, trainer_headers):
    assert_error(http.get(f"{URL}/999999", headers=trainer_headers), 404, message="No such plan")


# --- update -------------------------------------------------------------------------------


def test_every_update_bumps_the_version(http, trainer_headers, exercise):
    plan = _workout(http, trainer_headers, [exercise.id]).json
    first = http.patch(f"{URL}/{plan['id']}", json={"name": "Renamed"}, headers=trainer_headers)
    content = workout_content([exercise.id], weeks=2)
    second = http.patch(f"{URL}/{plan['id']}", json={"content": content}, headers=trainer_headers)
    assert first.json["version"] == 2 and first.json["name"] == "Renamed"
    assert second.json["version"] == 3 and len(second.json["content"]["weeks"]) == 2


def test_update_with_invalid_content_is_refused_and_keeps_the_version(http, trainer, trainer_headers, exercise):
    plan = _workout(http, trainer_headers, [exercise.id]).json
    content = workout_content([exercise.id])
    content["weeks"][0]["days"][0]["items"][0]["sets"] = 0
    response = http.patch(f"{URL}/{plan['id']}", json={"content": content}, headers=trainer_headers)
    assert_error(response, 422, "content.weeks.0.days.0.items.0.sets")
    assert http.get(f"{URL}/{plan['id']}", headers=trainer_headers).json["version"] == 1


def test_update_with_stale_version_is_conflict(http, trainer_headers, exercise):
    plan = _workout(http, trainer_headers, [exercise.id]).json
    http.patch(f"{URL}/{plan['id']}", json={"name": "First edit"}, headers=trainer_headers)
    response = http.patch(f"{URL}/{plan['id']}", json={"name": "Stale", "version": 1}, headers=trainer_headers)
    assert_error(response, 409, "version")


def test_update_with_current_version_succeeds(http, trainer_headers, exercise):
    plan = _workout(http, trainer_headers, [exercise.id]).json
    response = http.patch(f"{URL}/{plan['id']}", json={"name": "Edit", "version": 1}, headers=trainer_headers)
    assert response.status_code == 200 and response.json["version"] == 2


def test_kind_cannot_change(http, trainer, trainer_headers):
    plan = PlanTemplateFactory(trainer=trainer)
    response = http.patch(f"{URL}/{plan.id}", json={"kind": "diet"}, headers=trainer_headers)
    assert_error(response, 422, "kind")


def test_archived_plan_must_be_restored_before_editing(http, trainer, trainer_headers):
    plan = PlanTemplateFactory(trainer=trainer, archived_at=datetime.now(UTC))
    assert_error(http.patch(f"{URL}/{plan.id}", json={"name": "Edit"}, headers=trainer_headers), 409, "plan")
    restored = http.patch(f"{URL}/{plan.id}", json={"archived": False, "name": "Back"}, headers=trainer_headers)
    assert restored.status_code == 200 and restored.json["archived_at"] is None and restored.json["name"] == "Back"


@pytest.mark.parametrize("body", [{"name": ""}, {"version": "one"}, {"tags": [1]}, {"archived": "x"}, {"foo": 1}])
def test_update_rejects_bad_body(http, trainer, trainer_headers, body):
    plan = PlanTemplateFactory(trainer=trainer)
    (field,) = body
    assert_error(http.patch(f"{URL}/{plan.id}", json=body, headers=trainer_headers), 422, field)


def test_update_unknown_plan_is_not_found(http, trainer_headers):
    assert_error(http.patch(f"{URL}/999999", json={"name": "x"}, headers=trainer_headers), 404, message="No such plan")


# --- duplicate ----------------------------------------------------------------------------


def test_duplicate_copies_content_at_version_one(http, trainer, trainer_headers):
    plan = PlanTemplateFactory(
        trainer=trainer, name="Original", kind=PlanKind.DIET, content=diet_content(), version=4, tags=["cut"]
    )
    response = http.post(f"{URL}/{plan.id}/duplicate", json={}, headers=trainer_headers)
    assert response.status_code == 201
    copy = response.json
    assert copy["id"] != plan.id and copy["name"] == "Original (copy)" and copy["version"] == 1
    assert copy["content"] == plan.content and copy["tags"] == ["cut"] and copy["kind"] == "diet"


def test_duplicate_with_a_name(http, trainer, trainer_headers):
    plan = PlanTemplateFactory(trainer=trainer)
    response = http.post(f"{URL}/{plan.id}/duplicate", json={"name": "Variant"}, headers=trainer_headers)
    assert response.json["name"] == "Variant"


def test_duplicate_rejects_unknown_field(http, trainer, trainer_headers):
    plan = PlanTemplateFactory(trainer=trainer)
    assert_error(http.post(f"{URL}/{plan.id}/duplicate", json={"kind": "diet"}, headers=trainer_headers), 422, "kind")


def test_duplicate_unknown_plan_is_not_found(http, trainer_headers):
    assert_error(http.post(f"{URL}/999999/duplicate", json={}, headers=trainer_headers), 404, message="No such plan")


# --- delete -------------------------------------------------------------------------------


def test_delete_unassigned_plan_removes_it(http, trainer, trainer_headers):
    plan = PlanTemplateFactory(trainer=trainer)
    response = http.delete(f"{URL}/{plan.id}", headers=trainer_headers)
    assert response.status_code == 204
    assert db.session.execute(select(func.count()).select_from(PlanTemplate)).scalar_one() == 0


def test_delete_assigned_plan_archives_it(http, trainer, trainer_headers, client_record):
    plan = PlanTemplateFactory(trainer=trainer)
    PlanAssignmentFactory(client=client_record, plan=plan)
    response = http.delete(f"{URL}/{plan.id}", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json["archived_at"] is not None
    db.session.expire_all()
    assert db.session.get(PlanTemplate, plan.id).archived_at is not None


def test_delete_unknown_plan_is_not_found(http, trainer_headers):
    assert_error(http.delete(f"{URL}/999999", headers=trainer_headers), 404, message="No such plan")


def test_retried_create_with_the_same_idempotency_key_creates_once(http, trainer_headers, exercise):
    headers = {**trainer_headers, "Idempotency-Key": "create-plan-1"}
    first = _workout(http, headers, [exercise.id])
    retry = _workout(http, headers, [exercise.id])
    assert retry.status_code == 201 and retry.json["id"] == first.json["id"]
    assert db.session.execute(select(func.count()).select_from(PlanTemplate)).scalar_one() == 1

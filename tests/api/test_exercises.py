"""The exercise library API: search and filters, visibility, custom exercises, vocabulary, alternatives."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import Exercise, PlanKind, User, WorkoutLog, WorkoutSet
from tests.factories import (
    ClientFactory,
    ExerciseFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    TrainerFactory,
    workout_content,
)
from tests.helpers import assert_envelope, assert_error, bearer, count_statements

URL = "/api/v1/exercises"


def _builtin(slug: str) -> Exercise:
    return db.session.execute(select(Exercise).where(Exercise.slug == slug)).scalar_one()


def _custom(owner, **overrides) -> Exercise:
    overrides.setdefault("movement_pattern", "squat")
    return ExerciseFactory(owner=owner, **overrides)


def _new(**overrides) -> dict:
    body = {
        "name": "Zottman Curl",
        "category": "strength",
        "movement_pattern": "isolation",
        "primary_muscles": ["biceps"],
        "secondary_muscles": ["forearms"],
        "equipment": "dumbbell",
        "level": "intermediate",
        "instructions": "Curl palms up, lower palms down.",
    }
    body.update(overrides)
    return body


def _names(response) -> list[str]:
    return [exercise["name"] for exercise in response.json]


# ---------------------------------------------------------------- list and search


def test_list_is_paginated_and_sorted_by_name(http, trainer_headers):
    response = http.get(f"{URL}?page_size=10", headers=trainer_headers)
    assert response.status_code == 200
    assert len(response.json) == 10
    assert _names(response) == sorted(_names(response), key=str.lower)
    assert '"total": ' in response.headers["X-Pagination"]


def test_builtin_library_has_at_least_150_exercises(http, trainer_headers):
    response = http.get(f"{URL}?source=builtin&page_size=1", headers=trainer_headers)
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"])["total"] >= 150


def test_search_matches_every_word_of_the_name(http, trainer_headers):
    response = http.get(f"{URL}?q=dumbbell%20press&page_size=100", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json
    assert all("dumbbell" in n.lower() and "press" in n.lower() for n in _names(response))


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("muscle=hamstrings", "primary_muscles", "hamstrings"),
        ("equipment=kettlebell", "equipment", "kettlebell"),
        ("category=plyometric", "category", "plyometric"),
        ("movement_pattern=vertical_pull", "movement_pattern", "vertical_pull"),
        ("level=advanced", "level", "advanced"),
    ],
)
def test_filter_keeps_only_matching_exercises(http, trainer_headers, query, field, expected):
    response = http.get(f"{URL}?{query}&page_size=100", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json
    for exercise in response.json:
        value = exercise[field]
        assert expected in value if isinstance(value, list) else value == expected


def test_filters_take_comma_separated_values(http, trainer_headers):
    response = http.get(f"{URL}?equipment=band,ab_wheel&page_size=100", headers=trainer_headers)
    assert {e["equipment"] for e in response.json} == {"band", "ab_wheel"}


def test_every_builtin_has_a_movement_pattern(http, trainer_headers):
    response = http.get(f"{URL}?source=builtin&page_size=100&page=1", headers=trainer_headers)
    assert all(exercise["movement_pattern"] for exercise in response.json)


@pytest.mark.parametrize(
    "query",
    ["muscle=wings", "equipment=spaceship", "category=yoga", "movement_pattern=twirl", "level=elite",
     "source=mine", "page_size=0", "page=0", f"q={'x' * 101}"],
)
def test_bad_query_is_422(http, trainer_headers, query):
    response = http.get(f"{URL}?{query}", headers=trainer_headers)
    assert_error(response, 422, query.split("=")[0])


def test_list_needs_a_token(http):
    assert_error(http.get(URL), 401, message="Authentication required")


# ---------------------------------------------------------------- visibility


def test_trainer_sees_own_custom_but_not_another_trainers(http, trainer, other_trainer, trainer_headers):
    mine = _custom(trainer, name="My Squat")
    _custom(other_trainer, name="Their Squat")
    response = http.get(f"{URL}?source=custom", headers=trainer_headers)
    assert _names(response) == [mine.name]


def test_client_sees_builtins_and_their_trainers_custom(http, trainer, other_trainer, client_headers):
    _custom(trainer, name="Coach Special")
    _custom(other_trainer, name="Other Special")
    response = http.get(f"{URL}?q=special", headers=client_headers)
    assert _names(response) == ["Coach Special"]
    assert http.get(f"{URL}?q=goblet", headers=client_headers).json


def test_admin_sees_builtins_only(http, trainer, admin_headers):
    _custom(trainer, name="Coach Special")
    response = http.get(f"{URL}?q=special", headers=admin_headers)
    assert response.status_code == 200
    assert response.json == []


def test_get_one_builtin(http, trainer_headers):
    squat = _builtin("barbell-back-squat")
    response = http.get(f"{URL}/{squat.id}", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json["name"] == "Barbell Back Squat"
    assert response.json["is_builtin"] is True
    assert response.json["movement_pattern"] == "squat"
    assert response.json["created_at"].endswith("+00:00")


def test_get_another_trainers_custom_is_404(http, other_trainer, trainer_headers):
    theirs = _custom(other_trainer)
    response = http.get(f"{URL}/{theirs.id}", headers=trainer_headers)
    assert_error(response, 404, message="Exercise not found")
    assert_envelope(response)


def test_client_gets_their_trainers_custom(http, trainer, client_headers):
    mine = _custom(trainer)
    assert http.get(f"{URL}/{mine.id}", headers=client_headers).status_code == 200


def test_client_gets_404_for_another_trainers_custom(http, other_trainer, client_headers):
    theirs = _custom(other_trainer)
    assert_error(http.get(f"{URL}/{theirs.id}", headers=client_headers), 404, message="Exercise not found")
    assert_error(http.get(f"{URL}/{theirs.id}/alternatives", headers=client_headers), 404, message="Exercise not found")


def test_get_unknown_id_is_404(http, trainer_headers):
    assert_error(http.get(f"{URL}/999999", headers=trainer_headers), 404, message="Exercise not found")


def test_get_one_needs_a_token(http):
    assert_error(http.get(f"{URL}/1"), 401, message="Authentication required")


# ---------------------------------------------------------------- create


def test_trainer_creates_custom_exercise(http, trainer, trainer_headers):
    response = http.post(URL, json=_new(), headers=trainer_headers)
    assert response.status_code == 201, response.json
    assert response.json["is_builtin"] is False and response.json["slug"] is None
    row = db.session.get(Exercise, response.json["id"])
    assert row.owner_id == trainer.id and row.movement_pattern == "isolation"


def test_created_exercise_appears_in_the_list_at_once(http, trainer_headers):
    assert http.get(f"{URL}?q=zottman", headers=trainer_headers).json == []  # warms the cache
    http.post(URL, json=_new(), headers=trainer_headers)
    assert _names(http.get(f"{URL}?q=zottman", headers=trainer_headers)) == ["Zottman Curl"]


@pytest.mark.parametrize("missing", ["name", "category", "movement_pattern", "primary_muscles", "equipment"])
def test_create_without_required_field_is_422(http, trainer_headers, missing):
    body = _new()
    del body[missing]
    response = http.post(URL, json=body, headers=trainer_headers)
    assert_error(response, 422, missing)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 7), ("name", "   "), ("name", "x" * 121), ("category", "yoga"), ("movement_pattern", "twirl"),
        ("primary_muscles", "biceps"), ("primary_muscles", []), ("primary_muscles", ["wings"]),
        ("primary_muscles", ["biceps", "biceps"]), ("secondary_muscles", ["biceps"] * 9),
        ("equipment", "spaceship"), ("extra_equipment", ["bench", "bench"]), ("level", "elite"),
        ("tracking", "distance"), ("unilateral", "sometimes"), ("instructions", "x" * 2001),
    ],
)
def test_create_with_bad_value_is_422(http, trainer_headers, field, value):
    response = http.post(URL, json=_new(**{field: value}), headers=trainer_headers)
    assert_error(response, 422, field)


def test_create_with_unknown_field_is_422(http, trainer_headers):
    response = http.post(URL, json=_new(slug="mine"), headers=trainer_headers)
    assert_error(response, 422, "slug")


def test_muscle_both_primary_and_secondary_is_422(http, trainer_headers):
    response = http.post(URL, json=_new(secondary_muscles=["biceps"]), headers=trainer_headers)
    assert_error(response, 422, "secondary_muscles")


def test_duplicate_custom_name_is_409_whatever_the_case(http, trainer_headers):
    assert http.post(URL, json=_new(), headers=trainer_headers).status_code == 201
    response = http.post(URL, json=_new(name="zottman curl"), headers=trainer_headers)
    assert_error(response, 409, "name")


def test_same_name_for_two_trainers_is_fine(http, trainer_headers, other_trainer_headers):
    assert http.post(URL, json=_new(), headers=trainer_headers).status_code == 201
    assert http.post(URL, json=_new(), headers=other_trainer_headers).status_code == 201


def test_client_cannot_create_exercise(http, client_headers):
    assert_error(http.post(URL, json=_new(), headers=client_headers), 403, "role")


def test_admin_cannot_create_exercise(http, admin_headers):
    assert_error(http.post(URL, json=_new(), headers=admin_headers), 403, "role")


def test_create_needs_a_token(http):
    assert_error(http.post(URL, json=_new()), 401, message="Authentication required")


# ---------------------------------------------------------------- update


def test_trainer_updates_own_custom(http, trainer, trainer_headers):
    mine = _custom(trainer)
    response = http.patch(f"{URL}/{mine.id}", json={"name": "Box Squat", "level": "advanced"}, headers=trainer_headers)
    assert response.status_code == 200
    assert (response.json["name"], response.json["level"]) == ("Box Squat", "advanced")


def test_update_shows_in_list_at_once(http, trainer, trainer_headers):
    mine = _custom(trainer, name="Old Name")
    assert _names(http.get(f"{URL}?source=custom", headers=trainer_headers)) == ["Old Name"]
    http.patch(f"{URL}/{mine.id}", json={"name": "New Name"}, headers=trainer_headers)
    assert _names(http.get(f"{URL}?source=custom", headers=trainer_headers)) == ["New Name"]


def test_update_builtin_is_403(http, trainer_headers):
    squat = _builtin("barbell-back-squat")
    response = http.patch(f"{URL}/{squat.id}", json={"name": "Mine now"}, headers=trainer_headers)
    assert_error(response, 403, "exercise_id")
    assert _builtin("barbell-back-squat").name == "Barbell Back Squat"


def test_update_another_trainers_custom_is_404(http, other_trainer, trainer_headers):
    theirs = _custom(other_trainer)
    assert_error(
        http.patch(f"{URL}/{theirs.id}", json={"name": "Mine"}, headers=trainer_headers),
        404,
        message="Exercise not found",
    )


def test_update_unknown_is_404(http, trainer_headers):
    assert_error(
        http.patch(f"{URL}/999999", json={"name": "Mine"}, headers=trainer_headers), 404, message="Exercise not found"
    )


def test_update_with_nothing_is_422(http, trainer, trainer_headers):
    mine = _custom(trainer)
    assert_error(http.patch(f"{URL}/{mine.id}", json={}, headers=trainer_headers), 422, "_schema")


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("level", "elite"), ("primary_muscles", []), ("unilateral", "yes please"), ("owner_id", 1)],
)
def test_update_with_bad_value_is_422(http, trainer, trainer_headers, field, value):
    mine = _custom(trainer)
    response = http.patch(f"{URL}/{mine.id}", json={field: value}, headers=trainer_headers)
    assert_error(response, 422, field)


def test_update_making_a_muscle_primary_and_secondary_is_422(http, trainer, trainer_headers):
    mine = _custom(trainer)  # primary quadriceps, secondary glutes
    response = http.patch(f"{URL}/{mine.id}", json={"primary_muscles": ["glutes"]}, headers=trainer_headers)
    assert_error(response, 422, "secondary_muscles")


def test_update_to_a_taken_name_is_409(http, trainer, trainer_headers):
    _custom(trainer, name="Taken")
    mine = _custom(trainer, name="Free")
    assert_error(http.patch(f"{URL}/{mine.id}", json={"name": "TAKEN"}, headers=trainer_headers), 409, "name")


def test_client_cannot_update(http, trainer, client_headers):
    mine = _custom(trainer)
    assert_error(http.patch(f"{URL}/{mine.id}", json={"name": "X"}, headers=client_headers), 403, "role")


def test_update_needs_a_token(http, trainer):
    mine = _custom(trainer)
    assert_error(http.patch(f"{URL}/{mine.id}", json={"name": "X"}), 401, message="Authentication required")


# ---------------------------------------------------------------- delete


def test_trainer_deletes_unused_custom(http, trainer, trainer_headers):
    mine = _custom(trainer)
    assert http.get(f"{URL}/{mine.id}", headers=trainer_headers).status_code == 200  # cached
    assert http.delete(f"{URL}/{mine.id}", headers=trainer_headers).status_code == 204
    assert_error(http.get(f"{URL}/{mine.id}", headers=trainer_headers), 404, message="Exercise not found")


def test_delete_builtin_is_403(http, trainer_headers):
    squat = _builtin("barbell-back-squat")
    assert_error(http.delete(f"{URL}/{squat.id}", headers=trainer_headers), 403, "exercise_id")


def test_delete_another_trainers_custom_is_404(http, other_trainer, trainer_headers):
    theirs = _custom(other_trainer)
    assert_error(http.delete(f"{URL}/{theirs.id}", headers=trainer_headers), 404, message="Exercise not found")
    assert db.session.get(Exercise, theirs.id) is not None


def test_delete_custom_used_by_a_plan_is_409_naming_it(http, trainer, trainer_headers):
    mine = _custom(trainer)
    PlanTemplateFactory(trainer=trainer, name="Leg day", content=workout_content([mine.id]))
    response = http.delete(f"{URL}/{mine.id}", headers=trainer_headers)
    assert_error(response, 409, "plans")
    assert response.json["errors"]["plans"] == ["Leg day"]


def test_delete_custom_in_an_assignment_is_409(http, trainer, client_record, trainer_headers):
    mine = _custom(trainer)
    PlanAssignmentFactory(client=client_record, kind=PlanKind.WORKOUT, content=workout_content([mine.id]))
    response = http.delete(f"{URL}/{mine.id}", headers=trainer_headers)
    assert_error(response, 409, "assignments")


def test_delete_custom_with_logged_sets_is_409(http, trainer, client_record, trainer_headers):
    mine = _custom(trainer)
    log = WorkoutLog(client_id=client_record.id, performed_on=date(2026, 1, 5))
    db.session.add(log)
    db.session.flush()
    db.session.add(WorkoutSet(workout_log_id=log.id, exercise_id=mine.id, exercise_order=1, set_number=1, reps=5))
    db.session.commit()
    response = http.delete(f"{URL}/{mine.id}", headers=trainer_headers)
    assert_error(response, 409, "logged_sets")


def test_client_cannot_delete(http, trainer, client_headers):
    mine = _custom(trainer)
    assert_error(http.delete(f"{URL}/{mine.id}", headers=client_headers), 403, "role")


def test_delete_needs_a_token(http, trainer):
    mine = _custom(trainer)
    assert_error(http.delete(f"{URL}/{mine.id}"), 401, message="Authentication required")


# ---------------------------------------------------------------- vocabulary


def test_vocabulary_lists_every_field(http, client_headers):
    response = http.get(f"{URL}/vocabulary", headers=client_headers)
    assert response.status_code == 200
    assert {"muscles", "equipment", "categories", "movement_patterns", "levels", "tracking"} <= set(response.json)
    assert "barbell" in response.json["equipment"] and "hinge" in response.json["movement_patterns"]


def test_vocabulary_needs_a_token(http):
    assert_error(http.get(f"{URL}/vocabulary"), 401, message="Authentication required")


# ---------------------------------------------------------------- alternatives


def test_alternatives_share_pattern_and_primary_muscle_ranked_with_reasons(http, trainer_headers):
    squat = _builtin("barbell-back-squat")
    response = http.get(f"{URL}/{squat.id}/alternatives?limit=50", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json
    scores = [alt["score"] for alt in response.json]
    assert scores == sorted(scores, reverse=True)
    for alt in response.json:
        assert alt["exercise"]["movement_pattern"] == "squat"
        assert set(alt["exercise"]["primary_muscles"]) & {"quadriceps", "glutes"}
        assert alt["reason"].startswith("Same squat pattern")
        assert alt["exercise"]["id"] != squat.id


def test_alternatives_respect_equipment(http, trainer_headers):
    squat = _builtin("barbell-back-squat")
    response = http.get(f"{URL}/{squat.id}/alternatives?equipment=dumbbell,bench", headers=trainer_headers)
    assert response.json
    for alt in response.json:
        needs = {alt["exercise"]["equipment"], *alt["exercise"]["extra_equipment"]} - {"bodyweight"}
        assert needs <= {"dumbbell", "bench"}
    assert response.json[0]["exercise"]["equipment"] == "dumbbell"  # a loaded option beats bodyweight


def test_alternatives_respect_avoid(http, trainer_headers):
    deadlift = _builtin("conventional-deadlift")
    response = http.get(f"{URL}/{deadlift.id}/alternatives?avoid=lower_back&limit=50", headers=trainer_headers)
    assert response.json
    for alt in response.json:
        assert "lower_back" not in alt["exercise"]["primary_muscles"]
    strained = [alt for alt in response.json if "lower_back" in alt["exercise"]["secondary_muscles"]]
    assert all("still works lower back" in alt["reason"] for alt in strained)
    assert response.json[0]["exercise"]["secondary_muscles"].count("lower_back") == 0


def test_alternatives_include_own_custom_exercises(http, trainer, trainer_headers):
    _custom(trainer, name="Coach Squat", equipment="dumbbell", primary_muscles=["quadriceps", "glutes"])
    squat = _builtin("barbell-back-squat")
    response = http.get(f"{URL}/{squat.id}/alternatives?limit=50", headers=trainer_headers)
    assert "Coach Squat" in [alt["exercise"]["name"] for alt in response.json]


@pytest.mark.parametrize("query", ["equipment=spaceship", "avoid=knees", "limit=0", "limit=51", "limit=many"])
def test_alternatives_bad_query_is_422(http, trainer_headers, query):
    squat = _builtin("barbell-back-squat")
    assert_error(http.get(f"{URL}/{squat.id}/alternatives?{query}", headers=trainer_headers), 422, query.split("=")[0])


def test_alternatives_of_another_trainers_custom_is_404(http, other_trainer, trainer_headers):
    theirs = _custom(other_trainer)
    assert_error(
        http.get(f"{URL}/{theirs.id}/alternatives", headers=trainer_headers), 404, message="Exercise not found"
    )


def test_alternatives_need_a_token(http):
    assert_error(http.get(f"{URL}/1/alternatives"), 401, message="Authentication required")


# ---------------------------------------------------------------- statement counts


def _list_statements(http, headers, cold: bool) -> int:
    from fitbud.extensions import cache

    if cold:
        cache.clear()
    with count_statements() as counter:
        response = http.get(f"{URL}?page_size=100", headers=headers)
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("cold", [True, False])
def test_trainer_list_statements_do_not_grow_with_custom_rows(http, cold):
    few, many = TrainerFactory(), TrainerFactory()
    for n in range(5):
        _custom(few, name=f"Few {n}")
    for n in range(50):
        _custom(many, name=f"Many {n}")
    few_headers, many_headers = bearer(few), bearer(many)
    _list_statements(http, few_headers, cold=False)
    _list_statements(http, many_headers, cold=False)
    counts = (_list_statements(http, few_headers, cold), _list_statements(http, many_headers, cold))
    assert counts[0] == counts[1] <= 4


def test_client_list_statements_do_not_grow_with_custom_rows(http):
    few, many = TrainerFactory(), TrainerFactory()
    for n in range(5):
        _custom(few, name=f"Few {n}")
    for n in range(50):
        _custom(many, name=f"Many {n}")
    few_client = ClientFactory(trainer=few, with_login=True)
    many_client = ClientFactory(trainer=many, with_login=True)
    few_user, many_user = db.session.get(User, few_client.user_id), db.session.get(User, many_client.user_id)
    counts = (_list_statements(http, bearer(few_user), True), _list_statements(http, bearer(many_user), True))
    assert counts[0] == counts[1] <= 4

"""The client's own side: /me/profile, /me/plan and /me/today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import delete

from fitbud.extensions import db
from fitbud.models import Client, Exercise, PlanKind, User
from tests.factories import (
    ClientFactory,
    ExerciseFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    diet_content,
    workout_content,
)
from tests.helpers import DEFAULT_PASSWORD, assert_error, bearer, count_statements, mailed_link_token

PROFILE = "/api/v1/me/profile"
PLAN = "/api/v1/me/plan"
TODAY = "/api/v1/me/today"


@pytest.fixture
def profiled_client(trainer):
    """A client with a login and a full profile, including the trainer's private fields."""
    client = ClientFactory(
        trainer=trainer,
        with_login=True,
        goals=["strength"],
        height_cm=180.0,
        starting_weight_kg=80.0,
        tags=["vip"],
        is_active=True,
    )
    client.private_notes = "Struggles with consistency."
    client.health_details = {"injuries": ["Ankle"], "conditions": [], "medications": [], "allergies": []}
    db.session.commit()
    return client


def _headers(client: Client) -> dict[str, str]:
    return bearer(db.session.get(User, client.user_id))


# --- profile ------------------------------------------------------------------------------


def test_profile_shows_own_fields_and_health_but_never_private_notes(http, profiled_client, trainer):
    response = http.get(PROFILE, headers=_headers(profiled_client))
    assert response.status_code == 200
    body = response.json
    assert body["id"] == profiled_client.id and body["goals"] == ["strength"]
    assert body["health"]["injuries"] == ["Ankle"]
    assert body["trainer"] == {"id": trainer.id, "name": trainer.name}
    assert "private_notes" not in body and "is_active" not in body and "tags" not in body
    assert "Struggles" not in response.get_data(as_text=True)


def test_profile_uses_the_clients_units(http, profiled_client):
    user = db.session.get(User, profiled_client.user_id)
    user.unit_system = "imperial"
    db.session.commit()
    body = http.get(PROFILE, headers=bearer(user)).json
    assert body["units"]["mass"] == "lb"
    assert body["starting_weight"] == pytest.approx(176.4) and body["height"] == pytest.approx(70.9)


def test_client_updates_own_profile_and_health(http, profiled_client):
    headers = _headers(profiled_client)
    response = http.patch(
        PROFILE,
        json={"goals": ["endurance"], "starting_weight": 78.5, "health": {"allergies": ["Latex"]},
              "timezone": "Asia/Tokyo"},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["goals"] == ["endurance"] and body["starting_weight"] == 78.5
    assert body["health"] == {"injuries": ["Ankle"], "conditions": [], "medications": [], "allergies": ["Latex"]}
    assert body["timezone"] == "Asia/Tokyo"
    assert db.session.get(User, profiled_client.user_id).timezone == "Asia/Tokyo"


def test_a_timezone_set_on_the_account_moves_the_clients_day(http, profiled_client, trainer_headers):
    headers = _headers(profiled_client)

    moved = http.patch("/api/v1/users/me", json={"timezone": "Asia/Tokyo"}, headers=headers)

    assert moved.status_code == 200, moved.json
    assert http.get("/api/v1/me/today", headers=headers).json["timezone"] == "Asia/Tokyo"
    trainer_view = http.get(f"/api/v1/clients/{profiled_client.id}", headers=trainer_headers).json
    assert trainer_view["timezone"] == "Asia/Tokyo"


def test_a_new_login_email_shows_on_the_trainers_record(http, profiled_client, trainer_headers, mail_outbox):
    new_login = {"email": "ana.new@example.com", "current_password": DEFAULT_PASSWORD}
    changed = http.patch("/api/v1/users/me", json=new_login, headers=_headers(profiled_client))
    assert changed.status_code == 200, changed.json
    # The new address counts once its owner opens the link sent there.
    confirm = {"token": mailed_link_token("ana.new@example.com", "/verify-email/")}
    assert http.post("/api/v1/auth/verify-email", json=confirm).status_code == 200

    trainer_view = http.get(f"/api/v1/clients/{profiled_client.id}", headers=trainer_headers).json
    assert trainer_view["email"] == "ana.new@example.com"


def test_a_login_email_another_of_the_trainers_clients_has_is_409(http, trainer, profiled_client):
    ClientFactory(trainer=trainer, email="taken.here@example.com")
    new_login = {"email": "taken.here@example.com", "current_password": DEFAULT_PASSWORD}

    response = http.patch("/api/v1/users/me", json=new_login, headers=_headers(profiled_client))

    assert_error(response, 409, "email")
    assert db.session.get(User, profiled_client.user_id).email != "taken.here@example.com"


def test_a_timezone_the_trainer_sets_moves_the_clients_account(http, profiled_client, trainer_headers):
    changed = http.patch(f"/api/v1/clients/{profiled_client.id}", json={"timezone": "America/Chicago"},
                         headers=trainer_headers)

    assert changed.status_code == 200, changed.json
    assert http.get("/api/v1/users/me", headers=_headers(profiled_client)).json["timezone"] == "America/Chicago"


@pytest.mark.parametrize("field", ["private_notes", "is_active", "tags", "name", "email", "archived"])
def test_client_cannot_set_trainer_only_fields(http, profiled_client, field):
    response = http.patch(PROFILE, json={field: "x"}, headers=_headers(profiled_client))
    assert_error(response, 422, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"height": 5}, "height"),
        ({"sex": "robot"}, "sex"),
        ({"health": {"injuries": [1]}}, "health.injuries.0"),
        ({"goals": "x"}, "goals"),
    ],
)
def test_profile_update_rejects_bad_input(http, profiled_client, body, field):
    assert_error(http.patch(PROFILE, json=body, headers=_headers(profiled_client)), 422, field)


def test_profile_rejects_unknown_timezone(http, profiled_client):
    response = http.patch(PROFILE, json={"timezone": "Nowhere/Land"}, headers=_headers(profiled_client))
    assert_error(response, 422, "timezone")


def test_client_profile_update_keeps_private_notes(http, profiled_client, trainer_headers):
    http.patch(PROFILE, json={"goals": ["mobility"]}, headers=_headers(profiled_client))
    trainer_view = http.get(f"/api/v1/clients/{profiled_client.id}", headers=trainer_headers).json
    assert trainer_view["private_notes"] == "Struggles with consistency." and trainer_view["tags"] == ["vip"]


@pytest.mark.parametrize("url", [PROFILE, PLAN, TODAY])
def test_client_endpoints_are_for_clients_only(http, trainer_headers, admin_headers, url):
    assert_error(http.get(url, headers=trainer_headers), 403, "role")
    assert_error(http.get(url, headers=admin_headers), 403, "role")


@pytest.mark.parametrize("url", [PROFILE, PLAN, TODAY])
def test_client_endpoints_need_a_token(http, url):
    assert_error(http.get(url), 401, message="Authentication required")


def test_profile_patch_is_for_clients_only(http, trainer_headers):
    assert_error(http.patch(PROFILE, json={"goals": []}, headers=trainer_headers), 403, "role")


def test_each_client_sees_only_their_own_profile(http, trainer, profiled_client):
    other = ClientFactory(trainer=trainer, with_login=True, goals=["mobility"])
    mine = http.get(PROFILE, headers=_headers(profiled_client)).json
    theirs = http.get(PROFILE, headers=_headers(other)).json
    assert mine["id"] == profiled_client.id and theirs["id"] == other.id


# --- plan ---------------------------------------------------------------------------------


@pytest.fixture
def exercises(trainer):
    """Two exercises: a built-in one and the trainer's own (the built-in one is removed afterwards,
    since the database reset keeps built-in rows)."""
    builtin = ExerciseFactory(owner=None, name="Back Squat Portal Test")
    yield [builtin, ExerciseFactory(owner=trainer, name="Sled Push")]
    db.session.rollback()
    db.session.execute(delete(Exercise).where(Exercise.id == builtin.id))
    db.session.commit()


def test_my_plan_shows_active_assignments_and_their_exercises(http, client_record, client_headers, trainer, exercises):
    workout = PlanTemplateFactory(trainer=trainer, content=workout_content([e.id for e in exercises]))
    diet = PlanTemplateFactory(trainer=trainer, kind=PlanKind.DIET, content=diet_content())
    today = datetime.now(UTC).date()
    PlanAssignmentFactory(client=client_record, plan=workout, start_date=today - timedelta(days=30),
                          end_date=today - timedelta(days=8))
    current = PlanAssignmentFactory(client=client_record, plan=workout, start_date=today - timedelta(days=7))
    PlanAssignmentFactory(client=client_record, plan=diet, start_date=today)
    upcoming = PlanAssignmentFactory(client=client_record, plan=diet, start_date=today + timedelta(days=3))
    response = http.get(PLAN, headers=client_headers)
    assert response.status_code == 200
    body = response.json
    assert body["workout"]["id"] == current.id and body["workout"]["content"] == workout.content
    assert body["diet"]["totals"][0]["totals"]["kcal"] == 630.0
    assert [a["id"] for a in body["upcoming"]] == [upcoming.id]
    assert sorted(e["name"] for e in body["exercises"]) == ["Back Squat Portal Test", "Sled Push"]


def test_my_plan_without_assignments_is_empty(http, client_headers):
    assert http.get(PLAN, headers=client_headers).json == {
        "workout": None, "diet": None, "upcoming": [], "exercises": []
    }


# --- today --------------------------------------------------------------------------------


def test_today_gives_the_workout_day_with_exercise_details(http, client_record, client_headers, trainer, exercises):
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([e.id for e in exercises]))
    start = datetime.now(UTC).date() - timedelta(days=7)  # day 0 of the second cycle: the training day
    PlanAssignmentFactory(client=client_record, plan=plan, start_date=start)
    response = http.get(TODAY, headers=client_headers)
    assert response.status_code == 200
    workout = response.json["workout"]
    assert workout["rest"] is False and workout["day_name"] == "Full body" and workout["week_index"] == 0
    assert [item["exercise"]["name"] for item in workout["items"]] == ["Back Squat Portal Test", "Sled Push"]
    assert workout["items"][0]["sets"] == 3 and workout["items"][0]["exercise"]["instructions"]
    assert response.json["diet"] is None


def test_today_says_rest_on_a_rest_day(http, client_record, client_headers, trainer, exercises):
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([exercises[0].id]))
    PlanAssignmentFactory(client=client_record, plan=plan, start_date=datetime.now(UTC).date() - timedelta(days=1))
    workout = http.get(TODAY, headers=client_headers).json["workout"]
    assert workout["rest"] is True and workout["day_name"] == "Rest" and workout["items"] == []
    assert "Rest day" in workout["message"]


def test_today_says_rest_on_a_day_the_plan_leaves_free(http, client_record, client_headers, trainer, exercises):
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([exercises[0].id]))
    PlanAssignmentFactory(client=client_record, plan=plan, start_date=datetime.now(UTC).date() - timedelta(days=3))
    workout = http.get(TODAY, headers=client_headers).json["workout"]
    assert workout["rest"] is True and workout["day_index"] is None


def test_today_gives_the_diet_day_with_totals_and_targets(http, client_record, client_headers, trainer):
    content = diet_content()
    content["days"].append({**content["days"][0], "name": "Second day"})
    content["targets"] = {"kcal": 2000, "protein": 150}
    plan = PlanTemplateFactory(trainer=trainer, kind=PlanKind.DIET, content=content)
    PlanAssignmentFactory(client=client_record, plan=plan, start_date=datetime.now(UTC).date() - timedelta(days=3))
    diet = http.get(TODAY, headers=client_headers).json["diet"]
    assert diet["day_name"] == "Second day" and diet["day_index"] == 1
    assert [meal["name"] for meal in diet["meals"]] == ["Breakfast", "Dinner"]
    assert diet["meals"][0]["totals"]["kcal"] == 300.0 and diet["totals"]["kcal"] == 630.0
    assert diet["targets"] == {"kcal": 2000.0, "protein": 150.0}


def test_today_is_counted_in_the_clients_timezone(http, trainer, exercises):
    client = ClientFactory(trainer=trainer, with_login=True, timezone="Pacific/Auckland")
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([exercises[0].id]))
    PlanAssignmentFactory(client=client, plan=plan, start_date=date(2026, 3, 2))
    # 20:00 UTC on 1 March is already 2 March (the start, a training day) in Auckland.
    with time_machine.travel(datetime(2026, 3, 1, 20, 0, tzinfo=UTC)):
        body = http.get(TODAY, headers=_headers(client)).json
    assert body["date"] == "2026-03-02" and body["timezone"] == "Pacific/Auckland"
    assert body["workout"]["rest"] is False


def test_today_has_not_started_where_the_clients_date_is_behind_utc(http, trainer, exercises):
    client = ClientFactory(trainer=trainer, with_login=True, timezone="America/Los_Angeles")
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([exercises[0].id]))
    PlanAssignmentFactory(client=client, plan=plan, start_date=date(2026, 3, 2))
    # 03:00 UTC on 2 March is still 1 March in Los Angeles: the plan has not started there.
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC)):
        body = http.get(TODAY, headers=_headers(client)).json
    assert body["date"] == "2026-03-01" and body["workout"] is None


def test_today_before_the_start_has_no_workout(http, client_record, client_headers, trainer, exercises):
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([exercises[0].id]))
    PlanAssignmentFactory(client=client_record, plan=plan, start_date=datetime.now(UTC).date() + timedelta(days=2))
    assert http.get(TODAY, headers=client_headers).json["workout"] is None


def test_today_loads_exercises_in_one_query(http, client_record, client_headers, trainer):
    many = [ExerciseFactory(owner=trainer) for _ in range(12)]
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([e.id for e in many]))
    PlanAssignmentFactory(client=client_record, plan=plan, start_date=datetime.now(UTC).date())
    with count_statements() as counter:
        response = http.get(TODAY, headers=client_headers)
    assert len(response.json["workout"]["items"]) == 12
    assert counter.count <= 4

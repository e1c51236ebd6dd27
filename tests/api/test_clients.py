"""Trainers manage their clients: create, list, read, update, archive and purge."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import (
    ActivityEvent,
    ActivityType,
    Client,
    ClientInvitation,
    PlanAssignment,
    User,
)
from tests.factories import ClientFactory, PlanAssignmentFactory, TrainerFactory
from tests.helpers import assert_error, bearer, mailed_link_token

pytestmark = pytest.mark.usefixtures("mail_outbox")

URL = "/api/v1/clients"


def _create(http, headers, **body):
    body.setdefault("email", "new.client@example.com")
    body.setdefault("name", "New Client")
    return http.post(URL, json=body, headers=headers)


# --- create -------------------------------------------------------------------------------


def test_create_client_returns_profile_and_when_the_invitation_expires(http, trainer_headers):
    response = _create(
        http,
        trainer_headers,
        email=" New.Client@Example.com ",
        goals=["strength", "fat_loss", "strength"],
        date_of_birth="1990-04-02",
        sex="female",
        height=170,
        starting_weight=65.5,
        timezone="Europe/Paris",
        tags=["Online", "online", "Morning"],
        private_notes="Motivated by races.",
        health={"injuries": ["Left knee (ACL, 2019)"], "allergies": ["Peanuts"]},
    )
    assert response.status_code == 201, response.json
    client = response.json["client"]
    assert client["email"] == "new.client@example.com"
    assert client["goals"] == ["strength", "fat_loss"]
    assert client["tags"] == ["online", "morning"]
    assert client["height"] == 170.0 and client["starting_weight"] == 65.5
    assert client["units"] == {"system": "metric", "mass": "kg", "length": "cm"}
    assert client["health"] == {
        "injuries": ["Left knee (ACL, 2019)"],
        "conditions": [],
        "medications": [],
        "allergies": ["Peanuts"],
    }
    assert client["private_notes"] == "Motivated by races."
    assert client["has_login"] is False and client["is_active"] is True
    assert response.json["invitation_expires_at"]
    assert "invite_url" not in response.json  # the link goes only to the client's mailbox


def test_create_client_stores_only_the_token_hash(http, trainer_headers):
    _create(http, trainer_headers)
    token = mailed_link_token("new.client@example.com", "/invite/")
    invitation = db.session.execute(select(ClientInvitation)).scalar_one()
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_create_client_invitation_expires_after_seven_days(http, trainer_headers):
    response = _create(http, trainer_headers)
    expires = datetime.fromisoformat(response.json["invitation_expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)


def test_create_client_with_existing_email_is_conflict(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, email="taken@example.com")
    response = _create(http, trainer_headers, email="TAKEN@example.com")
    assert_error(response, 409, "email")


def test_same_email_may_be_a_client_of_two_trainers(http, other_trainer, trainer_headers):
    ClientFactory(trainer=other_trainer, email="shared@example.com")
    assert _create(http, trainer_headers, email="shared@example.com").status_code == 201


def test_create_client_without_name_is_invalid(http, trainer_headers):
    response = http.post(URL, json={"email": "a@example.com"}, headers=trainer_headers)
    assert_error(response, 422, "name")


def test_create_client_with_unknown_field_is_invalid(http, trainer_headers):
    response = _create(http, trainer_headers, favourite_colour="blue")
    assert_error(response, 422, "favourite_colour")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("goals", ["flying"]),
        ("goals", "strength"),
        ("sex", "unknown"),
        ("height", "tall"),
        ("height", 20),
        ("height", 400),
        ("starting_weight", 5),
        ("starting_weight", True),
        ("date_of_birth", "2999-01-01"),
        ("date_of_birth", "yesterday"),
        ("tags", ["x" * 41]),
        ("tags", [""]),
        ("health", {"injuries": "knee"}),
        ("health", {"surgeries": ["appendix"]}),
        ("private_notes", 42),
        ("is_active", "perhaps"),
    ],
)
def test_create_client_rejects_bad_field(http, trainer_headers, field, value):
    assert_error(_create(http, trainer_headers, **{field: value}), 422, field)


def test_create_client_with_unknown_timezone_is_invalid(http, trainer_headers):
    response = _create(http, trainer_headers, timezone="Mars/Olympus_Mons")
    assert_error(response, 422, "timezone")


def test_create_client_rolls_back_when_timezone_is_invalid(http, trainer_headers):
    _create(http, trainer_headers, timezone="Mars/Olympus_Mons")
    assert db.session.execute(select(func.count()).select_from(Client)).scalar_one() == 0


def test_create_client_needs_a_token(http):
    assert_error(_create(http, {}), 401, message="Authentication required")


def test_create_client_is_for_trainers_only(http, client_headers, admin_headers):
    assert_error(_create(http, client_headers), 403, "role")
    assert_error(_create(http, admin_headers), 403, "role")


# --- units --------------------------------------------------------------------------------


def test_imperial_trainer_types_and_reads_pounds_and_inches(http, app):
    coach = TrainerFactory(unit_system="imperial")
    headers = bearer(coach)
    response = _create(http, headers, height=70, starting_weight=150)
    assert response.status_code == 201
    client = response.json["client"]
    assert client["height"] == 70.0 and client["starting_weight"] == 150.0
    assert client["units"] == {"system": "imperial", "mass": "lb", "length": "in"}
    stored = db.session.get(Client, client["id"])
    assert stored.height_cm == pytest.approx(177.8)
    assert stored.starting_weight_kg == pytest.approx(68.0388555)


def test_metric_trainer_reads_an_imperial_entry_in_kilograms(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, height_cm=177.8, starting_weight_kg=68.0388555)
    body = http.get(f"{URL}/{client.id}", headers=trainer_headers).json
    assert body["height"] == 177.8 and body["starting_weight"] == 68.0


def test_out_of_range_weight_error_speaks_the_callers_units(http):
    headers = bearer(TrainerFactory(unit_system="imperial"))
    response = _create(http, headers, starting_weight=1000)
    assert_error(response, 422, "starting_weight")
    assert "lb" in response.json["errors"]["starting_weight"][0]


# --- list ---------------------------------------------------------------------------------


def test_list_shows_only_my_unarchived_clients_by_name(http, trainer, other_trainer, trainer_headers):
    ClientFactory(trainer=trainer, name="Zoe")
    ClientFactory(trainer=trainer, name="Adam")
    ClientFactory(trainer=trainer, name="Archived", archived_at=datetime.now(UTC))
    ClientFactory(trainer=other_trainer, name="Not mine")
    response = http.get(URL, headers=trainer_headers)
    assert response.status_code == 200
    assert [c["name"] for c in response.json] == ["Adam", "Zoe"]
    assert "private_notes" not in response.json[0] and "health" not in response.json[0]


def test_list_archived_shows_only_archived(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, name="Current")
    ClientFactory(trainer=trainer, name="Gone", archived_at=datetime.now(UTC))
    response = http.get(f"{URL}?archived=true", headers=trainer_headers)
    assert [c["name"] for c in response.json] == ["Gone"]


def test_list_searches_name_and_email(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, name="Maria Lopez", email="ml@example.com")
    ClientFactory(trainer=trainer, name="John Smith", email="maria.fan@example.com")
    ClientFactory(trainer=trainer, name="Other", email="o@example.com")
    response = http.get(f"{URL}?q=MARIA", headers=trainer_headers)
    assert sorted(c["name"] for c in response.json) == ["John Smith", "Maria Lopez"]


def test_list_search_treats_wildcards_literally(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, name="100% Effort")
    ClientFactory(trainer=trainer, name="Anyone")
    response = http.get(f"{URL}?q=%25", headers=trainer_headers)
    assert [c["name"] for c in response.json] == ["100% Effort"]


def test_list_filters_by_active_status(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, name="On", is_active=True)
    ClientFactory(trainer=trainer, name="Paused", is_active=False)
    response = http.get(f"{URL}?is_active=false", headers=trainer_headers)
    assert [c["name"] for c in response.json] == ["Paused"]


def test_list_filters_by_goal(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, name="Lifter", goals=["strength", "muscle_gain"])
    ClientFactory(trainer=trainer, name="Runner", goals=["endurance"])
    ClientFactory(trainer=trainer, name="Unsure", goals=[])
    response = http.get(f"{URL}?goal=strength", headers=trainer_headers)
    assert [c["name"] for c in response.json] == ["Lifter"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Amy", "Bob", "Cat"]),
        ("-name", ["Cat", "Bob", "Amy"]),
        ("created", ["Bob", "Cat", "Amy"]),
        ("-created", ["Amy", "Cat", "Bob"]),
        ("last_activity", ["Cat", "Amy", "Bob"]),
        ("-last_activity", ["Amy", "Cat", "Bob"]),
    ],
)
def test_list_sorts(http, trainer, trainer_headers, sort, expected):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    ClientFactory(trainer=trainer, name="Bob", created_at=base, last_activity_at=None)
    ClientFactory(trainer=trainer, name="Cat", created_at=base + timedelta(days=1), last_activity_at=base)
    ClientFactory(
        trainer=trainer, name="Amy", created_at=base + timedelta(days=2), last_activity_at=base + timedelta(days=3)
    )
    response = http.get(f"{URL}?sort={sort}", headers=trainer_headers)
    assert [c["name"] for c in response.json] == expected


def test_list_paginates(http, trainer, trainer_headers):
    for n in range(3):
        ClientFactory(trainer=trainer, name=f"Client {n}")
    response = http.get(f"{URL}?page=2&page_size=2", headers=trainer_headers)
    assert [c["name"] for c in response.json] == ["Client 2"]
    assert '"total": 3' in response.headers["X-Pagination"]


@pytest.mark.parametrize("query", ["sort=age", "goal=flying", "is_active=maybe", "page_size=0"])
def test_list_rejects_bad_query(http, trainer_headers, query):
    field = query.split("=")[0]
    assert_error(http.get(f"{URL}?{query}", headers=trainer_headers), 422, field)


def test_list_is_for_trainers_only(http, client_headers):
    assert_error(http.get(URL, headers=client_headers), 403, "role")


def test_list_needs_a_token(http):
    assert_error(http.get(URL), 401, message="Authentication required")


# --- read and update ----------------------------------------------------------------------


def test_get_client_shows_private_notes_to_the_trainer(http, trainer, trainer_headers):
    created = _create(http, trainer_headers, private_notes="Prefers mornings.").json["client"]
    response = http.get(f"{URL}/{created['id']}", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json["private_notes"] == "Prefers mornings."


def test_get_unknown_client_is_not_found(http, trainer_headers):
    assert_error(http.get(f"{URL}/999999", headers=trainer_headers), 404, message="No such client")


def test_patch_client_updates_profile_and_merges_health(http, trainer_headers):
    created = _create(
        http, trainer_headers, health={"injuries": ["Shoulder"], "medications": ["Ventolin"]}
    ).json["client"]
    response = http.patch(
        f"{URL}/{created['id']}",
        json={
            "is_active": False,
            "goals": ["mobility"],
            "height": 181.5,
            "timezone": "America/New_York",
            "health": {"injuries": ["Shoulder", "Lower back"]},
            "private_notes": "Needs a deload.",
            "name": "  Renamed  ",
        },
        headers=trainer_headers,
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["is_active"] is False and body["goals"] == ["mobility"] and body["height"] == 181.5
    assert body["health"]["injuries"] == ["Shoulder", "Lower back"]
    assert body["health"]["medications"] == ["Ventolin"]
    assert body["private_notes"] == "Needs a deload." and body["name"] == "Renamed"
    assert body["timezone"] == "America/New_York"


def test_patch_clears_a_measurement_with_null(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, height_cm=170.0)
    response = http.patch(f"{URL}/{client.id}", json={"height": None}, headers=trainer_headers)
    assert response.json["height"] is None


def test_patch_email_before_login_is_allowed(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer)
    response = http.patch(f"{URL}/{client.id}", json={"email": "Fixed@Example.com"}, headers=trainer_headers)
    assert response.json["email"] == "fixed@example.com"


def test_patch_email_of_client_with_login_is_conflict(http, client_record, trainer_headers):
    response = http.patch(f"{URL}/{client_record.id}", json={"email": "x@example.com"}, headers=trainer_headers)
    assert_error(response, 409, "email")


def test_patch_email_to_another_clients_is_conflict(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, email="one@example.com")
    second = ClientFactory(trainer=trainer, email="two@example.com")
    response = http.patch(f"{URL}/{second.id}", json={"email": "one@example.com"}, headers=trainer_headers)
    assert_error(response, 409, "email")


@pytest.mark.parametrize(
    "body",
    [{"height": -1}, {"goals": ["x"]}, {"unknown": 1}, {"name": "   "}, {"archived": "soon"}, {"timezone": ""}],
)
def test_patch_rejects_bad_input(http, trainer, trainer_headers, body):
    client = ClientFactory(trainer=trainer)
    (field,) = body
    assert_error(http.patch(f"{URL}/{client.id}", json=body, headers=trainer_headers), 422, field)


def test_patch_unknown_client_is_not_found(http, trainer_headers):
    assert_error(
        http.patch(f"{URL}/999999", json={"is_active": False}, headers=trainer_headers), 404, message="No such client"
    )


# --- archive and purge --------------------------------------------------------------------


def test_delete_archives_and_keeps_the_data(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer)
    PlanAssignmentFactory(client=client)
    response = http.delete(f"{URL}/{client.id}", headers=trainer_headers)
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.get(Client, client.id).archived_at is not None
    assert db.session.execute(select(func.count()).select_from(PlanAssignment)).scalar_one() == 1


def test_delete_voids_pending_invitations(http, trainer_headers):
    created = _create(http, trainer_headers).json
    http.delete(f"{URL}/{created['client']['id']}", headers=trainer_headers)
    token = mailed_link_token("new.client@example.com", "/invite/")
    response = http.post("/api/v1/auth/accept-invite", json={"token": token, "password": "a-long-enough-secret"})
    assert_error(response, 410, "token")


def test_archived_client_is_restored_by_patch(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, archived_at=datetime.now(UTC))
    response = http.patch(f"{URL}/{client.id}", json={"archived": False}, headers=trainer_headers)
    assert response.json["archived_at"] is None


def test_purge_deletes_client_login_and_everything_recorded(http, client_record, client_user, trainer_headers):
    PlanAssignmentFactory(client=client_record)
    db.session.add(
        ActivityEvent(
            trainer_id=client_record.trainer_id, client_id=client_record.id,
            type=ActivityType.WORKOUT_LOGGED, summary="Did a workout",
        )
    )
    db.session.commit()
    client_id, user_id, name = client_record.id, client_user.id, client_record.name
    response = http.delete(f"{URL}/{client_id}?purge=true", json={"confirm_name": name}, headers=trainer_headers)
    assert response.status_code == 204
    assert db.session.get(Client, client_id) is None
    assert db.session.get(User, user_id) is None
    assert db.session.execute(select(func.count()).select_from(PlanAssignment)).scalar_one() == 0
    assert db.session.execute(select(func.count()).select_from(ActivityEvent)).scalar_one() == 0


def test_purge_leaves_other_clients_alone(http, trainer, trainer_headers):
    doomed = ClientFactory(trainer=trainer, name="Doomed")
    survivor = ClientFactory(trainer=trainer, name="Survivor")
    PlanAssignmentFactory(client=survivor)
    http.delete(f"{URL}/{doomed.id}?purge=true", json={"confirm_name": "Doomed"}, headers=trainer_headers)
    assert db.session.get(Client, survivor.id) is not None
    assert db.session.execute(select(func.count()).select_from(PlanAssignment)).scalar_one() == 1


@pytest.mark.parametrize("body", [None, {}, {"confirm_name": "wrong"}, {"confirm_name": "exact name"}])
def test_purge_without_the_exact_name_is_refused(http, trainer, trainer_headers, body):
    client = ClientFactory(trainer=trainer, name="Exact Name")
    response = http.delete(f"{URL}/{client.id}?purge=true", json=body, headers=trainer_headers)
    assert_error(response, 422, "confirm_name")
    db.session.expire_all()
    assert db.session.get(Client, client.id) is not None


def test_delete_with_bad_purge_flag_is_invalid(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer)
    assert_error(http.delete(f"{URL}/{client.id}?purge=please", headers=trainer_headers), 422, "purge")


def test_delete_unknown_client_is_not_found(http, trainer_headers):
    assert_error(http.delete(f"{URL}/999999", headers=trainer_headers), 404, message="No such client")


def test_birth_date_round_trips(http, trainer_headers):
    created = _create(http, trainer_headers, date_of_birth="1985-12-31").json["client"]
    assert date.fromisoformat(created["date_of_birth"]) == date(1985, 12, 31)

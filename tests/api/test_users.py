"""GET and PATCH /users/me: the logged-in user's own account."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.api.auth_flow import auth, login, me, refresh
from tests.factories import TrainerFactory
from tests.helpers import DEFAULT_PASSWORD, assert_error, mailed_link_token

NEW_PASSWORD = "saffron-tundra-kettle-9"


def _patch(http, headers, payload):
    return http.patch("/api/v1/users/me", headers=headers, json=payload)


# --- GET ---------------------------------------------------------------------------------------


def test_me_returns_the_account_without_secrets(http, trainer, trainer_headers):
    response = http.get("/api/v1/users/me", headers=trainer_headers)

    assert response.status_code == 200
    assert set(response.json) == {
        "id",
        "email",
        "name",
        "role",
        "is_active",
        "timezone",
        "unit_system",
        "created_at",
        "last_login_at",
        "email_verified",
        "pending_email",
    }
    assert response.json["id"] == trainer.id


def test_me_timestamps_are_iso_8601_with_offset(http, trainer_headers):
    created_at = http.get("/api/v1/users/me", headers=trainer_headers).json["created_at"]

    parsed = datetime.fromisoformat(created_at)
    assert parsed.tzinfo is not None
    assert parsed.utcoffset().total_seconds() == 0
    assert created_at.endswith("+00:00")


@pytest.mark.parametrize("role_headers", ["trainer_headers", "client_headers", "admin_headers"])
def test_me_works_for_every_role(http, request, role_headers):
    response = http.get("/api/v1/users/me", headers=request.getfixturevalue(role_headers))

    assert response.status_code == 200


def test_me_without_token_is_401(http):
    assert_error(http.get("/api/v1/users/me"), 401, message="Authentication required")


# --- PATCH: profile fields ----------------------------------------------------------------------


def test_patch_changes_name_timezone_and_units(http, trainer_headers):
    response = _patch(
        http,
        trainer_headers,
        {"name": "  Sam Rivera ", "timezone": "Europe/London", "unit_system": "imperial"},
    )

    assert response.status_code == 200
    assert response.json["name"] == "Sam Rivera"
    assert response.json["timezone"] == "Europe/London"
    assert response.json["unit_system"] == "imperial"
    assert http.get("/api/v1/users/me", headers=trainer_headers).json["timezone"] == "Europe/London"


def test_patch_with_empty_body_changes_nothing(http, trainer, trainer_headers):
    response = _patch(http, trainer_headers, {})

    assert response.status_code == 200
    assert response.json["name"] == trainer.name


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": 5}, "timezone"),
        ({"unit_system": "furlongs"}, "unit_system"),
        ({"unit_system": None}, "unit_system"),
        ({"name": "   "}, "name"),
        ({"name": 12}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"role": "admin"}, "role"),
        ({"is_active": False}, "is_active"),
        ({"password_hash": "x"}, "password_hash"),
    ],
    ids=[
        "timezone-unknown",
        "timezone-empty",
        "timezone-int",
        "units-unknown",
        "units-null",
        "name-blank",
        "name-int",
        "email-malformed",
        "role-unknown-field",
        "is-active-unknown-field",
        "hash-unknown-field",
    ],
)
def test_patch_bad_input_is_422_and_changes_nothing(http, trainer, trainer_headers, payload, field):
    before = http.get("/api/v1/users/me", headers=trainer_headers).json

    assert_error(_patch(http, trainer_headers, {"name": "Changed", **payload}), 422, field)

    assert http.get("/api/v1/users/me", headers=trainer_headers).json == before


def test_patch_body_that_is_not_an_object_is_422(http, trainer_headers):
    assert_error(_patch(http, trainer_headers, ["name", "x"]), 422, "_schema")


def test_patch_without_token_is_401(http):
    assert_error(http.patch("/api/v1/users/me", json={"name": "x"}), 401, message="Authentication required")


# --- PATCH: email -------------------------------------------------------------------------------


def test_patch_email_is_normalised_and_becomes_the_login_once_confirmed(http, trainer, trainer_headers):
    old_email = trainer.email
    changes = {"email": "  New.Address@Example.ORG ", "current_password": DEFAULT_PASSWORD}
    response = _patch(http, trainer_headers, changes)

    assert response.status_code == 200
    assert response.json["email"] == old_email
    assert response.json["pending_email"] == "new.address@example.org"
    token = mailed_link_token("new.address@example.org", "/verify-email/")
    assert http.post("/api/v1/auth/verify-email", json={"token": token}).status_code == 200
    assert login(http, "new.address@example.org", DEFAULT_PASSWORD)["token_type"] == "Bearer"


def test_patch_email_taken_by_another_account_in_another_case_is_409(http, trainer_headers):
    TrainerFactory(email="taken@example.com")

    assert_error(
        _patch(http, trainer_headers, {"email": "TAKEN@example.com", "current_password": DEFAULT_PASSWORD}),
        409,
        "email",
    )


def test_patch_own_email_in_another_case_is_not_a_conflict(http, trainer, trainer_headers):
    response = _patch(http, trainer_headers, {"email": trainer.email.upper()})

    assert response.status_code == 200
    assert response.json["email"] == trainer.email


def test_patch_with_conflicting_email_changes_nothing_else(http, trainer, trainer_headers):
    TrainerFactory(email="taken@example.com")

    changes = {"email": "taken@example.com", "name": "Renamed", "current_password": DEFAULT_PASSWORD}
    _patch(http, trainer_headers, changes)

    assert http.get("/api/v1/users/me", headers=trainer_headers).json["name"] == trainer.name


def test_patch_email_without_the_current_password_is_422_and_changes_nothing(http, trainer, trainer_headers):
    # The email is the login: a stolen access token alone must not be able to take the account.
    body = assert_error(
        _patch(http, trainer_headers, {"email": "thief@example.com", "name": "Renamed"}), 422, "current_password"
    )

    assert "current_password" in body["errors"]
    assert http.get("/api/v1/users/me", headers=trainer_headers).json["email"] == trainer.email
    assert http.get("/api/v1/users/me", headers=trainer_headers).json["name"] == trainer.name


def test_a_taken_email_is_not_revealed_without_the_current_password(http, trainer_headers):
    TrainerFactory(email="taken@example.com")

    body = assert_error(_patch(http, trainer_headers, {"email": "taken@example.com"}), 422, "current_password")

    assert "current_password" in body["errors"] and "email" not in body["errors"]


def test_patch_email_with_a_wrong_current_password_is_422(http, trainer, trainer_headers):
    response = _patch(http, trainer_headers, {"email": "new@example.com", "current_password": "not-my-password"})

    body = assert_error(response, 422, "current_password")
    assert "current_password" in body["errors"]
    assert http.get("/api/v1/users/me", headers=trainer_headers).json["email"] == trainer.email


def test_patch_other_fields_need_no_password(http, trainer_headers):
    response = _patch(http, trainer_headers, {"name": "Renamed", "timezone": "Europe/Paris", "unit_system": "imperial"})

    assert response.status_code == 200, response.json


# --- PATCH: password ----------------------------------------------------------------------------


def _change_password(http, headers, current=DEFAULT_PASSWORD, new=NEW_PASSWORD):
    return _patch(http, headers, {"current_password": current, "new_password": new})


def test_password_change_lets_the_new_password_log_in(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    assert _change_password(http, auth(pair["access_token"])).status_code == 200

    assert login(http, trainer.email, NEW_PASSWORD)["token_type"] == "Bearer"


def test_password_change_retires_the_old_password(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)
    _change_password(http, auth(pair["access_token"]))

    response = http.post(
        "/api/v1/auth/login", json={"email": trainer.email, "password": DEFAULT_PASSWORD}
    )

    assert_error(response, 401, message="Invalid email or password")


def test_password_change_keeps_the_current_session(http, trainer):
    current = login(http, trainer.email, DEFAULT_PASSWORD)

    _change_password(http, auth(current["access_token"]))

    assert me(http, current["access_token"]).status_code == 200
    assert refresh(http, current["refresh_token"]).status_code == 200


def test_password_change_ends_other_sessions(http, trainer):
    current = login(http, trainer.email, DEFAULT_PASSWORD)
    other = login(http, trainer.email, DEFAULT_PASSWORD)

    _change_password(http, auth(current["access_token"]))

    assert_error(me(http, other["access_token"]), 401, message="Token has been revoked")
    assert_error(refresh(http, other["refresh_token"]), 401, message="Token has been revoked")


def test_password_change_without_current_password_is_422(http, trainer_headers):
    body = assert_error(_patch(http, trainer_headers, {"new_password": NEW_PASSWORD}), 422, "current_password")

    assert "current_password" in body["errors"]


def test_a_current_password_sent_alone_is_still_checked(http, trainer, trainer_headers):
    # A form may send it with every save; a wrong one is an error even when nothing needs it.
    assert _patch(http, trainer_headers, {"current_password": DEFAULT_PASSWORD}).status_code == 200
    body = assert_error(_patch(http, trainer_headers, {"current_password": "not-my-password"}), 422, "current_password")

    assert "current_password" in body["errors"]


def test_password_change_with_wrong_current_password_is_422(http, trainer, trainer_headers):
    body = assert_error(_change_password(http, trainer_headers, current="not-my-password"), 422, "current_password")

    assert "current_password" in body["errors"]
    assert login(http, trainer.email, DEFAULT_PASSWORD)["token_type"] == "Bearer"


@pytest.mark.parametrize("new_password", ["short", "password1234"], ids=["too-short", "common"])
def test_password_change_to_a_weak_password_is_422(http, trainer_headers, new_password):
    body = assert_error(_change_password(http, trainer_headers, new=new_password), 422, "new_password")

    assert "new_password" in body["errors"]


def test_password_change_to_the_email_is_422(http, trainer, trainer_headers):
    body = assert_error(_change_password(http, trainer_headers, new=trainer.email), 422, "new_password")

    assert "new_password" in body["errors"]


def test_password_change_attempts_are_rate_limited_per_account(http, app, trainer_headers):
    app.config["AUTH_RATE_LIMIT"] = "2/minute"

    for _ in range(2):
        assert_error(_change_password(http, trainer_headers, current="guess-guess-1"), 422, "current_password")
    response = _change_password(http, trainer_headers, current="guess-guess-2")

    assert_error(response, 429, message="Too many attempts")
    assert int(response.headers["Retry-After"]) > 0


def test_email_change_attempts_share_the_password_limit(http, app, trainer_headers):
    # Each checks the current password, so each could be a guess.
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    guesses = [{"email": f"new{i}@example.com", "current_password": f"guess-guess-{i}"} for i in range(3)]

    statuses = [_patch(http, trainer_headers, guess).status_code for guess in guesses]

    assert statuses == [422, 422, 429]


def test_profile_edits_are_not_rate_limited(http, app, trainer_headers):
    app.config["AUTH_RATE_LIMIT"] = "2/minute"

    statuses = [_patch(http, trainer_headers, {"name": f"Name {i}"}).status_code for i in range(4)]

    assert statuses == [200, 200, 200, 200]

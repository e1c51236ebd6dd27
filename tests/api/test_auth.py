"""POST /auth/register, /auth/login, /auth/refresh and /auth/logout, and how tokens are checked."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt as pyjwt
import pytest
import time_machine
from argon2 import PasswordHasher
from jwt.warnings import InsecureKeyLengthWarning

from fitbud.models import utcnow
from fitbud.services.accounts import INVALID_CREDENTIALS
from tests.api.auth_flow import STRONG_PASSWORD, auth, login, me, refresh, register
from tests.factories import TrainerFactory
from tests.helpers import DEFAULT_PASSWORD, alike, assert_error

# --- register ---------------------------------------------------------------------------------


def test_register_creates_a_trainer_with_a_normalised_email(http):
    response = register(http, "  Coach@Example.COM ", name="  Casey Coach ")

    assert response.status_code == 201
    body = response.json
    assert body["email"] == "coach@example.com"
    assert body["name"] == "Casey Coach"
    assert body["role"] == "trainer"
    assert body["is_active"] is True
    assert body["timezone"] == "UTC"
    assert body["unit_system"] == "metric"


def test_registered_trainer_can_log_in_with_any_case_of_the_email(http):
    register(http, "coach@example.com")

    pair = login(http, "COACH@example.com", STRONG_PASSWORD)

    assert me(http, pair["access_token"]).json["email"] == "coach@example.com"


def test_register_with_an_email_in_use_in_another_case_is_409(http):
    register(http, "coach@example.com")

    assert_error(register(http, "Coach@EXAMPLE.com"), 409, "email")


@pytest.mark.parametrize(
    "password, reason",
    [
        ("short-1", "at least 10 characters"),
        ("coach@example.com", "not be your email"),
        ("COACH@EXAMPLE.COM", "not be your email"),
        ("password1234", "too common"),
        ("qwertyuiop", "too common"),
    ],
    ids=["too-short", "equals-email", "equals-email-other-case", "common", "common-keyboard"],
)
def test_register_with_a_weak_password_is_422(http, password, reason):
    body = assert_error(register(http, "coach@example.com", password=password), 422, "password")

    assert any(reason in message for message in body["errors"]["password"])


def test_register_with_a_weak_password_creates_no_account(http):
    register(http, "coach@example.com", password="short")

    assert register(http, "coach@example.com").status_code == 201


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"password": STRONG_PASSWORD, "name": "C"}, "email"),
        ({"email": "c@example.com", "name": "C"}, "password"),
        ({"email": "c@example.com", "password": STRONG_PASSWORD}, "name"),
    ],
    ids=["email", "password", "name"],
)
def test_register_missing_field_is_422(http, payload, field):
    assert_error(http.post("/api/v1/auth/register", json=payload), 422, field)


@pytest.mark.parametrize(
    "override, field",
    [
        ({"email": 42}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"password": 1234567890123}, "password"),
        ({"name": ["Casey"]}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"email": None}, "email"),
    ],
    ids=[
        "email-int",
        "email-malformed",
        "password-int",
        "name-list",
        "name-blank",
        "name-long",
        "email-null",
    ],
)
def test_register_wrong_type_or_value_is_422(http, override, field):
    payload = {"email": "c@example.com", "password": STRONG_PASSWORD, "name": "C", **override}

    assert_error(http.post("/api/v1/auth/register", json=payload), 422, field)


def test_register_cannot_choose_a_role(http):
    payload = {"email": "c@example.com", "password": STRONG_PASSWORD, "name": "C", "role": "admin"}

    body = assert_error(http.post("/api/v1/auth/register", json=payload), 422, "role")

    assert body["errors"] == {"role": ["Unknown field."]}


# --- login ------------------------------------------------------------------------------------


def test_login_returns_a_bearer_pair_with_expiry(http, trainer):
    response = http.post(
        "/api/v1/auth/login", json={"email": trainer.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    body = response.json
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in", "user"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 15 * 60
    assert me(http, body["access_token"]).json["id"] == trainer.id


def test_login_records_last_login_time(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    assert me(http, pair["access_token"]).json["last_login_at"] is not None


def test_login_wrong_password_and_unknown_email_get_the_same_401(http, trainer):
    wrong = http.post(
        "/api/v1/auth/login", json={"email": trainer.email, "password": "nope-nope-1"}
    )
    unknown = http.post(
        "/api/v1/auth/login", json={"email": "ghost@example.com", "password": "nope-nope-1"}
    )

    invalid = "Invalid email or password"
    assert alike(assert_error(wrong, 401, message=invalid)) == alike(assert_error(unknown, 401, message=invalid))
    assert wrong.json["message"] == INVALID_CREDENTIALS


def test_login_unknown_email_verifies_a_hash_like_a_wrong_password(http, trainer, monkeypatch):
    calls: list[str] = []
    real_verify = PasswordHasher.verify

    def counting_verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        calls.append(password)
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)

    http.post("/api/v1/auth/login", json={"email": trainer.email, "password": "wrong-one-1"})
    calls_for_known = len(calls)
    http.post("/api/v1/auth/login", json={"email": "ghost@example.com", "password": "wrong-two-2"})
    calls_for_unknown = len(calls) - calls_for_known

    assert calls_for_known == 1
    assert calls_for_unknown == 1


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"password": "x"}, "email"),
        ({"email": "a@example.com"}, "password"),
        ({"email": "a@example.com", "password": 5}, "password"),
        ({"email": "a@example.com", "password": "x", "remember": True}, "remember"),
    ],
    ids=["missing-email", "missing-password", "password-int", "unknown-field"],
)
def test_login_bad_input_is_422(http, payload, field):
    assert_error(http.post("/api/v1/auth/login", json=payload), 422, field)


def test_deactivated_user_cannot_log_in(http):
    user = TrainerFactory(is_active=False)

    assert_error(
        http.post("/api/v1/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD}),
        401,
        message="This account has been deactivated",
    )


def test_deactivated_user_with_wrong_password_gets_the_generic_401(http):
    user = TrainerFactory(is_active=False)

    body = assert_error(
        http.post("/api/v1/auth/login", json={"email": user.email, "password": "guess-guess"}),
        401,
        message="Invalid email or password",
    )

    assert body["message"] == INVALID_CREDENTIALS


# --- refresh ----------------------------------------------------------------------------------


def test_refresh_returns_a_new_working_pair(http, trainer):
    first = login(http, trainer.email, DEFAULT_PASSWORD)

    response = refresh(http, first["refresh_token"])

    assert response.status_code == 200
    second = response.json
    assert second["token_type"] == "Bearer"
    assert second["refresh_token"] != first["refresh_token"]
    assert me(http, second["access_token"]).status_code == 200
    assert refresh(http, second["refresh_token"]).status_code == 200


def test_refresh_token_cannot_be_used_twice(http, trainer):
    first = login(http, trainer.email, DEFAULT_PASSWORD)
    refresh(http, first["refresh_token"])

    assert_error(refresh(http, first["refresh_token"]), 401, message="Token has been revoked")


def test_reusing_an_old_refresh_token_revokes_the_whole_family(http, trainer):
    first = login(http, trainer.email, DEFAULT_PASSWORD)
    newest = refresh(http, first["refresh_token"]).json

    refresh(http, first["refresh_token"])  # replay, as a thief holding the old token would

    assert_error(refresh(http, newest["refresh_token"]), 401, message="Token has been revoked")
    assert_error(me(http, newest["access_token"]), 401, message="Token has been revoked")


def test_reuse_in_one_session_leaves_other_sessions_alone(http, trainer):
    victim = login(http, trainer.email, DEFAULT_PASSWORD)
    other_device = login(http, trainer.email, DEFAULT_PASSWORD)
    refresh(http, victim["refresh_token"])
    refresh(http, victim["refresh_token"])

    assert me(http, other_device["access_token"]).status_code == 200


def test_refresh_without_a_token_is_401(http):
    assert_error(http.post("/api/v1/auth/refresh"), 401, message="Authentication required")


def test_access_token_is_rejected_on_refresh(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    assert_error(refresh(http, pair["access_token"]), 401, message="Invalid token: Only refresh tokens are allowed")


# --- logout -----------------------------------------------------------------------------------


def test_logout_is_204_and_kills_the_access_token(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    response = http.post("/api/v1/auth/logout", headers=auth(pair["access_token"]))

    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(me(http, pair["access_token"]), 401, message="Token has been revoked")


def test_logout_kills_the_refresh_token_of_that_session(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    http.post("/api/v1/auth/logout", headers=auth(pair["access_token"]))

    assert_error(refresh(http, pair["refresh_token"]), 401, message="Token has been revoked")


def test_logout_leaves_other_sessions_logged_in(http, trainer):
    this = login(http, trainer.email, DEFAULT_PASSWORD)
    other = login(http, trainer.email, DEFAULT_PASSWORD)

    http.post("/api/v1/auth/logout", headers=auth(this["access_token"]))

    assert me(http, other["access_token"]).status_code == 200


def test_logout_without_a_token_is_401(http):
    assert_error(http.post("/api/v1/auth/logout"), 401, message="Authentication required")


# --- bad tokens -------------------------------------------------------------------------------


def _segments(token: str) -> list[str]:
    return token.split(".")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


def test_missing_token_is_401(http):
    body = assert_error(http.get("/api/v1/users/me"), 401, message="Authentication required")

    assert body["message"].startswith("Authentication required")


def test_malformed_token_is_401(http):
    assert_error(me(http, "not-a-jwt"), 401, message="Invalid token: Not enough segments")


def test_non_bearer_authorization_header_is_401(http):
    response = http.get("/api/v1/users/me", headers={"Authorization": "Basic dXNlcjpwdw=="})

    assert_error(response, 401, message="Missing 'Bearer' type")


def test_token_with_alg_none_is_401(http, trainer):
    claims = _claims(login(http, trainer.email, DEFAULT_PASSWORD)["access_token"])
    unsigned = pyjwt.encode(claims, key=None, algorithm="none")

    assert_error(me(http, unsigned), 401, message="Invalid token: The specified alg value is not allowed")


def test_token_signed_with_another_algorithm_is_401(http, trainer, app):
    claims = _claims(login(http, trainer.email, DEFAULT_PASSWORD)["access_token"])
    # PyJWT warns that the dev key is short for HS512; the forgery is the point here.
    with pytest.warns(InsecureKeyLengthWarning):
        other_alg = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS512")

    assert_error(me(http, other_alg), 401, message="Invalid token: The specified alg value is not allowed")


def test_token_with_tampered_payload_is_401(http, trainer, admin):
    header, payload, signature = _segments(
        login(http, trainer.email, DEFAULT_PASSWORD)["access_token"]
    )
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(admin.id)

    body = assert_error(
        me(http, f"{header}.{_b64(claims)}.{signature}"), 401, message="Invalid token: Signature verification failed"
    )

    assert "Signature" in body["message"]


def test_token_signed_with_another_key_is_401(http, trainer):
    claims = _claims(login(http, trainer.email, DEFAULT_PASSWORD)["access_token"])
    forged = pyjwt.encode(claims, "someone-else's-secret-of-32-bytes!", algorithm="HS256")

    assert_error(me(http, forged), 401, message="Invalid token: Signature verification failed")


def test_refresh_token_used_as_access_token_is_401(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    assert_error(me(http, pair["refresh_token"]), 401, message="Invalid token: Only non-refresh tokens are allowed")


def test_expired_access_token_is_401(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    with time_machine.travel(utcnow() + timedelta(minutes=16), tick=False):
        body = assert_error(me(http, pair["access_token"]), 401, message="Token has expired")

    assert body["message"] == "Token has expired."


def test_access_token_still_works_just_before_expiry(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    with time_machine.travel(utcnow() + timedelta(minutes=14), tick=False):
        assert me(http, pair["access_token"]).status_code == 200


def test_expired_refresh_token_is_401(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        body = assert_error(refresh(http, pair["refresh_token"]), 401, message="Token has expired")

    assert body["message"] == "Token has expired."


def test_revoked_access_token_is_401(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)
    http.post("/api/v1/auth/logout", headers=auth(pair["access_token"]))

    body = assert_error(me(http, pair["access_token"]), 401, message="Token has been revoked")

    assert body["message"] == "Token has been revoked."


def test_token_of_a_deleted_user_is_401(http, trainer, app):
    from fitbud.extensions import db

    pair = login(http, trainer.email, DEFAULT_PASSWORD)
    db.session.delete(trainer)
    db.session.commit()

    assert_error(me(http, pair["access_token"]), 401, message="Token has been revoked")


def test_token_lifetimes_follow_configuration(http, app, trainer):
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=5)
    app.config["JWT_REFRESH_TOKEN_EXPIRES"] = timedelta(days=2)

    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    access, refresh_claims = _claims(pair["access_token"]), _claims(pair["refresh_token"])
    assert pair["expires_in"] == 300
    assert access["exp"] - access["iat"] == 300
    assert refresh_claims["exp"] - refresh_claims["iat"] == 2 * 24 * 3600


def test_login_answers_with_the_user_beside_the_tokens(http, trainer):
    response = http.post("/api/v1/auth/login", json={"email": trainer.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert response.json["user"]["id"] == trainer.id
    assert response.json["user"]["role"] == "trainer"
    assert response.json["user"]["email"] == trainer.email
    assert response.json["access_token"]

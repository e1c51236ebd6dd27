"""Token expiry and signing keys: an expired token gets the expired envelope, a changed key refuses old tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from flask_jwt_extended import create_access_token

from tests.helpers import assert_error, bearer


def test_an_expired_token_is_still_answered_as_expired(http, client_user):
    token = create_access_token(identity=client_user, expires_delta=timedelta(seconds=-1))

    response = http.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})

    assert_error(response, 401, message="Token has expired")
    assert response.json["message"] == "Token has expired."


def test_a_token_verified_while_fresh_is_refused_once_it_expires(http, client_user):
    issued = datetime.now(UTC)
    with time_machine.travel(issued, tick=False):
        headers = bearer(client_user)
        assert http.get("/api/v1/users/me", headers=headers).status_code == 200

    with time_machine.travel(issued + timedelta(minutes=16), tick=False):
        response = http.get("/api/v1/users/me", headers=headers)

    assert_error(response, 401, message="Token has expired")
    assert response.json["message"] == "Token has expired."


def test_a_token_seen_before_is_refused_once_the_signing_key_changes(app, http, client_user):
    headers = bearer(client_user)
    assert http.get("/api/v1/users/me", headers=headers).status_code == 200

    app.config["JWT_SECRET_KEY"] = "a-new-secret-that-is-long-enough-for-hs256!"

    assert_error(
        http.get("/api/v1/users/me", headers=headers), 401, message="Invalid token: Signature verification failed"
    )

"""Password reset (issue 18): the same answer for any address, a single-use expiring link, every session ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from fitbud.extensions import db
from fitbud.models import utcnow
from tests.api.auth_flow import auth, login, me, refresh
from tests.helpers import DEFAULT_PASSWORD, assert_error, mailed_link_token

FORGOT = "/api/v1/auth/forgot-password"
RESET = "/api/v1/auth/reset-password"
NEW_PASSWORD = "quartz-lantern-meadow-3"


def _ask(http, email: str, ip: str = "203.0.113.9"):
    return http.post(FORGOT, json={"email": email}, environ_base={"REMOTE_ADDR": ip})


def _reset_token(http, email: str) -> str:
    assert _ask(http, email).status_code == 202
    return mailed_link_token(email, "/reset-password/")


def test_the_answer_is_the_same_whether_or_not_the_address_exists(http, trainer, mail_outbox):
    known = _ask(http, trainer.email)
    unknown = _ask(http, "nobody@example.com")

    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()
    assert [mail.to for mail in mail_outbox] == [trainer.email]
    assert "http://fitbud.test/reset-password/" in mail_outbox[0].body


def test_an_unproven_address_gets_no_link(http, unverified_trainer, mail_outbox):
    response = _ask(http, unverified_trainer.email)

    assert response.status_code == 202 and mail_outbox == []


def test_a_deactivated_account_gets_no_link(http, trainer, mail_outbox):
    trainer.is_active = False
    db.session.commit()

    assert _ask(http, trainer.email).status_code == 202 and mail_outbox == []


def test_the_link_sets_the_password_and_ends_every_session(http, trainer, mail_outbox):
    phone = login(http, trainer.email, DEFAULT_PASSWORD)
    laptop = login(http, trainer.email, DEFAULT_PASSWORD)
    token = _reset_token(http, trainer.email)

    response = http.post(RESET, json={"token": token, "password": NEW_PASSWORD})

    assert response.status_code == 204
    for pair in (phone, laptop):
        assert_error(me(http, pair["access_token"]), 401, message="revoked")
        assert_error(refresh(http, pair["refresh_token"]), 401, message="revoked")
    assert_error(
        http.post("/api/v1/auth/login", json={"email": trainer.email, "password": DEFAULT_PASSWORD}),
        401,
        message="Invalid",
    )
    assert login(http, trainer.email, NEW_PASSWORD)["token_type"] == "Bearer"
    assert "password was just reset" in mail_outbox[-1].body and mail_outbox[-1].to == trainer.email


def test_the_link_works_once(http, trainer, mail_outbox):
    token = _reset_token(http, trainer.email)
    assert http.post(RESET, json={"token": token, "password": NEW_PASSWORD}).status_code == 204

    body = assert_error(http.post(RESET, json={"token": token, "password": "another-secret-pass-8"}), 410, "token")

    assert body["errors"]["token"] == ["used"]
    assert login(http, trainer.email, NEW_PASSWORD)["token_type"] == "Bearer"


def test_the_link_expires(http, trainer, mail_outbox):
    token = _reset_token(http, trainer.email)

    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        body = assert_error(http.post(RESET, json={"token": token, "password": NEW_PASSWORD}), 410, "token")

    assert body["errors"]["token"] == ["expired"]
    assert login(http, trainer.email, DEFAULT_PASSWORD)["token_type"] == "Bearer"


def test_a_newer_link_replaces_the_older(http, trainer, mail_outbox):
    first = _reset_token(http, trainer.email)
    second = _reset_token(http, trainer.email)

    assert_error(http.post(RESET, json={"token": first, "password": NEW_PASSWORD}), 410, "token")
    assert http.post(RESET, json={"token": second, "password": NEW_PASSWORD}).status_code == 204


def test_a_weak_password_is_422_and_the_link_still_works(http, trainer, mail_outbox):
    token = _reset_token(http, trainer.email)

    assert_error(http.post(RESET, json={"token": token, "password": "short"}), 422, "password")

    assert http.post(RESET, json={"token": token, "password": NEW_PASSWORD}).status_code == 204


def test_an_email_verification_link_is_not_a_reset_link(http, unverified_trainer, mail_outbox):
    pair = login(http, unverified_trainer.email, DEFAULT_PASSWORD)
    http.post("/api/v1/auth/resend-verification", headers=auth(pair["access_token"]))
    verification = mailed_link_token(unverified_trainer.email, "/verify-email/")

    assert_error(http.post(RESET, json={"token": verification, "password": NEW_PASSWORD}), 404, "token")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": NEW_PASSWORD}, "token"),
        ({"token": "x"}, "password"),
        ({"token": "", "password": NEW_PASSWORD}, "token"),
    ],
)
def test_reset_rejects_a_malformed_body(http, body, field):
    assert_error(http.post(RESET, json=body), 422, field)


@pytest.mark.parametrize(("body", "field"), [({}, "email"), ({"email": "not-an-address"}, "email")])
def test_forgot_rejects_a_malformed_body(http, body, field):
    assert_error(http.post(FORGOT, json=body), 422, field)


def test_requests_are_limited_per_address(app, http, trainer, mail_outbox):
    app.config["PASSWORD_RESET_LIMIT_PER_EMAIL"] = "2/hour"
    # From different addresses, as a guesser spreading over many IPs would.
    assert [_ask(http, trainer.email, ip=f"198.51.100.{n}").status_code for n in range(2)] == [202, 202]

    response = _ask(http, trainer.email, ip="198.51.100.99")

    assert_error(response, 429, message="Too many attempts")
    assert "Retry-After" in response.headers and len(mail_outbox) == 2


def test_requests_are_limited_per_ip(app, http):
    app.config["PASSWORD_RESET_LIMIT_PER_IP"] = "3/hour"
    assert [_ask(http, f"someone{n}@example.com").status_code for n in range(3)] == [202, 202, 202]

    assert_error(_ask(http, "someone-else@example.com"), 429, message="Too many attempts")

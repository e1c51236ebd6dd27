"""Proof of email ownership (issue 18): sign-up, email change and invitations, and what an unproven account may do."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import AccountToken, Client, User, utcnow
from fitbud.services.accounts import find_user_by_email
from tests.api.auth_flow import STRONG_PASSWORD, auth, login, me, register
from tests.factories import ClientFactory, ExerciseFactory, TrainerFactory, workout_content
from tests.helpers import DEFAULT_PASSWORD, assert_error, bearer, mailed_link_token
from tests.stripe_fake import install_fake_stripe

VERIFY = "/api/v1/auth/verify-email"
RESEND = "/api/v1/auth/resend-verification"
CLIENTS = "/api/v1/clients"
ACCEPT = "/api/v1/auth/accept-invite"
VICTIM = "victim@example.org"
VICTIMS_PASSWORD = "victims-own-secret-77"


def _signed_up(http, email: str = "coach@example.com") -> dict:
    """Register through the API and log in; the token pair."""
    assert register(http, email).status_code == 201
    return login(http, email, STRONG_PASSWORD)


def _verify(http, email: str):
    return http.post(VERIFY, json={"token": mailed_link_token(email, "/verify-email/")})


def _inbox(mail_outbox, to: str) -> list:
    return [mail for mail in mail_outbox if mail.to == to]


# --- sign-up -------------------------------------------------------------------------------


def test_register_mails_a_link_and_the_account_starts_unproven(http, mail_outbox):
    response = register(http, "coach@example.com")

    assert response.status_code == 201 and response.json["email_verified"] is False
    (mail,) = _inbox(mail_outbox, "coach@example.com")
    assert "http://fitbud.test/verify-email/" in mail.body
    # Only a hash is stored: the token in the mail is nowhere in the database.
    token = mailed_link_token("coach@example.com", "/verify-email/")
    rows = db.session.execute(select(AccountToken.token_hash, AccountToken.email)).all()
    assert rows and all(token not in value for row in rows for value in row)


def test_the_link_proves_the_address(http, mail_outbox):
    pair = _signed_up(http)

    response = _verify(http, "coach@example.com")

    assert response.status_code == 200 and response.json["email_verified"] is True
    assert me(http, pair["access_token"]).json["email_verified"] is True


def test_the_link_works_once(http, mail_outbox):
    _signed_up(http)
    token = mailed_link_token("coach@example.com", "/verify-email/")
    assert http.post(VERIFY, json={"token": token}).status_code == 200

    body = assert_error(http.post(VERIFY, json={"token": token}), 410, "token")

    assert body["errors"]["token"] == ["used"]


def test_the_link_expires(http, mail_outbox):
    _signed_up(http)
    token = mailed_link_token("coach@example.com", "/verify-email/")

    with time_machine.travel(utcnow() + timedelta(hours=49), tick=False):
        body = assert_error(http.post(VERIFY, json={"token": token}), 410, "token")

    assert body["errors"]["token"] == ["expired"]
    assert find_user_by_email("coach@example.com").email_verified_at is None


@pytest.mark.parametrize("token", ["not-a-link", "eyJhbGciOi.forged.signature"])
def test_an_unknown_or_forged_link_is_404(http, token):
    assert_error(http.post(VERIFY, json={"token": token}), 404, "token")


@pytest.mark.parametrize(("body", "field"), [({}, "token"), ({"token": ""}, "token"), ({"token": 5}, "token")])
def test_verify_rejects_a_malformed_body(http, body, field):
    assert_error(http.post(VERIFY, json=body), 422, field)


def test_a_new_link_voids_the_previous_one(http, mail_outbox):
    pair = _signed_up(http)
    first = mailed_link_token("coach@example.com", "/verify-email/")

    assert http.post(RESEND, headers=auth(pair["access_token"])).status_code == 202

    second = mailed_link_token("coach@example.com", "/verify-email/")
    assert second != first
    assert_error(http.post(VERIFY, json={"token": first}), 410, "token")
    assert http.post(VERIFY, json={"token": second}).status_code == 200


def test_resend_once_proven_is_409(http, trainer, trainer_headers):
    assert_error(http.post(RESEND, headers=trainer_headers), 409, "email")


def test_resend_is_limited_per_account(app, http, unverified_trainer, mail_outbox):
    app.config["VERIFICATION_RESEND_LIMIT"] = "2/hour"
    headers = bearer(unverified_trainer)
    assert [http.post(RESEND, headers=headers).status_code for _ in range(2)] == [202, 202]

    response = http.post(RESEND, headers=headers)

    assert_error(response, 429, message="Too many attempts")
    assert "Retry-After" in response.headers
    assert len(_inbox(mail_outbox, unverified_trainer.email)) == 2


def test_resend_needs_a_login(http):
    assert_error(http.post(RESEND), 401, message="Authentication required")


# --- what an unproven account may do ---------------------------------------------------------


def test_an_unproven_trainer_may_log_in_and_set_up(http, unverified_trainer):
    pair = login(http, unverified_trainer.email, DEFAULT_PASSWORD)
    headers = auth(pair["access_token"])

    assert me(http, pair["access_token"]).json["email_verified"] is False
    assert http.patch("/api/v1/users/me", json={"timezone": "Europe/Paris"}, headers=headers).status_code == 200
    exercise = ExerciseFactory(owner=unverified_trainer)
    plan = {"kind": "workout", "name": "Strength A", "content": workout_content([exercise.id])}
    assert http.post("/api/v1/plans", json=plan, headers=headers).status_code == 201


def test_an_unproven_trainer_may_not_invite(http, unverified_trainer, mail_outbox):
    response = http.post(CLIENTS, json={"email": "c@example.com", "name": "C"}, headers=bearer(unverified_trainer))

    body = assert_error(response, 403, "email")
    assert body["errors"]["email"] == ["email_unverified"]
    assert mail_outbox == []


def test_an_unproven_trainer_may_not_resend_an_invitation(http, unverified_trainer, mail_outbox):
    client = ClientFactory(trainer=unverified_trainer)

    response = http.post(f"{CLIENTS}/{client.id}/invitation", headers=bearer(unverified_trainer))

    assert assert_error(response, 403, "email")["errors"]["email"] == ["email_unverified"]
    assert mail_outbox == []


def test_an_unproven_trainer_may_not_set_up_payments(app, http, unverified_trainer):
    stripe_api = install_fake_stripe(app)
    package = {"name": "Monthly coaching", "price": 4900, "currency": "eur", "interval": "monthly"}

    response = http.post("/api/v1/billing/packages", json=package, headers=bearer(unverified_trainer))

    assert assert_error(response, 403, "email")["errors"]["email"] == ["email_unverified"]
    assert stripe_api.calls("/v1/products") == []


def test_once_proven_the_trainer_may_invite(http, mail_outbox):
    pair = _signed_up(http)
    _verify(http, "coach@example.com")

    response = http.post(CLIENTS, json={"email": "c@example.com", "name": "C"}, headers=auth(pair["access_token"]))

    assert response.status_code == 201


# --- the hijack from the issue ---------------------------------------------------------------


def test_a_self_registered_trainer_cannot_accept_an_invitation_to_someone_elses_address(http, mail_outbox):
    attacker = _signed_up(http, "attacker@example.com")
    _verify(http, "attacker@example.com")

    response = http.post(CLIENTS, json={"email": VICTIM, "name": "Victim"}, headers=auth(attacker["access_token"]))

    # Before: the answer carried the link, and accepting it made a login for the victim's address.
    assert response.status_code == 201 and "/invite/" not in response.get_data(as_text=True)
    assert not [mail for mail in mail_outbox if "/invite/" in mail.body and mail.to != VICTIM]
    guessed = http.post(ACCEPT, json={"token": "attacker-has-no-token", "password": "attackers-password-1"})
    assert_error(guessed, 404, "token")
    assert find_user_by_email(VICTIM) is None


def test_an_accepted_invitation_proves_the_invitees_address(http, trainer_headers, mail_outbox):
    http.post(CLIENTS, json={"email": VICTIM, "name": "Victim"}, headers=trainer_headers)

    response = http.post(ACCEPT, json={"token": mailed_link_token(VICTIM, "/invite/"), "password": VICTIMS_PASSWORD})

    assert response.status_code == 201 and response.json["user"]["email_verified"] is True


def test_an_address_squatted_through_register_goes_to_its_owner_on_accept(http, trainer_headers, mail_outbox):
    # Someone signs up with the victim's address; they can't prove it, so it isn't theirs to keep.
    squatter = _signed_up(http, VICTIM)
    assert_error(
        http.post(CLIENTS, json={"email": "x@example.com", "name": "X"}, headers=auth(squatter["access_token"])),
        403,
        "email",
    )

    # The victim's real trainer invites them; the link reaches the real mailbox and the accept wins.
    http.post(CLIENTS, json={"email": VICTIM, "name": "Victim"}, headers=trainer_headers)
    accepted = http.post(ACCEPT, json={"token": mailed_link_token(VICTIM, "/invite/"), "password": VICTIMS_PASSWORD})

    assert accepted.status_code == 201 and accepted.json["user"]["role"] == "client"
    assert_error(
        http.post("/api/v1/auth/login", json={"email": VICTIM, "password": STRONG_PASSWORD}), 401, message="Invalid"
    )
    assert_error(me(http, squatter["access_token"]), 401, message="revoked")
    assert login(http, VICTIM, VICTIMS_PASSWORD)["token_type"] == "Bearer"


def test_a_proven_account_keeps_its_address_when_invited_elsewhere(http, trainer_headers, mail_outbox):
    TrainerFactory(email=VICTIM)
    http.post(CLIENTS, json={"email": VICTIM, "name": "Victim"}, headers=trainer_headers)

    response = http.post(ACCEPT, json={"token": mailed_link_token(VICTIM, "/invite/"), "password": VICTIMS_PASSWORD})

    assert_error(response, 409, "email")


# --- email change ----------------------------------------------------------------------------


def _change_email(http, headers, new_email: str):
    return http.patch(
        "/api/v1/users/me", json={"email": new_email, "current_password": DEFAULT_PASSWORD}, headers=headers
    )


def test_an_email_change_waits_for_the_link_and_tells_the_old_address(http, trainer, trainer_headers, mail_outbox):
    old_email = trainer.email

    response = _change_email(http, trainer_headers, "new@example.com")

    assert response.status_code == 200
    assert response.json["email"] == old_email and response.json["pending_email"] == "new@example.com"
    (notice,) = _inbox(mail_outbox, old_email)
    assert "new@example.com" in notice.body and "http" not in notice.body
    assert_error(
        http.post("/api/v1/auth/login", json={"email": "new@example.com", "password": DEFAULT_PASSWORD}),
        401,
        message="Invalid",
    )

    confirmed = _verify(http, "new@example.com")

    assert confirmed.status_code == 200 and confirmed.json["email"] == "new@example.com"
    assert login(http, "new@example.com", DEFAULT_PASSWORD)["token_type"] == "Bearer"
    assert me(http, trainer_headers["Authorization"].split()[1]).json["pending_email"] is None


def test_an_email_change_cannot_take_a_proven_address(http, trainer_headers, mail_outbox):
    TrainerFactory(email="taken@example.com")

    assert_error(_change_email(http, trainer_headers, "taken@example.com"), 409, "email")
    assert not _inbox(mail_outbox, "taken@example.com")


def test_an_address_proven_by_someone_else_meanwhile_is_a_409_on_confirm(http, trainer, trainer_headers, mail_outbox):
    _change_email(http, trainer_headers, "contested@example.com")
    token = mailed_link_token("contested@example.com", "/verify-email/")
    TrainerFactory(email="contested@example.com")

    assert_error(http.post(VERIFY, json={"token": token}), 409, "email")
    assert http.get("/api/v1/users/me", headers=trainer_headers).json["email"] == trainer.email


def test_a_new_password_cancels_a_pending_email_change(http, trainer_headers, mail_outbox):
    _change_email(http, trainer_headers, "new@example.com")
    token = mailed_link_token("new@example.com", "/verify-email/")

    changed = http.patch(
        "/api/v1/users/me",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-secret-5"},
        headers=trainer_headers,
    )

    assert changed.status_code == 200 and changed.json["pending_email"] is None
    assert_error(http.post(VERIFY, json={"token": token}), 410, "token")


def test_a_clients_confirmed_email_change_reaches_their_trainers_record(
    http, client_record, client_headers, mail_outbox
):
    _change_email(http, client_headers, "moved@example.com")

    assert _verify(http, "moved@example.com").status_code == 200

    db.session.expire_all()
    assert db.session.get(Client, client_record.id).email == "moved@example.com"
    assert db.session.execute(select(User.email).where(User.id == client_record.user_id)).scalar_one() == (
        "moved@example.com"
    )


def test_a_clients_change_to_an_address_on_their_trainers_roster_is_409_and_mails_nothing(
    http, trainer, client_headers, mail_outbox
):
    ClientFactory(trainer=trainer, email="sibling@example.com")

    assert_error(_change_email(http, client_headers, "sibling@example.com"), 409, "email")
    assert not _inbox(mail_outbox, "sibling@example.com")


def test_an_address_added_to_the_trainers_roster_meanwhile_is_409_on_confirm(
    http, trainer, client_record, client_headers, mail_outbox
):
    _change_email(http, client_headers, "sibling@example.com")
    ClientFactory(trainer=trainer, email="sibling@example.com")

    response = _verify(http, "sibling@example.com")

    assert_error(response, 409, "email")
    db.session.expire_all()
    assert db.session.get(Client, client_record.id).email == client_record.email

"""Client invitations: the email, accepting (single use, 7 days), and re-sending."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from fitbud.auth.roles import Role
from fitbud.extensions import db, redis_store
from fitbud.jobs import queue_name
from fitbud.models import Client, ClientInvitation, User, utcnow
from tests.factories import ClientFactory, ClientUserFactory
from tests.helpers import assert_envelope, assert_error, bearer, mailed_link_token

CLIENTS = "/api/v1/clients"
ACCEPT = "/api/v1/auth/accept-invite"
PASSWORD = "a-long-enough-secret"


def _invite(http, headers, email="invitee@example.com", name="Invited Person", **profile):
    response = http.post(CLIENTS, json={"email": email, "name": name, **profile}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["client"]["id"], mailed_link_token(email, "/invite/")


def _users() -> int:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


# --- the email ----------------------------------------------------------------------------


def test_invitation_email_is_sent_with_the_link(http, trainer, trainer_headers, mail_outbox):
    response = http.post(CLIENTS, json={"email": "mail@example.com", "name": "Mail"}, headers=trainer_headers)
    assert len(mail_outbox) == 1
    mail = mail_outbox[0]
    assert mail.to == "mail@example.com"
    assert trainer.name in mail.subject
    assert "http://fitbud.test/invite/" in mail.body
    # The link goes only to the invitee: the trainer's answer never carries it.
    assert response.status_code == 201 and "invite_url" not in response.json
    assert mailed_link_token("mail@example.com", "/invite/") not in response.get_data(as_text=True)


def test_invitation_email_is_queued_when_redis_is_configured(app, http, trainer_headers, redis_url):
    app.config["REDIS_URL"] = redis_url
    redis_store.init_app(app)
    queue = Queue(queue_name("default"), connection=Redis.from_url(redis_url))
    before = set(queue.get_job_ids())
    response = http.post(CLIENTS, json={"email": "queued@example.com", "name": "Queued"}, headers=trainer_headers)
    assert response.status_code == 201
    new_jobs = [queue.fetch_job(job_id) for job_id in set(queue.get_job_ids()) - before]
    try:
        mine = [job for job in new_jobs if job.args and job.args[0] == "queued@example.com"]
        assert len(mine) == 1
        assert mine[0].func_name == "workers.mail_jobs.send_email_job"
        assert "http://fitbud.test/invite/" in mine[0].args[2]
        assert app.extensions["fitbud.mail"].outbox == []
    finally:
        for job in new_jobs:
            job.delete()


# --- accepting ----------------------------------------------------------------------------


@pytest.mark.usefixtures("mail_outbox")
def test_accept_creates_client_login_and_signs_in(http, trainer_headers):
    client_id, token = _invite(http, trainer_headers, timezone="Europe/Berlin")
    response = http.post(ACCEPT, json={"token": token, "password": PASSWORD, "name": "Preferred Name"})
    assert response.status_code == 201, response.json
    assert response.json["user"]["role"] == "client"
    assert response.json["user"]["name"] == "Preferred Name"
    assert response.json["user"]["timezone"] == "Europe/Berlin"
    client = db.session.get(Client, client_id)
    assert client.user_id == response.json["user"]["id"]
    me = http.get("/api/v1/me/profile", headers={"Authorization": f"Bearer {response.json['access_token']}"})
    assert me.status_code == 200 and me.json["id"] == client_id


@pytest.mark.usefixtures("mail_outbox")
def test_accept_uses_the_clients_name_when_none_given(http, trainer_headers):
    _client_id, token = _invite(http, trainer_headers, name="Given By Trainer")
    response = http.post(ACCEPT, json={"token": token, "password": PASSWORD})
    assert response.json["user"]["name"] == "Given By Trainer"


@pytest.mark.usefixtures("mail_outbox")
def test_accepted_login_can_log_in_with_its_password(http, trainer_headers):
    _client_id, token = _invite(http, trainer_headers)
    http.post(ACCEPT, json={"token": token, "password": PASSWORD})
    login = http.post("/api/v1/auth/login", json={"email": "invitee@example.com", "password": PASSWORD})
    assert login.status_code == 200


@pytest.mark.usefixtures("mail_outbox")
def test_accepting_twice_is_gone_and_changes_nothing(http, trainer_headers):
    _client_id, token = _invite(http, trainer_headers)
    assert http.post(ACCEPT, json={"token": token, "password": PASSWORD}).status_code == 201
    users = _users()
    second = http.post(ACCEPT, json={"token": token, "password": "another-long-secret"})
    assert_error(second, 410, "token")
    assert_envelope(second)
    assert _users() == users


def test_unknown_token_is_not_found(http):
    response = http.post(ACCEPT, json={"token": "no-such-token", "password": PASSWORD})
    assert_error(response, 404, "token")
    assert _users() == 0


@pytest.mark.usefixtures("mail_outbox")
def test_expired_token_is_gone_and_changes_nothing(http, trainer_headers):
    client_id, token = _invite(http, trainer_headers)
    users = _users()
    with time_machine.travel(utcnow() + timedelta(days=7, minutes=1)):
        response = http.post(ACCEPT, json={"token": token, "password": PASSWORD})
    assert_error(response, 410, "token")
    assert "expired" in response.json["message"]
    assert _users() == users
    assert db.session.get(Client, client_id).user_id is None


@pytest.mark.usefixtures("mail_outbox")
def test_token_still_works_just_before_seven_days(http, trainer_headers):
    _client_id, token = _invite(http, trainer_headers)
    with time_machine.travel(utcnow() + timedelta(days=6, hours=23)):
        response = http.post(ACCEPT, json={"token": token, "password": PASSWORD})
    assert response.status_code == 201


@pytest.mark.usefixtures("mail_outbox")
def test_email_already_registered_is_conflict_and_token_stays_usable(http, trainer_headers):
    _client_id, token = _invite(http, trainer_headers, email="exists@example.com")
    ClientUserFactory(email="exists@example.com")
    response = http.post(ACCEPT, json={"token": token, "password": PASSWORD})
    assert_error(response, 409, "email")
    invitation = db.session.execute(select(ClientInvitation)).scalar_one()
    assert invitation.used_at is None


@pytest.mark.usefixtures("mail_outbox")
def test_weak_password_is_invalid_and_changes_nothing(http, trainer_headers):
    _client_id, token = _invite(http, trainer_headers)
    users = _users()
    response = http.post(ACCEPT, json={"token": token, "password": "short"})
    assert_error(response, 422, "password")
    assert _users() == users
    assert http.post(ACCEPT, json={"token": token, "password": PASSWORD}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "token"),
        ({"token": "abc"}, "password"),
        ({"token": 123, "password": PASSWORD}, "token"),
        ({"token": "abc", "password": PASSWORD, "role": "admin"}, "role"),
        ({"token": "", "password": PASSWORD}, "token"),
        ({"token": "abc", "password": PASSWORD, "name": "  "}, "name"),
    ],
)
def test_accept_rejects_malformed_body(http, body, field):
    assert_error(http.post(ACCEPT, json=body), 422, field)


# --- re-sending ---------------------------------------------------------------------------


def test_resend_issues_a_new_link_and_voids_the_old(http, trainer_headers, mail_outbox):
    client_id, old_token = _invite(http, trainer_headers)
    response = http.post(f"{CLIENTS}/{client_id}/invitation", headers=trainer_headers)
    assert response.status_code == 201
    assert response.json["sent_to"] == "invitee@example.com" and "invite_url" not in response.json
    new_token = mailed_link_token("invitee@example.com", "/invite/")
    assert new_token != old_token
    assert len(mail_outbox) == 2
    assert_error(http.post(ACCEPT, json={"token": old_token, "password": PASSWORD}), 410, "token")
    assert http.post(ACCEPT, json={"token": new_token, "password": PASSWORD}).status_code == 201


def test_resend_to_client_with_login_is_conflict(http, client_record, trainer_headers, mail_outbox):
    response = http.post(f"{CLIENTS}/{client_record.id}/invitation", headers=trainer_headers)
    assert_error(response, 409, "client")
    assert mail_outbox == []


@pytest.mark.usefixtures("mail_outbox")
def test_resend_to_archived_client_is_conflict(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, archived_at=utcnow())
    assert_error(http.post(f"{CLIENTS}/{client.id}/invitation", headers=trainer_headers), 409, "client")


def test_resend_to_unknown_client_is_not_found(http, trainer_headers):
    assert_error(http.post(f"{CLIENTS}/999999/invitation", headers=trainer_headers), 404, message="No such client")


def test_resend_asked_by_a_client_is_404(http, trainer, client_headers):
    client = ClientFactory(trainer=trainer)
    assert_error(http.post(f"{CLIENTS}/{client.id}/invitation", headers=client_headers), 404, message="No such client")


def test_resend_needs_a_token(http, trainer):
    client = ClientFactory(trainer=trainer)
    assert_error(http.post(f"{CLIENTS}/{client.id}/invitation"), 401, message="Authentication required")


@pytest.mark.usefixtures("mail_outbox")
def test_accepted_login_is_a_client_of_the_inviting_trainer(http, trainer, trainer_headers):
    client_id, token = _invite(http, trainer_headers)
    user_id = http.post(ACCEPT, json={"token": token, "password": PASSWORD}).json["user"]["id"]
    user = db.session.get(User, user_id)
    client = db.session.get(Client, client_id)
    assert user.role is Role.CLIENT and client.trainer_id == trainer.id
    assert_error(http.get(CLIENTS, headers=bearer(user)), 403, "role")


# --- revoking -----------------------------------------------------------------------------


def test_revoke_stops_the_open_link(http, trainer_headers):
    client_id, token = _invite(http, trainer_headers)
    response = http.delete(f"{CLIENTS}/{client_id}/invitation", headers=trainer_headers)
    assert response.status_code == 204
    assert_error(http.post(ACCEPT, json={"token": token, "password": PASSWORD}), 410, "token")
    assert http.delete(f"{CLIENTS}/{client_id}/invitation", headers=trainer_headers).status_code == 204


def test_revoke_for_a_client_with_a_login_is_conflict(http, client_record, trainer_headers):
    assert_error(http.delete(f"{CLIENTS}/{client_record.id}/invitation", headers=trainer_headers), 409, "client")


def test_revoke_for_another_trainers_client_is_not_found(http, other_trainer, trainer_headers):
    client = ClientFactory(trainer=other_trainer)
    response = http.delete(f"{CLIENTS}/{client.id}/invitation", headers=trainer_headers)
    assert_error(response, 404, message="No such client")

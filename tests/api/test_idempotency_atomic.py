"""Idempotency-Key: the key, the write and the stored answer are one transaction, for every crash point.

Each test injects a failure in-process at one point of a request sent with a key, then retries
with the same key: the retry either replays the one stored answer or performs the write once.
"""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
import time_machine
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from fitbud.api import idempotent as idempotent_module
from fitbud.ext.orm_session import AutocommitReadsSession, commits_held
from fitbud.extensions import db
from fitbud.models import IdempotencyKey, MealLog, Report, SessionRequest, TrainingSession, utcnow
from fitbud.services import idempotency, meal_logs
from fitbud.services.periodic import run_periodic
from tests.api.progress_support import count_rows, idempotent, today
from tests.factories import CheckInFactory, WorkingHoursFactory
from tests.helpers import assert_error, bearer
from tests.scheduling_helpers import session_payload

URL = "/api/v1/me/meal-logs"


class InjectedCrash(RuntimeError):
    """The failure a test injects (a worker dying, a connection dropping)."""


def _meal(**extra):
    return {"eaten_on": today().isoformat(), "meal_name": "Lunch", "kcal": 650, "notes": "knee hurts", **extra}


def _post(http, headers, body=None):
    """POST that turns an injected crash into None (the client saw no answer)."""
    try:
        response = http.post(URL, json=body or _meal(), headers=headers)
    except (InjectedCrash, OperationalError):
        return None
    return None if response.status_code >= 500 else response


def _keys() -> list[IdempotencyKey]:
    db.session.expire_all()
    return list(db.session.execute(select(IdempotencyKey)).scalars())


def test_crash_before_the_write_stores_nothing_and_the_retry_writes_once(http, client_headers, monkeypatch):
    headers = idempotent(client_headers, "before-write")
    real_create = meal_logs.create

    def crash_first(user, data):
        monkeypatch.setattr(meal_logs, "create", real_create)
        raise InjectedCrash("worker died before the write")

    monkeypatch.setattr(meal_logs, "create", crash_first)
    assert _post(http, headers) is None
    assert count_rows(MealLog) == 0 and _keys() == []

    retry = _post(http, headers)

    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert count_rows(MealLog) == 1


def test_crash_after_the_services_commit_rolls_the_write_back_and_the_retry_writes_once(
    http, client_headers, monkeypatch
):
    headers = idempotent(client_headers, "after-write")
    real_answer = idempotent_module._answer

    def crash_first(response, view_args):
        # The service has run and called commit(); the request dies before the answer is stored.
        monkeypatch.setattr(idempotent_module, "_answer", real_answer)
        raise InjectedCrash("worker died after the write")

    monkeypatch.setattr(idempotent_module, "_answer", crash_first)
    assert _post(http, headers) is None
    assert count_rows(MealLog) == 0 and _keys() == []

    retry = _post(http, headers)

    assert retry.status_code == 201
    assert count_rows(MealLog) == 1 and len(_keys()) == 1


def _crash_after_the_real_commit(monkeypatch, error):
    real_commit = AutocommitReadsSession.commit
    crashed = []

    def commit_then_crash(self):
        real = not commits_held(self)  # a service's commit inside the request only flushes
        real_commit(self)
        if real and not crashed and self.info.get("fitbud.crash_after_commit"):
            crashed.append(True)
            raise error

    monkeypatch.setattr(AutocommitReadsSession, "commit", commit_then_crash)
    real_run_once = idempotency.run_once

    def armed(*args, **kwargs):
        db.session.info["fitbud.crash_after_commit"] = True
        try:
            return real_run_once(*args, **kwargs)
        finally:
            db.session.info.pop("fitbud.crash_after_commit", None)

    monkeypatch.setattr(idempotency, "run_once", armed)
    return crashed


@pytest.mark.parametrize(
    "error",
    [
        InjectedCrash("worker died after the answer was stored"),
        OperationalError("COMMIT", {}, Exception("connection lost after commit")),
    ],
    ids=["crash-after-answer-stored", "connection-lost-after-commit"],
)
def test_failure_after_the_commit_is_replayed_by_the_retry(http, client_headers, monkeypatch, error):
    headers = idempotent(client_headers, "after-commit")
    crashed = _crash_after_the_real_commit(monkeypatch, error)
    assert _post(http, headers) is None
    assert crashed == [True]
    assert count_rows(MealLog) == 1

    retry = _post(http, headers)

    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json["kcal"] == 650
    assert count_rows(MealLog) == 1


def test_a_failed_request_leaves_no_reservation_behind(http, client_headers, client_record):
    headers = idempotent(client_headers, "bad-day")
    CheckInFactory(client=client_record, submitted_on=today())
    body = {"submitted_on": today().isoformat(), "energy": 4}
    first = http.post("/api/v1/me/check-ins", json=body, headers=headers)
    assert_error(first, 409, "submitted_on")

    assert _keys() == []


def test_stored_answers_are_encrypted_at_rest(http, client_headers):
    http.post(URL, json=_meal(), headers=idempotent(client_headers, "secret"))

    raw = db.session.execute(text("SELECT response_body FROM idempotency_keys")).scalar_one()
    assert "knee hurts" not in raw and "Lunch" not in raw


def test_answers_expire_and_the_periodic_job_deletes_them(app, http, client_headers):
    headers = idempotent(client_headers, "expiring")
    http.post(URL, json=_meal(), headers=headers)
    [stored] = _keys()
    assert stored.expires_at - utcnow() <= timedelta(hours=app.config["IDEMPOTENCY_KEY_TTL_HOURS"])

    with time_machine.travel(utcnow() + timedelta(hours=25)):
        assert run_periodic().replays_purged == 1
    assert _keys() == []


def test_an_expired_key_can_be_used_afresh(app, http, client_headers):
    headers = idempotent(client_headers, "reused")
    http.post(URL, json=_meal(), headers=headers)
    [stored] = _keys()
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    again = http.post(URL, json=_meal(kcal=700), headers=headers)

    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert count_rows(MealLog) == 2 and len(_keys()) == 1


def test_answers_about_a_client_go_when_the_client_is_purged(http, trainer_headers, client_record):
    check_in = CheckInFactory(client=client_record, submitted_on=today())
    reply = http.post(
        f"/api/v1/clients/{client_record.id}/check-ins/{check_in.id}/reply",
        json={"comment": "Rest the knee"},
        headers=idempotent(trainer_headers, "reply-1"),
    )
    assert reply.status_code in (200, 201), reply.json
    assert [key.client_id for key in _keys()] == [client_record.id]

    purged = http.delete(
        f"/api/v1/clients/{client_record.id}?purge=true",
        json={"confirm_name": client_record.name},
        headers=trainer_headers,
    )

    assert purged.status_code == 204, purged.json
    assert _keys() == []


@pytest.mark.postgres
def test_two_requests_with_one_key_at_once_write_once(app, client_user, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent requests are checked on PostgreSQL (TEST_DATABASE_URL); this run uses SQLite")
    headers = idempotent(bearer(client_user), "raced")
    db.session.commit()
    first_inside, release_first = threading.Event(), threading.Event()
    real_create = meal_logs.create

    def create_held_open(user, data):
        if not first_inside.is_set():
            first_inside.set()
            release_first.wait(timeout=10)  # the first request holds its key's row, uncommitted
        return real_create(user, data)

    monkeypatch.setattr(meal_logs, "create", create_held_open)
    answers = []

    def send():
        with app.app_context():
            answers.append(app.test_client().post(URL, json=_meal(), headers=headers))
            db.session.remove()

    first = threading.Thread(target=send)
    first.start()
    assert first_inside.wait(timeout=10)
    second = threading.Thread(target=send)
    second.start()
    second.join(timeout=1)  # it waits on the first request's key
    assert second.is_alive()
    release_first.set()
    first.join(timeout=20)
    second.join(timeout=20)

    assert sorted(r.status_code for r in answers) == [201, 201]
    assert len({r.get_json()["id"] for r in answers}) == 1
    assert count_rows(MealLog) == 1


def test_a_retried_session_request_is_stored_and_announced_once(http, trainer, client_user, mail_outbox):
    with time_machine.travel("2026-03-02T09:00:00Z", tick=False):
        WorkingHoursFactory(trainer=trainer, weekday=1, start_time=time(9), end_time=time(12))
        headers = idempotent(bearer(client_user), "ask-once")
        body = {"starts_at": "2026-03-03T10:00:00Z"}
        first = http.post("/api/v1/me/sessions/requests", json=body, headers=headers)
        retry = http.post("/api/v1/me/sessions/requests", json=body, headers=headers)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.headers["Idempotent-Replayed"] == "true" and retry.json == first.json
    assert count_rows(SessionRequest) == 1
    assert [mail.to for mail in mail_outbox] == [trainer.email]


def test_a_retried_booking_books_once(http, client_record, trainer_headers):
    body = session_payload(client_record.id, (utcnow() + timedelta(days=3)).replace(microsecond=0).isoformat())
    headers = idempotent(trainer_headers, "book-once")
    first = http.post("/api/v1/sessions", json=body, headers=headers)
    retry = http.post("/api/v1/sessions", json=body, headers=headers)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json["id"] == first.json["id"] and count_rows(TrainingSession) == 1


def test_a_retried_report_request_starts_one_report(http, trainer_headers, mail_outbox):
    headers = idempotent(trainer_headers, "report-once")
    body = {"type": "trainer_monthly", "params": {"month": "2026-02"}}
    first = http.post("/api/v1/reports", json=body, headers=headers)
    retry = http.post("/api/v1/reports", json=body, headers=headers)

    assert (first.status_code, retry.status_code) == (202, 202)
    assert retry.json["id"] == first.json["id"] and count_rows(Report) == 1


def test_a_replayed_delete_answers_its_204_again(http, client_headers):
    created = http.post(URL, json=_meal(), headers=client_headers).json
    headers = idempotent(client_headers, "delete-once")

    first = http.delete(f"{URL}/{created['id']}", headers=headers)
    retry = http.delete(f"{URL}/{created['id']}", headers=headers)

    assert (first.status_code, retry.status_code) == (204, 204)
    assert retry.headers["Idempotent-Replayed"] == "true" and retry.data == b""


def test_a_clients_own_answers_go_with_their_login_when_the_client_is_purged(
    http, client_headers, client_record, trainer_headers
):
    http.post(URL, json=_meal(), headers=idempotent(client_headers, "mine"))
    assert len(_keys()) == 1

    http.delete(
        f"/api/v1/clients/{client_record.id}?purge=true",
        json={"confirm_name": client_record.name},
        headers=trainer_headers,
    )

    assert _keys() == []

"""Clients request free slots; trainers list, accept (a conflict-checked booking) or decline."""

from datetime import time, timedelta

import pytest
import time_machine

from fitbud.extensions import db
from fitbud.models import RequestStatus, SessionRequest, TrainingSession
from tests.factories import ClientFactory, SessionRequestFactory, TrainingSessionFactory, WorkingHoursFactory
from tests.helpers import assert_error, bearer
from tests.scheduling_helpers import NOW, run_jobs_inline, utc

MY_REQUESTS = "/api/v1/me/sessions/requests"
REQUESTS = "/api/v1/sessions/requests"


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    """Jobs run inline, their mail in the outbox, even when TEST_REDIS_URL configures Redis."""
    run_jobs_inline(app, monkeypatch)


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW (Monday 2026-03-02 09:00 UTC)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tuesday_hours(trainer):
    """The trainer works Tuesdays 09:00-12:00 (UTC)."""
    return WorkingHoursFactory(trainer=trainer, weekday=1, start_time=time(9), end_time=time(12))


def _ask(http, headers, starts_at="2026-03-03T10:00:00Z", **extra):
    return http.post(MY_REQUESTS, json={"starts_at": starts_at, **extra}, headers=headers)


def test_client_requests_a_free_slot_and_the_trainer_is_told(app, http, trainer, tuesday_hours, client_headers):
    response = _ask(http, client_headers, note="Knee feels better", type="online", duration_minutes=30)
    assert response.status_code == 201, response.json
    assert response.json["status"] == "pending"
    assert response.json["ends_at"] == "2026-03-03T10:30:00+00:00"
    assert [mail.to for mail in app.extensions["fitbud.mail"].outbox] == [trainer.email]


def test_requesting_a_time_outside_working_hours_is_409(http, tuesday_hours, client_headers):
    response = _ask(http, client_headers, starts_at="2026-03-03T11:30:00Z")
    assert_error(response, 409, "starts_at")


def test_requesting_a_booked_time_is_409(http, tuesday_hours, trainer, client_headers):
    TrainingSessionFactory(client=ClientFactory(trainer=trainer), starts_at=utc(2026, 3, 3, 10, 30))
    assert_error(_ask(http, client_headers), 409, "starts_at")


def test_asking_twice_for_the_same_time_is_409(http, tuesday_hours, client_headers):
    assert _ask(http, client_headers).status_code == 201
    assert_error(_ask(http, client_headers, starts_at="2026-03-03T10:30:00Z"), 409, "starts_at")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_at": "2026-03-03T10:00:00"}, "starts_at"),
        ({"starts_at": "2026-03-01T10:00:00Z"}, "starts_at"),
        ({"starts_at": "2026-03-03T10:00:00Z", "duration_minutes": 4}, "duration_minutes"),
        ({"starts_at": "2026-03-03T10:00:00Z", "type": "dance"}, "type"),
        ({"starts_at": "2026-03-03T10:00:00Z", "note": "x" * 1001}, "note"),
        ({"starts_at": "2026-03-03T10:00:00Z", "client_id": 1}, "client_id"),
        ({}, "starts_at"),
    ],
)
def test_bad_requests_are_422(http, tuesday_hours, client_headers, body, field):
    assert_error(http.post(MY_REQUESTS, json=body, headers=client_headers), 422, field)


def test_requests_are_for_clients(http, trainer_headers):
    assert_error(_ask(http, trainer_headers), 403, "role")
    assert_error(_ask(http, {}), 401, message="Authentication required")


def test_client_lists_own_requests_only(http, trainer, client_record, client_headers):
    mine = SessionRequestFactory(client=client_record)
    SessionRequestFactory(client=ClientFactory(trainer=trainer, with_login=True))
    assert [row["id"] for row in http.get(MY_REQUESTS, headers=client_headers).json] == [mine.id]


def test_trainer_lists_requests_by_status(http, client_record, trainer_headers, other_trainer_headers):
    pending = SessionRequestFactory(client=client_record)
    SessionRequestFactory(client=client_record, status=RequestStatus.DECLINED, starts_at=NOW + timedelta(days=4))
    listed = http.get(REQUESTS, query_string={"status": "pending"}, headers=trainer_headers).json
    assert [row["id"] for row in listed] == [pending.id]
    assert listed[0]["client_name"] == client_record.name
    assert http.get(REQUESTS, headers=other_trainer_headers).json == []
    assert_error(http.get(REQUESTS, query_string={"status": "maybe"}, headers=trainer_headers), 422, "status")


def test_accepting_books_the_session_and_tells_the_client(app, http, client_record, trainer_headers):
    request = SessionRequestFactory(client=client_record, note="Legs please")
    response = http.post(f"{REQUESTS}/{request.id}/accept", json={"location": "Studio"}, headers=trainer_headers)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "accepted"
    session = db.session.get(TrainingSession, response.json["session_id"])
    assert (session.starts_at, session.location, session.notes) == (request.starts_at, "Studio", "Legs please")
    assert [mail.to for mail in app.extensions["fitbud.mail"].outbox] == [client_record.email]


def test_accepting_into_a_conflict_is_409_unless_allowed(http, trainer, client_record, trainer_headers):
    request = SessionRequestFactory(client=client_record)
    TrainingSessionFactory(client=ClientFactory(trainer=trainer), starts_at=request.starts_at)
    refused = http.post(f"{REQUESTS}/{request.id}/accept", json={}, headers=trainer_headers)
    assert_error(refused, 409, "starts_at")
    assert db.session.get(SessionRequest, request.id).status == RequestStatus.PENDING
    forced = http.post(f"{REQUESTS}/{request.id}/accept", json={"allow_overlap": True}, headers=trainer_headers)
    assert forced.status_code == 200


def test_a_request_is_answered_once(http, client_record, trainer_headers):
    request = SessionRequestFactory(client=client_record)
    assert http.post(f"{REQUESTS}/{request.id}/accept", json={}, headers=trainer_headers).status_code == 200
    assert_error(http.post(f"{REQUESTS}/{request.id}/accept", json={}, headers=trainer_headers), 409, "status")
    assert_error(http.post(f"{REQUESTS}/{request.id}/decline", json={}, headers=trainer_headers), 409, "status")


def test_a_passed_request_cannot_be_accepted(http, trainer, client_record, clock):
    request = SessionRequestFactory(client=client_record, starts_at=NOW + timedelta(hours=2))
    clock.move_to(NOW + timedelta(hours=3))
    response = http.post(f"{REQUESTS}/{request.id}/accept", json={}, headers=bearer(trainer))
    assert_error(response, 409, "starts_at")


def test_declining_keeps_the_reason_and_tells_the_client(app, http, client_record, trainer_headers):
    request = SessionRequestFactory(client=client_record)
    response = http.post(f"{REQUESTS}/{request.id}/decline", json={"reason": "Away that week"}, headers=trainer_headers)
    assert response.json["status"] == "declined" and response.json["decline_reason"] == "Away that week"
    assert "Away that week" in app.extensions["fitbud.mail"].outbox[0].body


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_answering_bad_input_and_strangers(http, client_record, trainer_headers, other_trainer_headers,
                                           client_headers, action):
    request = SessionRequestFactory(client=client_record)
    url = f"{REQUESTS}/{request.id}/{action}"
    assert_error(http.post(url, json={"bogus": 1}, headers=trainer_headers), 422, "bogus")
    assert_error(http.post(url, json={}, headers=other_trainer_headers), 404, message="No such request")
    assert_error(
        http.post(f"{REQUESTS}/999999/{action}", json={}, headers=trainer_headers), 404, message="No such request"
    )
    assert_error(http.post(url, json={}, headers=client_headers), 403, "role")
    assert_error(http.post(url, json={}), 401, message="Authentication required")

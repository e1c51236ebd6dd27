"""The status lifecycle, the no-show feed event, clients' own sessions and the cancellation cutoff."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, SessionStatus
from tests.factories import ClientFactory, TrainingSessionFactory
from tests.helpers import assert_error, bearer
from tests.scheduling_helpers import NOW, query_time, run_jobs_inline, utc

SESSIONS = "/api/v1/sessions"
MY_SESSIONS = "/api/v1/me/sessions"


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    """Jobs run inline, their mail in the outbox, even when TEST_REDIS_URL configures Redis."""
    run_jobs_inline(app, monkeypatch)


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW unless a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _status(http, headers, session_id, **body):
    return http.post(f"{SESSIONS}/{session_id}/status", json=body, headers=headers)


# Trainer transitions ---------------------------------------------------------------------


def test_completing_a_past_session_records_who_and_when(http, trainer, trainer_headers, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(hours=2))
    response = _status(http, trainer_headers, session.id, status="completed")
    assert response.status_code == 200
    assert response.json["status"] == "completed"
    assert response.json["status_changed_by_id"] == trainer.id
    assert response.json["status_changed_at"] == NOW.isoformat()


def test_a_session_cannot_be_completed_before_it_starts(http, trainer_headers, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(hours=2))
    response = _status(http, trainer_headers, session.id, status="completed")
    assert_error(response, 409, "status")


def test_no_show_goes_to_the_trainers_feed(http, trainer, trainer_headers, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(hours=2))
    assert _status(http, trainer_headers, session.id, status="no_show").status_code == 200
    events = db.session.execute(select(ActivityEvent).where(ActivityEvent.trainer_id == trainer.id)).scalars().all()
    assert [(e.type, e.client_id, e.payload["session_id"]) for e in events] == [
        (ActivityType.SESSION_MISSED, client_record.id, session.id)
    ]


def test_trainer_cancels_with_a_reason_and_the_client_is_told(app, http, trainer_headers, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(days=3))
    response = _status(http, trainer_headers, session.id, status="cancelled", reason="Gym closed")
    assert response.json["cancellation_reason"] == "Gym closed"
    outbox = app.extensions["fitbud.mail"].outbox
    assert [mail.to for mail in outbox] == [client_record.email]
    assert "Gym closed" in outbox[0].body


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (SessionStatus.COMPLETED, "cancelled"),
        (SessionStatus.CANCELLED, "completed"),
        (SessionStatus.NO_SHOW, "completed"),
        (SessionStatus.CANCELLED, "cancelled"),
    ],
)
def test_only_scheduled_sessions_change_status(http, trainer_headers, client_record, current, target):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(days=1), status=current)
    response = _status(http, trainer_headers, session.id, status=target)
    assert_error(response, 409, "status", message=f"already {current}")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "scheduled"}, "status"),
        ({"status": "lost"}, "status"),
        ({}, "status"),
        ({"status": "completed", "reason": "why not"}, "reason"),
        ({"status": "completed", "scope": "this_and_following"}, "scope"),
        ({"status": "cancelled", "scope": "all"}, "scope"),
        ({"status": "cancelled", "reason": "x" * 501}, "reason"),
        ({"status": "cancelled", "by": "me"}, "by"),
    ],
)
def test_bad_status_changes_are_422(http, trainer_headers, client_record, body, field):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(hours=2))
    assert_error(http.post(f"{SESSIONS}/{session.id}/status", json=body, headers=trainer_headers), 422, field)


def test_status_of_another_trainers_session_is_404(http, other_trainer_headers, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(hours=2))
    assert_error(_status(http, other_trainer_headers, session.id, status="completed"), 404, message="No such session")


def test_status_changes_are_for_trainers(http, client_headers, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(hours=2))
    assert_error(_status(http, client_headers, session.id, status="completed"), 403, "role")
    assert_error(
        http.post(f"{SESSIONS}/{session.id}/status", json={"status": "completed"}),
        401,
        message="Authentication required",
    )


# A client's own sessions -----------------------------------------------------------------


def test_client_lists_only_their_own_upcoming_sessions(http, trainer, client_record, client_headers):
    mine = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(days=1))
    TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(days=3))
    TrainingSessionFactory(client=ClientFactory(trainer=trainer), starts_at=NOW + timedelta(days=1, hours=2))
    response = http.get(MY_SESSIONS, headers=client_headers)
    assert response.status_code == 200
    assert [row["id"] for row in response.json] == [mine.id]


def test_client_lists_a_range_and_a_status(http, client_record, client_headers):
    past = TrainingSessionFactory(
        client=client_record, starts_at=NOW - timedelta(days=3), status=SessionStatus.COMPLETED
    )
    TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(days=2))
    query = {"from": query_time(NOW - timedelta(days=7)), "to": query_time(NOW), "status": "completed"}
    response = http.get(MY_SESSIONS, query_string=query, headers=client_headers)
    assert [row["id"] for row in response.json] == [past.id]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-03-01T00:00:00"}, "from"),
        ({"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "to"),
        ({"from": "2026-01-01T00:00:00Z", "to": "2027-03-01T00:00:00Z"}, "to"),
        ({"status": "gone"}, "status"),
    ],
)
def test_client_list_bad_queries_are_422(http, client_headers, query, field):
    assert_error(http.get(MY_SESSIONS, query_string=query, headers=client_headers), 422, field)


def test_trainers_use_their_own_calendar(http, trainer_headers):
    assert_error(http.get(MY_SESSIONS, headers=trainer_headers), 403, "role")
    assert_error(http.get(MY_SESSIONS), 401, message="Authentication required")


def test_client_reads_own_session_but_not_anothers(http, trainer, client_record, client_headers):
    mine = TrainingSessionFactory(client=client_record)
    theirs = TrainingSessionFactory(client=ClientFactory(trainer=trainer, with_login=True))
    assert http.get(f"{MY_SESSIONS}/{mine.id}", headers=client_headers).json["id"] == mine.id
    assert_error(http.get(f"{MY_SESSIONS}/{theirs.id}", headers=client_headers), 404, message="No such session")


# Client cancellation and its cutoff -------------------------------------------------------


def _cancel(http, headers, session_id, **body):
    return http.post(f"{MY_SESSIONS}/{session_id}/cancel", json=body, headers=headers)


def test_client_cancels_before_the_cutoff_and_the_trainer_is_told(app, http, trainer, client_record, client_user):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(hours=25))
    response = _cancel(http, bearer(client_user), session.id, reason="Sick")
    assert response.status_code == 200
    assert response.json["status"] == "cancelled"
    assert response.json["status_changed_by_id"] == client_user.id
    assert [mail.to for mail in app.extensions["fitbud.mail"].outbox] == [trainer.email]


def test_cancelling_exactly_at_the_cutoff_is_allowed(http, client_record, client_user, clock):
    session = TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 10, 9))
    clock.move_to(utc(2026, 3, 9, 9))
    assert _cancel(http, bearer(client_user), session.id).status_code == 200


def test_cancelling_after_the_cutoff_is_409_with_the_reason(http, client_record, client_user, clock):
    session = TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 10, 9))
    clock.move_to(utc(2026, 3, 9, 10))
    response = _cancel(http, bearer(client_user), session.id)
    assert_error(response, 409, "starts_at")
    assert "24 hours" in response.json["message"]
    assert response.json["errors"]["starts_at"] == ["online cancellation closed at 2026-03-09T09:00:00+00:00"]
    assert db.session.get(type(session), session.id).status == SessionStatus.SCHEDULED


def test_the_cutoff_comes_from_config(app, http, client_record, client_user):
    app.config["SESSION_CANCEL_CUTOFF_HOURS"] = 2
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(hours=3))
    assert _cancel(http, bearer(client_user), session.id).status_code == 200


def test_client_cannot_cancel_twice(http, client_record, client_headers):
    session = TrainingSessionFactory(
        client=client_record, starts_at=NOW + timedelta(days=3), status=SessionStatus.CANCELLED
    )
    assert_error(_cancel(http, client_headers, session.id), 409, "status")


def test_client_cannot_cancel_someone_elses_session(http, trainer, client_headers):
    someone_else = ClientFactory(trainer=trainer, with_login=True)
    theirs = TrainingSessionFactory(client=someone_else, starts_at=NOW + timedelta(days=3))
    assert_error(_cancel(http, client_headers, theirs.id), 404, message="No such session")


def test_client_cancel_bad_input(http, client_record, client_headers, trainer_headers):
    session = TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(days=3))
    assert_error(_cancel(http, client_headers, session.id, reason="x" * 501), 422, "reason")
    assert_error(_cancel(http, client_headers, session.id, when="now"), 422, "when")
    assert_error(_cancel(http, trainer_headers, session.id), 403, "role")
    assert_error(http.post(f"{MY_SESSIONS}/{session.id}/cancel", json={}), 401, message="Authentication required")

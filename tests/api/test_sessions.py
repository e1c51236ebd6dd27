"""Booking, reading, listing and moving sessions; overlap conflicts; every bad input class."""

from datetime import timedelta

import pytest
import time_machine

from fitbud.models import SessionStatus, TrainingSession
from tests.factories import ClientFactory, TrainingSessionFactory
from tests.helpers import assert_error, bearer, count_statements
from tests.scheduling_helpers import NOW, query_time, run_jobs_inline, session_payload, set_timezone, utc

SESSIONS = "/api/v1/sessions"


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    """Jobs run inline, their mail in the outbox, even when TEST_REDIS_URL configures Redis."""
    run_jobs_inline(app, monkeypatch)


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW so dates in the tests stay meaningful."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _create(http, headers, client_id, starts_at, **extra):
    return http.post(SESSIONS, json=session_payload(client_id, starts_at, **extra), headers=headers)


def _patch(http, headers, session_id, body):
    return http.patch(f"{SESSIONS}/{session_id}", json=body, headers=headers)


def _book(client, starts_at, minutes=60, **extra):
    return TrainingSessionFactory(client=client, starts_at=starts_at, duration_minutes=minutes, **extra)


# Booking ---------------------------------------------------------------------------------


def test_booking_stores_utc_and_shows_both_local_times(http, trainer, trainer_headers):
    set_timezone(trainer, tz="Europe/London")
    client = ClientFactory(trainer=trainer, with_login=True, timezone="America/New_York")
    response = http.post(
        SESSIONS,
        json=session_payload(client.id, "2026-03-04T12:00:00+02:00", location="Studio 2", notes="Legs"),
        headers=trainer_headers,
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["starts_at"] == "2026-03-04T10:00:00+00:00"
    assert body["ends_at"] == "2026-03-04T11:00:00+00:00"
    assert body["trainer_timezone"] == "Europe/London"
    assert body["client_timezone"] == "America/New_York"
    assert body["starts_at_trainer_local"] == "2026-03-04T10:00:00+00:00"
    assert body["starts_at_client_local"] == "2026-03-04T05:00:00-05:00"
    assert body["status"] == "scheduled" and body["client_name"] == client.name


def test_online_session_keeps_its_meeting_link(http, client_record, trainer_headers):
    response = http.post(
        SESSIONS,
        json=session_payload(
            client_record.id, "2026-03-04T10:00:00Z", type="online", meeting_url="https://meet.example.com/abc"
        ),
        headers=trainer_headers,
    )
    assert response.status_code == 201
    assert response.json["meeting_url"] == "https://meet.example.com/abc"


def test_naive_starts_at_is_422(http, client_record, trainer_headers):
    response = _create(http, trainer_headers, client_record.id, "2026-03-04T10:00:00")
    assert_error(response, 422, "starts_at")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"client_id": None}, "client_id"),
        ({"duration_minutes": "sixty"}, "duration_minutes"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"type": "yoga"}, "type"),
        ({"meeting_url": "ftp://example.com"}, "meeting_url"),
        ({"location": "x" * 301}, "location"),
        ({"colour": "red"}, "colour"),
        ({"starts_at": "next tuesday"}, "starts_at"),
    ],
)
def test_bad_booking_fields_are_422(http, client_record, trainer_headers, change, field):
    payload = {**session_payload(client_record.id, "2026-03-04T10:00:00Z"), **change}
    response = http.post(SESSIONS, json=payload, headers=trainer_headers)
    assert_error(response, 422, field)


def test_missing_starts_at_is_422(http, client_record, trainer_headers):
    payload = session_payload(client_record.id, "2026-03-04T10:00:00Z")
    del payload["starts_at"]
    response = http.post(SESSIONS, json=payload, headers=trainer_headers)
    assert_error(response, 422, "starts_at")


def test_start_years_ahead_is_422(http, client_record, trainer_headers):
    response = _create(http, trainer_headers, client_record.id, "2029-03-04T10:00:00Z")
    assert_error(response, 422, "starts_at")


def test_another_trainers_client_is_404(http, other_trainer, trainer_headers):
    stranger = ClientFactory(trainer=other_trainer)
    response = _create(http, trainer_headers, stranger.id, "2026-03-04T10:00:00Z")
    assert_error(response, 404, "client_id")


def test_archived_client_cannot_be_booked(http, client_record, trainer_headers):
    client_record.archived_at = NOW
    from fitbud.extensions import db

    db.session.commit()
    response = _create(http, trainer_headers, client_record.id, "2026-03-04T10:00:00Z")
    assert_error(response, 409, "client_id")


def test_booking_needs_a_token(http, client_record):
    response = http.post(SESSIONS, json=session_payload(client_record.id, "2026-03-04T10:00:00Z"))
    assert_error(response, 401, message="Authentication required")


@pytest.mark.parametrize("role_headers", ["client_headers", "admin_headers"])
def test_booking_is_for_trainers_only(http, client_record, request, role_headers):
    headers = request.getfixturevalue(role_headers)
    response = _create(http, headers, client_record.id, "2026-03-04T10:00:00Z")
    assert_error(response, 403, "role")


# Conflicts -------------------------------------------------------------------------------


def test_overlap_with_the_trainers_session_is_409_listing_it(http, trainer, trainer_headers, client_record):
    other_client = ClientFactory(trainer=trainer)
    existing = _book(other_client, utc(2026, 3, 4, 10))
    response = _create(http, trainer_headers, client_record.id, "2026-03-04T10:30:00Z")
    assert_error(response, 409, "starts_at")
    assert response.json["details"]["conflicts"] == [
        {
            "id": existing.id,
            "client_id": other_client.id,
            "starts_at": "2026-03-04T10:00:00+00:00",
            "ends_at": "2026-03-04T11:00:00+00:00",
            "status": "scheduled",
        }
    ]


def test_overlap_with_the_clients_session_is_409(http, other_trainer, trainer_headers, client_record):
    # The client's session with someone else still occupies them.
    _book(client_record, utc(2026, 3, 4, 10), trainer_id=other_trainer.id)
    response = _create(http, trainer_headers, client_record.id, "2026-03-04T10:15:00Z")
    assert_error(response, 409, "starts_at")


@pytest.mark.parametrize("starts_at", ["2026-03-04T11:00:00Z", "2026-03-04T09:00:00Z"])
def test_touching_end_to_start_is_not_a_conflict(http, trainer_headers, client_record, starts_at):
    _book(client_record, utc(2026, 3, 4, 10))
    response = http.post(SESSIONS, json=session_payload(client_record.id, starts_at), headers=trainer_headers)
    assert response.status_code == 201


def test_allow_overlap_books_anyway(http, trainer_headers, client_record):
    _book(client_record, utc(2026, 3, 4, 10))
    response = http.post(
        SESSIONS,
        json=session_payload(client_record.id, "2026-03-04T10:30:00Z", allow_overlap=True),
        headers=trainer_headers,
    )
    assert response.status_code == 201


def test_cancelled_sessions_do_not_conflict(http, trainer_headers, client_record):
    _book(client_record, utc(2026, 3, 4, 10), status=SessionStatus.CANCELLED)
    response = _create(http, trainer_headers, client_record.id, "2026-03-04T10:00:00Z")
    assert response.status_code == 201


def test_other_trainers_sessions_do_not_conflict(http, other_trainer, trainer_headers, client_record):
    _book(ClientFactory(trainer=other_trainer), utc(2026, 3, 4, 10))
    response = _create(http, trainer_headers, client_record.id, "2026-03-04T10:00:00Z")
    assert response.status_code == 201


# Reading and listing ---------------------------------------------------------------------


def test_trainer_reads_own_session(http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    response = http.get(f"{SESSIONS}/{session.id}", headers=trainer_headers)
    assert response.status_code == 200
    assert response.json["id"] == session.id


def test_another_trainers_session_is_404(http, other_trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    assert_error(http.get(f"{SESSIONS}/{session.id}", headers=other_trainer_headers), 404, message="No such session")
    assert_error(http.get(f"{SESSIONS}/999999", headers=other_trainer_headers), 404, message="No such session")


def _list(http, headers, start, end, **params):
    query = {"from": query_time(start), "to": query_time(end), **params}
    return http.get(SESSIONS, query_string=query, headers=headers)


def test_list_returns_sessions_overlapping_the_range_in_start_order(http, trainer_headers, client_record):
    late = _book(client_record, utc(2026, 3, 6, 10))
    early = _book(client_record, utc(2026, 3, 4, 10))
    straddling = _book(client_record, utc(2026, 3, 3, 23, 30))
    _book(client_record, utc(2026, 3, 9, 10))
    response = _list(http, trainer_headers, utc(2026, 3, 4), utc(2026, 3, 7))
    assert response.status_code == 200
    assert [row["id"] for row in response.json] == [straddling.id, early.id, late.id]


def test_list_finds_the_longest_session_begun_long_before_the_range(http, trainer_headers, client_record):
    # The list bounds starts_at from below by the longest session a booking allows (8 hours).
    longest = _book(client_record, utc(2026, 3, 3, 16, 1), minutes=480)
    _book(client_record, utc(2026, 3, 3, 14))  # ended long before the range

    response = _list(http, trainer_headers, utc(2026, 3, 4), utc(2026, 3, 5))

    assert [row["id"] for row in response.json] == [longest.id]


def test_list_filters_by_client_and_status(http, trainer, trainer_headers, client_record):
    other = ClientFactory(trainer=trainer)
    wanted = _book(client_record, utc(2026, 3, 4, 10))
    _book(client_record, utc(2026, 3, 4, 12), status=SessionStatus.CANCELLED)
    _book(other, utc(2026, 3, 4, 14))
    response = _list(
        http, trainer_headers, utc(2026, 3, 1), utc(2026, 3, 8), client_id=client_record.id, status="scheduled"
    )
    assert [row["id"] for row in response.json] == [wanted.id]


def test_list_shows_only_the_trainers_sessions(http, other_trainer_headers, client_record):
    _book(client_record, utc(2026, 3, 4, 10))
    assert _list(http, other_trainer_headers, utc(2026, 3, 1), utc(2026, 3, 8)).json == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-01T00:00:00Z"}, "to"),
        ({"to": "2026-03-01T00:00:00Z"}, "from"),
        ({"from": "2026-03-01T00:00:00", "to": "2026-03-02T00:00:00Z"}, "from"),
        ({"from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z", "status": "lost"}, "status"),
    ],
)
def test_list_query_errors_are_422(http, trainer_headers, params, field):
    response = http.get(SESSIONS, query_string=params, headers=trainer_headers)
    assert_error(response, 422, field)


def test_list_range_of_more_than_366_days_is_422(http, trainer_headers):
    response = _list(http, trainer_headers, utc(2026, 1, 1), utc(2027, 1, 3))
    assert_error(response, 422, "to")


def test_list_range_ending_before_it_starts_is_422(http, trainer_headers):
    response = _list(http, trainer_headers, utc(2026, 3, 2), utc(2026, 3, 1))
    assert_error(response, 422, "to")


def test_list_paginates(http, trainer_headers, client_record):
    for day in range(5):
        _book(client_record, utc(2026, 3, 4 + day, 10))
    response = _list(http, trainer_headers, utc(2026, 3, 1), utc(2026, 3, 31), page_size=2, page=2)
    assert len(response.json) == 2
    assert '"total": 5' in response.headers["X-Pagination"]


def test_list_statement_count_is_the_same_at_5_and_50_sessions(http, trainer, client_record):
    headers = bearer(trainer)
    clients = [client_record] + [ClientFactory(trainer=trainer) for _ in range(4)]
    counts = []
    for target in (5, 50):
        existing = len(_list(http, headers, utc(2026, 3, 1), utc(2026, 6, 1), page_size=100).json)
        for index in range(existing, target):
            _book(clients[index % 5], NOW + timedelta(days=1, hours=2 * index))
        with count_statements() as counter:
            response = _list(http, headers, utc(2026, 3, 1), utc(2026, 6, 1), page_size=100)
        assert len(response.json) == target
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 4


# Moving and editing ----------------------------------------------------------------------


def test_moving_a_session_checks_overlaps(http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    _book(client_record, utc(2026, 3, 4, 14))
    response = _patch(http, trainer_headers, session.id, {"starts_at": "2026-03-04T13:30:00Z"})
    assert_error(response, 409, "starts_at")
    moved = _patch(http, trainer_headers, session.id, {"starts_at": "2026-03-04T13:00:00Z"})
    assert moved.status_code == 200
    assert moved.json["starts_at"] == "2026-03-04T13:00:00+00:00"
    assert moved.json["ends_at"] == "2026-03-04T14:00:00+00:00"
    assert moved.json["revision"] == 1


def test_a_session_may_move_over_its_own_old_time(http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    response = _patch(http, trainer_headers, session.id, {"starts_at": "2026-03-04T10:30:00Z"})
    assert response.status_code == 200


def test_moving_tells_the_client_by_email(app, http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    _patch(http, trainer_headers, session.id, {"starts_at": "2026-03-05T10:00:00Z"})
    outbox = app.extensions["fitbud.mail"].outbox
    assert [mail.to for mail in outbox] == [client_record.email]
    assert "2026-03-05T10:00:00+00:00" in outbox[0].body


def test_editing_details_does_not_need_a_move(http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    response = http.patch(
        f"{SESSIONS}/{session.id}",
        json={"type": "online", "meeting_url": "https://meet.example.com/x", "location": None, "duration_minutes": 45},
        headers=trainer_headers,
    )
    assert response.status_code == 200
    assert response.json["type"] == "online" and response.json["location"] is None
    assert response.json["ends_at"] == "2026-03-04T10:45:00+00:00"


def test_empty_patch_is_422(http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    assert_error(_patch(http, trainer_headers, session.id, {}), 422, "_schema")


@pytest.mark.parametrize(
    "body",
    [{"starts_at": "2026-03-04T10:00:00"}, {"scope": "everything"}, {"duration_minutes": 0}, {"client_id": 3}],
)
def test_bad_patch_fields_are_422(http, trainer_headers, client_record, body):
    session = _book(client_record, utc(2026, 3, 4, 10))
    (field,) = body
    assert_error(http.patch(f"{SESSIONS}/{session.id}", json=body, headers=trainer_headers), 422, field)


def test_patching_another_trainers_session_is_404(http, other_trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    response = _patch(http, other_trainer_headers, session.id, {"notes": "x"})
    assert_error(response, 404, message="No such session")


def test_finished_session_keeps_its_time_but_takes_notes(http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 1, 10), status=SessionStatus.COMPLETED)
    moved = _patch(http, trainer_headers, session.id, {"starts_at": "2026-03-04T10:00:00Z"})
    assert_error(moved, 409, "status")
    noted = _patch(http, trainer_headers, session.id, {"notes": "Good squat depth"})
    assert noted.status_code == 200 and noted.json["notes"] == "Good squat depth"


def test_moved_session_is_stored_in_utc(app, http, trainer_headers, client_record):
    session = _book(client_record, utc(2026, 3, 4, 10))
    _patch(http, trainer_headers, session.id, {"starts_at": "2026-03-04T12:00:00+01:00"})
    from fitbud.extensions import db

    assert db.session.get(TrainingSession, session.id).starts_at == utc(2026, 3, 4, 11)

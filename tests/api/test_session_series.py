"""Weekly series: expansion on the trainer's clock across DST, limits, conflicts, and scoped edits."""

import pytest
import time_machine

from fitbud.extensions import db
from fitbud.models import SessionSeries, SessionStatus, TrainingSession
from tests.factories import ClientFactory, TrainingSessionFactory
from tests.helpers import assert_error
from tests.scheduling_helpers import NOW, run_jobs_inline, session_payload, set_timezone, utc

SERIES = "/api/v1/sessions/series"
SESSIONS = "/api/v1/sessions"


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    """Jobs run inline, their mail in the outbox, even when TEST_REDIS_URL configures Redis."""
    run_jobs_inline(app, monkeypatch)


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW (2026-03-02, four weeks before London's spring change)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def london_trainer(trainer):
    """The trainer works on London time."""
    set_timezone(trainer, tz="Europe/London")
    return trainer


def _series_payload(client_id, starts_at="2026-03-16T07:00:00Z", **recurrence):
    recurrence = recurrence or {"weekdays": ["MO"], "count": 4}
    return {**session_payload(client_id, starts_at), "recurrence": recurrence}


def _create(http, headers, client_id, starts_at="2026-03-16T07:00:00Z", **recurrence):
    return http.post(SERIES, json=_series_payload(client_id, starts_at, **recurrence), headers=headers)


def test_weekly_0700_stays_0700_in_london_across_the_spring_change(
    http, london_trainer, client_record, trainer_headers
):
    response = _create(http, trainer_headers, client_record.id)
    assert response.status_code == 201, response.json
    sessions = response.json["sessions"]
    assert [s["starts_at"] for s in sessions] == [
        "2026-03-16T07:00:00+00:00",
        "2026-03-23T07:00:00+00:00",
        "2026-03-30T06:00:00+00:00",
        "2026-04-06T06:00:00+00:00",
    ]
    assert {s["starts_at_trainer_local"][11:19] for s in sessions} == {"07:00:00"}
    assert response.json["rrule"] == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=4"
    assert response.json["local_start_time"] == "07:00"
    assert [s["series_index"] for s in sessions] == [0, 1, 2, 3]


def test_weekly_0700_stays_0700_in_london_across_the_autumn_change(
    http, london_trainer, client_record, trainer_headers
):
    response = _create(http, trainer_headers, client_record.id, "2026-10-19T06:00:00Z", weekdays=["MO"], count=2)
    assert [s["starts_at"] for s in response.json["sessions"]] == [
        "2026-10-19T06:00:00+00:00",
        "2026-10-26T07:00:00+00:00",
    ]


def test_until_date_and_several_weekdays(http, london_trainer, client_record, trainer_headers):
    response = _create(http, trainer_headers, client_record.id, "2026-03-09T10:00:00Z", weekdays=["TH", "MO"],
                       until="2026-03-19")
    assert [s["starts_at"][:10] for s in response.json["sessions"]] == [
        "2026-03-09", "2026-03-12", "2026-03-16", "2026-03-19"
    ]


def test_weekdays_default_to_the_start_day(http, london_trainer, client_record, trainer_headers):
    response = _create(http, trainer_headers, client_record.id, "2026-03-11T10:00:00Z", count=2)
    assert response.json["weekdays"] == ["WE"]
    assert [s["starts_at"][:10] for s in response.json["sessions"]] == ["2026-03-11", "2026-03-18"]


def test_series_over_200_sessions_is_422(http, london_trainer, client_record, trainer_headers):
    response = _create(http, trainer_headers, client_record.id, weekdays=["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
                       until="2027-03-01")
    assert_error(response, 422, "recurrence")
    assert db.session.query(TrainingSession).count() == 0


@pytest.mark.parametrize(
    ("recurrence", "field"),
    [
        ({"weekdays": ["MO"], "count": 201}, "recurrence.count"),
        ({"weekdays": ["MO"], "count": 0}, "recurrence.count"),
        ({"weekdays": ["MO"]}, "recurrence.count"),  # neither count nor until
        ({"weekdays": ["MO"], "count": 2, "until": "2026-04-01"}, "recurrence.count"),  # both
        ({"weekdays": ["XX"], "count": 2}, "recurrence.weekdays.0"),
        ({"weekdays": ["MO", "MO"], "count": 2}, "recurrence.weekdays"),
        ({"weekdays": [], "count": 2}, "recurrence.weekdays"),
        ({"weekdays": ["MO"], "count": 2, "interval": 0}, "recurrence.interval"),
        ({"weekdays": ["MO"], "count": "two"}, "recurrence.count"),
        ({"weekdays": ["MO"], "count": 2, "freq": "daily"}, "recurrence.freq"),
    ],
)
def test_bad_recurrence_is_422(http, london_trainer, client_record, trainer_headers, recurrence, field):
    response = http.post(SERIES, json=_series_payload(client_record.id, **recurrence), headers=trainer_headers)
    assert_error(response, 422, field)


def test_missing_recurrence_is_422(http, client_record, trainer_headers):
    payload = session_payload(client_record.id, "2026-03-16T07:00:00Z")
    response = http.post(SERIES, json=payload, headers=trainer_headers)
    assert_error(response, 422, "recurrence")


def test_until_before_the_start_is_422(http, london_trainer, client_record, trainer_headers):
    response = _create(http, trainer_headers, client_record.id, weekdays=["MO"], until="2026-03-01")
    assert_error(response, 422, "recurrence.until")


def test_conflicting_occurrence_blocks_the_whole_series(http, london_trainer, client_record, trainer_headers):
    blocker = TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 30, 6, 30))
    response = _create(http, trainer_headers, client_record.id)
    assert_error(response, 409, "starts_at")
    assert [c["id"] for c in response.json["details"]["conflicts"]] == [blocker.id]
    assert db.session.query(SessionSeries).count() == 0


def test_series_for_another_trainers_client_is_404(http, other_trainer, trainer_headers):
    response = _create(http, trainer_headers, ClientFactory(trainer=other_trainer).id)
    assert_error(response, 404, "client_id")


def test_series_is_for_trainers_only(http, client_record, client_headers):
    assert_error(_create(http, client_headers, client_record.id), 403, "role")
    assert_error(http.post(SERIES, json=_series_payload(client_record.id)), 401, message="Authentication required")


def test_series_can_be_read_back_by_its_trainer_only(http, london_trainer, client_record, trainer_headers,
                                                     other_trainer_headers):
    series_id = _create(http, trainer_headers, client_record.id).json["id"]
    assert len(http.get(f"{SERIES}/{series_id}", headers=trainer_headers).json["sessions"]) == 4
    assert_error(http.get(f"{SERIES}/{series_id}", headers=other_trainer_headers), 404, message="No such series")


def _series(http, headers, client_id):
    return [s["id"] for s in _create(http, headers, client_id).json["sessions"]]


def _local_starts(http, headers, ids):
    return [http.get(f"{SESSIONS}/{i}", headers=headers).json["starts_at_trainer_local"][:16] for i in ids]


def test_moving_this_and_following_shifts_later_ones_on_the_local_clock(
    http, london_trainer, client_record, trainer_headers
):
    ids = _series(http, trainer_headers, client_record.id)
    response = http.patch(
        f"{SESSIONS}/{ids[1]}",
        json={"starts_at": "2026-03-23T08:00:00Z", "scope": "this_and_following"},
        headers=trainer_headers,
    )
    assert response.status_code == 200, response.json
    assert _local_starts(http, trainer_headers, ids) == [
        "2026-03-16T07:00", "2026-03-23T08:00", "2026-03-30T08:00", "2026-04-06T08:00"
    ]


def test_moving_only_this_one_leaves_the_rest(http, london_trainer, client_record, trainer_headers):
    ids = _series(http, trainer_headers, client_record.id)
    http.patch(f"{SESSIONS}/{ids[1]}", json={"starts_at": "2026-03-24T07:00:00Z"}, headers=trainer_headers)
    assert _local_starts(http, trainer_headers, ids) == [
        "2026-03-16T07:00", "2026-03-24T07:00", "2026-03-30T07:00", "2026-04-06T07:00"
    ]


def test_moving_following_ones_into_a_conflict_is_409(http, london_trainer, client_record, trainer_headers):
    ids = _series(http, trainer_headers, client_record.id)
    TrainingSessionFactory(client=client_record, starts_at=utc(2026, 4, 6, 7))
    response = http.patch(
        f"{SESSIONS}/{ids[1]}",
        json={"starts_at": "2026-03-23T08:00:00Z", "scope": "this_and_following"},
        headers=trainer_headers,
    )
    assert_error(response, 409, "starts_at")
    assert _local_starts(http, trainer_headers, ids)[1] == "2026-03-23T07:00"


def test_cancelling_this_and_following(http, london_trainer, client_record, trainer_headers):
    ids = _series(http, trainer_headers, client_record.id)
    response = http.post(
        f"{SESSIONS}/{ids[2]}/status",
        json={"status": "cancelled", "scope": "this_and_following", "reason": "Client moves away"},
        headers=trainer_headers,
    )
    assert response.status_code == 200
    statuses = [db.session.get(TrainingSession, i).status for i in ids]
    assert statuses == [SessionStatus.SCHEDULED, SessionStatus.SCHEDULED, SessionStatus.CANCELLED,
                        SessionStatus.CANCELLED]


def test_editing_following_ones_changes_details_of_each(http, london_trainer, client_record, trainer_headers):
    ids = _series(http, trainer_headers, client_record.id)
    http.patch(
        f"{SESSIONS}/{ids[0]}",
        json={"location": "Park", "duration_minutes": 45, "scope": "this_and_following"},
        headers=trainer_headers,
    )
    rows = [db.session.get(TrainingSession, i) for i in ids]
    assert {(row.location, row.duration_minutes) for row in rows} == {("Park", 45)}


def test_a_retried_series_with_the_same_idempotency_key_books_it_once(
    http, london_trainer, client_record, trainer_headers
):
    payload = _series_payload(client_record.id, count=3)
    headers = {**trainer_headers, "Idempotency-Key": "series-1"}

    first = http.post("/api/v1/sessions/series", json=payload, headers=headers)
    retry = http.post("/api/v1/sessions/series", json=payload, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json["id"] == first.json["id"]
    listed = http.get(
        "/api/v1/sessions",
        query_string={"from": "2026-03-01T00:00:00Z", "to": "2026-04-30T00:00:00Z"},
        headers=trainer_headers,
    )
    assert len(listed.json) == 3

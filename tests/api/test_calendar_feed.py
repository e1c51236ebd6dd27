"""Calendar feeds: secret addresses, rotation, and iCalendar content read back with icalendar."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from icalendar import Calendar

from fitbud.extensions import db
from fitbud.models import CalendarFeed, SessionStatus
from tests.factories import ClientFactory, TrainingSessionFactory
from tests.helpers import assert_envelope, assert_error
from tests.scheduling_helpers import NOW, run_jobs_inline, utc

FEED = "/api/v1/calendar/feed"


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    """Jobs run inline, their mail in the outbox, even when TEST_REDIS_URL configures Redis."""
    run_jobs_inline(app, monkeypatch)


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _feed_path(http, headers):
    response = http.get(FEED, headers=headers)
    assert response.status_code == 200, response.json
    return urlparse(response.json["url"]).path


def _events(http, path):
    response = http.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_trainer_feed_lists_their_sessions_as_events(http, trainer, trainer_headers, client_record, other_trainer):
    session = TrainingSessionFactory(
        client=client_record, starts_at=utc(2026, 3, 4, 10), location="Studio 2", notes="Bring shoes"
    )
    cancelled = TrainingSessionFactory(
        client=client_record, starts_at=utc(2026, 3, 5, 10), status=SessionStatus.CANCELLED, revision=1
    )
    TrainingSessionFactory(client=ClientFactory(trainer=other_trainer), starts_at=utc(2026, 3, 4, 12))
    events = _events(http, _feed_path(http, trainer_headers))
    assert set(events) == {f"session-{session.id}@fitbud.test", f"session-{cancelled.id}@fitbud.test"}
    event = events[f"session-{session.id}@fitbud.test"]
    assert event.decoded("DTSTART") == utc(2026, 3, 4, 10)
    assert event.decoded("DTEND") == utc(2026, 3, 4, 11)
    assert str(event["SUMMARY"]) == f"Training session with {client_record.name}"
    assert str(event["LOCATION"]) == "Studio 2"
    assert str(event["DESCRIPTION"]) == "Bring shoes"
    assert str(event["STATUS"]) == "CONFIRMED"
    cancelled_event = events[f"session-{cancelled.id}@fitbud.test"]
    assert str(cancelled_event["STATUS"]) == "CANCELLED"
    assert int(cancelled_event["SEQUENCE"]) == 1


def test_online_session_carries_its_link(http, trainer_headers, client_record):
    session = TrainingSessionFactory(
        client=client_record, location=None, meeting_url="https://meet.example.com/abc", starts_at=utc(2026, 3, 4, 10)
    )
    event = _events(http, _feed_path(http, trainer_headers))[f"session-{session.id}@fitbud.test"]
    assert str(event["URL"]) == "https://meet.example.com/abc"
    assert "https://meet.example.com/abc" in str(event["DESCRIPTION"])


def test_client_feed_holds_only_their_sessions(http, trainer, client_record, client_headers):
    mine = TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 4, 10))
    TrainingSessionFactory(client=ClientFactory(trainer=trainer, with_login=True), starts_at=utc(2026, 3, 4, 12))
    events = _events(http, _feed_path(http, client_headers))
    assert list(events) == [f"session-{mine.id}@fitbud.test"]
    assert str(events[f"session-{mine.id}@fitbud.test"]["SUMMARY"]) == f"Training session with {trainer.name}"


def test_feed_leaves_out_sessions_long_past(http, trainer_headers, client_record):
    TrainingSessionFactory(client=client_record, starts_at=NOW - timedelta(days=120))
    assert _events(http, _feed_path(http, trainer_headers)) == {}


def test_the_address_is_stable_and_offers_webcal(http, trainer_headers):
    first = http.get(FEED, headers=trainer_headers).json
    second = http.get(FEED, headers=trainer_headers).json
    assert first["url"] == second["url"]
    assert first["url"].startswith("http://fitbud.test/api/v1/calendar/") and first["url"].endswith(".ics")
    assert first["webcal_url"] == "webcal://" + first["url"].removeprefix("http://")


def test_only_a_digest_of_the_token_is_stored(http, trainer, trainer_headers):
    token = _feed_path(http, trainer_headers).rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.session.query(CalendarFeed).filter_by(user_id=trainer.id).one()
    assert token not in (feed.token_hash, feed.salt)
    assert len(token) >= 43


def test_rotating_retires_the_old_address(http, trainer_headers):
    old_path = _feed_path(http, trainer_headers)
    rotated = http.post(f"{FEED}/rotate", headers=trainer_headers)
    assert rotated.status_code == 200 and rotated.json["rotated_at"] == NOW.isoformat()
    new_path = urlparse(rotated.json["url"]).path
    assert new_path != old_path
    assert_error(http.get(old_path), 404, message="No such calendar")
    assert http.get(new_path).status_code == 200
    assert _feed_path(http, trainer_headers) == new_path


def test_unknown_token_is_404_in_the_envelope(http):
    response = http.get("/api/v1/calendar/not-a-real-token.ics")
    assert_error(response, 404, message="No such calendar")
    assert_envelope(response)


def test_a_deactivated_users_feed_is_gone(http, trainer, trainer_headers):
    path = _feed_path(http, trainer_headers)
    trainer.is_active = False
    db.session.commit()
    assert_error(http.get(path), 404, message="No such calendar")


def test_a_new_secret_key_reissues_a_showable_address(app, http, trainer_headers):
    old_path = _feed_path(http, trainer_headers)
    app.config["SECRET_KEY"] = "another-secret-key-for-this-test-only"
    new_path = _feed_path(http, trainer_headers)
    assert new_path != old_path
    assert http.get(new_path).status_code == 200


def test_feed_address_needs_a_trainer_or_client_login(http, admin_headers):
    assert_error(http.get(FEED), 401, message="Authentication required")
    assert_error(http.post(f"{FEED}/rotate"), 401, message="Authentication required")
    assert_error(http.get(FEED, headers=admin_headers), 403, "role")
    assert_error(http.post(f"{FEED}/rotate", headers=admin_headers), 403, "role")

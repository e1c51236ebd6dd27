"""The Sessions page: upcoming and past, asking for a free slot, cancelling within the rules, the calendar."""

from __future__ import annotations

import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest

from fitbud.extensions import db
from fitbud.models import RequestStatus, SessionRequest, SessionStatus, TrainingSession, utcnow
from tests.client_app.helpers import csrf, login
from tests.factories import ClientFactory, TrainingSessionFactory, WorkingHoursFactory
from tests.helpers import assert_page_error


@pytest.fixture
def open_all_week(trainer):
    """The trainer works 09:00-17:00 every day, so the coming week has free slots."""
    return [
        WorkingHoursFactory(trainer=trainer, weekday=day, start_time=time(9), end_time=time(17)) for day in range(7)
    ]


def _hour(hours: float):
    return (utcnow() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def _first_slot(html: str) -> str:
    match = re.search(r'name="starts_at" value="([^"]+)"', html)
    assert match, "no free slot offered"
    return match.group(1)


def _ask(http, **fields):
    page = http.get("/app/sessions").get_data(as_text=True)
    data = {
        "csrf_token": csrf(http),
        "starts_at": _first_slot(page),
        "duration_minutes": "60",
        "type": "in_person",
        **fields,
    }
    return http.post("/app/sessions/requests", data=data)


def test_upcoming_and_past_sessions_are_listed_on_the_clients_clock(app_http, client_record, client_login):
    client_login.timezone = client_record.timezone = "America/New_York"
    db.session.commit()
    coming = TrainingSessionFactory(client=client_record, starts_at=_hour(50))
    TrainingSessionFactory(client=client_record, starts_at=_hour(-50), status=SessionStatus.COMPLETED)
    html = app_http.get("/app/sessions").get_data(as_text=True)
    local = coming.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{local:%H:%M}" in html and f'id="session-{coming.id}"' in html
    assert "Done" in html


def test_a_session_before_the_cutoff_can_be_cancelled(app_http, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=_hour(50))
    response = app_http.post(f"/app/sessions/{session.id}/cancel", data={"csrf_token": csrf(app_http)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(TrainingSession, session.id).status is SessionStatus.CANCELLED


def test_after_the_cutoff_the_page_says_why_it_cannot_be_cancelled(app_http, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=_hour(5))
    html = app_http.get("/app/sessions").get_data(as_text=True)
    assert f'id="why-{session.id}">Sessions can be cancelled here up to 24 hours before they start' in html
    assert f'id="cancel-{session.id}"' not in html


def test_cancelling_after_the_cutoff_is_refused_beside_the_session(app_http, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=_hour(5))
    response = app_http.post(f"/app/sessions/{session.id}/cancel", data={"csrf_token": csrf(app_http)})
    # The error stands beside the session; no input points at it (aria-describedby), so match its text.
    assert_page_error(response, 409, text=f'id="reason-{session.id}-error">Sessions can be cancelled')
    db.session.expire_all()
    assert db.session.get(TrainingSession, session.id).status is SessionStatus.SCHEDULED


def test_cancelling_someone_elses_session_is_a_404(app_http, client_record, trainer):
    other = TrainingSessionFactory(client=ClientFactory(trainer=trainer, with_login=True), starts_at=_hour(50))
    response = app_http.post(f"/app/sessions/{other.id}/cancel", data={"csrf_token": csrf(app_http)})
    assert_page_error(response, 404, text="Page not found")
    db.session.expire_all()
    assert db.session.get(TrainingSession, other.id).status is SessionStatus.SCHEDULED


def test_cancelling_without_the_csrf_value_is_refused(app_http, client_record):
    session = TrainingSessionFactory(client=client_record, starts_at=_hour(50))
    assert_page_error(app_http.post(f"/app/sessions/{session.id}/cancel", data={}), 403, text="reload the page")


def test_the_trainers_free_slots_are_offered_and_a_request_is_stored(app_http, client_record, open_all_week):
    response = _ask(app_http, note="Legs please")
    assert response.status_code == 303 and "done=requested" in response.headers["Location"]
    stored = db.session.query(SessionRequest).one()
    assert stored.status is RequestStatus.PENDING and stored.note == "Legs please"
    assert f'id="request-{stored.id}"' in app_http.get("/app/sessions").get_data(as_text=True)


def test_asking_twice_for_the_same_time_is_refused_beside_the_times(app_http, client_record, open_all_week):
    _ask(app_http)
    response = _ask(app_http)
    assert 'id="starts_at-error">overlaps one of your pending requests' in assert_page_error(response, 409, "starts_at")
    assert db.session.query(SessionRequest).count() == 1


def test_a_time_outside_the_trainers_hours_is_refused_beside_the_times(app_http, client_record, open_all_week):
    night = (_hour(48)).replace(hour=2).isoformat()
    response = _ask(app_http, starts_at=night)
    assert 'id="starts_at-error">not within your trainer' in assert_page_error(response, 409, "starts_at")


def test_no_time_chosen_is_refused_beside_the_times(app_http, client_record, open_all_week):
    response = _ask(app_http, starts_at="")
    assert 'id="starts_at-error">Pick one of the free times.' in assert_page_error(response, 422, "starts_at")


def test_an_unknown_session_type_is_refused_beside_it(app_http, client_record, open_all_week):
    response = _ask(app_http, type="skydiving")
    assert 'id="type-error">' in assert_page_error(response, 422, "type")


def test_an_odd_length_is_refused(app_http, client_record, open_all_week):
    response = _ask(app_http, duration_minutes="7")
    # The length is a hidden input, so nothing points at its error: match the error's element instead.
    assert_page_error(response, 422, text='id="duration_minutes-error">')


def test_no_free_time_says_so(app_http, client_record):
    html = app_http.get("/app/sessions").get_data(as_text=True)
    assert "No free times this week" in html and 'name="starts_at"' not in html


def test_the_calendar_feed_address_is_offered(app_http, client_record):
    html = app_http.get("/app/sessions").get_data(as_text=True)
    assert re.search(r'href="webcal://[^"]+/api/v1/calendar/[^"]+\.ics"', html)
    assert re.search(r'id="feed-url"[^>]*value="https?://[^"]+\.ics"', html)


def test_a_trainer_opening_sessions_is_sent_to_the_dashboard(http, trainer):
    login(http, trainer.email)
    response = http.get("/app/sessions")
    assert response.status_code == 302 and response.headers["Location"].startswith("/dashboard")

"""Working hours, days off and free slots; every bad input class of their endpoints."""

from datetime import time, timedelta

import pytest
import time_machine

from fitbud.models import SessionStatus
from tests.factories import ClientUserFactory, TrainerDayOffFactory, TrainingSessionFactory, WorkingHoursFactory
from tests.helpers import assert_error, bearer
from tests.scheduling_helpers import NOW, query_time, run_jobs_inline, set_timezone, utc

BASE = "/api/v1/trainers/me"
HOURS = f"{BASE}/working-hours"
DAYS_OFF = f"{BASE}/days-off"
AVAILABILITY = f"{BASE}/availability"


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
def london_trainer(trainer):
    """The trainer works on London time."""
    set_timezone(trainer, tz="Europe/London")
    return trainer


def _weekdays(trainer, start=time(9), end=time(12), days=range(5)):
    for weekday in days:
        WorkingHoursFactory(trainer=trainer, weekday=weekday, start_time=start, end_time=end)


# Working hours ---------------------------------------------------------------------------


def test_trainer_adds_and_lists_working_hours(http, trainer_headers):
    assert http.post(HOURS, json={"weekday": 1, "start_time": "14:00", "end_time": "18:00"},
                     headers=trainer_headers).status_code == 201
    created = http.post(HOURS, json={"weekday": 0, "start_time": "09:00", "end_time": "12:00"}, headers=trainer_headers)
    assert created.json == {"id": created.json["id"], "weekday": 0, "start_time": "09:00", "end_time": "12:00"}
    listed = http.get(HOURS, headers=trainer_headers).json
    assert [(row["weekday"], row["start_time"]) for row in listed] == [(0, "09:00"), (1, "14:00")]


def test_overlapping_hours_on_the_same_day_are_409_but_touching_is_fine(http, trainer, trainer_headers):
    WorkingHoursFactory(trainer=trainer, weekday=0, start_time=time(9), end_time=time(12))

    def add(weekday, start, end):
        body = {"weekday": weekday, "start_time": start, "end_time": end}
        return http.post(HOURS, json=body, headers=trainer_headers)

    assert_error(add(0, "11:00", "13:00"), 409, "start_time")
    assert add(0, "12:00", "13:00").status_code == 201
    assert add(1, "11:00", "13:00").status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekday": 0, "start_time": "12:00", "end_time": "09:00"}, "end_time"),
        ({"weekday": 7, "start_time": "09:00", "end_time": "12:00"}, "weekday"),
        ({"weekday": "monday", "start_time": "09:00", "end_time": "12:00"}, "weekday"),
        ({"weekday": 0, "start_time": "25:00", "end_time": "12:00"}, "start_time"),
        ({"weekday": 0, "end_time": "12:00"}, "start_time"),
        ({"weekday": 0, "start_time": "09:00", "end_time": "12:00", "room": "A"}, "room"),
    ],
)
def test_bad_working_hours_are_422(http, trainer_headers, body, field):
    assert_error(http.post(HOURS, json=body, headers=trainer_headers), 422, field)


def test_trainer_changes_and_removes_hours(http, trainer, trainer_headers):
    hours = WorkingHoursFactory(trainer=trainer, weekday=0)
    WorkingHoursFactory(trainer=trainer, weekday=1, start_time=time(9), end_time=time(12))
    changed = http.patch(f"{HOURS}/{hours.id}", json={"end_time": "18:00"}, headers=trainer_headers)
    assert changed.status_code == 200 and changed.json["end_time"] == "18:00"
    clash = http.patch(f"{HOURS}/{hours.id}", json={"weekday": 1}, headers=trainer_headers)
    assert_error(clash, 409, "start_time")
    assert http.delete(f"{HOURS}/{hours.id}", headers=trainer_headers).status_code == 204
    assert [row["weekday"] for row in http.get(HOURS, headers=trainer_headers).json] == [1]


def test_another_trainers_hours_are_404(http, other_trainer, trainer_headers):
    hours = WorkingHoursFactory(trainer=other_trainer)
    assert_error(
        http.patch(f"{HOURS}/{hours.id}", json={"weekday": 2}, headers=trainer_headers),
        404,
        message="No such working hours",
    )
    assert_error(http.delete(f"{HOURS}/{hours.id}", headers=trainer_headers), 404, message="No such working hours")
    assert http.get(HOURS, headers=trainer_headers).json == []


def test_working_hours_are_for_trainers(http, client_headers):
    assert_error(http.get(HOURS, headers=client_headers), 403, "role")
    assert_error(http.get(HOURS), 401, message="Authentication required")
    assert_error(http.post(DAYS_OFF, json={"on_date": "2026-03-05"}, headers=client_headers), 403, "role")


# Days off --------------------------------------------------------------------------------


def test_trainer_takes_a_whole_day_and_part_of_another(http, trainer_headers):
    whole = http.post(DAYS_OFF, json={"on_date": "2026-03-05", "reason": "Holiday"}, headers=trainer_headers)
    assert whole.status_code == 201 and whole.json["whole_day"] is True
    part = http.post(DAYS_OFF, json={"on_date": "2026-03-06", "start_time": "09:00", "end_time": "11:00"},
                     headers=trainer_headers)
    assert part.status_code == 201 and part.json["whole_day"] is False
    listed = http.get(DAYS_OFF, query_string={"from": "2026-03-06"}, headers=trainer_headers).json
    assert [row["on_date"] for row in listed] == ["2026-03-06"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on_date": "2026-03-05", "start_time": "09:00"}, "end_time"),
        ({"on_date": "2026-03-05", "end_time": "09:00"}, "start_time"),
        ({"on_date": "2026-03-05", "start_time": "11:00", "end_time": "09:00"}, "end_time"),
        ({"on_date": "5 March"}, "on_date"),
        ({}, "on_date"),
        ({"on_date": "2026-03-05", "all_day": True}, "all_day"),
    ],
)
def test_bad_days_off_are_422(http, trainer_headers, body, field):
    assert_error(http.post(DAYS_OFF, json=body, headers=trainer_headers), 422, field)


@pytest.mark.parametrize(
    "body",
    [
        {"on_date": "2026-03-09"},
        {"on_date": "2026-03-09", "start_time": "10:00", "end_time": "12:00"},
    ],
)
def test_overlapping_days_off_are_409(http, trainer, trainer_headers, body):
    from datetime import date

    TrainerDayOffFactory(trainer=trainer, on_date=date(2026, 3, 9), start_time=time(9), end_time=time(11))
    assert_error(http.post(DAYS_OFF, json=body, headers=trainer_headers), 409, "on_date")


def test_trainer_changes_and_removes_a_day_off(http, trainer, trainer_headers):
    day_off = TrainerDayOffFactory(trainer=trainer)
    changed = http.patch(f"{DAYS_OFF}/{day_off.id}", json={"start_time": "13:00", "end_time": "17:00"},
                         headers=trainer_headers)
    assert changed.status_code == 200 and changed.json["whole_day"] is False
    half_given = http.patch(f"{DAYS_OFF}/{day_off.id}", json={"start_time": None}, headers=trainer_headers)
    assert_error(half_given, 422, "start_time")
    assert http.delete(f"{DAYS_OFF}/{day_off.id}", headers=trainer_headers).status_code == 204


def test_another_trainers_day_off_is_404(http, other_trainer, trainer_headers):
    day_off = TrainerDayOffFactory(trainer=other_trainer)
    assert_error(
        http.patch(f"{DAYS_OFF}/{day_off.id}", json={"reason": "x"}, headers=trainer_headers),
        404,
        message="No such day off",
    )
    assert_error(http.delete(f"{DAYS_OFF}/{day_off.id}", headers=trainer_headers), 404, message="No such day off")


# Free slots ------------------------------------------------------------------------------


def _slots(http, headers, start, end, length=60, url=AVAILABILITY):
    query = {"from": query_time(start), "to": query_time(end), "length": length}
    return http.get(url, query_string=query, headers=headers)


def _starts(response):
    return [slot["starts_at"][:16] for slot in response.json["slots"]]


def test_slots_leave_out_sessions_and_days_off(http, london_trainer, trainer_headers, client_record):
    from datetime import date

    _weekdays(london_trainer)
    TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 3, 10))
    TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 3, 11), status=SessionStatus.CANCELLED)
    TrainerDayOffFactory(trainer=london_trainer, on_date=date(2026, 3, 4))
    response = _slots(http, trainer_headers, utc(2026, 3, 3), utc(2026, 3, 5))
    assert response.status_code == 200, response.json
    assert _starts(response) == ["2026-03-03T09:00", "2026-03-03T11:00"]
    assert response.json["timezone"] == "Europe/London"


def test_slots_start_after_a_session_ends(http, london_trainer, trainer_headers, client_record):
    _weekdays(london_trainer)
    TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 3, 9), duration_minutes=30)
    response = _slots(http, trainer_headers, utc(2026, 3, 3), utc(2026, 3, 4))
    assert _starts(response) == ["2026-03-03T09:30", "2026-03-03T10:30"]


def test_slots_in_the_past_are_left_out(http, london_trainer, trainer_headers, clock):
    _weekdays(london_trainer)
    clock.move_to(utc(2026, 3, 2, 9, 30))
    response = _slots(http, bearer(london_trainer), utc(2026, 3, 2), utc(2026, 3, 3))
    assert _starts(response) == ["2026-03-02T10:00", "2026-03-02T11:00"]


def test_slots_follow_local_working_hours_across_dst(http, london_trainer, trainer_headers):
    _weekdays(london_trainer, start=time(9), end=time(10), days=[0])
    response = _slots(http, trainer_headers, utc(2026, 3, 23), utc(2026, 4, 1))
    assert _starts(response) == ["2026-03-23T09:00", "2026-03-30T08:00"]
    assert response.json["slots"][1]["starts_at_local"] == "2026-03-30T09:00:00+01:00"


def test_longer_slots_run_back_to_back(http, london_trainer, trainer_headers):
    _weekdays(london_trainer, days=[1])
    response = _slots(http, trainer_headers, utc(2026, 3, 3), utc(2026, 3, 4), length=90)
    assert _starts(response) == ["2026-03-03T09:00", "2026-03-03T10:30"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-03-03T00:00:00Z"}, "to"),
        ({"from": "2026-03-03T00:00:00", "to": "2026-03-04T00:00:00Z"}, "from"),
        ({"from": "2026-03-03T00:00:00Z", "to": "2026-04-04T00:00:00Z"}, "to"),
        ({"from": "2026-03-04T00:00:00Z", "to": "2026-03-03T00:00:00Z"}, "to"),
        ({"from": "2026-03-03T00:00:00Z", "to": "2026-03-04T00:00:00Z", "length": 4}, "length"),
        ({"from": "2026-03-03T00:00:00Z", "to": "2026-03-04T00:00:00Z", "length": "long"}, "length"),
    ],
)
def test_bad_availability_queries_are_422(http, trainer_headers, query, field):
    assert_error(http.get(AVAILABILITY, query_string=query, headers=trainer_headers), 422, field)


def test_client_sees_their_trainers_slots_on_their_clock(http, london_trainer, client_record, client_headers):
    set_timezone(client_record, tz="America/New_York")
    _weekdays(london_trainer, days=[1])
    response = _slots(http, client_headers, utc(2026, 3, 3), utc(2026, 3, 4), url="/api/v1/me/availability")
    assert response.status_code == 200
    assert response.json["trainer_id"] == london_trainer.id
    assert response.json["slots"][0]["starts_at_local"] == "2026-03-03T04:00:00-05:00"


def test_client_without_a_trainer_gets_404(http):
    loner = ClientUserFactory()
    response = _slots(http, bearer(loner), utc(2026, 3, 3), utc(2026, 3, 4), url="/api/v1/me/availability")
    assert_error(response, 404, message="You are not coached by a trainer on Fitbud")


def test_availability_endpoints_check_roles(http, trainer_headers, client_headers):
    assert_error(_slots(http, client_headers, utc(2026, 3, 3), utc(2026, 3, 4)), 403, "role")
    mine = _slots(http, trainer_headers, utc(2026, 3, 3), utc(2026, 3, 4), url="/api/v1/me/availability")
    assert_error(mine, 403, "role")
    assert_error(_slots(http, {}, utc(2026, 3, 3), utc(2026, 3, 4)), 401, message="Authentication required")


def test_slot_length_defaults_to_an_hour(http, london_trainer, trainer_headers):
    _weekdays(london_trainer, days=[1])
    query = {"from": query_time(utc(2026, 3, 3)), "to": query_time(utc(2026, 3, 4))}
    response = http.get(AVAILABILITY, query_string=query, headers=trainer_headers)
    assert response.json["length_minutes"] == 60 and len(response.json["slots"]) == 3
    assert response.json["slots"][0]["ends_at"] == (utc(2026, 3, 3, 9) + timedelta(hours=1)).isoformat()

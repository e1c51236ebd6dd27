"""Streaks of logged days in the client's timezone, and milestone events in the feed."""

from datetime import UTC, date, datetime

import time_machine

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, User
from fitbud.services import streaks
from fitbud.services.activity import record_activity
from fitbud.services.local_time import local_today
from tests.api.progress_support import days_ago, today
from tests.factories import BodyMetricFactory, CheckInFactory, ClientFactory, MealLogFactory, WorkoutLogFactory
from tests.helpers import assert_error, bearer

URL = "/api/v1/me/streaks"
# 14:30 UTC on 10 March is already 11 March in Sydney and still 10 March in London.
EVENING_UTC = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)


def _log_days(client, days):
    for day in days:
        WorkoutLogFactory(client=client, performed_on=day)


def test_current_and_longest_with_a_one_day_gap(http, client_headers, client_record):
    _log_days(client_record, [days_ago(n) for n in (7, 6, 5, 3, 2, 1, 0)])
    response = http.get(URL, headers=client_headers)
    assert response.status_code == 200
    assert response.json == {
        "current": 4,
        "longest": 4,
        "current_start": days_ago(3).isoformat(),
        "last_logged_on": today().isoformat(),
    }


def test_longest_can_be_an_older_streak(http, client_headers, client_record):
    _log_days(client_record, [days_ago(n) for n in (20, 19, 18, 17, 16, 2, 1)])
    assert http.get(URL, headers=client_headers).json["current"] == 2
    assert http.get(URL, headers=client_headers).json["longest"] == 5


def test_streak_survives_a_day_not_yet_logged(http, client_headers, client_record):
    _log_days(client_record, [days_ago(2), days_ago(1)])
    assert http.get(URL, headers=client_headers).json["current"] == 2


def test_streak_breaks_after_a_whole_day_without_logs(http, client_headers, client_record):
    _log_days(client_record, [days_ago(3), days_ago(2)])
    body = http.get(URL, headers=client_headers).json
    assert (body["current"], body["longest"], body["current_start"]) == (0, 2, None)


def test_any_kind_of_log_counts_once_per_day(http, client_headers, client_record):
    WorkoutLogFactory(client=client_record, performed_on=days_ago(2))
    MealLogFactory(client=client_record, eaten_on=days_ago(1))
    CheckInFactory(client=client_record, submitted_on=days_ago(1))
    BodyMetricFactory(client=client_record, measured_on=days_ago(0))
    assert http.get(URL, headers=client_headers).json["current"] == 3


def test_no_logs_no_streak(http, client_headers, client_record):
    assert http.get(URL, headers=client_headers).json == {
        "current": 0, "longest": 0, "current_start": None, "last_logged_on": None
    }


def test_other_clients_logs_do_not_count(http, client_headers, client_record, trainer):
    _log_days(ClientFactory(trainer=trainer), [days_ago(1), days_ago(0)])
    assert http.get(URL, headers=client_headers).json["current"] == 0


def test_streaks_need_a_client_login(http, trainer_headers):
    assert_error(http.get(URL), 401, message="Authentication required")
    assert_error(http.get(URL, headers=trainer_headers), 403, "role")


# Timezones ------------------------------------------------------------------------------------


def test_same_logs_are_current_in_london_but_broken_in_sydney(trainer):
    london = ClientFactory(trainer=trainer, timezone="Europe/London")
    sydney = ClientFactory(trainer=trainer, timezone="Australia/Sydney")
    for client in (london, sydney):
        _log_days(client, [date(2026, 3, 8), date(2026, 3, 9)])
    with time_machine.travel(EVENING_UTC, tick=False):
        assert streaks.client_streaks(london).current == 2  # 10 March: yesterday was logged
        assert streaks.client_streaks(sydney).current == 0  # 11 March: 10 March was missed


def test_late_evening_log_in_los_angeles_counts_for_its_local_day(trainer):
    # 05:00 UTC on 10 March is 21:00 on 9 March in Los Angeles.
    client = ClientFactory(trainer=trainer, timezone="America/Los_Angeles")
    _log_days(client, [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)])
    with time_machine.travel(datetime(2026, 3, 10, 5, 0, tzinfo=UTC), tick=False):
        summary = streaks.client_streaks(client)
    assert (summary.current, summary.current_start) == (3, date(2026, 3, 7))


def test_endpoint_uses_clients_timezone_at_the_boundary(http, trainer):
    client = ClientFactory(trainer=trainer, timezone="Pacific/Kiritimati", with_login=True)  # UTC+14
    _log_days(client, [date(2026, 3, 8), date(2026, 3, 9)])
    with time_machine.travel(EVENING_UTC, tick=False):
        headers = bearer(_login(client))
        body = http.get(URL, headers=headers).json
    # In UTC it is 10 March and the streak would live on; in Kiritimati it is already 11 March
    # (04:30), so 10 March went unlogged and the streak is over.
    assert (body["current"], body["longest"]) == (0, 2)


def _login(client):
    return db.session.get(User, client.user_id)


def test_date_tomorrow_is_accepted_in_clients_timezone(http, trainer):
    client = ClientFactory(trainer=trainer, timezone="Australia/Sydney", with_login=True)
    with time_machine.travel(EVENING_UTC, tick=False):
        headers = bearer(_login(client))
        body = {"measured_on": "2026-03-12", "metric": "weight", "value": 70}
        assert http.post("/api/v1/me/body-metrics", json=body, headers=headers).status_code == 201
        body = {"measured_on": "2026-03-13", "metric": "weight", "value": 70}
        assert_error(http.post("/api/v1/me/body-metrics", json=body, headers=headers), 422, "measured_on")


# Milestones -----------------------------------------------------------------------------------


def _milestones():
    return db.session.query(ActivityEvent).filter(ActivityEvent.type == ActivityType.STREAK_MILESTONE).all()


def _post_weight(http, headers, day):
    body = {"measured_on": day.isoformat(), "metric": "weight", "value": 80}
    return http.post("/api/v1/me/body-metrics", json=body, headers=headers)


def test_seventh_day_announces_a_milestone_once(http, client_headers, client_record, trainer):
    _log_days(client_record, [days_ago(n) for n in range(1, 7)])
    assert _post_weight(http, client_headers, today()).status_code == 201
    meal = {"eaten_on": today().isoformat(), "meal_name": "Lunch", "kcal": 500}
    assert http.post("/api/v1/me/meal-logs", json=meal, headers=client_headers).status_code == 201
    events = _milestones()
    assert len(events) == 1
    assert events[0].payload == {"days": 7, "streak_start": days_ago(6).isoformat(), "current": 7}
    assert events[0].trainer_id == trainer.id and "7-day" in events[0].summary


def test_relogging_a_deleted_day_does_not_repeat_the_milestone(http, client_headers, client_record):
    _log_days(client_record, [days_ago(n) for n in range(1, 7)])
    metric = _post_weight(http, client_headers, today()).json
    http.delete(f"/api/v1/me/body-metrics/{metric['id']}", headers=client_headers)
    _post_weight(http, client_headers, today())
    assert len(_milestones()) == 1


def test_six_days_is_no_milestone(http, client_headers, client_record):
    _log_days(client_record, [days_ago(n) for n in range(1, 6)])
    _post_weight(http, client_headers, today())
    assert _milestones() == []


def test_thirty_days_announces_the_highest_new_milestone(http, client_headers, client_record):
    _log_days(client_record, [days_ago(n) for n in range(1, 30)])
    _post_weight(http, client_headers, today())
    assert [event.payload["days"] for event in _milestones()] == [30]


def test_a_new_streak_can_reach_seven_again(http, client_headers, client_record):
    _log_days(client_record, [days_ago(n) for n in range(20, 27)])
    # The old streak's milestone, as if announced back then.
    old = {"days": 7, "streak_start": days_ago(26).isoformat()}
    record_activity(client_record, ActivityType.STREAK_MILESTONE, "old", old)
    db.session.commit()
    _log_days(client_record, [days_ago(n) for n in range(1, 7)])
    _post_weight(http, client_headers, today())
    assert sorted(event.payload["streak_start"] for event in _milestones()) == [
        days_ago(26).isoformat(), days_ago(6).isoformat()
    ]


def test_streak_start_is_reported_for_a_backfilled_gap(http, client_headers, client_record):
    _log_days(client_record, [days_ago(n) for n in (0, 1, 2, 4, 5, 6)])
    _post_weight(http, client_headers, days_ago(3))
    assert [event.payload["streak_start"] for event in _milestones()] == [days_ago(6).isoformat()]


def test_today_as_seen_by_the_service_is_local(trainer):
    client = ClientFactory(trainer=trainer, timezone="Australia/Sydney")
    london = ClientFactory(trainer=trainer, timezone="Europe/London")
    with time_machine.travel(EVENING_UTC, tick=False):
        assert local_today(client) == date(2026, 3, 11)
        assert local_today(london) == date(2026, 3, 10)

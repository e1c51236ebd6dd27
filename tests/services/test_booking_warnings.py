"""What a booking asks the trainer to confirm: starts in the past, sessions outside working hours."""

from datetime import UTC, datetime, time, timedelta

from fitbud.models import utcnow
from fitbud.services import availability
from tests.factories import TrainerFactory, WorkingHoursFactory

MONDAY = datetime(2030, 3, 4, tzinfo=UTC)  # a Monday; the factory's trainer lives in UTC


def at(hour: int, minute: int = 0, day: datetime = MONDAY) -> datetime:
    return day.replace(hour=hour, minute=minute)


def test_without_working_hours_nothing_is_outside_them(app):
    trainer = TrainerFactory()
    assert availability.outside_working_hours(trainer, [(at(3), at(4))]) == []


def test_a_session_must_fit_whole_inside_one_window_of_its_weekday(app):
    trainer = TrainerFactory()
    WorkingHoursFactory(trainer=trainer, weekday=0, start_time=time(9), end_time=time(12))
    WorkingHoursFactory(trainer=trainer, weekday=0, start_time=time(14), end_time=time(18))
    inside, straddling, between = (at(9), at(10)), (at(11, 30), at(12, 30)), (at(12), at(13))
    tuesday = (at(10, day=MONDAY + timedelta(days=1)), at(11, day=MONDAY + timedelta(days=1)))
    assert availability.outside_working_hours(trainer, [inside, straddling, between, tuesday]) == [
        straddling,
        between,
        tuesday,
    ]


def test_a_weekly_series_is_checked_session_by_session(app):
    trainer = TrainerFactory()
    WorkingHoursFactory(trainer=trainer, weekday=0, start_time=time(9), end_time=time(17))
    warnings = availability.booking_warnings(trainer, at(10), 60, {"count": 3, "weekdays": ["MO", "TU"]})
    assert [start.weekday() for start, _ in warnings.outside_hours] == [1]
    assert warnings.in_past == []


def test_starts_in_the_past_are_listed(app):
    trainer = TrainerFactory()
    start = (utcnow() - timedelta(hours=2)).replace(microsecond=0)
    warnings = availability.booking_warnings(trainer, start, 30)
    assert warnings.in_past == [(start, start + timedelta(minutes=30))] and bool(warnings)

"""Weekly rules on a local clock, wall-clock shifts, and free-time interval arithmetic."""

from datetime import UTC, date, datetime, timedelta

import pytest

from fitbud.services.local_time import zone_named as zone
from fitbud.services.recurrence import (
    MAX_OCCURRENCES,
    TooManyOccurrences,
    WeeklyRule,
    chop,
    expand_weekly,
    shift_wall_clock,
    subtract_intervals,
    to_local,
)

LONDON = zone("Europe/London")


def _utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_weekly_0700_london_keeps_local_time_across_spring_change():
    # 2026-03-29 is the last Sunday of March: London moves from GMT to BST.
    starts = expand_weekly(_utc(2026, 3, 23, 7), LONDON, WeeklyRule(weekdays=("MO",), count=3))
    assert [to_local(start, LONDON).hour for start in starts] == [7, 7, 7]
    assert [start.hour for start in starts] == [7, 6, 6]


def test_weekly_0700_london_keeps_local_time_across_autumn_change():
    # 2026-10-25 is the last Sunday of October: back from BST to GMT.
    first = datetime(2026, 10, 19, 7, tzinfo=LONDON)
    starts = expand_weekly(first, LONDON, WeeklyRule(weekdays=("MO",), count=2))
    assert [to_local(start, LONDON).hour for start in starts] == [7, 7]
    assert [start.hour for start in starts] == [6, 7]


def test_several_weekdays_and_interval():
    rule = WeeklyRule(weekdays=("MO", "TH"), interval=2, count=4)
    starts = expand_weekly(_utc(2026, 1, 5, 9), zone("UTC"), rule)
    assert [start.date() for start in starts] == [
        date(2026, 1, 5), date(2026, 1, 8), date(2026, 1, 19), date(2026, 1, 22)
    ]


def test_until_is_inclusive_on_the_local_calendar():
    rule = WeeklyRule(weekdays=("MO",), until=date(2026, 1, 19))
    starts = expand_weekly(_utc(2026, 1, 5, 23, 30), zone("UTC"), rule)
    assert len(starts) == 3


def test_first_occurrence_is_the_first_matching_weekday():
    starts = expand_weekly(_utc(2026, 1, 7, 9), zone("UTC"), WeeklyRule(weekdays=("MO",), count=1))
    assert starts == [_utc(2026, 1, 12, 9)]


def test_more_than_the_cap_is_refused():
    with pytest.raises(TooManyOccurrences):
        expand_weekly(_utc(2026, 1, 5, 9), zone("UTC"), WeeklyRule(weekdays=("MO", "TU"), count=MAX_OCCURRENCES + 1))


def test_rrule_text_lists_days_in_week_order():
    rule = WeeklyRule(weekdays=("TH", "MO"), interval=1, until=date(2026, 2, 1))
    assert rule.as_rrule_text() == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;UNTIL=20260201"


def test_shifting_an_hour_later_on_the_wall_clock_ignores_dst():
    before_change = datetime(2026, 3, 23, 7, tzinfo=LONDON)
    after_change = datetime(2026, 3, 30, 7, tzinfo=LONDON)
    assert to_local(shift_wall_clock(before_change, timedelta(hours=1), LONDON), LONDON).hour == 8
    assert to_local(shift_wall_clock(after_change, timedelta(hours=1), LONDON), LONDON).hour == 8


def test_subtracting_busy_time_splits_free_time_and_touching_is_not_busy():
    free = [(_utc(2026, 1, 5, 9), _utc(2026, 1, 5, 17))]
    busy = [(_utc(2026, 1, 5, 10), _utc(2026, 1, 5, 11)), (_utc(2026, 1, 5, 17), _utc(2026, 1, 5, 18))]
    assert subtract_intervals(free, busy) == [
        (_utc(2026, 1, 5, 9), _utc(2026, 1, 5, 10)),
        (_utc(2026, 1, 5, 11), _utc(2026, 1, 5, 17)),
    ]


def test_chop_makes_back_to_back_slots_and_drops_the_remainder():
    slots = chop([(_utc(2026, 1, 5, 9), _utc(2026, 1, 5, 11, 30))], timedelta(hours=1))
    assert slots == [
        (_utc(2026, 1, 5, 9), _utc(2026, 1, 5, 10)),
        (_utc(2026, 1, 5, 10), _utc(2026, 1, 5, 11)),
    ]

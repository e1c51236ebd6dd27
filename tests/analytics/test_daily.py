"""One client's progress arithmetic (analytics.daily) on small literal series checked by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fitbud.analytics import daily


def d(day: int, month: int = 1) -> date:
    return date(2026, month, day)


def test_epley_single_is_the_weight_itself():
    assert daily.epley_1rm(140, 1) == 140


def test_epley_five_reps():
    assert daily.epley_1rm(100, 5) == pytest.approx(116.667, abs=0.001)


def test_combine_daily_prefers_the_primary_source_and_averages_a_day():
    combined = daily.combine_daily([(d(1), 80.0), (d(1), 81.0)], [(d(1), 90.0), (d(2), 82.0)])
    assert combined == [(d(1), 80.5), (d(2), 82.0)]


def test_rolling_means_window_is_calendar_days_not_rows():
    series = [(d(1), 80.0), (d(2), 82.0), (d(9), 70.0)]
    assert daily.rolling_means(series, 7) == [80.0, 81.0, 70.0]


def test_rolling_means_window_includes_the_sixth_day_back():
    series = [(d(1), 80.0), (d(7), 82.0), (d(8), 84.0)]
    assert daily.rolling_means(series, 7) == [80.0, 81.0, 83.0]


def test_weekly_totals_group_days_by_monday_and_fill_empty_weeks():
    days = [(d(5), 1000.0, 1, 10), (d(11), 500.0, 2, None), (d(19), None, 1, 4), (d(26), 99.0, 1, 1)]
    assert daily.weekly_totals(days, d(7), d(25)) == [
        (d(5), 1500.0, 3, 10, 2),
        (d(12), 0.0, 0, 0, 0),
        (d(19), 0.0, 1, 4, 1),
    ]


def test_weekly_adherence_caps_at_one_and_is_none_without_a_plan():
    weeks = daily.weekly_adherence([d(5), d(7), d(12)], {d(5): 1, d(12): 3, d(19): 2}, d(5), d(25))
    assert weeks == [(d(5), 2, 1, 0.5), (d(12), 1, 3, 1.0), (d(19), 0, 2, None)]


def test_calories_vs_target_sums_meals_and_keeps_days_of_either():
    eaten = [(d(1), 500.0), (d(1), 700.0), (d(3), 900.0), (d(4), None)]
    targets = [(d(1), 2000.0), (d(2), 2000.0)]
    assert daily.calories_vs_target(eaten, targets) == [
        (d(1), 1200.0, 2000.0, -800.0),
        (d(2), None, 2000.0, None),
        (d(3), 900.0, None, None),
        (d(4), 0.0, None, None),
    ]


def test_streak_continues_until_a_full_day_is_missed():
    days = [d(1), d(2), d(3), d(3)]
    assert daily.streaks(days, today=d(4)) == daily.Streaks(3, 3, d(1), d(3))
    assert daily.streaks(days, today=d(5)) == daily.Streaks(0, 3, None, d(3))


def test_streaks_split_on_a_one_day_gap_and_cross_months():
    assert daily.streaks([d(30, 1), d(31, 1), d(1, 2), d(3, 2)], today=d(3, 2)) == daily.Streaks(1, 3, d(3, 2), d(3, 2))


def test_streaks_of_no_days():
    assert daily.streaks([], d(1)) == daily.Streaks(0, 0, None, None)


def test_dates_come_from_any_driver_shape():
    assert daily.as_date("2026-03-02") == daily.as_date(datetime(2026, 3, 2, 7, 30)) == date(2026, 3, 2)

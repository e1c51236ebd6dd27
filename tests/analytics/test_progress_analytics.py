"""The pure progress analytics on small literal frames."""

from datetime import date

import pandas as pd
import pytest

from fitbud.analytics.progress import (
    calories_vs_target,
    combine_daily,
    epley_1rm,
    streak_runs,
    streak_summary,
    weekly_adherence,
    weekly_frame,
    weight_trend,
)


def d(day: int, month: int = 1) -> date:
    return date(2026, month, day)


def test_epley_single_is_the_weight_itself():
    assert epley_1rm(140, 1) == 140


def test_epley_five_reps():
    assert epley_1rm(100, 5) == pytest.approx(116.667, abs=0.001)


def test_weight_trend_window_is_calendar_days_not_rows():
    weights = pd.DataFrame({"date": [d(1), d(2), d(9)], "weight_kg": [80.0, 82.0, 70.0]})
    trend = weight_trend(weights)
    assert list(trend["rolling_mean_kg"]) == [80.0, 81.0, 70.0]


def test_weight_trend_averages_two_readings_on_one_day():
    weights = pd.DataFrame({"date": [d(1), d(1)], "weight_kg": [80.0, 81.0]})
    assert list(weight_trend(weights)["weight_kg"]) == [80.5]


def test_weight_trend_of_nothing_is_empty_with_columns():
    trend = weight_trend(pd.DataFrame({"date": [], "weight_kg": []}))
    assert trend.empty and list(trend.columns) == ["date", "weight_kg", "rolling_mean_kg"]


def test_weight_trend_does_not_mutate_its_input():
    weights = pd.DataFrame({"date": [d(2), d(1)], "weight_kg": [80.0, 81.0]})
    before = weights.copy()
    weight_trend(weights)
    pd.testing.assert_frame_equal(weights, before)


def test_combine_daily_prefers_primary_on_shared_days():
    primary = pd.DataFrame({"date": [d(1)], "v": [1.0]})
    fallback = pd.DataFrame({"date": [d(1), d(2)], "v": [5.0, 6.0]})
    combined = combine_daily(primary, fallback, "v")
    assert list(combined["v"]) == [1.0, 6.0]


def test_streak_runs_split_on_a_one_day_gap():
    runs = streak_runs(pd.Series([d(1), d(2), d(3), d(5), d(6), d(6)]))
    assert list(runs["length"]) == [3, 2]
    assert runs.iloc[1]["start"].date() == d(5)


def test_streak_continues_until_a_full_day_is_missed():
    runs = streak_runs(pd.Series([d(1), d(2), d(3)]))
    assert streak_summary(runs, today=d(4)).current == 3
    assert streak_summary(runs, today=d(5)).current == 0
    assert streak_summary(runs, today=d(5)).longest == 3


def test_streak_summary_of_no_days():
    summary = streak_summary(streak_runs(pd.Series([], dtype="object")), today=d(1))
    assert (summary.current, summary.longest, summary.last_logged_on) == (0, 0, None)


def test_streak_runs_across_a_month_boundary():
    runs = streak_runs(pd.Series([d(31, 1), d(1, 2)]))
    assert list(runs["length"]) == [2]


def test_weekly_frame_fills_missing_weeks_with_zero():
    frame = pd.DataFrame({"week_start": [d(12)], "volume_kg": [1000.0]})
    weeks = weekly_frame(frame, d(5), d(25), ["volume_kg"])
    assert [w.date() for w in weeks["week_start"]] == [d(5), d(12), d(19)]
    assert list(weeks["volume_kg"]) == [0.0, 1000.0, 0.0]


def test_weekly_adherence_caps_at_one_and_is_nan_without_a_plan():
    planned = pd.Series([d(5), d(7), d(12)])
    logged = pd.DataFrame({"week_start": [d(5), d(12), d(19)], "logged": [1, 3, 2]})
    weeks = weekly_adherence(planned, logged, d(5), d(25))
    assert list(weeks["planned"]) == [2, 1, 0]
    assert list(weeks["logged"]) == [1, 3, 2]
    assert weeks["adherence"].iloc[0] == 0.5 and weeks["adherence"].iloc[1] == 1.0
    assert pd.isna(weeks["adherence"].iloc[2])


def test_calories_vs_target_sums_meals_and_keeps_days_of_either():
    intake = pd.DataFrame({"date": [d(1), d(1), d(3)], "kcal": [500.0, 700.0, 900.0]})
    targets = pd.DataFrame({"date": [d(1), d(2)], "target_kcal": [2000.0, 2000.0]})
    days = calories_vs_target(intake, targets)
    assert [x.date() for x in days["date"]] == [d(1), d(2), d(3)]
    assert days["difference_kcal"].iloc[0] == -800.0
    assert pd.isna(days["kcal"].iloc[1]) and pd.isna(days["target_kcal"].iloc[2])

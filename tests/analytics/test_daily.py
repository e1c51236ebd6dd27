"""The plain-Python progress arithmetic gives the pandas versions' numbers on the same inputs."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd

from fitbud.analytics import daily
from fitbud.analytics import progress as frames

START = date(2026, 3, 2)


def _series(seed: int, days: int = 60, density: float = 0.7) -> list[tuple[date, float]]:
    rng = random.Random(seed)
    rows = []
    for offset in range(days):
        if rng.random() < density:
            for _ in range(rng.choice([1, 1, 1, 2])):
                rows.append((START + timedelta(days=offset), round(rng.uniform(60, 90), 2)))
    return rows


def _frame(rows, columns):
    return pd.DataFrame(rows, columns=columns)


def test_combine_daily_and_rolling_means_match_pandas():
    for seed in range(5):
        primary, fallback = _series(seed), _series(seed + 100, density=0.3)
        expected = frames.weight_trend(
            frames.combine_daily(_frame(primary, ["date", "w"]), _frame(fallback, ["date", "w"]), "w").rename(
                columns={"w": "weight_kg"}
            )
        )
        combined = daily.combine_daily(primary, fallback)
        means = daily.rolling_means(combined, 7)
        assert [d for d, _v in combined] == [t.date() for t in expected["date"]]
        assert [v for _d, v in combined] == list(expected["weight_kg"])
        assert [round(m, 9) for m in means] == [round(m, 9) for m in expected["rolling_mean_kg"]]


def test_weekly_adherence_matches_pandas():
    first, last = date(2026, 3, 4), date(2026, 4, 20)
    planned = [START + timedelta(days=d) for d in range(0, 50, 2)]
    logged = pd.DataFrame({"week_start": [date(2026, 3, 2), date(2026, 3, 16)], "logged": [5, 1]})
    expected = frames.weekly_adherence(pd.Series(planned, dtype="object"), logged, first, last)
    got = daily.weekly_adherence(planned, {date(2026, 3, 2): 5, date(2026, 3, 16): 1}, first, last)
    assert [w for w, *_ in got] == [t.date() for t in expected["week_start"]]
    assert [(p, lg) for _w, p, lg, _a in got] == list(zip(expected["planned"], expected["logged"], strict=True))
    assert [a for *_, a in got] == [None if pd.isna(a) else a for a in expected["adherence"]]


def test_calories_vs_target_matches_pandas():
    eaten = [(date(2026, 3, 2), 1800.0), (date(2026, 3, 3), None), (date(2026, 3, 5), 2100.5)]
    targets = [(date(2026, 3, 3), 2000.0), (date(2026, 3, 4), 2000.0), (date(2026, 3, 5), 1900.0)]
    expected = frames.calories_vs_target(_frame(eaten, ["date", "kcal"]), _frame(targets, ["date", "target_kcal"]))
    got = daily.calories_vs_target(eaten, targets)

    def plain(value):
        return None if pd.isna(value) else float(value)

    assert got == [
        (row.date.date(), plain(row.kcal), plain(row.target_kcal), plain(row.difference_kcal))
        for row in expected.itertuples()
    ]


def test_streaks_match_pandas():
    for seed in range(5):
        days = [d for d, _v in _series(seed, days=90, density=0.8)]
        for today in (days[-1], days[-1] + timedelta(days=1), days[-1] + timedelta(days=2)):
            expected = frames.streak_summary(frames.streak_runs(pd.Series(days, dtype="object")), today)
            assert daily.streaks(days, today) == expected
    assert daily.streaks([], START) == frames.Streaks(0, 0, None, None)


def test_dates_come_from_any_driver_shape():
    assert daily.as_date("2026-03-02") == daily.as_date(pd.Timestamp("2026-03-02").to_pydatetime()) == START

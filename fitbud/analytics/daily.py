"""One client's progress arithmetic on short date series, in plain Python, and the figures it yields.

A progress page handles a few hundred values at most; pandas' fixed cost per call (frame
construction, groupby, merge) is then many times the work itself, so one client's figures are
worked out here, and pandas is kept for aggregates across clients. Weeks start on Monday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

Value = float | None


@dataclass(frozen=True)
class Streaks:
    """Current and longest streaks of logged days; the current one may end yesterday."""

    current: int
    longest: int
    current_start: date | None
    last_logged_on: date | None


@dataclass(frozen=True)
class Progress:
    """A client's progress over [first, last], in SI units: what the API, the client and the dashboard show.

    `today` is the client's own date; `planned_days` and `trained_days` (each date once) are
    what weekly adherence and the dashboard's adherence heatmap are counted from.
    """

    client_id: int
    first: date
    last: date
    today: date
    weight: list[dict[str, Any]]
    measurements: dict[str, list[dict[str, Any]]]
    weekly_volume: list[dict[str, Any]]
    weekly_adherence: list[dict[str, Any]]
    daily_calories: list[dict[str, Any]]
    streaks: Streaks
    planned_days: list[date]
    trained_days: list[date]
    # Cardio from imports (and later, by hand): per week, and the daily metrics a watch counts.
    weekly_activity: list[dict[str, Any]] = field(default_factory=list)
    daily_steps: list[dict[str, Any]] = field(default_factory=list)
    resting_heart_rate: list[dict[str, Any]] = field(default_factory=list)


def epley_1rm(weight: float, reps: int) -> float:
    """Estimated one-repetition maximum by Epley: w * (1 + reps / 30); a single is itself."""
    if reps <= 1:
        return float(weight)
    return float(weight) * (1.0 + reps / 30.0)


def as_date(value: date | datetime | str) -> date:
    """A calendar date from what a driver returns for a DATE (date, datetime or ISO text)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def monday_of(day: date) -> date:
    """The Monday of `day`'s week: the one Python home of "the week this date falls in" (SQL: sql.period_start)."""
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    """Every week's Monday from `first`'s week up to `last`."""
    weeks = []
    week = monday_of(first)
    while week <= last:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def _mean(values: list[float]) -> float:
    return values[0] if len(values) == 1 else sum(values) / len(values)


def daily_means(rows: Iterable[tuple[date, float]]) -> dict[date, float]:
    """One value per date: the mean of that date's values (rows in any order)."""
    by_day: dict[date, list[float]] = {}
    for day, value in rows:
        by_day.setdefault(as_date(day), []).append(float(value))
    return {day: _mean(values) for day, values in by_day.items()}


def combine_daily(
    primary: Iterable[tuple[date, float]], fallback: Iterable[tuple[date, float]]
) -> list[tuple[date, float]]:
    """One value per date, sorted: the primary source's daily mean, else the fallback's."""
    merged = daily_means(fallback)
    merged.update(daily_means(primary))
    return sorted(merged.items())


def rolling_means(series: list[tuple[date, float]], window_days: int) -> list[float]:
    """For each (date, value) of a date-sorted series, the mean over the `window_days` days ending that date."""
    means = []
    start = 0
    total = 0.0
    for end, (day, value) in enumerate(series):
        total += value
        while series[start][0] <= day - timedelta(days=window_days):
            total -= series[start][1]
            start += 1
        window = series[start : end + 1]
        # Sum afresh: a running total drifts in the last bits, and the result is rounded later.
        means.append(sum(v for _d, v in window) / len(window))
    return means


def weekly_totals(
    days: Iterable[tuple[date, float | None, int, int | None]], first: date, last: date
) -> list[tuple[date, float, int, int, int]]:
    """(week, volume, workouts, sets, days trained) for every week from `first` to `last`; zero when none.

    In: rows of (day, volume, workouts, sets) grouped per day by the database.
    """
    volumes = {week: 0.0 for week in weeks_between(first, last)}
    counts = {week: [0, 0, 0] for week in volumes}  # workouts, sets, days trained
    for day, volume, workouts, sets in days:
        week = monday_of(as_date(day))
        if week not in volumes:
            continue
        volumes[week] += 0.0 if volume is None else float(volume)
        counts[week][0] += int(workouts)
        counts[week][1] += 0 if sets is None else int(sets)
        counts[week][2] += 1
    return [(week, volume, counts[week][0], counts[week][1], counts[week][2]) for week, volume in volumes.items()]


def weekly_activity(
    activities: Iterable[tuple[date, int, float | None]], first: date, last: date
) -> list[dict[str, Any]]:
    """Activities, minutes and distance (m) per week from `first` to `last`; zero when none.

    In: one row per activity of (day, duration in seconds, distance in m or None).
    """
    weeks = {week: [0, 0, 0.0] for week in weeks_between(first, last)}
    for day, seconds, distance in activities:
        totals = weeks.get(monday_of(as_date(day)))
        if totals is None:
            continue
        totals[0] += 1
        totals[1] += int(seconds or 0)
        totals[2] += float(distance or 0.0)
    return [
        {"week_start": week, "activities": int(count), "minutes": round(seconds / 60), "distance_m": round(metres, 1)}
        for week, (count, seconds, metres) in weeks.items()
    ]


def weekly_adherence(
    planned_dates: Iterable[date], logged: dict[date, int], first: date, last: date
) -> list[tuple[date, int, int, float | None]]:
    """(week, planned, logged, adherence) per week: logged / planned capped at 1.0, None without a plan."""
    planned: dict[date, int] = {}
    for day in planned_dates:
        week = monday_of(as_date(day))
        planned[week] = planned.get(week, 0) + 1
    weeks = []
    for week in weeks_between(first, last):
        aimed = planned.get(week, 0)
        done = logged.get(week, 0)
        weeks.append((week, aimed, done, min(done / aimed, 1.0) if aimed > 0 else None))
    return weeks


def calories_vs_target(
    eaten: Iterable[tuple[date, float | None]], targets: Iterable[tuple[date, float]]
) -> list[tuple[date, Value, Value, Value]]:
    """(date, kcal, target, kcal - target) for days with either, sorted; None where one is missing.

    Meals are summed per day (a day whose meals carry no kcal counts 0); the last target of a day wins.
    """
    intake: dict[date, float] = {}
    for day, kcal in eaten:
        day = as_date(day)
        intake[day] = intake.get(day, 0.0) + (0.0 if kcal is None else float(kcal))
    aimed = {as_date(day): float(kcal) for day, kcal in targets}
    days = []
    for day in sorted(intake.keys() | aimed.keys()):
        kcal = intake.get(day)
        target = aimed.get(day)
        difference = kcal - target if kcal is not None and target is not None else None
        days.append((day, kcal, target, difference))
    return days


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Current and longest runs of consecutive logged days; a run ending yesterday is still current."""
    unique = sorted({as_date(day) for day in days})
    if not unique:
        return Streaks(0, 0, None, None)
    longest = 1
    run_start = unique[0]
    run_length = 1
    for previous, day in zip(unique, unique[1:], strict=False):
        if day - previous == timedelta(days=1):
            run_length += 1
        else:
            run_start, run_length = day, 1
        longest = max(longest, run_length)
    last_day = unique[-1]
    is_current = last_day >= today - timedelta(days=1)
    return Streaks(
        current=run_length if is_current else 0,
        longest=longest,
        current_start=run_start if is_current else None,
        last_logged_on=last_day,
    )

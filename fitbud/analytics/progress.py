"""Progress analytics on small frames: weight trends, streaks, weekly adherence, calories vs target.

Every function is pure (it never mutates its input) and typed; dates go in as `datetime.date`
or datetime64 values and come out as datetime64 columns named in each docstring. Weeks start
on Monday, the ISO convention the database grouping (`analytics.sql.period_start`) uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd


def _dates(values: pd.Series) -> pd.Series:
    """Calendar dates as midnight datetime64 values (whatever came in: date, str, datetime)."""
    # One resolution everywhere: pandas 3 infers seconds from `date` objects, ns from strings.
    return pd.to_datetime(values).dt.normalize().astype("datetime64[ns]")


def _week_start(values: pd.Series) -> pd.Series:
    return values - pd.to_timedelta(values.dt.day_of_week, unit="D")


def epley_1rm(weight: float, reps: int) -> float:
    """Estimated one-repetition maximum by Epley: w * (1 + reps / 30); a single is itself."""
    if reps <= 1:
        return float(weight)
    return float(weight) * (1.0 + reps / 30.0)


def combine_daily(primary: pd.DataFrame, fallback: pd.DataFrame, value: str) -> pd.DataFrame:
    """One `value` per date: the primary source's where it has one, else the fallback's.

    In: two frames with columns `date` and `value` (several rows on a day are averaged).
    Out: columns `date`, `value`, sorted by date.
    """
    frames = []
    for rank, frame in enumerate((primary, fallback)):
        if frame.empty:
            continue
        part = pd.DataFrame({"date": _dates(frame["date"]), value: frame[value].astype(float)})
        part = part.groupby("date", as_index=False)[value].mean()
        part["rank"] = rank
        frames.append(part)
    if not frames:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), value: pd.Series(dtype=float)})
    merged = pd.concat(frames, ignore_index=True).sort_values(["date", "rank"])
    merged = merged.drop_duplicates("date", keep="first")
    return merged.drop(columns="rank").reset_index(drop=True)


def weight_trend(weights: pd.DataFrame, window_days: int = 7) -> pd.DataFrame:
    """Each weigh-in with the mean of the weigh-ins in the `window_days` calendar days ending that day.

    The window is in days, not rows, so a missed weigh-in does not stretch it.
    In: columns `date`, `weight_kg`. Out: `date`, `weight_kg`, `rolling_mean_kg`, sorted by date.
    """
    frame = combine_daily(weights, weights.iloc[0:0], "weight_kg")
    if frame.empty:
        return frame.assign(rolling_mean_kg=pd.Series(dtype=float))
    rolling = frame.rolling(f"{window_days}D", on="date", min_periods=1)["weight_kg"].mean()
    return frame.assign(rolling_mean_kg=rolling.to_numpy())


def streak_runs(days: pd.Series) -> pd.DataFrame:
    """Runs of consecutive calendar days among `days` (duplicates allowed).

    Out: columns `start`, `end`, `length` (days), oldest run first.
    """
    unique = pd.Series(_dates(pd.Series(days)).unique()).sort_values(ignore_index=True)
    if unique.empty:
        return pd.DataFrame(
            {
                "start": pd.Series(dtype="datetime64[ns]"),
                "end": pd.Series(dtype="datetime64[ns]"),
                "length": pd.Series(dtype="int64"),
            }
        )
    new_run = unique.diff() != pd.Timedelta(days=1)
    run_id = new_run.cumsum()
    runs = unique.groupby(run_id).agg(["min", "max", "count"])
    runs.columns = ["start", "end", "length"]
    return runs.reset_index(drop=True).astype({"length": "int64"})


@dataclass(frozen=True)
class Streaks:
    """Current and longest streaks of logged days; the current one may end yesterday."""

    current: int
    longest: int
    current_start: date | None
    last_logged_on: date | None


def streak_summary(runs: pd.DataFrame, today: date) -> Streaks:
    """The current streak (a run reaching today or yesterday) and the longest, from `streak_runs`.

    A day without a log yet does not break the streak until it is over: a run that ended
    yesterday still counts as current today.
    """
    if runs.empty:
        return Streaks(0, 0, None, None)
    latest = runs.iloc[-1]
    last_day = latest["end"].date()
    is_current = last_day >= today - timedelta(days=1)
    return Streaks(
        current=int(latest["length"]) if is_current else 0,
        longest=int(runs["length"].max()),
        current_start=latest["start"].date() if is_current else None,
        last_logged_on=last_day,
    )


def _week_range(first: date, last: date) -> pd.DatetimeIndex:
    start = pd.Timestamp(first - timedelta(days=first.weekday()))
    return pd.date_range(start, pd.Timestamp(last), freq="7D", name="week_start")


def weekly_frame(frame: pd.DataFrame, first: date, last: date, columns: list[str]) -> pd.DataFrame:
    """Per-week rows for every week from `first` to `last`, zero where the input has none.

    In: column `week_start` and the `columns` to carry. Out: `week_start` plus `columns`.
    """
    weeks = _week_range(first, last)
    if frame.empty:
        indexed = pd.DataFrame(index=weeks, columns=columns, dtype=float)
    else:
        indexed = frame.assign(week_start=_dates(frame["week_start"])).set_index("week_start")[columns]
        indexed = indexed.groupby(level=0).sum().reindex(weeks)
    return indexed.fillna(0).reset_index()


def weekly_adherence(planned_dates: pd.Series, logged: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Logged workouts against planned ones, per week from `first` to `last`.

    In: `planned_dates` (one date per planned training day); `logged` with columns
    `week_start` and `logged` (workout days logged that week).
    Out: `week_start`, `planned`, `logged`, `adherence` (logged / planned capped at 1.0;
    NaN for a week with nothing planned).
    """
    planned_days = _dates(pd.Series(planned_dates, dtype="datetime64[ns]"))
    planned = (
        pd.DataFrame({"week_start": _week_start(planned_days), "planned": 1})
        .groupby("week_start", as_index=False)["planned"]
        .sum()
    )
    weeks = weekly_frame(planned, first, last, ["planned"]).merge(
        weekly_frame(logged, first, last, ["logged"]), on="week_start"
    )
    weeks = weeks.astype({"planned": "int64", "logged": "int64"})
    ratio = (weeks["logged"] / weeks["planned"].where(weeks["planned"] > 0)).clip(upper=1.0)
    return weeks.assign(adherence=ratio)


def calories_vs_target(intake: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Each day's eaten calories against the diet's target, for days with either.

    In: `intake` with `date`, `kcal` (meals; summed per day); `targets` with `date`,
    `target_kcal`. Out: `date`, `kcal` (NaN if nothing logged), `target_kcal` (NaN without a
    diet), `difference_kcal` (kcal - target), sorted by date.
    """
    eaten = pd.DataFrame({"date": _dates(intake["date"]), "kcal": intake["kcal"].astype(float)})
    eaten = eaten.groupby("date", as_index=False)["kcal"].sum()
    aimed = pd.DataFrame({"date": _dates(targets["date"]), "target_kcal": targets["target_kcal"].astype(float)})
    aimed = aimed.drop_duplicates("date", keep="last")
    days = eaten.merge(aimed, on="date", how="outer").sort_values("date", ignore_index=True)
    return days.assign(difference_kcal=days["kcal"] - days["target_kcal"])

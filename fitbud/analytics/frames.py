"""Pure DataFrame -> DataFrame shaping: the database has grouped, these put results into form.

Nothing here touches the database or Flask, so each function is tested with small literal frames.
Period keys (weeks, months) are 'YYYY-MM-DD' strings of the period's first day, the same text
`fitbud.analytics.sql.period_start` returns; daily series use `datetime.date` values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from fitbud.analytics.daily import monday_of

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
SESSION_STATUSES = ["scheduled", "completed", "no_show", "cancelled"]
ADHERENCE_BUCKETS = ["0-20%", "20-40%", "40-60%", "60-80%", "80-100%"]

# Adherence heatmap codes: a discrete scale the figure colours.
MISSED, REST, UPCOMING, EXTRA, DONE = -1, 0, 1, 2, 3
HEATMAP_LABELS = {MISSED: "Missed", REST: "Rest", UPCOMING: "Planned", EXTRA: "Extra workout", DONE: "Done"}


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_starts(first: date, last: date) -> list[str]:
    """First days ('YYYY-MM-01') of every month from `first`'s to `last`'s, inclusive."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current.isoformat())
        current = next_month(current)
    return months


def week_starts(first: date, last: date) -> list[str]:
    """Mondays ('YYYY-MM-DD') of every week from `first`'s to `last`'s, inclusive."""
    current = monday_of(first)
    weeks = []
    while current <= last:
        weeks.append(current.isoformat())
        current += timedelta(days=7)
    return weeks


def nullable(values: pd.Series) -> pd.Series:
    """`values` as objects with None (not NaN) where missing, so JSON and tests see None."""
    return values.astype("object").where(values.notna(), None)


def _counts(frame: pd.DataFrame, key: str, index: list[str]) -> list[int]:
    found = dict(zip(frame[key], frame["count"], strict=True)) if not frame.empty else {}
    return [int(found.get(value, 0)) for value in index]


def monthly_growth(months: list[str], new: pd.DataFrame, churned: pd.DataFrame, active_before: int) -> pd.DataFrame:
    """Clients gained, lost and held per month, with month-over-month growth in %.

    `new` and `churned` have month and count columns (months outside `months` are ignored);
    `active_before` is how many clients were active when the first month began. Growth is
    None when the previous month ended with no clients.
    """
    rows = []
    active = active_before
    for month, gained, lost in zip(
        months, _counts(new, "month", months), _counts(churned, "month", months), strict=True
    ):
        previous, active = active, active + gained - lost
        growth = round((active - previous) / previous * 100, 1) if previous > 0 else None
        rows.append((month, gained, lost, gained - lost, active, growth))
    frame = pd.DataFrame(rows, columns=["month", "new", "churned", "net", "active", "growth_pct"])
    frame["growth_pct"] = nullable(frame["growth_pct"])
    return frame


def adherence_of(planned_days: Iterable[date], done_days: Iterable[date]) -> dict[str, Any]:
    """One client's adherence from day lists, matching within each week (see weekly_adherence)."""
    planned_weeks = Counter(monday_of(day) for day in set(planned_days))
    done_weeks = Counter(monday_of(day) for day in set(done_days))
    planned = sum(planned_weeks.values())
    matched = sum(min(count, done_weeks.get(week, 0)) for week, count in planned_weeks.items())
    return {
        "planned": planned,
        "done": sum(done_weeks.values()),
        "matched": matched,
        "adherence": round(matched / planned * 100, 1) if planned else None,
    }


def weekly_adherence(planned: pd.DataFrame, done: pd.DataFrame) -> pd.DataFrame:
    """Per client: planned and done workouts and adherence %, matching within each week.

    A week counts at most as many workouts as it planned, so a workout moved to another day
    of the same week still counts, and extra ones never make up for another week. `planned`
    has client_id, week, planned; `done` has client_id, week, done (distinct days trained).
    Clients with nothing planned get adherence None.
    """
    columns = ["client_id", "planned", "done", "matched", "adherence"]
    if planned.empty and done.empty:
        return pd.DataFrame(columns=columns)
    merged = pd.merge(
        planned[["client_id", "week", "planned"]].astype({"client_id": "int64", "planned": "int64"}),
        done[["client_id", "week", "done"]].astype({"client_id": "int64", "done": "int64"}),
        on=["client_id", "week"],
        how="outer",
    )
    planned_counts = merged["planned"].fillna(0).to_numpy(dtype="int64")
    done_counts = merged["done"].fillna(0).to_numpy(dtype="int64")
    per_week = pd.DataFrame(
        {
            "client_id": merged["client_id"].to_numpy(dtype="int64"),
            "planned": planned_counts,
            "done": done_counts,
            "matched": np.minimum(planned_counts, done_counts),
        }
    )
    totals = per_week.groupby("client_id", as_index=False, sort=True).sum()
    ratio = totals["matched"] / totals["planned"].where(totals["planned"] > 0) * 100
    totals["adherence"] = nullable(ratio.round(1))
    return totals[columns]


def average_adherence(adherence: pd.DataFrame) -> float | None:
    """Mean adherence % over clients who had workouts planned (from exact ratios), or None."""
    if adherence.empty:
        return None
    planned = adherence["planned"].astype("float64")
    ratios = (adherence["matched"].astype("float64") / planned.where(planned > 0) * 100).dropna()
    return None if ratios.empty else round(float(ratios.mean()), 1)


def adherence_histogram(adherence: pd.DataFrame) -> pd.DataFrame:
    """How many clients fall in each 20-point adherence bucket (100% goes in the top one)."""
    values = pd.to_numeric(adherence["adherence"], errors="coerce").dropna() if not adherence.empty else pd.Series()
    positions = np.minimum((values.to_numpy(dtype="float64") // 20).astype(int), 4)
    counts = np.bincount(positions, minlength=5) if positions.size else np.zeros(5, dtype=int)
    return pd.DataFrame({"bucket": ADHERENCE_BUCKETS, "clients": counts.astype("int64")})


def sessions_by_status(counts: pd.DataFrame) -> dict[str, int]:
    """{status: count} for every session status, zero when absent."""
    found = dict(zip(counts["status"], counts["count"], strict=True)) if not counts.empty else {}
    return {status: int(found.get(status, 0)) for status in SESSION_STATUSES}


def attention_list(
    clients: pd.DataFrame,
    last_log: pd.DataFrame,
    missed: pd.DataFrame,
    unanswered: pd.DataFrame,
    today: date,
    quiet_days: int = 7,
) -> pd.DataFrame:
    """Clients who need the trainer: quiet for `quiet_days`, missed sessions, unanswered check-ins.

    `clients` has client_id, name; `last_log` client_id, last_log (date or None); `missed`
    client_id, missed; `unanswered` client_id, unanswered, oldest (date). Sorted by how many
    reasons, then by the longest silence.
    """
    columns = ["client_id", "name", "last_log", "days_quiet", "missed_sessions", "unanswered_checkins", "reasons"]
    last = dict(zip(last_log["client_id"], last_log["last_log"], strict=True)) if not last_log.empty else {}
    misses = dict(zip(missed["client_id"], missed["missed"], strict=True)) if not missed.empty else {}
    waiting = dict(zip(unanswered["client_id"], unanswered["unanswered"], strict=True)) if not unanswered.empty else {}
    rows = []
    for client_id, name in clients[["client_id", "name"]].itertuples(index=False):
        logged = last.get(client_id)
        logged = None if logged is None or logged != logged else logged
        quiet = None if logged is None else (today - logged).days
        missed_count, waiting_count = int(misses.get(client_id, 0)), int(waiting.get(client_id, 0))
        reasons = []
        if quiet is None:
            reasons.append("No logs yet")
        elif quiet >= quiet_days:
            reasons.append(f"No log for {quiet} days")
        if missed_count:
            reasons.append(f"Missed {missed_count} session{'s' if missed_count > 1 else ''}")
        if waiting_count:
            reasons.append(f"{waiting_count} check-in{'s' if waiting_count > 1 else ''} awaiting reply")
        if reasons:
            rows.append((client_id, name, logged, quiet, missed_count, waiting_count, reasons))
    # Most reasons first, then the longest silence (never logged counts as longest), then name.
    rows.sort(key=lambda row: (-len(row[6]), -(10**6 if row[3] is None else row[3]), row[1]))
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("last_log", "days_quiet"):
        frame[column] = frame[column].astype("object")
    return frame


def weight_trend(series: pd.DataFrame, today: date, lookback_days: int = 28) -> dict[str, Any]:
    """Where weight is heading: latest, change over the series, and slope (kg/week) over the last `lookback_days`.

    The slope is a least-squares line through the weigh-ins of the window (at least two days apart).
    """
    trend: dict[str, Any] = {"latest_kg": None, "change_kg": None, "slope_kg_per_week": None}
    if series.empty:
        return trend
    latest = float(series["weight_kg"].iloc[-1])
    trend["latest_kg"] = round(latest, 2)
    trend["change_kg"] = round(latest - float(series["weight_kg"].iloc[0]), 2)
    window = series[series["day"] >= today - timedelta(days=lookback_days)]
    if len(window) < 2:
        return trend
    x = np.array([(day - window["day"].iloc[0]).days for day in window["day"]], dtype="float64")
    if x.max() - x.min() < 2:
        return trend
    slope_per_day = float(np.polyfit(x, window["weight_kg"].to_numpy(dtype="float64"), 1)[0])
    trend["slope_kg_per_week"] = round(slope_per_day * 7, 2)
    return trend


def fill_weeks(frame: pd.DataFrame, weeks: list[str], value_columns: list[str]) -> pd.DataFrame:
    """`frame` (keyed by week) reindexed to every week in `weeks`, zeros where nothing happened."""
    found = {}
    if not frame.empty:
        for row in frame[["week", *value_columns]].itertuples(index=False):
            found[row[0]] = row[1:]
    zeros = (0,) * len(value_columns)
    rows = [(week, *found.get(week, zeros)) for week in weeks]
    return pd.DataFrame(rows, columns=["week", *value_columns])


def adherence_heatmap(
    planned_days: Iterable[date], done_days: Iterable[date], first: date, last: date, today: date
) -> pd.DataFrame:
    """Week x weekday grid of codes: DONE, EXTRA, MISSED, UPCOMING (planned, not over yet), REST.

    Rows are weeks (Monday as 'YYYY-MM-DD'), columns Mon..Sun; days outside [first, last] are NaN.
    """
    planned, done = set(planned_days), set(done_days)
    weeks = week_starts(first, last)
    grid = np.full((len(weeks), 7), np.nan)
    first_monday = monday_of(first)
    day = first
    while day <= last:
        if day in done:
            code = DONE if day in planned else EXTRA
        elif day in planned:
            # Today's planned workout is not missed until the day is over.
            code = UPCOMING if day >= today else MISSED
        else:
            code = REST
        offset = (day - first_monday).days
        grid[offset // 7, offset % 7] = code
        day += timedelta(days=1)
    frame = pd.DataFrame(grid, index=pd.Index(weeks, name="week"), columns=WEEKDAYS)
    return frame


def records_in_period(bests: pd.DataFrame) -> pd.DataFrame:
    """Per client: how many exercises beat their previous best during the period.

    `bests` has client_id, exercise_id, best_before, best_in_period; an exercise done for the
    first time is not a record (there was nothing to beat).
    """
    if bests.empty:
        return pd.DataFrame(columns=["client_id", "records"])
    beat = (
        bests["best_before"].notna()
        & bests["best_in_period"].notna()
        & (bests["best_in_period"].astype("float64") > bests["best_before"].astype("float64"))
    )
    counted = bests.assign(records=beat.astype("int64"))
    return counted.groupby("client_id", as_index=False)["records"].sum()


def weight_change(weights: pd.DataFrame) -> pd.DataFrame:
    """Per client: first and last weight of the period and the change between them."""
    columns = ["client_id", "weight_start_kg", "weight_end_kg", "weight_change_kg"]
    if weights.empty:
        return pd.DataFrame(columns=columns)
    ordered = weights.dropna(subset=["weight_kg"]).sort_values(["client_id", "day"])
    grouped = ordered.groupby("client_id")["weight_kg"]
    frame = pd.DataFrame({"weight_start_kg": grouped.first(), "weight_end_kg": grouped.last()}).reset_index()
    frame["weight_change_kg"] = (frame["weight_end_kg"] - frame["weight_start_kg"]).round(2)
    return frame[columns]


def pivot_counts(
    frame: pd.DataFrame, index: str, columns: str, index_values: list[str], column_values: list[str]
) -> pd.DataFrame:
    """A count table (`index` x `columns`) with every expected row and column, zeros elsewhere."""
    if frame.empty:
        table = pd.DataFrame(0, index=index_values, columns=column_values)
    else:
        table = frame.pivot_table(index=index, columns=columns, values="count", aggfunc="sum", fill_value=0)
        table = table.reindex(index=index_values, columns=column_values, fill_value=0)
    table = table.astype("int64")
    table.index.name = index
    table.columns.name = None
    return table.reset_index()


def revenue_frame(rows: Iterable[Any] | pd.DataFrame | None) -> pd.DataFrame:
    """Money per month and currency from a revenue provider's rows (objects or mappings).

    Each row has month ('YYYY-MM' or 'YYYY-MM-DD'), currency and amount in minor units
    (cents); the result has month ('YYYY-MM-01'), currency and amount in major units.
    """
    columns = ["month", "currency", "amount"]
    if rows is None:
        return pd.DataFrame(columns=columns)
    if isinstance(rows, pd.DataFrame):
        records = rows.to_dict("records")
    else:
        records = [
            dict(row) if isinstance(row, Mapping) else {key: getattr(row, key) for key in columns} for row in rows
        ]
    if not records:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(records)
    frame["month"] = frame["month"].astype(str).str.slice(0, 7) + "-01"
    frame["currency"] = frame["currency"].astype(str).str.upper()
    summed = frame.groupby(["month", "currency"], as_index=False)["amount"].sum()
    summed["amount"] = (summed["amount"].astype("int64") / 100).round(2)
    return summed[columns]

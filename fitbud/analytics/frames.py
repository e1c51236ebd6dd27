"""Pure DataFrame -> DataFrame shaping: the database has grouped, these put results into form.

Nothing here touches the database or Flask, so each function is tested with small literal frames.
Period keys (weeks, months) are 'YYYY-MM-DD' strings of the period's first day, the same text
`fitbud.analytics.sql.period_start` returns; daily series use `datetime.date` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
SESSION_STATUSES = ["scheduled", "completed", "no_show", "cancelled"]
ADHERENCE_BUCKETS = ["0-20%", "20-40%", "40-60%", "60-80%", "80-100%"]

# Adherence heatmap codes: a discrete scale the figure colours.
MISSED, REST, UPCOMING, EXTRA, DONE = -1, 0, 1, 2, 3
HEATMAP_LABELS = {MISSED: "Missed", REST: "Rest", UPCOMING: "Planned", EXTRA: "Extra workout", DONE: "Done"}


def month_starts(first: date, last: date) -> list[str]:
    """First days ('YYYY-MM-01') of every month from `first`'s to `last`'s, inclusive."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current.isoformat())
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def week_starts(first: date, last: date) -> list[str]:
    """Mondays ('YYYY-MM-DD') of every week from `first`'s to `last`'s, inclusive."""
    current = first - timedelta(days=first.weekday())
    weeks = []
    while current <= last:
        weeks.append(current.isoformat())
        current += timedelta(days=7)
    return weeks


def nullable(values: pd.Series) -> pd.Series:
    """`values` as objects with None (not NaN) where missing, so JSON and tests see None."""
    return values.astype("object").where(values.notna(), None)


def _counts(frame: pd.DataFrame, key: str, index: list[str]) -> pd.Series:
    if frame.empty:
        return pd.Series(0, index=index, dtype="int64")
    return frame.set_index(key)["count"].reindex(index, fill_value=0).astype("int64")


def monthly_growth(
    months: list[str], new: pd.DataFrame, churned: pd.DataFrame, active_before: int
) -> pd.DataFrame:
    """Clients gained, lost and held per month, with month-over-month growth in %.

    `new` and `churned` have month and count columns (months outside `months` are ignored);
    `active_before` is how many clients were active when the first month began. Growth is
    None when the previous month ended with no clients.
    """
    frame = pd.DataFrame({"month": months})
    frame["new"] = _counts(new, "month", months).to_numpy()
    frame["churned"] = _counts(churned, "month", months).to_numpy()
    frame["net"] = frame["new"] - frame["churned"]
    frame["active"] = active_before + frame["net"].cumsum()
    previous = frame["active"].shift(1, fill_value=active_before).astype("float64")
    growth = (frame["active"] - previous) / previous.where(previous > 0) * 100
    frame["growth_pct"] = nullable(growth.round(1))
    return frame


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
        planned[["client_id", "week", "planned"]], done[["client_id", "week", "done"]],
        on=["client_id", "week"], how="outer",
    )
    merged[["planned", "done"]] = merged[["planned", "done"]].fillna(0).astype("int64")
    merged["matched"] = np.minimum(merged["planned"], merged["done"])
    totals = merged.groupby("client_id", as_index=False)[["planned", "done", "matched"]].sum()
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
    if clients.empty:
        return pd.DataFrame(columns=columns)
    frame = clients[["client_id", "name"]].merge(last_log, on="client_id", how="left")
    frame = frame.merge(missed, on="client_id", how="left").merge(
        unanswered[["client_id", "unanswered"]], on="client_id", how="left"
    )
    frame["missed_sessions"] = frame["missed"].fillna(0).astype("int64")
    frame["unanswered_checkins"] = frame["unanswered"].fillna(0).astype("int64")
    frame["last_log"] = nullable(frame["last_log"])
    frame["days_quiet"] = pd.Series(
        [None if day is None else (today - day).days for day in frame["last_log"]], index=frame.index, dtype="object"
    )

    def reasons(row: Any) -> list[str]:
        found = []
        if row.last_log is None:
            found.append("No logs yet")
        elif row.days_quiet >= quiet_days:
            found.append(f"No log for {row.days_quiet} days")
        if row.missed_sessions:
            found.append(f"Missed {row.missed_sessions} session{'s' if row.missed_sessions > 1 else ''}")
        if row.unanswered_checkins:
            plural = "s" if row.unanswered_checkins > 1 else ""
            found.append(f"{row.unanswered_checkins} check-in{plural} awaiting reply")
        return found

    frame["reasons"] = [reasons(row) for row in frame.itertuples(index=False)]
    frame = frame[frame["reasons"].map(len) > 0].copy()
    frame["_count"] = frame["reasons"].map(len)
    # Never logged sorts as the longest silence.
    frame["_quiet"] = [10**6 if days is None else days for days in frame["days_quiet"]]
    frame = frame.sort_values(["_count", "_quiet", "name"], ascending=[False, False, True])
    return frame[columns].reset_index(drop=True)


def merge_weights(metrics: pd.DataFrame, check_ins: pd.DataFrame) -> pd.DataFrame:
    """One weight per day: the body-metric weigh-in, else the check-in's weight."""
    parts = [frame[["day", "weight_kg"]] for frame in (metrics, check_ins) if not frame.empty]
    if not parts:
        return pd.DataFrame(columns=["day", "weight_kg"])
    combined = pd.concat(parts, ignore_index=True).dropna(subset=["weight_kg"])
    combined = combined.drop_duplicates(subset="day", keep="first").sort_values("day", ignore_index=True)
    combined["weight_kg"] = combined["weight_kg"].astype("float64")
    return combined


def weight_series(weights: pd.DataFrame, window_days: int = 7) -> pd.DataFrame:
    """Daily weights with a rolling mean over the last `window_days` calendar days (gaps allowed)."""
    if weights.empty:
        return pd.DataFrame(columns=["day", "weight_kg", "rolling_kg"])
    frame = weights.sort_values("day", ignore_index=True).copy()
    indexed = frame.set_index(pd.to_datetime(frame["day"]))["weight_kg"]
    frame["rolling_kg"] = indexed.rolling(f"{window_days}D").mean().round(2).to_numpy()
    return frame[["day", "weight_kg", "rolling_kg"]]


def weight_trend(
    series: pd.DataFrame, today: date, goal_kg: float | None = None, lookback_days: int = 28
) -> dict[str, Any]:
    """Where weight is heading: slope (kg/week) over the last `lookback_days`, and the goal's ETA.

    The slope is a least-squares line through the weigh-ins of the window (at least two days
    apart). The ETA is given only when the slope moves towards the goal.
    """
    trend: dict[str, Any] = {
        "latest_kg": None, "change_kg": None, "slope_kg_per_week": None,
        "goal_kg": goal_kg, "to_goal_kg": None, "goal_eta": None,
    }
    if series.empty:
        return trend
    latest = float(series["weight_kg"].iloc[-1])
    trend["latest_kg"] = round(latest, 2)
    trend["change_kg"] = round(latest - float(series["weight_kg"].iloc[0]), 2)
    if goal_kg is not None:
        trend["to_goal_kg"] = round(goal_kg - latest, 2)
    window = series[series["day"] >= today - timedelta(days=lookback_days)]
    if len(window) < 2:
        return trend
    x = np.array([(day - window["day"].iloc[0]).days for day in window["day"]], dtype="float64")
    if x.max() - x.min() < 2:
        return trend
    slope_per_day = float(np.polyfit(x, window["weight_kg"].to_numpy(dtype="float64"), 1)[0])
    trend["slope_kg_per_week"] = round(slope_per_day * 7, 2)
    if goal_kg is not None and slope_per_day != 0:
        days_needed = (goal_kg - latest) / slope_per_day
        if days_needed >= 0:
            trend["goal_eta"] = today + timedelta(days=int(round(days_needed)))
    return trend


def fill_weeks(frame: pd.DataFrame, weeks: list[str], value_columns: list[str]) -> pd.DataFrame:
    """`frame` (keyed by week) reindexed to every week in `weeks`, zeros where nothing happened."""
    base = frame.set_index("week")[value_columns] if not frame.empty else pd.DataFrame(columns=value_columns)
    filled = base.reindex(weeks).fillna(0)
    filled.index.name = "week"
    return filled.reset_index()


def adherence_heatmap(
    planned_days: Iterable[date], done_days: Iterable[date], first: date, last: date, today: date
) -> pd.DataFrame:
    """Week x weekday grid of codes: DONE, EXTRA, MISSED, UPCOMING (planned, not over yet), REST.

    Rows are weeks (Monday as 'YYYY-MM-DD'), columns Mon..Sun; days outside [first, last] are NaN.
    """
    planned, done = set(planned_days), set(done_days)
    weeks = week_starts(first, last)
    grid = pd.DataFrame(np.nan, index=weeks, columns=WEEKDAYS)
    grid.index.name = "week"
    day = first
    while day <= last:
        if day in done:
            code = DONE if day in planned else EXTRA
        elif day in planned:
            # Today's planned workout is not missed until the day is over.
            code = UPCOMING if day >= today else MISSED
        else:
            code = REST
        monday = (day - timedelta(days=day.weekday())).isoformat()
        grid.loc[monday, WEEKDAYS[day.weekday()]] = code
        day += timedelta(days=1)
    return grid


def calories_vs_target(eaten: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Daily kcal eaten next to the plan's target and the difference.

    A day with a target but no meal logged has kcal None (not logging is not fasting), and a
    day without a target has target and difference None.
    """
    columns = ["day", "kcal", "target_kcal", "difference"]
    if eaten.empty and targets.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.merge(eaten[["day", "kcal"]], targets[["day", "target_kcal"]], on="day", how="outer")
    frame = frame.sort_values("day", ignore_index=True)
    kcal = pd.to_numeric(frame["kcal"], errors="coerce").round(0)
    target = pd.to_numeric(frame["target_kcal"], errors="coerce")
    frame["kcal"] = nullable(kcal)
    frame["target_kcal"] = nullable(target)
    frame["difference"] = nullable((kcal - target).round(0))
    return frame[columns]


def personal_records(daily_best: pd.DataFrame) -> pd.DataFrame:
    """Per exercise: heaviest weight and best estimated 1RM, each with the first day reached.

    `daily_best` has exercise, day, top_kg, best_e1rm_kg (per exercise and day, from SQL).
    """
    columns = ["exercise", "heaviest_kg", "heaviest_on", "best_e1rm_kg", "best_e1rm_on", "days_trained"]
    frame = daily_best.dropna(subset=["top_kg"]) if not daily_best.empty else daily_best
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.sort_values(["exercise", "day"], ignore_index=True)
    rows = []
    for exercise, group in frame.groupby("exercise", sort=True):
        heaviest = group.loc[group["top_kg"].idxmax()]
        e1rm = group.dropna(subset=["best_e1rm_kg"])
        best = e1rm.loc[e1rm["best_e1rm_kg"].idxmax()] if not e1rm.empty else None
        rows.append({
            "exercise": exercise,
            "heaviest_kg": round(float(heaviest["top_kg"]), 1),
            "heaviest_on": heaviest["day"],
            "best_e1rm_kg": None if best is None else round(float(best["best_e1rm_kg"]), 1),
            "best_e1rm_on": None if best is None else best["day"],
            "days_trained": int(group["day"].nunique()),
        })
    result = pd.DataFrame(rows, columns=columns).sort_values("heaviest_kg", ascending=False, ignore_index=True)
    result["best_e1rm_kg"] = nullable(result["best_e1rm_kg"])
    return result


def records_in_period(bests: pd.DataFrame) -> pd.DataFrame:
    """Per client: how many exercises beat their previous best during the period.

    `bests` has client_id, exercise_id, best_before, best_in_period; an exercise done for the
    first time is not a record (there was nothing to beat).
    """
    if bests.empty:
        return pd.DataFrame(columns=["client_id", "records"])
    beat = bests["best_before"].notna() & bests["best_in_period"].notna() & (
        bests["best_in_period"].astype("float64") > bests["best_before"].astype("float64")
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


def pivot_counts(frame: pd.DataFrame, index: str, columns: str, index_values: list[str], column_values: list[str]) -> pd.DataFrame:
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
            dict(row) if isinstance(row, Mapping) else {key: getattr(row, key) for key in columns}
            for row in rows
        ]
    if not records:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(records)
    frame["month"] = frame["month"].astype(str).str.slice(0, 7) + "-01"
    frame["currency"] = frame["currency"].astype(str).str.upper()
    summed = frame.groupby(["month", "currency"], as_index=False)["amount"].sum()
    summed["amount"] = (summed["amount"].astype("int64") / 100).round(2)
    return summed[columns]

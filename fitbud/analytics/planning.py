"""Planned training days from workout plan assignments, computed with arrays instead of day loops.

A workout plan repeats every 7 x len(weeks) days; day k of week w is a training day unless it is
missing or marked rest (see fitbud.services.plan_content). So a date is planned when its offset
from the assignment's start, modulo the cycle, is one of the plan's training offsets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

PLANNED_COLUMNS = ["client_id", "day"]


def training_offsets(content: dict[str, Any]) -> tuple[int, np.ndarray]:
    """(cycle length in days, the offsets within the cycle that are training days)."""
    weeks = content.get("weeks") or []
    offsets = [
        7 * week_index + day_index
        for week_index, week in enumerate(weeks)
        for day_index, day in enumerate(week.get("days") or [])
        if not day.get("rest")
    ]
    return 7 * len(weeks), np.array(offsets, dtype=np.int64)


def week_start_ordinal(ordinals: np.ndarray) -> np.ndarray:
    """The Monday of each day's week, as proleptic ordinals (ordinal 1, 0001-01-01, is a Monday)."""
    return ordinals - (ordinals - 1) % 7


def planned_days(assignments: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Distinct (client_id, day) training days planned in [first, last].

    `assignments` has client_id, start_date, end_date (None: open) and content columns. Days are
    returned as date objects, sorted; overlapping assignments count a day once.
    """
    if assignments.empty or first > last:
        return pd.DataFrame(columns=PLANNED_COLUMNS)
    client_parts: list[np.ndarray] = []
    day_parts: list[np.ndarray] = []
    first_ordinal, last_ordinal = first.toordinal(), last.toordinal()
    for client_id, start_date, end_date, content in assignments[
        ["client_id", "start_date", "end_date", "content"]
    ].itertuples(index=False):
        cycle, offsets = training_offsets(content)
        if cycle == 0 or offsets.size == 0:
            continue
        start_ordinal = start_date.toordinal()
        low = max(first_ordinal, start_ordinal)
        high = last_ordinal if end_date is None or pd.isna(end_date) else min(last_ordinal, end_date.toordinal())
        if low > high:
            continue
        days = np.arange(low, high + 1, dtype=np.int64)
        days = days[np.isin((days - start_ordinal) % cycle, offsets)]
        client_parts.append(np.full(days.size, client_id, dtype=np.int64))
        day_parts.append(days)
    if not day_parts:
        return pd.DataFrame(columns=PLANNED_COLUMNS)
    frame = pd.DataFrame({"client_id": np.concatenate(client_parts), "ordinal": np.concatenate(day_parts)})
    frame = frame.drop_duplicates().sort_values(["client_id", "ordinal"], ignore_index=True)
    frame["day"] = [date.fromordinal(int(value)) for value in frame["ordinal"]]
    return frame[PLANNED_COLUMNS]


def planned_per_week(planned: pd.DataFrame) -> pd.DataFrame:
    """Planned training days per client and week (week = its Monday as 'YYYY-MM-DD')."""
    if planned.empty:
        return pd.DataFrame(columns=["client_id", "week", "planned"])
    ordinals = np.array([day.toordinal() for day in planned["day"]], dtype=np.int64)
    mondays = week_start_ordinal(ordinals)
    labels = {value: date.fromordinal(int(value)).isoformat() for value in np.unique(mondays)}
    frame = pd.DataFrame({"client_id": planned["client_id"].to_numpy(), "week": [labels[m] for m in mondays]})
    return frame.groupby(["client_id", "week"], as_index=False).size().rename(columns={"size": "planned"})


def planned_week_counts(assignments: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Planned training days per client and week in [first, last], straight from the calendar rules.

    The same numbers as planned_per_week(planned_days(...)) without making a date per day,
    which matters for a trainer with a thousand clients.
    """
    if assignments.empty or first > last:
        return pd.DataFrame(columns=["client_id", "week", "planned"])
    keys: list[np.ndarray] = []
    first_ordinal, last_ordinal = first.toordinal(), last.toordinal()
    for client_id, start_date, end_date, content in assignments[
        ["client_id", "start_date", "end_date", "content"]
    ].itertuples(index=False):
        cycle, offsets = training_offsets(content)
        if cycle == 0 or offsets.size == 0:
            continue
        start_ordinal = start_date.toordinal()
        low = max(first_ordinal, start_ordinal)
        high = last_ordinal if end_date is None or pd.isna(end_date) else min(last_ordinal, end_date.toordinal())
        if low > high:
            continue
        days = np.arange(low, high + 1, dtype=np.int64)
        days = days[np.isin((days - start_ordinal) % cycle, offsets)]
        # One key per (client, day); ordinals stay below 10**6 for any date before year 2700.
        keys.append(int(client_id) * 1_000_000 + days)
    if not keys:
        return pd.DataFrame(columns=["client_id", "week", "planned"])
    unique_days = np.unique(np.concatenate(keys))  # overlapping assignments count a day once
    clients, ordinals = np.divmod(unique_days, 1_000_000)
    week_keys, counts = np.unique(clients * 1_000_000 + week_start_ordinal(ordinals), return_counts=True)
    week_clients, mondays = np.divmod(week_keys, 1_000_000)
    labels = {value: date.fromordinal(int(value)).isoformat() for value in np.unique(mondays)}
    return pd.DataFrame({
        "client_id": week_clients.astype("int64"),
        "week": [labels[value] for value in mondays],
        "planned": counts.astype("int64"),
    })

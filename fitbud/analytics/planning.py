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

    The same numbers as planned_per_week(planned_days(...)) without a Python loop over days or
    assignments: all assignments' days are laid out in one array. `assignments` has client_id,
    start_date, end_date and either content or cycle + offsets (from `training_offsets`).
    """
    empty = pd.DataFrame(columns=["client_id", "week", "planned"])
    if assignments.empty or first > last:
        return empty
    if "cycle" in assignments:
        patterns = list(zip(assignments["cycle"], assignments["offsets"], strict=True))
    else:
        patterns = [training_offsets(content) for content in assignments["content"]]
    first_ordinal, last_ordinal = first.toordinal(), last.toordinal()
    starts = np.array([value.toordinal() for value in assignments["start_date"]], dtype=np.int64)
    ends = np.array(
        [last_ordinal if value is None or pd.isna(value) else value.toordinal() for value in assignments["end_date"]],
        dtype=np.int64,
    )
    cycles = np.array([cycle for cycle, _offsets in patterns], dtype=np.int64)
    usable = (cycles > 0) & np.array([len(offsets) > 0 for _cycle, offsets in patterns])
    low = np.maximum(first_ordinal, starts)
    high = np.minimum(last_ordinal, ends)
    lengths = np.where(usable & (high >= low), high - low + 1, 0)
    if lengths.sum() == 0:
        return empty
    # One boolean row per assignment: is offset k of its cycle a training day?
    width = int(cycles.max())
    training = np.zeros((len(patterns), width), dtype=bool)
    for row, (_cycle, offsets) in enumerate(patterns):
        training[row, np.asarray(offsets, dtype=np.int64)] = True
    owner = np.repeat(np.arange(len(patterns)), lengths)
    position = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = low[owner] + position
    phase = (days - starts[owner]) % np.maximum(cycles[owner], 1)
    keep = training[owner, phase]
    clients = assignments["client_id"].to_numpy(dtype=np.int64)[owner[keep]]
    # One key per (client, day): overlapping assignments count a day once. Ordinals stay
    # below 10**6 for any date before the year 2700.
    unique_days = np.unique(clients * 1_000_000 + days[keep])
    client_of, ordinals = np.divmod(unique_days, 1_000_000)
    week_keys, counts = np.unique(client_of * 1_000_000 + week_start_ordinal(ordinals), return_counts=True)
    week_clients, mondays = np.divmod(week_keys, 1_000_000)
    labels = {value: date.fromordinal(int(value)).isoformat() for value in np.unique(mondays)}
    return pd.DataFrame(
        {
            "client_id": week_clients.astype("int64"),
            "week": [labels[value] for value in mondays],
            "planned": counts.astype("int64"),
        }
    )


# Assignment contents never change after creation (they are snapshots), so the training
# pattern parsed from one can be kept for the life of the process. Keyed by id and creation
# time so a reused id (another database, a test) never hits a stale entry. Not on the versioned
# cache (services/versioned_cache.py) on purpose: this memoizes a pure parse of immutable data,
# so there is nothing to invalidate, and a dict lookup is cheaper than the Redis round trip.
_PATTERNS: dict[tuple[int, str], tuple[int, tuple[int, ...]]] = {}
_PATTERNS_MAX = 100_000


def remembered_patterns(keys: list[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, tuple[int, ...]]]:
    """The patterns already parsed for these (assignment id, created_at) keys."""
    return {key: _PATTERNS[key] for key in keys if key in _PATTERNS}


def remember_patterns(
    patterns: dict[tuple[int, str], dict[str, Any]],
) -> dict[tuple[int, str], tuple[int, tuple[int, ...]]]:
    """Parse and keep the training pattern of each content; returns the parsed patterns."""
    if len(_PATTERNS) + len(patterns) > _PATTERNS_MAX:
        _PATTERNS.clear()
    parsed = {}
    for key, content in patterns.items():
        cycle, offsets = training_offsets(content)
        parsed[key] = _PATTERNS[key] = (cycle, tuple(int(value) for value in offsets))
    return parsed

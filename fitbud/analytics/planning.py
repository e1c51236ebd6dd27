"""Planned training days from workout plan assignments, computed with arrays instead of day loops.

A workout plan repeats every 7 x len(weeks) days; day k of week w is a training day unless it is
missing or marked rest (see fitbud.services.plan_content). So a date is planned when its offset
from the assignment's start, modulo the cycle, is one of the plan's training offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
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


Assignment = tuple[int, date, date | None, Any]  # client_id, start_date, end_date (None: open), pattern source


def _pattern(source: Any) -> tuple[int, Any]:
    """(cycle, offsets) from a plan's content, or an already parsed (cycle, offsets) pair."""
    return source if isinstance(source, tuple) else training_offsets(source)


def _planned_keys(assignments: Sequence[Assignment], first: date, last: date) -> np.ndarray:
    """The one computation of planned training days: sorted unique client_id * 10**6 + day ordinal.

    Every assignment's days in [first, last] are laid out in one array and kept where their
    offset from the start, modulo the cycle, is a training offset; overlapping assignments
    count a day once. Ordinals stay below 10**6 for any date before the year 2700.
    """
    if not assignments or first > last:
        return np.zeros(0, dtype=np.int64)
    patterns = [_pattern(source) for _client, _start, _end, source in assignments]
    first_ordinal, last_ordinal = first.toordinal(), last.toordinal()
    starts = np.array([start.toordinal() for _client, start, _end, _source in assignments], dtype=np.int64)
    ends = np.array(
        [
            last_ordinal if end is None or _missing(end) else end.toordinal()
            for _client, _start, end, _source in assignments
        ],
        dtype=np.int64,
    )
    cycles = np.array([cycle for cycle, _offsets in patterns], dtype=np.int64)
    usable = (cycles > 0) & np.array([len(offsets) > 0 for _cycle, offsets in patterns])
    low = np.maximum(first_ordinal, starts)
    high = np.minimum(last_ordinal, ends)
    lengths = np.where(usable & (high >= low), high - low + 1, 0)
    if lengths.sum() == 0:
        return np.zeros(0, dtype=np.int64)
    # One boolean row per assignment: is offset k of its cycle a training day?
    training = np.zeros((len(patterns), int(cycles.max())), dtype=bool)
    for row, (_cycle, offsets) in enumerate(patterns):
        training[row, np.asarray(offsets, dtype=np.int64)] = True
    owner = np.repeat(np.arange(len(patterns)), lengths)
    position = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = low[owner] + position
    phase = (days - starts[owner]) % np.maximum(cycles[owner], 1)
    keep = training[owner, phase]
    clients = np.array([client for client, _start, _end, _source in assignments], dtype=np.int64)[owner[keep]]
    return np.unique(clients * 1_000_000 + days[keep])


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _rows(assignments: pd.DataFrame) -> list[Assignment]:
    source = (
        list(zip(assignments["cycle"], assignments["offsets"], strict=True))
        if "cycle" in assignments
        else list(assignments["content"])
    )
    return list(zip(assignments["client_id"], assignments["start_date"], assignments["end_date"], source, strict=True))


def planned_dates(assignments: Sequence[Assignment], first: date, last: date) -> list[date]:
    """One client's planned training days in [first, last], sorted, each once (no frame: a request path)."""
    return [date.fromordinal(int(key % 1_000_000)) for key in _planned_keys(assignments, first, last)]


def planned_days(assignments: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Distinct (client_id, day) training days planned in [first, last].

    `assignments` has client_id, start_date, end_date (None: open) and content columns. Days are
    returned as date objects, sorted; overlapping assignments count a day once.
    """
    keys = _planned_keys(_rows(assignments), first, last)
    if keys.size == 0:
        return pd.DataFrame(columns=PLANNED_COLUMNS)
    clients, ordinals = np.divmod(keys, 1_000_000)
    return pd.DataFrame(
        {"client_id": clients.astype("int64"), "day": [date.fromordinal(int(value)) for value in ordinals]}
    )


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

    The same numbers as planned_per_week(planned_days(...)) without a Python loop over days:
    `assignments` has client_id, start_date, end_date and either content or cycle + offsets
    (from `training_offsets`).
    """
    empty = pd.DataFrame(columns=["client_id", "week", "planned"])
    keys = _planned_keys(_rows(assignments), first, last) if not assignments.empty else np.zeros(0, dtype=np.int64)
    if keys.size == 0:
        return empty
    client_of, ordinals = np.divmod(keys, 1_000_000)
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


ParsedPattern = tuple[int, tuple[int, ...]]


def parse_patterns(contents: dict[Any, dict[str, Any]]) -> dict[Any, ParsedPattern]:
    """The training pattern (cycle, offsets) of each plan content, under the same keys."""
    parsed = {}
    for key, content in contents.items():
        cycle, offsets = training_offsets(content)
        parsed[key] = (cycle, tuple(int(value) for value in offsets))
    return parsed

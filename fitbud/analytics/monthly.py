"""The trainer's monthly summary: one row per client with sessions, logs, adherence, weight, records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, timedelta

import pandas as pd

from fitbud.analytics import frames, queries
from fitbud.analytics.sql import local_midnight
from fitbud.analytics.trainer import client_adherence

SUMMARY_COLUMNS = [
    "client_id",
    "client",
    "email",
    "status",
    "sessions_completed",
    "sessions_no_show",
    "sessions_cancelled",
    "sessions_scheduled",
    "workouts",
    "volume_kg",
    "meals",
    "check_ins",
    "planned_workouts",
    "adherence_pct",
    "weight_start_kg",
    "weight_end_kg",
    "weight_change_kg",
    "records",
]


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a 'YYYY-MM' month."""
    first = date.fromisoformat(f"{month}-01")
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def monthly_summary(
    trainer_id: int,
    first: date,
    last: date,
    progress: Callable[[int], None] = lambda _pct: None,
    today: date | None = None,
) -> pd.DataFrame:
    """Per client coached during [first, last] (UTC days): what happened that month.

    For the current month, adherence counts the days before `today` only (nothing later
    has been missed yet).

    A handful of grouped queries for all clients at once, so a trainer with a thousand
    clients costs the same number of round trips as one with three.
    """
    start, end = local_midnight(first, UTC), local_midnight(last + timedelta(days=1), UTC)
    clients = queries.clients_coached_between(trainer_id, start, end)
    progress(10)
    if clients.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    ids = clients["client_id"].tolist()
    clients["status"] = ["archived" if pd.notna(value) else "active" for value in clients["archived_at"]]

    sessions = queries.sessions_by_client(trainer_id, start, end).rename(
        columns={
            "completed": "sessions_completed",
            "no_show": "sessions_no_show",
            "cancelled": "sessions_cancelled",
            "scheduled": "sessions_scheduled",
        }
    )
    logs = queries.logs_by_client(ids, first, last)
    progress(35)
    adherence_last = last if today is None else min(last, today - timedelta(days=1))
    adherence = client_adherence(first, adherence_last, client_ids=ids).rename(
        columns={"planned": "planned_workouts", "adherence": "adherence_pct"}
    )
    progress(55)
    weights = frames.weight_change(
        pd.concat(
            [queries.check_in_weights(ids, first, last), queries.weights(ids, first, last)], ignore_index=True
        ).drop_duplicates(subset=["client_id", "day"], keep="last")
    )
    progress(70)
    records = frames.records_in_period(queries.bests_before_and_during(ids, first, last))
    progress(85)

    summary = clients
    for part in (sessions, logs, adherence[["client_id", "planned_workouts", "adherence_pct"]], weights, records):
        summary = summary.merge(part, on="client_id", how="left")
    counts = [
        "sessions_completed",
        "sessions_no_show",
        "sessions_cancelled",
        "sessions_scheduled",
        "workouts",
        "meals",
        "check_ins",
        "planned_workouts",
        "records",
    ]
    for column in counts:
        summary[column] = summary[column].fillna(0).astype("int64")
    summary["volume_kg"] = summary["volume_kg"].fillna(0.0).astype("float64").round(1)
    for column in ("adherence_pct", "weight_start_kg", "weight_end_kg", "weight_change_kg"):
        summary[column] = frames.nullable(pd.to_numeric(summary[column], errors="coerce"))
    return summary[SUMMARY_COLUMNS]

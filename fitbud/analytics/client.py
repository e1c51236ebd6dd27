"""One client's progress: weight and its trend, measurements, volume, adherence, calories, records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from fitbud.analytics import frames, queries
from fitbud.analytics.planning import planned_days
from fitbud.services.plan_content import diet_targets_on


@dataclass(frozen=True)
class ClientProgress:
    """Everything the Client page shows for one client over [first, last]."""

    client_id: int
    name: str
    first: date
    last: date
    weight: pd.DataFrame
    trend: dict[str, Any]
    measurements: pd.DataFrame
    weekly_volume: pd.DataFrame
    heatmap: pd.DataFrame
    adherence: dict[str, Any]
    calories: pd.DataFrame
    records: pd.DataFrame


def client_progress(
    client_id: int, name: str, first: date, last: date, today: date, goal_kg: float | None = None
) -> ClientProgress:
    """A client's progress over [first, last] as of `today`; records are all-time up to `last`."""
    ids = [client_id]
    weight = frames.weight_series(
        frames.merge_weights(
            queries.weights(ids, first, last).drop(columns="client_id"),
            queries.check_in_weights(ids, first, last).drop(columns="client_id"),
        )
    )
    trend = frames.weight_trend(weight, min(today, last), goal_kg)

    weeks = frames.week_starts(first, last)
    volume = queries.weekly_volume(client_id, first, last)
    weekly_volume = frames.fill_weeks(volume, weeks, ["workouts", "volume_kg", "sets"]).astype(
        {"workouts": "int64", "volume_kg": "float64", "sets": "int64"}
    )
    weekly_volume["volume_kg"] = weekly_volume["volume_kg"].round(1)

    assignments = queries.workout_assignments(ids, first, last)
    planned = list(planned_days(assignments, first, last)["day"])
    done_days = queries.workout_days(client_id, first, last)
    heatmap = frames.adherence_heatmap(planned, done_days, first, last, today)
    # Adherence counts finished days only: today's workout is not missed before the day ends.
    due_last = min(last, today - timedelta(days=1))
    adherence = frames.adherence_of(
        [day for day in planned if day <= due_last], [day for day in done_days if day <= due_last]
    )

    calories = frames.calories_vs_target(
        queries.daily_kcal(client_id, first, last), _kcal_targets(client_id, first, last)
    )

    return ClientProgress(
        client_id=client_id,
        name=name,
        first=first,
        last=last,
        weight=weight,
        trend=trend,
        measurements=queries.measurements(client_id, first, last),
        weekly_volume=weekly_volume,
        heatmap=heatmap,
        adherence=adherence,
        calories=calories,
        records=frames.personal_records(queries.daily_bests(client_id, last)),
    )


def _kcal_targets(client_id: int, first: date, last: date) -> pd.DataFrame:
    """Daily kcal target from the diet plan in force each day (the latest-starting one wins)."""
    diets = queries.diet_assignments(client_id, first, last)
    targets: dict[date, float] = {}
    for start_date, end_date, content in diets.itertuples(index=False):
        day = max(first, start_date)
        stop = last if end_date is None or pd.isna(end_date) else min(last, end_date)
        while day <= stop:
            target = diet_targets_on(content, start_date, day)
            if target and target.get("kcal"):
                targets[day] = float(target["kcal"])
            day += timedelta(days=1)
    return pd.DataFrame({"day": list(targets), "target_kcal": list(targets.values())})

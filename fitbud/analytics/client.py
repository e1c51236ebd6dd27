"""One client's progress figures as the frames the dashboard's charts draw, with trend, adherence and heatmap.

Pure: it takes the figures the API gives (`analytics.daily.Progress`) and shapes them, so the
dashboard never shows a number of its own making for something the API shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from fitbud.analytics import frames
from fitbud.analytics.daily import Progress

RECORD_COLUMNS = ["exercise", "heaviest_kg", "heaviest_on", "best_e1rm_kg", "best_e1rm_on"]


@dataclass(frozen=True)
class ClientCharts:
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


def weight_frame(points: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Weigh-ins and their 7-day mean: columns day, weight_kg, rolling_kg."""
    return pd.DataFrame(
        [(point["date"], point["weight_kg"], point["rolling_mean_kg"]) for point in points],
        columns=["day", "weight_kg", "rolling_kg"],
    )


def measurements_frame(series: dict[str, list[dict[str, Any]]]) -> pd.DataFrame:
    """Every measurement as rows of day, metric, value (by metric, then day)."""
    return pd.DataFrame(
        [(point["date"], metric, point["value"]) for metric in sorted(series) for point in series[metric]],
        columns=["day", "metric", "value"],
    )


def volume_frame(weeks: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Per week ('YYYY-MM-DD' Monday): workouts, volume (kg, one decimal) and sets."""
    frame = pd.DataFrame(
        [
            (week["week_start"].isoformat(), week["workouts"], round(week["volume_kg"], 1), week["sets"])
            for week in weeks
        ],
        columns=["week", "workouts", "volume_kg", "sets"],
    )
    return frame.astype({"workouts": "int64", "volume_kg": "float64", "sets": "int64"})


def calories_frame(days: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Each day's kcal eaten, target and difference (None where one is missing)."""
    frame = pd.DataFrame(
        [(day["date"], day["kcal"], day["target_kcal"], day["difference_kcal"]) for day in days],
        columns=["day", "kcal", "target_kcal", "difference"],
    )
    for column in ("kcal", "target_kcal", "difference"):
        frame[column] = frames.nullable(frame[column])
    return frame


def records_frame(records: Sequence[tuple[str, float, date, float, date]]) -> pd.DataFrame:
    """Personal records (exercise, heaviest, on, best e1RM, on), heaviest first, rounded to 0.1 kg."""
    rows = sorted(records, key=lambda record: (-record[1], record[0]))
    return pd.DataFrame(
        [(name, round(heaviest, 1), on, round(e1rm, 1), e1rm_on) for name, heaviest, on, e1rm, e1rm_on in rows],
        columns=RECORD_COLUMNS,
    )


def client_charts(
    progress: Progress, name: str, records: Sequence[tuple[str, float, date, float, date]]
) -> ClientCharts:
    """The Client page's figures from a client's progress and personal records."""
    weight = weight_frame(progress.weight)
    # Adherence counts finished days only: today's workout is not missed before the day ends.
    due_last = min(progress.last, progress.today - timedelta(days=1))
    return ClientCharts(
        client_id=progress.client_id,
        name=name,
        first=progress.first,
        last=progress.last,
        weight=weight,
        trend=frames.weight_trend(weight, min(progress.today, progress.last)),
        measurements=measurements_frame(progress.measurements),
        weekly_volume=volume_frame(progress.weekly_volume),
        heatmap=frames.adherence_heatmap(
            progress.planned_days, progress.trained_days, progress.first, progress.last, progress.today
        ),
        adherence=frames.adherence_of(
            [day for day in progress.planned_days if day <= due_last],
            [day for day in progress.trained_days if day <= due_last],
        ),
        calories=calories_frame(progress.daily_calories),
        records=records_frame(records),
    )

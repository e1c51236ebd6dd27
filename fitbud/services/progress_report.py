"""The trainer's view of a client's progress: weight trend, measurements, volume, adherence, calories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import distinct, func, or_, select

from fitbud.analytics.progress import (
    Streaks,
    calories_vs_target,
    combine_daily,
    weekly_adherence,
    weekly_frame,
    weight_trend,
)
from fitbud.errors import InvalidInputError
from fitbud.extensions import db
from fitbud.models import BodyMetric, CheckIn, Client, MealLog, PlanAssignment, PlanKind, User, WorkoutLog
from fitbud.services.client_scope import local_today, trainer_client
from fitbud.services.measures import BODY_METRICS
from fitbud.services.plan_content import diet_targets_on, planned_workout_dates
from fitbud.services.sql_dates import week_start
from fitbud.services.streaks import client_streaks

DEFAULT_DAYS = 91
MAX_DAYS = 731
ROLLING_DAYS = 7


@dataclass(frozen=True)
class ProgressReport:
    """Everything the trainer's progress page shows, in SI units."""

    client_id: int
    first: date
    last: date
    weight: list[dict[str, Any]]
    measurements: dict[str, list[dict[str, Any]]]
    weekly_volume: list[dict[str, Any]]
    weekly_adherence: list[dict[str, Any]]
    daily_calories: list[dict[str, Any]]
    streaks: Streaks


def _range(client: Client, first: date | None, last: date | None) -> tuple[date, date]:
    last = last or local_today(client)
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInputError("The range is empty.", errors={"from": ["Must not be after 'to'."]})
    if (last - first).days >= MAX_DAYS:
        raise InvalidInputError(
            "The range is too long.", errors={"from": [f"The range may span at most {MAX_DAYS} days."]}
        )
    return first, last


def _frame(rows: list[Any], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def _day(value: Any) -> date:
    return value.date() if hasattr(value, "date") else value


def _none_if_nan(value: Any, digits: int | None = None) -> float | None:
    if pd.isna(value):
        return None
    return float(value) if digits is None else round(float(value), digits)


def _weights(client_id: int, first: date, last: date) -> list[dict[str, Any]]:
    """Weigh-ins (body metrics, else check-ins) with the trailing 7-day mean."""
    # Start the query a window early so the first day's mean is a real 7-day mean.
    since = first - timedelta(days=ROLLING_DAYS - 1)
    metrics = db.session.execute(
        select(BodyMetric.measured_on, BodyMetric.value).where(
            BodyMetric.client_id == client_id,
            BodyMetric.metric == "weight",
            BodyMetric.measured_on.between(since, last),
        )
    ).all()
    check_ins = db.session.execute(
        select(CheckIn.submitted_on, CheckIn.weight_kg).where(
            CheckIn.client_id == client_id, CheckIn.weight_kg.is_not(None), CheckIn.submitted_on.between(since, last)
        )
    ).all()
    daily = combine_daily(
        _frame(metrics, ["date", "weight_kg"]), _frame(check_ins, ["date", "weight_kg"]), "weight_kg"
    )
    trend = weight_trend(daily, ROLLING_DAYS)
    trend = trend[trend["date"] >= pd.Timestamp(first)]
    return [
        {"date": _day(row.date), "weight_kg": row.weight_kg, "rolling_mean_kg": round(row.rolling_mean_kg, 3)}
        for row in trend.itertuples()
    ]


def _measurements(client_id: int, first: date, last: date) -> dict[str, list[dict[str, Any]]]:
    """Every other metric's series: body metrics first, check-in values on days without one."""
    rows = db.session.execute(
        select(BodyMetric.metric, BodyMetric.measured_on, BodyMetric.value).where(
            BodyMetric.client_id == client_id,
            BodyMetric.metric != "weight",
            BodyMetric.measured_on.between(first, last),
        )
    ).all()
    check_ins = db.session.execute(
        select(CheckIn.submitted_on, CheckIn.body_fat_pct, CheckIn.measurements_cm).where(
            CheckIn.client_id == client_id, CheckIn.submitted_on.between(first, last)
        )
    ).all()
    primary: dict[str, list[tuple[date, float]]] = {}
    for metric, day, value in rows:
        primary.setdefault(metric, []).append((day, value))
    fallback: dict[str, list[tuple[date, float]]] = {}
    for day, body_fat, measurements in check_ins:
        if body_fat is not None:
            fallback.setdefault("body_fat", []).append((day, body_fat))
        for name, value in (measurements or {}).items():
            if name in BODY_METRICS and value is not None:
                fallback.setdefault(name, []).append((day, value))
    series = {}
    for metric in sorted(set(primary) | set(fallback)):
        merged = combine_daily(
            _frame(primary.get(metric, []), ["date", "value"]),
            _frame(fallback.get(metric, []), ["date", "value"]),
            "value",
        )
        series[metric] = [{"date": _day(row.date), "value": row.value} for row in merged.itertuples()]
    return series


def _weekly_training(client_id: int, first: date, last: date) -> pd.DataFrame:
    """Per week (grouped in the database): volume, workouts, and distinct days trained."""
    week = week_start(WorkoutLog.performed_on)
    rows = db.session.execute(
        select(
            week.label("week_start"),
            func.sum(WorkoutLog.total_volume_kg),
            func.count(WorkoutLog.id),
            func.count(distinct(WorkoutLog.performed_on)),
        )
        .where(WorkoutLog.client_id == client_id, WorkoutLog.performed_on.between(first, last))
        .group_by(week)
        .order_by(week)
    ).all()
    return _frame(rows, ["week_start", "volume_kg", "workouts", "logged"])


def _assignments(client_id: int, kind: PlanKind, first: date, last: date) -> list[PlanAssignment]:
    return list(
        db.session.execute(
            select(PlanAssignment)
            .where(
                PlanAssignment.client_id == client_id,
                PlanAssignment.kind == kind,
                PlanAssignment.start_date <= last,
                or_(PlanAssignment.end_date.is_(None), PlanAssignment.end_date >= first),
            )
            .order_by(PlanAssignment.start_date, PlanAssignment.id)
        ).scalars()
    )


def planned_dates(assignments: list[PlanAssignment], first: date, last: date) -> list[date]:
    """Training days the workout assignments schedule in [first, last], each date once."""
    planned: set[date] = set()
    for assignment in assignments:
        end = min(last, assignment.end_date) if assignment.end_date else last
        planned.update(planned_workout_dates(assignment.content, assignment.start_date, first, end))
    return sorted(planned)


def _weekly(client_id: int, first: date, last: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    training = _weekly_training(client_id, first, last)
    volume = weekly_frame(training, first, last, ["volume_kg", "workouts"])
    planned = planned_dates(_assignments(client_id, PlanKind.WORKOUT, first, last), first, last)
    adherence = weekly_adherence(pd.Series(planned, dtype="object"), training[["week_start", "logged"]], first, last)
    return (
        [
            {
                "week_start": _day(row.week_start),
                "volume_kg": round(float(row.volume_kg), 2),
                "workouts": int(row.workouts),
            }
            for row in volume.itertuples()
        ],
        [
            {
                "week_start": _day(row.week_start),
                "planned": int(row.planned),
                "logged": int(row.logged),
                "adherence": _none_if_nan(row.adherence),
            }
            for row in adherence.itertuples()
        ],
    )


def diet_targets(assignments: list[PlanAssignment], first: date, last: date) -> list[tuple[date, float]]:
    """The kcal target of each day in [first, last] that an active diet assignment covers."""
    targets = []
    day = first
    while day <= last:
        active = [
            a for a in assignments if a.start_date <= day and (a.end_date is None or a.end_date >= day)
        ]
        if active:
            # The latest-started diet wins when two overlap, as it does for the client's day view.
            chosen = max(active, key=lambda a: (a.start_date, a.id))
            aimed = diet_targets_on(chosen.content, chosen.start_date, day)
            if aimed and "kcal" in aimed:
                targets.append((day, float(aimed["kcal"])))
        day += timedelta(days=1)
    return targets


def _calories(client_id: int, first: date, last: date) -> list[dict[str, Any]]:
    eaten = db.session.execute(
        select(MealLog.eaten_on, func.sum(MealLog.kcal))
        .where(MealLog.client_id == client_id, MealLog.eaten_on.between(first, last))
        .group_by(MealLog.eaten_on)
    ).all()
    targets = diet_targets(_assignments(client_id, PlanKind.DIET, first, last), first, last)
    days = calories_vs_target(_frame(eaten, ["date", "kcal"]), _frame(targets, ["date", "target_kcal"]))
    return [
        {
            "date": _day(row.date),
            "kcal": _none_if_nan(row.kcal, 1),
            "target_kcal": _none_if_nan(row.target_kcal, 1),
            "difference_kcal": _none_if_nan(row.difference_kcal, 1),
        }
        for row in days.itertuples()
    ]


def progress_report(trainer: User, client_id: int, first: date | None, last: date | None) -> ProgressReport:
    """A client's progress between two dates (default: the last 13 weeks, in their timezone)."""
    client = trainer_client(trainer, client_id)
    first, last = _range(client, first, last)
    volume, adherence = _weekly(client.id, first, last)
    return ProgressReport(
        client_id=client.id,
        first=first,
        last=last,
        weight=_weights(client.id, first, last),
        measurements=_measurements(client.id, first, last),
        weekly_volume=volume,
        weekly_adherence=adherence,
        daily_calories=_calories(client.id, first, last),
        streaks=client_streaks(client),
    )

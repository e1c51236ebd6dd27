"""A client's progress figures (weight, measurements, volume, adherence, calories, streaks) for trainer and client."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Float, Select, func, literal, or_, select, union_all

from fitbud.analytics import daily as daily_series
from fitbud.analytics import planning
from fitbud.analytics.client import ClientCharts, client_charts
from fitbud.analytics.daily import Progress
from fitbud.errors import InvalidInputError
from fitbud.extensions import db
from fitbud.models import (
    ActivityLog,
    BodyMetric,
    CheckIn,
    Client,
    DailyMetric,
    MealLog,
    PlanAssignment,
    PlanKind,
    User,
    WorkoutLog,
)
from fitbud.services.client_scope import own_client, trainer_client
from fitbud.services.local_time import local_today
from fitbud.services.measures import BODY_METRICS
from fitbud.services.plan_content import diet_targets_on
from fitbud.services.records import personal_records
from fitbud.services.streaks import client_streaks

DEFAULT_DAYS = 91
MAX_DAYS = 731
ROLLING_DAYS = 7

__all__ = ["Progress", "client_page", "client_progress", "my_progress", "trainer_progress"]


def _range(today: date, first: date | None, last: date | None) -> tuple[date, date]:
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInputError("The range is empty.", errors={"from": ["Must not be after 'to'."]})
    if (last - first).days >= MAX_DAYS:
        raise InvalidInputError(
            "The range is too long.", errors={"from": [f"The range may span at most {MAX_DAYS} days."]}
        )
    return first, last


def _round(value: float, digits: int) -> float:
    """Round half to even on value * 10**digits, exactly as numpy's round did for these figures."""
    scale = 10.0**digits
    return round(value * scale) / scale


def _weights(
    metrics: list[tuple[str, date, float]], check_ins: list[Any], first: date, last: date
) -> list[dict[str, Any]]:
    """Weigh-ins (body metrics, else check-ins) with the trailing 7-day mean.

    The rows start a window before `first`, so the first day's mean is a real 7-day mean.
    """
    daily = daily_series.combine_daily(
        [(day, value) for metric, day, value in metrics if metric == "weight"],
        [(row.submitted_on, row.weight_kg) for row in check_ins if row.weight_kg is not None],
    )
    means = daily_series.rolling_means(daily, ROLLING_DAYS)
    return [
        {"date": day, "weight_kg": value, "rolling_mean_kg": _round(mean, 3)}
        for (day, value), mean in zip(daily, means, strict=True)
        if day >= first
    ]


def _measurements(
    metrics: list[tuple[str, date, float]], check_ins: list[Any], first: date
) -> dict[str, list[dict[str, Any]]]:
    """Every other metric's series: body metrics first, check-in values on days without one."""
    primary: dict[str, list[tuple[date, float]]] = {}
    for metric, day, value in metrics:
        if metric != "weight" and day >= first:
            primary.setdefault(metric, []).append((day, value))
    fallback: dict[str, list[tuple[date, float]]] = {}
    for row in check_ins:
        if row.submitted_on < first:
            continue
        if row.body_fat_pct is not None:
            fallback.setdefault("body_fat", []).append((row.submitted_on, row.body_fat_pct))
        for name, value in (row.measurements_cm or {}).items():
            if name in BODY_METRICS and value is not None:
                fallback.setdefault(name, []).append((row.submitted_on, value))
    return {
        metric: [
            {"date": day, "value": value}
            for day, value in daily_series.combine_daily(primary.get(metric, []), fallback.get(metric, []))
        ]
        for metric in sorted(set(primary) | set(fallback))
    }


def body_metrics_query(client_id: int, since: date, last: date) -> Select:
    """Every body metric of the client from `since` to `last` (weights and measurements at once)."""
    return select(BodyMetric.metric, BodyMetric.measured_on, BodyMetric.value).where(
        BodyMetric.client_id == client_id, BodyMetric.measured_on.between(since, last)
    )


def _body_rows(client_id: int, since: date, last: date) -> tuple[list[tuple[str, date, float]], list[Any]]:
    """Body metrics and check-ins from `since` to `last`: two statements for weights and measurements."""
    metrics = db.session.execute(body_metrics_query(client_id, since, last)).all()
    check_ins = db.session.execute(
        select(CheckIn.submitted_on, CheckIn.weight_kg, CheckIn.body_fat_pct, CheckIn.measurements_cm).where(
            CheckIn.client_id == client_id, CheckIn.submitted_on.between(since, last)
        )
    ).all()
    return [tuple(row) for row in metrics], list(check_ins)


def daily_training_query(client_id: int, first: date, last: date) -> Select:
    """Per day trained (grouped in the database): volume, workouts and sets."""
    return (
        select(
            WorkoutLog.performed_on,
            func.sum(WorkoutLog.total_volume_kg),
            func.count(WorkoutLog.id),
            func.sum(WorkoutLog.sets_done),
        )
        .where(WorkoutLog.client_id == client_id, WorkoutLog.performed_on.between(first, last))
        .group_by(WorkoutLog.performed_on)
        .order_by(WorkoutLog.performed_on)
    )


def daily_kcal_query(client_id: int, first: date, last: date) -> Select:
    """Calories eaten per day from `first` to `last`."""
    return (
        select(MealLog.eaten_on, func.sum(MealLog.kcal))
        .where(MealLog.client_id == client_id, MealLog.eaten_on.between(first, last))
        .group_by(MealLog.eaten_on)
    )


def _assignments(client_id: int, first: date, last: date) -> dict[PlanKind, list[PlanAssignment]]:
    """The workout and diet assignments overlapping [first, last] (one statement), by kind."""
    rows = db.session.execute(
        select(PlanAssignment)
        .where(
            PlanAssignment.client_id == client_id,
            PlanAssignment.kind.in_([PlanKind.WORKOUT, PlanKind.DIET]),
            PlanAssignment.start_date <= last,
            or_(PlanAssignment.end_date.is_(None), PlanAssignment.end_date >= first),
        )
        .order_by(PlanAssignment.start_date, PlanAssignment.id)
    ).scalars()
    by_kind: dict[PlanKind, list[PlanAssignment]] = {PlanKind.WORKOUT: [], PlanKind.DIET: []}
    for assignment in rows:
        by_kind[assignment.kind].append(assignment)
    return by_kind


def planned_dates(assignments: list[PlanAssignment], first: date, last: date) -> list[date]:
    """Training days the workout assignments schedule in [first, last], each date once."""
    rows = [(a.client_id, a.start_date, a.end_date, a.content) for a in assignments]
    return planning.planned_dates(rows, first, last)


def _weekly(
    client_id: int, planned: list[date], first: date, last: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[date]]:
    """Weekly volume and adherence, and the days trained."""
    days = db.session.execute(daily_training_query(client_id, first, last)).all()
    trained = [daily_series.as_date(row[0]) for row in days]
    weeks = daily_series.weekly_totals(days, first, last)
    adherence = daily_series.weekly_adherence(planned, {week: logged for week, *_, logged in weeks}, first, last)
    return (
        [
            {"week_start": week, "volume_kg": round(volume, 2), "workouts": count, "sets": sets}
            for week, volume, count, sets, _logged in weeks
        ],
        [
            {"week_start": week, "planned": aimed, "logged": done, "adherence": ratio}
            for week, aimed, done, ratio in adherence
        ],
        trained,
    )


def diet_targets(assignments: list[PlanAssignment], first: date, last: date) -> list[tuple[date, float]]:
    """The kcal target of each day in [first, last] that an active diet assignment covers."""
    targets = []
    day = first
    while day <= last:
        active = [a for a in assignments if a.start_date <= day and (a.end_date is None or a.end_date >= day)]
        if active:
            # The latest-started diet wins when two overlap, as it does for the client's day view.
            chosen = max(active, key=lambda a: (a.start_date, a.id))
            aimed = diet_targets_on(chosen.content, chosen.start_date, day)
            if aimed and "kcal" in aimed:
                targets.append((day, float(aimed["kcal"])))
        day += timedelta(days=1)
    return targets


def _calories(client_id: int, diets: list[PlanAssignment], first: date, last: date) -> list[dict[str, Any]]:
    eaten = db.session.execute(daily_kcal_query(client_id, first, last)).all()
    days = daily_series.calories_vs_target(eaten, diet_targets(diets, first, last))
    return [
        {
            "date": day,
            "kcal": _round_or_none(kcal),
            "target_kcal": _round_or_none(target),
            "difference_kcal": _round_or_none(difference),
        }
        for day, kcal, target, difference in days
    ]


def _activity(client_id: int, first: date, last: date) -> dict[str, list[dict[str, Any]]]:
    """Weekly cardio, and daily steps and resting heart rate, between two days (one statement for both tables)."""
    activities = select(
        literal("activity").label("kind"),
        ActivityLog.performed_on.label("day"),
        ActivityLog.duration_seconds.cast(Float).label("value"),
        ActivityLog.distance_m.label("distance"),
    ).where(ActivityLog.client_id == client_id, ActivityLog.performed_on.between(first, last))
    daily = select(DailyMetric.metric, DailyMetric.day, DailyMetric.value, literal(None, Float)).where(
        DailyMetric.client_id == client_id, DailyMetric.day.between(first, last)
    )
    rows = db.session.execute(union_all(activities, daily).order_by("day")).all()
    return {
        "weekly_activity": daily_series.weekly_activity(
            [(day, int(value), distance) for kind, day, value, distance in rows if kind == "activity"], first, last
        ),
        "daily_steps": [
            {"date": daily_series.as_date(day), "steps": int(value)} for kind, day, value, _ in rows if kind == "steps"
        ],
        "resting_heart_rate": [
            {"date": daily_series.as_date(day), "bpm": round(value, 1)}
            for kind, day, value, _ in rows
            if kind == "resting_heart_rate"
        ],
    }


def _round_or_none(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def client_progress(client: Client, first: date | None = None, last: date | None = None) -> Progress:
    """The progress of `client` between two dates (default: the last 13 weeks, in their timezone).

    The caller has already decided that it may see this client: use `trainer_progress` or
    `my_progress` unless you hold a client record you scoped yourself.
    """
    today = local_today(client)
    first, last = _range(today, first, last)
    assignments = _assignments(client.id, first, last)
    planned = planned_dates(assignments[PlanKind.WORKOUT], first, last)
    volume, adherence, trained = _weekly(client.id, planned, first, last)
    metrics, check_ins = _body_rows(client.id, first - timedelta(days=ROLLING_DAYS - 1), last)
    return Progress(
        client_id=client.id,
        first=first,
        last=last,
        today=today,
        weight=_weights(metrics, check_ins, first, last),
        measurements=_measurements(metrics, check_ins, first),
        weekly_volume=volume,
        weekly_adherence=adherence,
        daily_calories=_calories(client.id, assignments[PlanKind.DIET], first, last),
        streaks=client_streaks(client),
        planned_days=planned,
        trained_days=trained,
        **_activity(client.id, first, last),
    )


def trainer_progress(trainer: User, client_id: int, first: date | None = None, last: date | None = None) -> Progress:
    """One of the trainer's clients' progress; anyone else's client is a 404."""
    return client_progress(trainer_client(trainer, client_id), first, last)


def my_progress(user: User, first: date | None = None, last: date | None = None) -> Progress:
    """A client user's own progress: the same figures their trainer sees."""
    return client_progress(own_client(user), first, last)


def client_page(trainer: User, client_id: Any, first: date | None = None, last: date | None = None) -> ClientCharts:
    """The trainer's client page: the progress figures as charts, with trend, adherence and records."""
    client = trainer_client(trainer, client_id)
    progress = client_progress(client, first, last)
    records = [
        (
            record.exercise_name,
            record.heaviest.weight_kg,
            record.heaviest.performed_on,
            record.best_estimated_1rm.estimated_1rm_kg,
            record.best_estimated_1rm.performed_on,
        )
        for record in personal_records(client.id)
    ]
    return client_charts(progress, client.name, records)

"""Personal records: per exercise, the heaviest set and the best estimated 1RM (Epley), with dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select

from fitbud.analytics.daily import epley_1rm
from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, Client, Exercise, User, WorkoutLog, WorkoutSet
from fitbud.services.activity import record_activity
from fitbud.services.units import from_si_mass, unit_label

# Float noise must not count as beating a record.
RECORD_EPSILON = 0.01


def epley_sql(weight: Any, reps: Any) -> ColumnElement[float]:
    """Epley's estimated 1RM as a SQL expression (a single is the weight itself)."""
    return case((reps <= 1, weight), else_=weight * (1.0 + reps / 30.0))


def _weighted_sets() -> ColumnElement[bool]:
    return (WorkoutSet.reps >= 1) & (WorkoutSet.weight_kg > 0)


@dataclass(frozen=True)
class RecordSet:
    """One set that holds a record: what was lifted, and when."""

    weight_kg: float
    reps: int
    estimated_1rm_kg: float
    performed_on: date
    workout_log_id: int


@dataclass(frozen=True)
class PersonalRecord:
    """An exercise's heaviest set and best estimated-1RM set."""

    exercise_id: int
    exercise_name: str
    heaviest: RecordSet
    best_estimated_1rm: RecordSet


def personal_records(client_id: int) -> list[PersonalRecord]:
    """Every exercise the client lifted weight in, with its records (one statement).

    Ties go to the earliest date: a record is set when first achieved.
    """
    e1rm = epley_sql(WorkoutSet.weight_kg, WorkoutSet.reps)
    ranked = (
        select(
            WorkoutSet.exercise_id,
            WorkoutSet.weight_kg,
            WorkoutSet.reps,
            e1rm.label("e1rm"),
            WorkoutLog.performed_on,
            WorkoutLog.id.label("workout_log_id"),
            func.row_number()
            .over(
                partition_by=WorkoutSet.exercise_id,
                order_by=(WorkoutSet.weight_kg.desc(), WorkoutSet.reps.desc(), WorkoutLog.performed_on, WorkoutSet.id),
            )
            .label("heaviest_rank"),
            func.row_number()
            .over(partition_by=WorkoutSet.exercise_id, order_by=(e1rm.desc(), WorkoutLog.performed_on, WorkoutSet.id))
            .label("e1rm_rank"),
        )
        .join(WorkoutLog, WorkoutLog.id == WorkoutSet.workout_log_id)
        .where(WorkoutLog.client_id == client_id, _weighted_sets())
        .subquery()
    )
    rows = db.session.execute(
        select(ranked, Exercise.name)
        .join(Exercise, Exercise.id == ranked.c.exercise_id)
        .where(or_(ranked.c.heaviest_rank == 1, ranked.c.e1rm_rank == 1))
        .order_by(Exercise.name, ranked.c.exercise_id)
    ).all()
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row.exercise_id, {"name": row.name})
        record = RecordSet(row.weight_kg, row.reps, float(row.e1rm), row.performed_on, row.workout_log_id)
        if row.heaviest_rank == 1:
            entry["heaviest"] = record
        if row.e1rm_rank == 1:
            entry["e1rm"] = record
    return [
        PersonalRecord(exercise_id, entry["name"], entry["heaviest"], entry["e1rm"])
        for exercise_id, entry in found.items()
    ]


def _estimated_1rm(workout_set: WorkoutSet) -> float:
    """Epley's estimate for a set with weight and reps (the only sets records look at)."""
    weight, reps = workout_set.weight_kg, workout_set.reps
    assert weight is not None and reps is not None
    return epley_1rm(weight, reps)


def _bests_in(log: WorkoutLog) -> dict[int, tuple[WorkoutSet, WorkoutSet]]:
    """Per exercise of an in-memory log: its heaviest set and its best estimated-1RM set."""
    bests: dict[int, tuple[WorkoutSet, WorkoutSet]] = {}
    for workout_set in log.sets:
        if not workout_set.reps or not workout_set.weight_kg or workout_set.weight_kg <= 0:
            continue
        heaviest, strongest = bests.get(workout_set.exercise_id, (workout_set, workout_set))
        if (workout_set.weight_kg, workout_set.reps) > (heaviest.weight_kg, heaviest.reps):
            heaviest = workout_set
        if _estimated_1rm(workout_set) > _estimated_1rm(strongest):
            strongest = workout_set
        bests[workout_set.exercise_id] = (heaviest, strongest)
    return bests


def record_new_bests(client: Client, log: WorkoutLog) -> list[ActivityEvent]:
    """Announce in the feed each exercise where this log beats the client's earlier best.

    The first time an exercise is logged sets a baseline, not a record (no feed noise).
    The log must be flushed; runs in the caller's transaction.
    """
    bests = _bests_in(log)
    if not bests:
        return []
    e1rm = epley_sql(WorkoutSet.weight_kg, WorkoutSet.reps)
    previous = {
        row.exercise_id: row
        for row in db.session.execute(
            select(
                WorkoutSet.exercise_id,
                func.max(WorkoutSet.weight_kg).label("weight"),
                func.max(e1rm).label("e1rm"),
                Exercise.name,
            )
            .join(WorkoutLog, WorkoutLog.id == WorkoutSet.workout_log_id)
            .join(Exercise, Exercise.id == WorkoutSet.exercise_id)
            .where(
                WorkoutLog.client_id == client.id,
                WorkoutLog.id != log.id,
                WorkoutSet.exercise_id.in_(bests),
                _weighted_sets(),
            )
            .group_by(WorkoutSet.exercise_id, Exercise.name)
        )
    }
    beaten = []
    for exercise_id, (heaviest, strongest) in bests.items():
        before = previous.get(exercise_id)
        if before is None:
            continue
        strongest_1rm = _estimated_1rm(strongest)
        kinds = []
        if heaviest.weight_kg > before.weight + RECORD_EPSILON:
            kinds.append("heaviest")
        if strongest_1rm > float(before.e1rm) + RECORD_EPSILON:
            kinds.append("estimated_1rm")
        if kinds:
            beaten.append((exercise_id, before.name, kinds, heaviest, strongest, strongest_1rm))
    if not beaten:
        return []
    units = db.session.execute(select(User.unit_system).where(User.id == client.trainer_id)).scalar_one()
    events = []
    for exercise_id, name, kinds, heaviest, strongest, strongest_1rm in beaten:
        shown = heaviest if "heaviest" in kinds else strongest
        weight = f"{from_si_mass(shown.weight_kg, units):.1f} {unit_label('mass', units)}"
        events.append(
            record_activity(
                client,
                ActivityType.RECORD_SET,
                f"{client.name} set a record on {name}: {weight} x {shown.reps}",
                {
                    "exercise_id": exercise_id,
                    "exercise_name": name,
                    "kinds": kinds,
                    "workout_log_id": log.id,
                    "performed_on": log.performed_on.isoformat(),
                    "heaviest_weight_kg": heaviest.weight_kg,
                    "heaviest_reps": heaviest.reps,
                    "estimated_1rm_kg": round(strongest_1rm, 2),
                },
                workout_log_id=log.id,
            )
        )
    return events

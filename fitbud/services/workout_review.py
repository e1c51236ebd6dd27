"""What a trainer reviews of a client's logged workouts: the sets done beside the plan's, notes, comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from fitbud.extensions import db
from fitbud.models import Client, PlanAssignment, User, WorkoutComment, WorkoutLog, WorkoutSet
from fitbud.services.exercises import library_for_trainer

DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class ExerciseDone:
    """One exercise of a workout: the sets logged and what the plan's day prescribed, if linked."""

    exercise_id: int
    name: str
    sets: list[WorkoutSet]
    planned_sets: int | None
    planned: str | None


@dataclass(frozen=True)
class WorkoutReview:
    """A logged workout as the trainer reviews it."""

    log: WorkoutLog
    client_id: int
    client_name: str
    exercises: list[ExerciseDone]
    comments: list[WorkoutComment]


def _scoped(trainer: User) -> Select:
    return (
        select(WorkoutLog, Client.name)
        .join(Client, Client.id == WorkoutLog.client_id)
        .where(Client.trainer_id == trainer.id)
        .options(selectinload(WorkoutLog.sets), selectinload(WorkoutLog.comments))
    )


def _prescription(item: dict[str, Any]) -> str:
    if item.get("reps") is not None:
        target = str(item["reps"])
    elif item.get("duration_seconds"):
        target = f"{item['duration_seconds']} s"
    elif item.get("distance_m"):
        target = f"{item['distance_m']:g} m"
    else:
        target = "?"
    text = f"{item.get('sets', '?')} × {target}"
    load = item.get("load") or {}
    if load.get("type") == "kg" and load.get("value") is not None:
        text += f" @ {load['value']:g} kg"
    elif load.get("type") and load.get("value") is not None:
        text += f" @ {load['type']} {load['value']:g}"
    return text


def _plan_items(log: WorkoutLog, assignments: dict[int, PlanAssignment]) -> dict[int, dict[str, Any]]:
    """The plan day's items by exercise id, for a log linked to a plan day (first item wins)."""
    assignment = assignments.get(log.assignment_id or 0)
    if assignment is None or log.plan_week_index is None or log.plan_day_index is None:
        return {}
    try:
        day = assignment.content["weeks"][log.plan_week_index]["days"][log.plan_day_index]
    except (KeyError, IndexError, TypeError):
        return {}
    items: dict[int, dict[str, Any]] = {}
    for item in day.get("items", []):
        items.setdefault(item.get("exercise_id"), item)
    return items


def _reviews(trainer: User, rows: list[Any]) -> list[WorkoutReview]:
    names = {exercise_id: exercise.name for exercise_id, exercise in library_for_trainer(trainer.id).by_id().items()}
    assignment_ids = {log.assignment_id for log, _name in rows if log.assignment_id is not None}
    assignments = (
        {
            a.id: a
            for a in db.session.execute(select(PlanAssignment).where(PlanAssignment.id.in_(assignment_ids))).scalars()
        }
        if assignment_ids
        else {}
    )
    reviews = []
    for log, client_name in rows:
        planned = _plan_items(log, assignments)
        groups: dict[int, list[WorkoutSet]] = {}
        for workout_set in log.sets:
            groups.setdefault(workout_set.exercise_order, []).append(workout_set)
        exercises = []
        for _order, sets in sorted(groups.items()):
            exercise_id = sets[0].exercise_id
            item = planned.get(exercise_id)
            exercises.append(
                ExerciseDone(
                    exercise_id,
                    names.get(exercise_id, f"Exercise {exercise_id}"),
                    sets,
                    item.get("sets") if item else None,
                    _prescription(item) if item else None,
                )
            )
        reviews.append(WorkoutReview(log, log.client_id, client_name, exercises, list(log.comments)))
    return reviews


def client_workouts(trainer: User, client_id: int, limit: int = DEFAULT_LIMIT, offset: int = 0) -> list[WorkoutReview]:
    """One of the trainer's clients' workouts, newest first (none for anyone else's client)."""
    statement = (
        _scoped(trainer)
        .where(WorkoutLog.client_id == client_id)
        .order_by(WorkoutLog.performed_on.desc(), WorkoutLog.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return _reviews(trainer, list(db.session.execute(statement).all()))


def workouts_by_id(trainer: User, log_ids: list[int]) -> dict[int, WorkoutReview]:
    """The trainer's clients' workouts among `log_ids` (e.g. those the feed names), by id."""
    if not log_ids:
        return {}
    rows = list(db.session.execute(_scoped(trainer).where(WorkoutLog.id.in_(log_ids))).all())
    return {review.log.id: review for review in _reviews(trainer, rows)}

"""Workout logs: what a client did, its sets, its link to a plan day, volume and records."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import ActivityType, Client, PlanAssignment, PlanKind, User, WorkoutLog, WorkoutSet
from fitbud.services.activity import record_activity
from fitbud.services.client_scope import check_log_date, own_client
from fitbud.services.exercises import unknown_exercise_ids
from fitbud.services.log_queries import between, own_rows, trainer_rows
from fitbud.services.plan_content import workout_position_on
from fitbud.services.records import record_new_bests
from fitbud.services.streaks import note_client_log

LINK_FIELDS = ("assignment_id", "plan_week_index", "plan_day_index")
SIMPLE_FIELDS = ("performed_on", "duration_minutes", "perceived_effort", "notes")


def _with_sets(statement: Select) -> Select:
    # The trainer's comments ride along: the client reads them with the workout.
    return statement.options(selectinload(WorkoutLog.sets), selectinload(WorkoutLog.comments))


def own_logs(user: User, first: date | None = None, last: date | None = None) -> Select:
    """The client's workout logs, newest first, sets included (for pagination)."""
    statement = between(own_rows(WorkoutLog, user), WorkoutLog.performed_on, first, last)
    return _with_sets(statement.order_by(WorkoutLog.performed_on.desc(), WorkoutLog.id.desc()))


def client_logs(trainer: User, client_id: int, first: date | None = None, last: date | None = None) -> Select:
    """A trainer's client's workout logs, newest first, sets included (for pagination)."""
    statement = between(trainer_rows(WorkoutLog, trainer, client_id), WorkoutLog.performed_on, first, last)
    return _with_sets(statement.order_by(WorkoutLog.performed_on.desc(), WorkoutLog.id.desc()))


def latest_own(user: User, limit: int) -> list[WorkoutLog]:
    """The client's most recent workouts, newest first, with their sets and the trainer's comments."""
    return list(db.session.execute(own_logs(user).limit(limit)).scalars())


def logged_on(user: User, day: date) -> list[WorkoutLog]:
    """The client's workouts dated `day`, oldest first, sets included."""
    statement = between(own_rows(WorkoutLog, user), WorkoutLog.performed_on, day, day)
    return list(db.session.execute(_with_sets(statement.order_by(WorkoutLog.id))).scalars())


def last_performance(user: User, exercise_ids: set[int], before: date) -> dict[int, tuple[date, list[WorkoutSet]]]:
    """For each exercise, the sets of the client's latest workout before `before` that included it.

    One query: the sets ranked per exercise by their workout's date (newest first), rank 1 kept.
    """
    if not exercise_ids:
        return {}
    client = own_client(user)
    rank = (
        func.dense_rank()
        .over(partition_by=WorkoutSet.exercise_id, order_by=(WorkoutLog.performed_on.desc(), WorkoutLog.id.desc()))
        .label("rank")
    )
    ranked = (
        select(WorkoutSet.id.label("set_id"), WorkoutLog.performed_on.label("performed_on"), rank)
        .join(WorkoutLog, WorkoutLog.id == WorkoutSet.workout_log_id)
        .where(
            WorkoutLog.client_id == client.id,
            WorkoutLog.performed_on < before,
            WorkoutSet.exercise_id.in_(exercise_ids),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(WorkoutSet, ranked.c.performed_on)
        .join(ranked, ranked.c.set_id == WorkoutSet.id)
        .where(ranked.c.rank == 1)
        .order_by(WorkoutSet.exercise_id, WorkoutSet.set_number)
    ).all()
    found: dict[int, tuple[date, list[WorkoutSet]]] = {}
    for workout_set, performed_on in rows:
        found.setdefault(workout_set.exercise_id, (performed_on, []))[1].append(workout_set)
    return found


def _one(statement: Select) -> WorkoutLog:
    log = db.session.execute(_with_sets(statement)).scalar_one_or_none()
    if log is None:
        raise NotFoundError("No such workout log.")
    return log


def get_own(user: User, log_id: int) -> WorkoutLog:
    """One of the client's own workout logs."""
    return _one(own_rows(WorkoutLog, user).where(WorkoutLog.id == log_id))


def get_for_trainer(trainer: User, client_id: int, log_id: int) -> WorkoutLog:
    """One workout log of one of the trainer's clients."""
    return _one(trainer_rows(WorkoutLog, trainer, client_id).where(WorkoutLog.id == log_id))


def _reload(log_id: int) -> WorkoutLog:
    # Commit expired the log; its sets relationship refuses lazy loads, so fetch it whole again.
    return _one(select(WorkoutLog).where(WorkoutLog.id == log_id))


def _check_exercises(client: Client, exercises: list[dict[str, Any]]) -> None:
    positions: dict[int, list[str]] = {}
    for index, entry in enumerate(exercises):
        positions.setdefault(entry["exercise_id"], []).append(f"exercises.{index}.exercise_id")
    unknown = unknown_exercise_ids(client.trainer_id, positions)
    if unknown:
        raise InvalidInputError(
            "Some exercises are not in your trainer's library.",
            errors={path: ["No such exercise."] for exercise_id in unknown for path in positions[exercise_id]},
        )


def _apply_sets(log: WorkoutLog, exercises: list[dict[str, Any]]) -> None:
    """Replace the log's sets and recompute sets done and total volume (sum of reps x weight)."""
    sets = []
    for order, entry in enumerate(exercises):
        for number, item in enumerate(entry["sets"], start=1):
            sets.append(
                WorkoutSet(
                    exercise_id=entry["exercise_id"],
                    exercise_order=order,
                    set_number=number,
                    reps=item.get("reps"),
                    weight_kg=item.get("weight_kg"),
                    rpe=item.get("rpe"),
                    duration_seconds=item.get("duration_seconds"),
                    distance_m=item.get("distance_m"),
                )
            )
    log.sets = sets
    log.sets_done = len(sets)
    log.total_volume_kg = round(sum((s.reps or 0) * (s.weight_kg or 0.0) for s in sets), 3)


def _link_error(field: str, message: str) -> InvalidInputError:
    return InvalidInputError("The plan link is invalid.", errors={field: [message]})


def _apply_link(client: Client, log: WorkoutLog, link: dict[str, Any]) -> None:
    """Link the log to a day of an assignment active on its date, or unlink it.

    Without indices the plan day scheduled on the log's date is used. Sets planned is the
    sum of that day's prescribed sets.
    """
    assignment_id = link.get("assignment_id")
    week_index, day_index = link.get("plan_week_index"), link.get("plan_day_index")
    if assignment_id is None:
        for field, value in (("plan_week_index", week_index), ("plan_day_index", day_index)):
            if value is not None:
                raise _link_error(field, "Needs an assignment_id.")
        log.assignment_id = log.plan_week_index = log.plan_day_index = log.sets_planned = None
        return
    assignment = db.session.execute(
        select(PlanAssignment).where(PlanAssignment.id == assignment_id, PlanAssignment.client_id == client.id)
    ).scalar_one_or_none()
    if assignment is None:
        raise _link_error("assignment_id", "No such plan assignment of yours.")
    if assignment.kind is not PlanKind.WORKOUT:
        raise _link_error("assignment_id", "Not a workout plan.")
    day = log.performed_on
    if assignment.start_date > day or (assignment.end_date is not None and assignment.end_date < day):
        raise _link_error("assignment_id", f"This plan is not active on {day.isoformat()}.")
    weeks = assignment.content.get("weeks", [])
    if week_index is None and day_index is None:
        position = workout_position_on(assignment.content, assignment.start_date, day)
        if position is None:
            raise _link_error("plan_day_index", "The plan schedules no day on this date; give the indices.")
        week_index, day_index = position
    elif week_index is None or day_index is None:
        missing = "plan_week_index" if week_index is None else "plan_day_index"
        raise _link_error(missing, "Give both plan_week_index and plan_day_index.")
    if week_index >= len(weeks):
        raise _link_error("plan_week_index", f"The plan has {len(weeks)} week(s).")
    days = weeks[week_index]["days"]
    if day_index >= len(days):
        raise _link_error("plan_day_index", f"Week {week_index} of the plan has {len(days)} day(s).")
    plan_day = days[day_index]
    if plan_day.get("rest"):
        raise _link_error("plan_day_index", "That plan day is a rest day.")
    log.assignment_id = assignment.id
    log.plan_week_index, log.plan_day_index = week_index, day_index
    log.sets_planned = sum(item["sets"] for item in plan_day.get("items", []))


def _announce(client: Client, log: WorkoutLog) -> None:
    planned = f" of {log.sets_planned}" if log.sets_planned is not None else ""
    record_activity(
        client,
        ActivityType.WORKOUT_LOGGED,
        f"{client.name} logged a workout: {log.sets_done}{planned} sets",
        {
            "workout_log_id": log.id,
            "performed_on": log.performed_on.isoformat(),
            "sets_done": log.sets_done,
            "sets_planned": log.sets_planned,
            "total_volume_kg": log.total_volume_kg,
        },
        workout_log_id=log.id,
    )


def create(user: User, data: dict[str, Any]) -> WorkoutLog:
    """Log a workout (quantities already in SI); feeds the trainer's feed, records and streaks."""
    client = own_client(user)
    check_log_date(client, data["performed_on"], "performed_on")
    exercises = data.get("exercises", [])
    _check_exercises(client, exercises)
    log = WorkoutLog(client_id=client.id, **{field: data[field] for field in SIMPLE_FIELDS if field in data})
    log.notes = data.get("notes", "")
    _apply_link(client, log, data)
    _apply_sets(log, exercises)
    db.session.add(log)
    db.session.flush()
    record_new_bests(client, log)
    _announce(client, log)
    note_client_log(client)
    db.session.commit()
    return _reload(log.id)


def update(user: User, log_id: int, changes: dict[str, Any]) -> WorkoutLog:
    """Change a workout log; the plan link is checked again when the date or link changes."""
    log = get_own(user, log_id)
    client = own_client(user)
    if "performed_on" in changes:
        check_log_date(client, changes["performed_on"], "performed_on")
    for field in SIMPLE_FIELDS:
        if field in changes:
            setattr(log, field, changes[field])
    if "assignment_id" in changes:
        _apply_link(client, log, changes)
    elif any(field in changes for field in LINK_FIELDS[1:]):
        current = {field: getattr(log, field) for field in LINK_FIELDS}
        _apply_link(client, log, {**current, **{f: changes[f] for f in LINK_FIELDS if f in changes}})
    elif "performed_on" in changes and log.assignment_id is not None:
        # Moving a linked workout to another date: the plan must still be active then.
        _apply_link(client, log, {field: getattr(log, field) for field in LINK_FIELDS})
    if "exercises" in changes:
        _check_exercises(client, changes["exercises"])
        _apply_sets(log, changes["exercises"])
        db.session.flush()
        record_new_bests(client, log)
    note_client_log(client)
    db.session.commit()
    return _reload(log.id)


def delete(user: User, log_id: int) -> None:
    """Remove one of the client's workout logs and its sets."""
    db.session.delete(get_own(user, log_id))
    db.session.commit()

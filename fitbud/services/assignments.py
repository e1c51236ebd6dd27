"""Plan assignments: immutable snapshots of a template given to a client, and what applies today.

A client has at most one workout and one diet assignment on any day: assigning a new plan of a
kind ends every assignment of that kind still running on the new start date (the day before it),
in the same transaction. Assignments are never edited, only ended.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager

from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import Client, Exercise, PlanAssignment, PlanKind, PlanTemplate, User, utcnow
from fitbud.services.client_scope import own_client, trainer_client
from fitbud.services.dietary import AllergenConflict, allergen_conflicts, needs_of
from fitbud.services.exercises import visible_to
from fitbud.services.local_time import local_today
from fitbud.services.plan_content import (
    diet_day_on,
    diet_targets_on,
    diet_totals,
    exercise_ids,
    workout_position_on,
)

# How far from today a start date may be: plans are set up weeks ahead, not years.
MAX_START_DISTANCE = timedelta(days=366)


def _with_client(statement: Select) -> Select:
    return statement.join(PlanAssignment.client).options(contains_eager(PlanAssignment.client))


def _allergen_refusal(conflicts: list[AllergenConflict]) -> ConflictError:
    foods = "; ".join(conflict.describe() for conflict in conflicts)
    return ConflictError(
        f"This diet has foods with the client's allergens: {foods}. Change them, or send "
        f"acknowledge_allergens: true to assign it anyway.",
        errors={"acknowledge_allergens": [conflict.describe() for conflict in conflicts]},
    )


def client_allergen_conflicts(trainer: User, client_id: Any, content: dict[str, Any]) -> list[AllergenConflict]:
    """The items of a diet (being edited) that carry the trainer's client's allergens, also by their names."""
    client = trainer_client(trainer, client_id, private=True)
    return allergen_conflicts(trainer.id, content, needs_of(client), by_name=True)


def assign_plan(
    trainer: User, client_id: int, plan_id: int, start_date: date, *, acknowledge_allergens: bool = False
) -> PlanAssignment:
    """Give a client a snapshot of one of the trainer's templates, ending the one it replaces.

    A diet holding foods with one of the client's allergens is refused (409, naming them) unless
    the trainer acknowledges them; the assignment then records when and which.
    """
    # Locking the client serialises concurrent assignments, so the one-active rule holds; the
    # private fields hold the allergies a diet is checked against.
    client = trainer_client(trainer, client_id, for_update=True, private=True)
    if client.archived_at is not None:
        raise ConflictError("This client is archived; restore them first.", errors={"client": ["archived"]})
    plan = db.session.execute(
        select(PlanTemplate).where(PlanTemplate.id == plan_id, PlanTemplate.trainer_id == trainer.id)
    ).scalar_one_or_none()
    if plan is None:
        raise InvalidInputError("No such plan.", errors={"plan_id": ["not one of your plans"]})
    if plan.archived_at is not None:
        raise ConflictError("This plan is archived; restore it to assign it.", errors={"plan_id": ["archived"]})
    today = local_today(client)
    if abs(start_date - today) > MAX_START_DISTANCE:
        raise InvalidInputError(
            "The start date must be within a year of today.", errors={"start_date": ["more than a year away"]}
        )

    conflicts: list[AllergenConflict] = []
    if plan.kind is PlanKind.DIET:
        conflicts = [c for c in allergen_conflicts(trainer.id, plan.content, needs_of(client)) if c.certain]
        if conflicts and not acknowledge_allergens:
            raise _allergen_refusal(conflicts)

    running = db.session.execute(
        select(PlanAssignment).where(
            PlanAssignment.client_id == client.id,
            PlanAssignment.kind == plan.kind,
            or_(PlanAssignment.end_date.is_(None), PlanAssignment.end_date >= start_date),
        )
    ).scalars()
    for previous in running:
        # Ends the day before the new plan starts; one that had not started yet is cancelled.
        previous.end_date = start_date - timedelta(days=1)

    assignment = PlanAssignment(
        client_id=client.id,
        trainer_id=trainer.id,
        plan_id=plan.id,
        kind=plan.kind,
        name=plan.name,
        plan_version=plan.version,
        content=copy.deepcopy(plan.content),
        start_date=start_date,
        end_date=None,
    )
    if conflicts:
        assignment.allergens_acknowledged_at = utcnow()
        assignment.acknowledged_allergens = [
            {"food": conflict.food, "allergens": list(conflict.allergens)} for conflict in conflicts
        ]
    db.session.add(assignment)
    db.session.commit()
    return get_assignment(trainer, client.id, assignment.id)


def list_assignments(trainer: User, client_id: int, kind: PlanKind | None = None) -> Select:
    """A client's assignment history, newest start first, for the caller to paginate."""
    client = trainer_client(trainer, client_id)
    statement = _with_client(select(PlanAssignment)).where(PlanAssignment.client_id == client.id)
    if kind is not None:
        statement = statement.where(PlanAssignment.kind == kind)
    return statement.order_by(PlanAssignment.start_date.desc(), PlanAssignment.id.desc())


def assignment_history(trainer: User, client_id: int) -> list[PlanAssignment]:
    """A client's assignments as rows, newest start first (list_assignments' scope and order)."""
    return list(db.session.execute(list_assignments(trainer, client_id)).scalars())


def get_assignment(trainer: User, client_id: int, assignment_id: int, *, for_update: bool = False) -> PlanAssignment:
    """One assignment of one of the trainer's clients, or 404."""
    statement = _with_client(select(PlanAssignment)).where(
        PlanAssignment.id == assignment_id,
        PlanAssignment.client_id == client_id,
        Client.trainer_id == trainer.id,
    )
    if for_update:
        statement = statement.with_for_update(of=PlanAssignment)
    assignment = db.session.execute(statement).scalar_one_or_none()
    if assignment is None:
        raise NotFoundError("No such assignment.")
    return assignment


def end_assignment(trainer: User, client_id: int, assignment_id: int, end_date: date | None = None) -> PlanAssignment:
    """Stop an assignment after `end_date` (default: today for the client); 409 if already over by then."""
    assignment = get_assignment(trainer, client_id, assignment_id, for_update=True)
    last_day = end_date or local_today(assignment.client)
    if assignment.end_date is not None and assignment.end_date <= last_day:
        raise ConflictError(
            f"This assignment already ends on {assignment.end_date.isoformat()}.",
            errors={"end_date": ["already ended"]},
        )
    # Ending before it started cancels it: the day before its start marks it as never run.
    assignment.end_date = max(last_day, assignment.start_date - timedelta(days=1))
    db.session.commit()
    return get_assignment(trainer, client_id, assignment_id)


@dataclass
class ClientPlan:
    """What a client follows today, what comes next, and the exercises those plans use."""

    workout: PlanAssignment | None
    diet: PlanAssignment | None
    upcoming: list[PlanAssignment] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)


def _exercises_for(trainer_id: int, assignments: list[PlanAssignment]) -> dict[int, Exercise]:
    """The exercises the workout snapshots use, in one query (those since deleted are left out)."""
    wanted: set[int] = set()
    for assignment in assignments:
        if assignment.kind is PlanKind.WORKOUT:
            wanted |= exercise_ids(assignment.content)
    if not wanted:
        return {}
    found = db.session.execute(select(Exercise).where(Exercise.id.in_(wanted), visible_to(trainer_id))).scalars()
    return {exercise.id: exercise for exercise in found}


def _current_and_upcoming(client: Client, today: date) -> tuple[dict[PlanKind, PlanAssignment], list[PlanAssignment]]:
    rows = db.session.execute(
        _with_client(select(PlanAssignment))
        .where(
            PlanAssignment.client_id == client.id,
            or_(PlanAssignment.end_date.is_(None), PlanAssignment.end_date >= today),
        )
        .order_by(PlanAssignment.start_date.asc(), PlanAssignment.id.asc())
    ).scalars()
    current: dict[PlanKind, PlanAssignment] = {}
    upcoming: list[PlanAssignment] = []
    for assignment in rows:
        if assignment.end_date is not None and assignment.end_date < assignment.start_date:
            continue  # cancelled before it started
        if assignment.start_date <= today:
            current[assignment.kind] = assignment
        else:
            upcoming.append(assignment)
    return current, upcoming


def my_plan(user: User) -> ClientPlan:
    """A client's active workout and diet assignments, the scheduled ones, and their exercises."""
    client = own_client(user, with_trainer=True)
    current, upcoming = _current_and_upcoming(client, local_today(client))
    exercises = _exercises_for(client.trainer_id, [*current.values(), *upcoming])
    return ClientPlan(
        workout=current.get(PlanKind.WORKOUT),
        diet=current.get(PlanKind.DIET),
        upcoming=upcoming,
        exercises=sorted(exercises.values(), key=lambda exercise: exercise.id),
    )


def exercise_brief(exercise: Exercise) -> dict[str, Any]:
    """What a client needs to know about an exercise in their plan."""
    return {
        "id": exercise.id,
        "name": exercise.name,
        "category": exercise.category,
        "equipment": exercise.equipment,
        "primary_muscles": list(exercise.primary_muscles or []),
        "secondary_muscles": list(exercise.secondary_muscles or []),
        "level": exercise.level,
        "instructions": exercise.instructions,
    }


def _workout_today(assignment: PlanAssignment, today: date, exercises: dict[int, Exercise]) -> dict[str, Any]:
    position = workout_position_on(assignment.content, assignment.start_date, today)
    result: dict[str, Any] = {
        "assignment_id": assignment.id,
        "plan_name": assignment.name,
        "week_index": None,
        "day_index": None,
        "day_name": None,
        "rest": True,
        "items": [],
    }
    if position is None:
        result["message"] = "Rest day: nothing is scheduled today."
        return result
    week_index, day_index = position
    day = assignment.content["weeks"][week_index]["days"][day_index]
    result.update(week_index=week_index, day_index=day_index, day_name=day["name"], rest=bool(day.get("rest")))
    if result["rest"]:
        result["message"] = "Rest day."
        return result
    result["message"] = None
    result["items"] = [
        {
            **item,
            "exercise": exercise_brief(exercises[item["exercise_id"]]) if item["exercise_id"] in exercises else None,
        }
        for item in day["items"]
    ]
    return result


def _diet_today(assignment: PlanAssignment, today: date) -> dict[str, Any]:
    content = assignment.content
    day = diet_day_on(content, assignment.start_date, today)
    assert day is not None  # the assignment is active today and a diet has days
    index = (today - assignment.start_date).days % len(content["days"])
    day_totals = diet_totals(content)[index]
    return {
        "assignment_id": assignment.id,
        "plan_name": assignment.name,
        "day_index": index,
        "day_name": day["name"],
        "meals": [{**meal, "totals": totals} for meal, totals in zip(day["meals"], day_totals["meals"], strict=True)],
        "totals": day_totals["totals"],
        "targets": diet_targets_on(content, assignment.start_date, today),
    }


def today_for(user: User) -> dict[str, Any]:
    """A client's day: today's workout (or rest) and today's meals, counted in their timezone."""
    client = own_client(user, with_trainer=True)
    today = local_today(client)
    current, _upcoming = _current_and_upcoming(client, today)
    workout = current.get(PlanKind.WORKOUT)
    diet = current.get(PlanKind.DIET)
    exercises = _exercises_for(client.trainer_id, [workout] if workout else [])
    return {
        "date": today,
        "timezone": client.timezone,
        "workout": _workout_today(workout, today, exercises) if workout else None,
        "diet": _diet_today(diet, today) if diet else None,
    }

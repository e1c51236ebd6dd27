"""Meal logs (itemised or a quick entry) and a day's intake against the active diet's targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select

from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import ActivityType, Client, MealLog, PlanAssignment, PlanKind, User
from fitbud.services.activity import record_activity
from fitbud.services.client_scope import check_log_date, own_client
from fitbud.services.dietary import allergen_conflicts, needs_of
from fitbud.services.foods import foods_by_id
from fitbud.services.local_time import local_today
from fitbud.services.log_queries import between, own_rows, trainer_rows
from fitbud.services.plan_content import diet_targets_on, item_values
from fitbud.services.streaks import note_client_log

MACRO_COLUMNS = ("kcal", "protein_g", "carbs_g", "fat_g")
# Diet plan content names macros without the unit suffix.
PLAN_MACROS = {"kcal": "kcal", "protein_g": "protein", "carbs_g": "carbs", "fat_g": "fat"}


def own_logs(user: User, first: date | None = None, last: date | None = None) -> Select:
    """The client's meal logs, newest first (for pagination)."""
    statement = between(own_rows(MealLog, user), MealLog.eaten_on, first, last)
    return statement.order_by(MealLog.eaten_on.desc(), MealLog.id.desc())


def client_logs(trainer: User, client_id: int, first: date | None = None, last: date | None = None) -> Select:
    """A trainer's client's meal logs, newest first (for pagination)."""
    statement = between(trainer_rows(MealLog, trainer, client_id), MealLog.eaten_on, first, last)
    return statement.order_by(MealLog.eaten_on.desc(), MealLog.id.desc())


def _one(statement: Select) -> MealLog:
    log = db.session.execute(statement).scalar_one_or_none()
    if log is None:
        raise NotFoundError("No such meal log.")
    return log


def get_own(user: User, log_id: int) -> MealLog:
    """One of the client's own meal logs."""
    return _one(own_rows(MealLog, user).where(MealLog.id == log_id))


def get_for_trainer(trainer: User, client_id: int, log_id: int) -> MealLog:
    """One meal log of one of the trainer's clients."""
    return _one(trainer_rows(MealLog, trainer, client_id).where(MealLog.id == log_id))


def _from_table(client: Client, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items naming a food of the table (of the trainer's world) take its name and values; unknown foods: 422."""
    foods = foods_by_id(client.trainer_id, [item["food_id"] for item in items if "food_id" in item])
    filled, errors = [], {}
    for index, item in enumerate(items):
        item = dict(item)
        if "food_id" in item:
            food = foods.get(item["food_id"])
            if food is None:
                errors[f"items.{index}.food_id"] = ["No such food in the food table."]
                continue
            values = item_values(food, item["quantity"], item["unit"])
            item.update(
                food=food.name,
                kcal=values["kcal"],
                protein_g=values["protein"],
                carbs_g=values["carbs"],
                fat_g=values["fat"],
            )
        filled.append(item)
    if errors:
        raise InvalidInputError("The meal names foods not in the food table.", errors=errors)
    return filled


def _allergen_flags(client: Client, items: list[dict[str, Any]]) -> list[str]:
    """The logged foods of the table that carry the client's allergens: "Peanut butter, smooth (peanuts)"."""
    content = {"days": [{"meals": [{"items": items}]}]}
    return [c.describe() for c in allergen_conflicts(client.trainer_id, content, needs_of(client)) if c.certain]


def _apply_content(log: MealLog, data: dict[str, Any]) -> None:
    """Items replace a quick entry and vice versa; totals are always the sum of the items."""
    has_quick = any(column in data for column in MACRO_COLUMNS)
    if "items" in data and has_quick:
        raise InvalidInputError(
            "Give items or a quick entry, not both.",
            errors={"items": ["Not allowed together with kcal/protein_g/carbs_g/fat_g."]},
        )
    if "items" in data:
        log.items = [dict(item) for item in data["items"]]
        for column in MACRO_COLUMNS:
            setattr(log, column, round(sum(item[column] for item in data["items"]), 2))
    elif has_quick:
        replaces_items = bool(log.items)
        if replaces_items and "kcal" not in data:
            raise InvalidInputError(
                "Replacing items with a quick entry needs kcal.", errors={"kcal": ["Missing data for required field."]}
            )
        log.items = []
        for column in MACRO_COLUMNS:
            if column in data:
                setattr(log, column, data[column])
            elif replaces_items or getattr(log, column) is None:
                setattr(log, column, 0.0)


def create(user: User, data: dict[str, Any]) -> MealLog:
    """Log a meal; either `items` or a quick entry with at least kcal.

    A food carrying one of the client's allergens is logged all the same (it is their log), and
    the trainer's feed flags it: the event's summary starts with a warning and its payload lists
    the foods (`allergen_foods`).
    """
    # The private fields hold the allergies the meal is checked against.
    client = own_client(user, private=True)
    check_log_date(client, data["eaten_on"], "eaten_on")
    if not data.get("items") and "kcal" not in data:
        raise InvalidInputError(
            "A meal needs items or a quick entry.", errors={"kcal": ["Give kcal, or a list of items."]}
        )
    if "items" in data:
        data = {**data, "items": _from_table(client, data["items"])}
    log = MealLog(client_id=client.id, eaten_on=data["eaten_on"], meal_name=data["meal_name"])
    log.notes = data.get("notes", "")
    _apply_content(log, data)
    db.session.add(log)
    db.session.flush()
    flagged = _allergen_flags(client, log.items)
    summary = f"{client.name} logged {log.meal_name} ({round(log.kcal)} kcal)"
    payload: dict[str, Any] = {"meal_log_id": log.id, "eaten_on": log.eaten_on.isoformat(), "kcal": log.kcal}
    if flagged:
        summary = f"⚠ Allergen: {summary} with {'; '.join(flagged)}"
        payload["allergen_foods"] = flagged
    record_activity(client, ActivityType.MEAL_LOGGED, summary, payload)
    note_client_log(client)
    db.session.commit()
    return log


def update(user: User, log_id: int, changes: dict[str, Any]) -> MealLog:
    """Change a meal log; new items with foods carrying the client's allergens are flagged in the feed."""
    log = get_own(user, log_id)
    client = own_client(user, private=True)
    flagged_before = set(_allergen_flags(client, log.items))
    if "items" in changes:
        changes = {**changes, "items": _from_table(client, changes["items"])}
    if "eaten_on" in changes:
        check_log_date(client, changes["eaten_on"], "eaten_on")
        log.eaten_on = changes["eaten_on"]
    for field in ("meal_name", "notes"):
        if field in changes:
            setattr(log, field, changes[field])
    if "items" in changes and not changes["items"] and "kcal" not in changes:
        raise InvalidInputError("A meal needs items or a quick entry.", errors={"items": ["Must not be empty."]})
    _apply_content(log, changes)
    added = [food for food in _allergen_flags(client, log.items) if food not in flagged_before]
    if added:
        # Only what this edit brought in: the feed flagged the rest when it was logged.
        record_activity(
            client,
            ActivityType.MEAL_LOGGED,
            f"⚠ Allergen: {client.name} changed {log.meal_name} to include {'; '.join(added)}",
            {"meal_log_id": log.id, "eaten_on": log.eaten_on.isoformat(), "kcal": log.kcal, "allergen_foods": added},
        )
    note_client_log(client)
    db.session.commit()
    return log


def delete(user: User, log_id: int) -> None:
    """Remove one of the client's meal logs."""
    db.session.delete(get_own(user, log_id))
    db.session.commit()


def active_assignment(client_id: int, kind: PlanKind, day: date) -> PlanAssignment | None:
    """The client's assignment of `kind` active on `day` (the latest started, if several)."""
    return db.session.execute(
        select(PlanAssignment)
        .where(
            PlanAssignment.client_id == client_id,
            PlanAssignment.kind == kind,
            PlanAssignment.start_date <= day,
            or_(PlanAssignment.end_date.is_(None), PlanAssignment.end_date >= day),
        )
        .order_by(PlanAssignment.start_date.desc(), PlanAssignment.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def plan_targets(assignment: PlanAssignment | None, day: date) -> dict[str, float] | None:
    """A diet assignment's targets on `day` with the meal log's macro names (kcal, protein_g...)."""
    if assignment is None:
        return None
    targets = diet_targets_on(assignment.content, assignment.start_date, day)
    if targets is None:
        return None
    return {column: targets[key] for column, key in PLAN_MACROS.items() if key in targets}


@dataclass(frozen=True)
class NutritionDay:
    """What a client ate on a day against what their diet aims for."""

    date: date
    totals: dict[str, float]
    targets: dict[str, float] | None
    remaining: dict[str, float] | None
    diet_assignment_id: int | None
    meals: list[MealLog]


def nutrition_day(client: Client, day: date | None) -> NutritionDay:
    """The day's meals, their totals, and the active diet's targets (None without a diet)."""
    day = day or local_today(client)
    meals = list(
        db.session.execute(
            select(MealLog).where(MealLog.client_id == client.id, MealLog.eaten_on == day).order_by(MealLog.id)
        ).scalars()
    )
    totals = {column: round(sum(getattr(meal, column) for meal in meals), 1) for column in MACRO_COLUMNS}
    assignment = active_assignment(client.id, PlanKind.DIET, day)
    targets = plan_targets(assignment, day)
    remaining = None if targets is None else {k: round(v - totals[k], 1) for k, v in targets.items()}
    return NutritionDay(day, totals, targets, remaining, assignment.id if assignment else None, meals)

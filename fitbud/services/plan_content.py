"""The structure of plan content (workout and diet JSON), its validation, and calendar rules.

Workout content: {"weeks": [{"name"?, "days": [{"name", "rest", "items": [item...]}]}]}
  item: exercise_id, sets, and a target: reps (8, "8-12" or "AMRAP": as many as possible),
  duration_seconds or distance_m (at least one of the three), load? {"type": kg |
  percent_1rm | rpe, "value"}, rest_seconds?, tempo?, notes?, group? (same label = superset).
  A week holds 1-7 days; day k of week w falls on start_date + 7*w + k, dates no day covers
  are rest days, and the plan repeats after its last week.
Diet content: {"days": [{"name", "meals": [{"name", "time": "HH:MM", "items": [
  {"food", "quantity", "unit", "kcal", "protein", "carbs", "fat"}]}]}], "targets"?: {...}}
  An item may name a food of the table instead: {"food_id", "quantity", "unit": "g" | "oz" | "serving"};
  then its name, energy and macros come from the table (per 100 g, scaled to the quantity: a
  serving is the food's typical serving) and are recomputed on every save, whatever was sent.
  Diet day k applies to dates start_date + k (mod the number of days).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.errors import InvalidInputError, field_errors
from fitbud.models.plan import PlanKind
from fitbud.services.exercises import unknown_exercise_ids
from fitbud.services.foods import food_grams, foods_by_id, foods_named, macros_for

REPS_RANGE = re.compile(r"^\s*(\d{1,3})\s*-\s*(\d{1,3})\s*$")
# As many reps as possible: the client logs how many they did.
AMRAP = "AMRAP"
REPS_MESSAGE = 'Must be a whole number, a range like "8-12", or AMRAP.'
MACROS = ("kcal", "protein", "carbs", "fat")
# Units of an item that names a food of the table: grams, ounces, or the food's typical servings.
FOOD_UNITS = ("g", "oz", "serving")


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class RepsField(fields.Field):
    """A rep count (1-1000), a range "8-12" whose low end is not above its high end, or "AMRAP"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ma.ValidationError(REPS_MESSAGE)
        if isinstance(value, int):
            if not 1 <= value <= 1000:
                raise ma.ValidationError("Must be between 1 and 1000.")
            return value
        if isinstance(value, str):
            if value.strip().upper() == AMRAP:
                return AMRAP
            match = REPS_RANGE.match(value)
            if match:
                low, high = int(match.group(1)), int(match.group(2))
                if 1 <= low <= high <= 1000:
                    return f"{low}-{high}"
        raise ma.ValidationError(REPS_MESSAGE)

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class LoadSchema(_Strict):
    type = fields.String(required=True, validate=validate.OneOf(["kg", "percent_1rm", "rpe"]))
    value = fields.Float(required=True, validate=validate.Range(min=0, max=1000))

    @ma.validates_schema
    def _value_fits_type(self, data, **_kwargs):
        limits = {"kg": 1000, "percent_1rm": 100, "rpe": 10}
        if data["value"] > limits[data["type"]]:
            raise ma.ValidationError(f"Must be at most {limits[data['type']]}.", "value")


class WorkoutItemSchema(_Strict):
    exercise_id = fields.Integer(required=True, strict=True)
    sets = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=20))
    reps = RepsField()
    duration_seconds = fields.Integer(strict=True, validate=validate.Range(min=1, max=4 * 3600))
    distance_m = fields.Float(validate=validate.Range(min=1, max=100_000), metadata={"description": "metres"})
    load = fields.Nested(LoadSchema)  # type: ignore[assignment]  # the API's field name; marshmallow keeps it apart
    rest_seconds = fields.Integer(strict=True, validate=validate.Range(min=0, max=900))
    tempo = fields.String(validate=validate.Regexp(r"^[0-9X]-[0-9X]-[0-9X]-[0-9X]$"))
    notes = fields.String(validate=validate.Length(max=500))
    group = fields.String(validate=validate.Regexp(r"^[A-Z][0-9]?$"))

    @ma.validates_schema
    def _reps_or_duration(self, data, **_kwargs):
        if not {"reps", "duration_seconds", "distance_m"} & set(data):
            raise ma.ValidationError("Give reps, duration_seconds or distance_m.", "reps")


class WorkoutDaySchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    rest = fields.Boolean(load_default=False)
    items = fields.List(fields.Nested(WorkoutItemSchema), load_default=list)

    @ma.validates_schema
    def _rest_days_are_empty(self, data, **_kwargs):
        if data.get("rest") and data.get("items"):
            raise ma.ValidationError("A rest day has no exercises.", "items")
        if not data.get("rest") and not data.get("items"):
            raise ma.ValidationError("A training day needs at least one exercise.", "items")


class WorkoutWeekSchema(_Strict):
    name = fields.String(validate=validate.Length(max=80))
    days = fields.List(fields.Nested(WorkoutDaySchema), required=True, validate=validate.Length(min=1, max=7))


class WorkoutContentSchema(_Strict):
    weeks = fields.List(fields.Nested(WorkoutWeekSchema), required=True, validate=validate.Length(min=1, max=52))


class DietItemSchema(_Strict):
    food_id = fields.Integer(
        strict=True, metadata={"description": "a food of the table: name, energy and macros then come from it"}
    )
    food = fields.String(validate=validate.Length(min=1, max=120))
    quantity = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False, max=10000))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=20))
    kcal = fields.Float(validate=validate.Range(min=0, max=10000))
    protein = fields.Float(validate=validate.Range(min=0, max=1000))
    carbs = fields.Float(validate=validate.Range(min=0, max=1000))
    fat = fields.Float(validate=validate.Range(min=0, max=1000))

    @ma.validates_schema
    def _food_or_values(self, data, **_kwargs):
        if "food_id" in data:
            if data.get("unit") not in FOOD_UNITS:
                raise ma.ValidationError("With a food_id the unit is g, oz or serving.", "unit")
            return
        # Without a food of the table, the item states its own name and values.
        missing = [name for name in ("food", *MACROS) if name not in data]
        if missing:
            raise ma.ValidationError({name: ["Missing data for required field."] for name in missing})


class MealSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    time = fields.String(required=True, validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$"))
    items = fields.List(fields.Nested(DietItemSchema), required=True, validate=validate.Length(min=1, max=50))


class DietDaySchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    meals = fields.List(fields.Nested(MealSchema), required=True, validate=validate.Length(min=1, max=12))


class MacroTargetsSchema(_Strict):
    kcal = fields.Float(required=True, validate=validate.Range(min=500, max=10000))
    protein = fields.Float(validate=validate.Range(min=0, max=1000))
    carbs = fields.Float(validate=validate.Range(min=0, max=2000))
    fat = fields.Float(validate=validate.Range(min=0, max=1000))


class DietContentSchema(_Strict):
    days = fields.List(fields.Nested(DietDaySchema), required=True, validate=validate.Length(min=1, max=31))
    targets = fields.Nested(MacroTargetsSchema)


CONTENT_SCHEMAS: dict[PlanKind, type[ma.Schema]] = {
    PlanKind.WORKOUT: WorkoutContentSchema,
    PlanKind.DIET: DietContentSchema,
}


def validate_content(kind: PlanKind, content: Any, trainer_id: int, field: str = "content") -> dict[str, Any]:
    """Validated, normalised content for a plan of `kind`, or a 422 naming each bad field's path."""
    if not isinstance(content, dict):
        raise InvalidInputError("Plan content must be an object.", errors={field: ["Must be an object."]})
    try:
        cleaned = CONTENT_SCHEMAS[kind]().load(content)
    except ma.ValidationError as error:
        raise InvalidInputError("Plan content is invalid.", errors=field_errors(error.messages, field)) from None
    if kind is PlanKind.WORKOUT:
        _check_exercises(cleaned, trainer_id, field)
    else:
        _fill_from_foods(cleaned, trainer_id, field)
    return cleaned


def diet_items(content: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every item of a diet content with its path ("days.0.meals.1.items.2"); half-built parts are skipped."""
    found = []
    for d, day in enumerate(content.get("days") or []):
        for m, meal in enumerate(day.get("meals") or [] if isinstance(day, dict) else []):
            for i, item in enumerate(meal.get("items") or [] if isinstance(meal, dict) else []):
                if isinstance(item, dict):
                    found.append((f"days.{d}.meals.{m}.items.{i}", item))
    return found


def diet_food_ids(content: dict[str, Any]) -> set[int]:
    """Every food of the table a diet content names."""
    return {item["food_id"] for _, item in diet_items(content) if isinstance(item.get("food_id"), int)}


def item_values(food: Any, quantity: float, unit: str) -> dict[str, float]:
    """An item's energy and macros for `quantity` `unit` (g, oz or serving) of a food of the table."""
    values = macros_for(food, food_grams(food, quantity, unit))
    return {"kcal": values["kcal"], "protein": values["protein_g"], "carbs": values["carbs_g"], "fat": values["fat_g"]}


def link_foods_by_name(content: dict[str, Any], trainer_id: int) -> dict[str, Any]:
    """Items named exactly like a food of the table, in g, oz or servings, refer to it (food_id); others do not.

    The diet editor's items are typed by name: one that matches the table becomes a reference
    whose values the table gives; renaming it (or a unit like "cup") makes it a free item again.
    """
    items = diet_items(content)
    foods = foods_named(trainer_id, [item["food"] for _, item in items if isinstance(item.get("food"), str)])
    for _, item in items:
        name = item.get("food")
        food = foods.get(name.strip().lower()) if isinstance(name, str) else None
        if food is not None and item.get("unit") in FOOD_UNITS:
            item["food_id"] = food.id
        else:
            item.pop("food_id", None)
    return content


def _fill_from_foods(content: dict[str, Any], trainer_id: int, field: str) -> None:
    """Name, energy and macros of the items that name a food, from the table; unknown foods: 422."""
    foods = foods_by_id(trainer_id, diet_food_ids(content))
    errors: dict[str, list[str]] = {}
    for path, item in diet_items(content):
        if "food_id" not in item:
            continue
        food = foods.get(item["food_id"])
        if food is None:
            errors[f"{field}.{path}.food_id"] = ["No such food in your food table."]
            continue
        item["food"] = food.name
        item.update(item_values(food, item["quantity"], item["unit"]))
    if errors:
        raise InvalidInputError("Plan content names foods not in your food table.", errors=errors)


def _check_exercises(content: dict[str, Any], trainer_id: int, field: str) -> None:
    positions: dict[int, list[str]] = {}
    for w, week in enumerate(content["weeks"]):
        for d, day in enumerate(week["days"]):
            for i, item in enumerate(day["items"]):
                positions.setdefault(item["exercise_id"], []).append(
                    f"{field}.weeks.{w}.days.{d}.items.{i}.exercise_id"
                )
    unknown = unknown_exercise_ids(trainer_id, positions)
    if unknown:
        errors = {
            path: ["No such exercise in your library."]
            for exercise_id in sorted(unknown)
            for path in positions[exercise_id]
        }
        raise InvalidInputError("Plan content names exercises not in your library.", errors=errors)


def exercise_ids(content: dict[str, Any]) -> set[int]:
    """Every exercise a workout content uses (rest days may omit their empty item list)."""
    return {
        item["exercise_id"]
        for week in content.get("weeks", [])
        for day in week.get("days", [])
        for item in day.get("items", [])
    }


def _sum_macros(items: list[dict[str, Any]]) -> dict[str, float]:
    return {macro: round(sum(item[macro] for item in items), 1) for macro in MACROS}


def diet_totals(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Per day: the day's totals and each meal's totals, in order."""
    days = []
    for day in content.get("days", []):
        meals = [_sum_macros(meal["items"]) for meal in day["meals"]]
        day_total = {macro: round(sum(meal[macro] for meal in meals), 1) for macro in MACROS}
        days.append({"name": day["name"], "totals": day_total, "meals": meals})
    return days


def diet_targets_on(content: dict[str, Any], start_date: date, on_date: date) -> dict[str, float] | None:
    """The intake a diet aims for on `on_date`: its explicit targets, else that day's totals."""
    if on_date < start_date or not content.get("days"):
        return None
    if content.get("targets"):
        return dict(content["targets"])
    index = (on_date - start_date).days % len(content["days"])
    return diet_totals(content)[index]["totals"]


def diet_day_on(content: dict[str, Any], start_date: date, on_date: date) -> dict[str, Any] | None:
    """The diet day that applies on `on_date` (None before the start)."""
    if on_date < start_date or not content.get("days"):
        return None
    return content["days"][(on_date - start_date).days % len(content["days"])]


def workout_position_on(content: dict[str, Any], start_date: date, on_date: date) -> tuple[int, int] | None:
    """(week index, day index) of the workout day on `on_date`, or None for an uncovered date."""
    if on_date < start_date or not content.get("weeks"):
        return None
    offset = (on_date - start_date).days
    week_index = (offset // 7) % len(content["weeks"])
    day_index = offset % 7
    if day_index >= len(content["weeks"][week_index]["days"]):
        return None
    return week_index, day_index


def workout_day_on(content: dict[str, Any], start_date: date, on_date: date) -> dict[str, Any] | None:
    """The workout day on `on_date`; None (or a day with rest=True) means rest."""
    position = workout_position_on(content, start_date, on_date)
    if position is None:
        return None
    week_index, day_index = position
    return content["weeks"][week_index]["days"][day_index]

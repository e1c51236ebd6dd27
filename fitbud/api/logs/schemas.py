"""Shapes of logs in and out: quantities travel in the caller's unit system and are stored in SI."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import NonBlank, StrictSchema, Timestamp
from fitbud.api.unit_fields import current_caller
from fitbud.services.measures import (
    BODY_FAT,
    BODY_METRICS,
    BODY_WEIGHT,
    CHECK_IN_MEASUREMENTS,
    CIRCUMFERENCES,
    LIFTED_WEIGHT,
    MAX_REPS,
    MAX_SET_SECONDS,
    SET_DISTANCE,
    Measure,
)
from fitbud.services.plan_content import FOOD_UNITS
from fitbud.services.units import from_si, to_si, unit_label


def caller_unit_system() -> str:
    """The unit system of the user making the request ("metric" outside an authenticated request)."""
    user = current_caller()
    return "metric" if user is None else user.unit_system


def shown(kind: str, si_value: float | None) -> float | None:
    """An SI quantity in the caller's units, rounded for display."""
    if si_value is None:
        return None
    return round(from_si(kind, si_value, caller_unit_system()), 2)


class Quantity(fields.Float):
    """A mass, length or distance: the caller's units on the wire, SI in Python and the database.

    With a `measure`, values outside its plausible range are a 422 phrased in the caller's units.
    """

    def __init__(self, kind: str, measure: Measure | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.measure = measure

    def _serialize(self, value, attr, obj, **kwargs):
        return shown(self.kind, value)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        unit_system = caller_unit_system()
        si_value = to_si(self.kind, number, unit_system)
        if self.measure is not None:
            problem = self.measure.problem(si_value, unit_system)
            if problem:
                raise ma.ValidationError(problem)
        return si_value


class DateRangeArgsSchema(StrictSchema):
    """Filter by date: `from` and `to` are inclusive calendar dates."""

    first = fields.Date(data_key="from")
    last = fields.Date(data_key="to")

    @ma.validates_schema
    def _ordered(self, data, **_kwargs):
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise ma.ValidationError("Must not be after 'to'.", "from")


class BodyMetricListArgsSchema(DateRangeArgsSchema):
    """Filter body metrics by metric and date."""

    metric = fields.String(validate=validate.OneOf(list(BODY_METRICS)))


class DayArgsSchema(StrictSchema):
    """One calendar day (default: today in the client's timezone)."""

    date = fields.Date()


# Workouts -------------------------------------------------------------------------------------


class WorkoutSetInputSchema(StrictSchema):
    """One set: reps (with weight and RPE) for strength work, or time and distance for cardio."""

    reps = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, MAX_REPS))
    weight_kg = Quantity("mass", LIFTED_WEIGHT, data_key="weight", allow_none=True)
    rpe = fields.Float(allow_none=True, validate=validate.Range(1, 10))
    duration_seconds = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, MAX_SET_SECONDS))
    distance_m = Quantity("distance", SET_DISTANCE, data_key="distance", allow_none=True)

    @ma.validates_schema
    def _something_done(self, data, **_kwargs):
        if all(data.get(f) is None for f in ("reps", "duration_seconds", "distance_m")):
            raise ma.ValidationError("Give reps, or duration_seconds/distance.", "reps")
        if data.get("weight_kg") is not None and data.get("reps") is None:
            raise ma.ValidationError("A weight needs reps.", "reps")
        if data.get("rpe") is not None and data.get("reps") is None:
            raise ma.ValidationError("RPE needs reps.", "reps")


class WorkoutSetOutSchema(ma.Schema):
    """A logged set as shown."""

    set_number = fields.Integer()
    reps = fields.Integer(allow_none=True)
    weight_kg = Quantity("mass", data_key="weight", allow_none=True)
    rpe = fields.Float(allow_none=True)
    duration_seconds = fields.Integer(allow_none=True)
    distance_m = Quantity("distance", data_key="distance", allow_none=True)


class WorkoutExerciseSchema(StrictSchema):
    """The sets done of one exercise."""

    exercise_id = fields.Integer(required=True, strict=True)
    sets = fields.List(fields.Nested(WorkoutSetInputSchema), required=True, validate=validate.Length(min=1, max=50))


class _WorkoutFields(StrictSchema):
    assignment_id = fields.Integer(strict=True, allow_none=True)
    plan_week_index = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 51))
    plan_day_index = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 6))
    duration_minutes = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 24 * 60))
    perceived_effort = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 10))
    notes = fields.String(validate=validate.Length(max=2000))
    exercises = fields.List(fields.Nested(WorkoutExerciseSchema), validate=validate.Length(max=50))


class WorkoutLogCreateSchema(_WorkoutFields):
    """A workout to log; link it to a plan day with assignment_id (indices default to the date's day)."""

    performed_on = fields.Date(required=True)


class WorkoutLogUpdateSchema(_WorkoutFields):
    """Changes to a workout log; `exercises` replaces every set; assignment_id null unlinks."""

    performed_on = fields.Date()


class WorkoutCommentSchema(ma.Schema):
    """A trainer's comment on a logged workout."""

    id = fields.Integer()
    workout_log_id = fields.Integer()
    author_id = fields.Integer(allow_none=True, metadata={"description": "The trainer who wrote it"})
    body = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()


class WorkoutCommentCreateSchema(StrictSchema):
    """A comment on a client's logged workout."""

    body = NonBlank(max_length=2000, required=True)


class WorkoutLogSchema(ma.Schema):
    """A workout log with its sets grouped by exercise, volume and sets done vs planned."""

    id = fields.Integer()
    client_id = fields.Integer()
    performed_on = fields.Date()
    assignment_id = fields.Integer(allow_none=True)
    plan_week_index = fields.Integer(allow_none=True)
    plan_day_index = fields.Integer(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)
    perceived_effort = fields.Integer(allow_none=True)
    notes = fields.String()
    total_volume_kg = Quantity("mass", data_key="total_volume")
    sets_done = fields.Integer()
    sets_planned = fields.Integer(allow_none=True)
    exercises = fields.Method("_exercises", metadata={"type": "array", "items": {"type": "object"}})
    comments = fields.List(
        fields.Nested(WorkoutCommentSchema), metadata={"description": "Your trainer's comments, oldest first"}
    )
    created_at = Timestamp()
    updated_at = Timestamp()

    def _exercises(self, log) -> list[dict[str, Any]]:
        groups: dict[int, dict[str, Any]] = {}
        for workout_set in log.sets:
            group = groups.setdefault(workout_set.exercise_order, {"exercise_id": workout_set.exercise_id, "sets": []})
            group["sets"].append(workout_set)
        return [
            {"exercise_id": group["exercise_id"], "sets": WorkoutSetOutSchema(many=True).dump(group["sets"])}
            for _order, group in sorted(groups.items())
        ]


# Meals ----------------------------------------------------------------------------------------


def _kcal(**kwargs: Any) -> fields.Float:
    return fields.Float(validate=validate.Range(0, 10000), **kwargs)


def _grams(**kwargs: Any) -> fields.Float:
    return fields.Float(validate=validate.Range(0, 1000), **kwargs)


class MealItemSchema(StrictSchema):
    """One food eaten, with its energy and macros (grams), or a food of the table and how much of it.

    With `food_id` (a food your trainer's table holds), `quantity` and `unit` (g, oz or serving),
    the name, energy and macros come from the table. A food carrying one of your allergens is
    still logged (it is your log) and your trainer's feed flags it.
    """

    food_id = fields.Integer(strict=True, metadata={"description": "a food of the table (GET /foods)"})
    food = NonBlank(max_length=120)
    quantity = fields.Float(validate=validate.Range(0, 10000, min_inclusive=False))
    unit = fields.String(validate=validate.Length(max=20))
    kcal = _kcal()
    protein_g = _grams(load_default=0.0)
    carbs_g = _grams(load_default=0.0)
    fat_g = _grams(load_default=0.0)

    @ma.validates_schema
    def _food_or_values(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "food_id" in data:
            errors = {}
            if "quantity" not in data:
                errors["quantity"] = ["Required with a food_id."]
            if data.get("unit") not in FOOD_UNITS:
                errors["unit"] = ["With a food_id the unit is g, oz or serving."]
            if errors:
                raise ma.ValidationError(errors)
            return
        missing = {name: ["Missing data for required field."] for name in ("food", "kcal") if name not in data}
        if missing:
            raise ma.ValidationError(missing)


class _MealFields(StrictSchema):
    notes = fields.String(validate=validate.Length(max=2000))
    items = fields.List(fields.Nested(MealItemSchema), validate=validate.Length(max=50))
    kcal = _kcal()
    protein_g = _grams()
    carbs_g = _grams()
    fat_g = _grams()


class MealLogCreateSchema(_MealFields):
    """A meal: `items`, or a quick entry of kcal (and optional macros)."""

    eaten_on = fields.Date(required=True)
    meal_name = NonBlank(max_length=80, required=True)


class MealLogUpdateSchema(_MealFields):
    """Changes to a meal; items replace a quick entry and the other way round."""

    eaten_on = fields.Date()
    meal_name = NonBlank(max_length=80)


class MealLogSchema(ma.Schema):
    """A logged meal and its totals."""

    id = fields.Integer()
    client_id = fields.Integer()
    eaten_on = fields.Date()
    meal_name = fields.String()
    items = fields.List(fields.Dict())
    kcal = fields.Float()
    protein_g = fields.Float()
    carbs_g = fields.Float()
    fat_g = fields.Float()
    notes = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()


class NutritionMacrosSchema(ma.Schema):
    """Energy and macros of a day."""

    kcal = fields.Float()
    protein_g = fields.Float()
    carbs_g = fields.Float()
    fat_g = fields.Float()


class NutritionDaySchema(ma.Schema):
    """A day's intake against the active diet's targets (null without a diet)."""

    date = fields.Date()
    totals = fields.Nested(NutritionMacrosSchema)
    targets = fields.Nested(NutritionMacrosSchema, allow_none=True)
    remaining = fields.Nested(NutritionMacrosSchema, allow_none=True)
    diet_assignment_id = fields.Integer(allow_none=True)
    meals = fields.List(fields.Nested(MealLogSchema))


# Check-ins ------------------------------------------------------------------------------------

CheckInMeasurementsSchema = StrictSchema.from_dict(
    {
        name: Quantity("length", CIRCUMFERENCES[name], allow_none=True)
        for name in CHECK_IN_MEASUREMENTS
    },
    name="CheckInMeasurementsSchema",
)


def _rating(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 5), **kwargs)


class _CheckInFields(StrictSchema):
    weight_kg = Quantity("mass", BODY_WEIGHT, data_key="weight", allow_none=True)
    body_fat_pct = fields.Float(allow_none=True, validate=validate.Range(BODY_FAT.minimum, BODY_FAT.maximum))
    measurements_cm = fields.Nested(CheckInMeasurementsSchema, data_key="measurements")
    sleep_hours = fields.Float(allow_none=True, validate=validate.Range(0, 24))
    stress = _rating()
    energy = _rating()
    adherence = _rating()
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=80)),
        values=fields.String(validate=validate.Length(max=2000)),
        validate=validate.Length(max=20),
    )

    @ma.post_load
    def _drop_empty_measurements(self, data, **_kwargs):
        if "measurements_cm" in data:
            data["measurements_cm"] = {k: v for k, v in data["measurements_cm"].items() if v is not None}
        return data


class CheckInCreateSchema(_CheckInFields):
    """A weekly check-in: weight, body fat, measurements, sleep, 1-5 ratings and free answers."""

    submitted_on = fields.Date(required=True)


class CheckInUpdateSchema(_CheckInFields):
    """Changes to a check-in; measurements and answers given replace the stored ones."""

    submitted_on = fields.Date()


class CheckInSchema(ma.Schema):
    """A check-in and the trainer's reply."""

    id = fields.Integer()
    client_id = fields.Integer()
    submitted_on = fields.Date()
    weight_kg = Quantity("mass", data_key="weight", allow_none=True)
    body_fat_pct = fields.Float(allow_none=True)
    # The same schema as the one sent in, so the document names one CheckInMeasurements.
    measurements = fields.Nested(CheckInMeasurementsSchema, attribute="measurements_cm")
    sleep_hours = fields.Float(allow_none=True)
    stress = fields.Integer(allow_none=True)
    energy = fields.Integer(allow_none=True)
    adherence = fields.Integer(allow_none=True)
    answers = fields.Dict(keys=fields.String(), values=fields.String())
    trainer_comment = fields.String(allow_none=True)
    replied_at = Timestamp(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()


class CheckInReplySchema(StrictSchema):
    """The trainer's comment on a check-in."""

    comment = NonBlank(max_length=5000, required=True)


# Body metrics ---------------------------------------------------------------------------------


class BodyMetricCreateSchema(StrictSchema):
    """One metric on one day, in your units (weight kg/lb, circumferences cm/in, body_fat %)."""

    measured_on = fields.Date(required=True)
    metric = fields.String(required=True, validate=validate.OneOf(list(BODY_METRICS)))
    value = fields.Float(required=True)


class BodyMetricUpdateSchema(StrictSchema):
    """A new value or day for a body metric."""

    measured_on = fields.Date()
    value = fields.Float()


class BodyMetricSchema(ma.Schema):
    """A body metric in the caller's units."""

    id = fields.Integer()
    client_id = fields.Integer()
    measured_on = fields.Date()
    metric = fields.String()
    value = fields.Method("_value", metadata={"type": "number"})
    unit = fields.Method("_unit", metadata={"type": "string"})
    created_at = Timestamp()
    updated_at = Timestamp()

    def _value(self, metric) -> float | None:
        return shown(BODY_METRICS[metric.metric].kind, metric.value)

    def _unit(self, metric) -> str:
        return unit_label(BODY_METRICS[metric.metric].kind, caller_unit_system())


class ImportResultSchema(ma.Schema):
    """What a CSV import stored."""

    imported = fields.Integer()
    by_metric = fields.Dict(keys=fields.String(), values=fields.Integer())
    first_date = fields.Date()
    last_date = fields.Date()


# Streaks and records --------------------------------------------------------------------------


class StreaksSchema(ma.Schema):
    """Current and longest streak of days with any log (the current one may end yesterday)."""

    current = fields.Integer()
    longest = fields.Integer()
    current_start = fields.Date(allow_none=True)
    last_logged_on = fields.Date(allow_none=True)


class PersonalRecordSetSchema(ma.Schema):
    """The set that holds a record."""

    weight_kg = Quantity("mass", data_key="weight")
    reps = fields.Integer()
    estimated_1rm_kg = Quantity("mass", data_key="estimated_1rm")
    performed_on = fields.Date()
    workout_log_id = fields.Integer()


class PersonalRecordSchema(ma.Schema):
    """An exercise's heaviest set and best estimated 1RM (Epley), with the dates they were set."""

    exercise_id = fields.Integer()
    exercise_name = fields.String()
    heaviest = fields.Nested(PersonalRecordSetSchema)
    best_estimated_1rm = fields.Nested(PersonalRecordSetSchema)

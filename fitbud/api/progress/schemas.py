"""Shapes of a client's progress figures (for the trainer and the client) and the check-in listing."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from fitbud.api.lean_schema import LeanSchema
from fitbud.api.logs.schemas import DateRangeArgsSchema, Quantity, StreaksSchema, caller_unit_system, shown
from fitbud.services.measures import BODY_METRICS
from fitbud.services.units import unit_label


class CheckInListArgsSchema(DateRangeArgsSchema):
    """Filter check-ins by date, and by whether you replied."""

    replied = fields.Boolean()


class ProgressArgsSchema(DateRangeArgsSchema):
    """The range of the progress figures (default: the last 13 weeks; at most two years)."""


class WeightPointSchema(LeanSchema):
    """A weigh-in and the mean of the 7 days ending that day."""

    date = fields.Date()
    weight_kg = Quantity("mass", data_key="weight")
    rolling_mean_kg = Quantity("mass", data_key="rolling_mean_7d")


class WeeklyVolumeSchema(LeanSchema):
    """Training volume (sum of reps x weight) and workouts of a week starting on Monday."""

    week_start = fields.Date()
    volume_kg = Quantity("mass", data_key="volume")
    workouts = fields.Integer()


class WeeklyActivitySchema(LeanSchema):
    """Cardio activities (runs, rides, walks) of a week starting on Monday: how many, minutes, distance."""

    week_start = fields.Date()
    activities = fields.Integer()
    minutes = fields.Integer()
    distance_m = Quantity("distance", data_key="distance")


class DailyStepsSchema(LeanSchema):
    """Steps walked on a day (from an import)."""

    date = fields.Date()
    steps = fields.Integer()


class RestingHeartRateSchema(LeanSchema):
    """Resting heart rate on a day, in beats per minute (from an import)."""

    date = fields.Date()
    bpm = fields.Float()


class WeeklyAdherenceSchema(LeanSchema):
    """Workout days logged against training days planned, per week (null when nothing is planned)."""

    week_start = fields.Date()
    planned = fields.Integer()
    logged = fields.Integer()
    adherence = fields.Float(allow_none=True, validate=validate.Range(0, 1))


class DailyCaloriesSchema(LeanSchema):
    """A day's calories eaten against the diet's target."""

    date = fields.Date()
    kcal = fields.Float(allow_none=True)
    target_kcal = fields.Float(allow_none=True)
    difference_kcal = fields.Float(allow_none=True)


class ProgressSchema(LeanSchema):
    """A client's progress over a date range, in your units."""

    client_id = fields.Integer()
    first = fields.Date(data_key="from")
    last = fields.Date(data_key="to")
    units = fields.Method("_units", metadata={"type": "object"})
    weight = fields.List(fields.Nested(WeightPointSchema))
    measurements = fields.Method("_measurements", metadata={"type": "object"})
    weekly_volume = fields.List(fields.Nested(WeeklyVolumeSchema))
    weekly_adherence = fields.List(fields.Nested(WeeklyAdherenceSchema))
    daily_calories = fields.List(fields.Nested(DailyCaloriesSchema))
    streaks = fields.Nested(StreaksSchema)
    weekly_activity = fields.List(fields.Nested(WeeklyActivitySchema))
    daily_steps = fields.List(fields.Nested(DailyStepsSchema))
    resting_heart_rate = fields.List(fields.Nested(RestingHeartRateSchema))

    def _units(self, _progress) -> dict[str, str]:
        unit_system = caller_unit_system()
        return {kind: unit_label(kind, unit_system) for kind in ("mass", "length", "percent", "distance")}

    def _measurements(self, progress) -> dict[str, list[dict[str, Any]]]:
        return {
            metric: [
                {"date": point["date"].isoformat(), "value": shown(BODY_METRICS[metric].kind, point["value"])}
                for point in points
            ]
            for metric, points in progress.measurements.items()
        }

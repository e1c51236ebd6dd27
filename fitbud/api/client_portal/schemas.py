"""Response shapes of the client's own endpoints: their plan and their day."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from fitbud.api.assignments.schemas import AssignmentListItemSchema, AssignmentSchema


class ExerciseBriefSchema(ma.Schema):
    """An exercise as it appears in a client's plan."""

    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    equipment = fields.String()
    primary_muscles = fields.List(fields.String())
    secondary_muscles = fields.List(fields.String())
    level = fields.String()
    instructions = fields.String()


class MyPlanSchema(ma.Schema):
    """The workout and diet plans that apply today, those scheduled next, and their exercises."""

    workout = fields.Nested(AssignmentSchema, allow_none=True)
    diet = fields.Nested(AssignmentSchema, allow_none=True)
    upcoming = fields.List(fields.Nested(AssignmentListItemSchema))
    exercises = fields.List(fields.Nested(ExerciseBriefSchema))


class TodayWorkoutSchema(ma.Schema):
    """Today's workout day; `rest` is true on a rest day (or a day the plan leaves free)."""

    assignment_id = fields.Integer()
    plan_name = fields.String()
    week_index = fields.Integer(allow_none=True)
    day_index = fields.Integer(allow_none=True)
    day_name = fields.String(allow_none=True)
    rest = fields.Boolean()
    message = fields.String(allow_none=True)
    items = fields.List(
        fields.Raw(),
        metadata={"description": "The plan's items, each with `exercise` (its details, null if deleted)"},
    )


class TodayDietSchema(ma.Schema):
    """Today's meals with their totals, the day's totals and the targets."""

    assignment_id = fields.Integer()
    plan_name = fields.String()
    day_index = fields.Integer()
    day_name = fields.String()
    meals = fields.List(fields.Raw(), metadata={"description": "Each meal with its items and `totals`"})
    totals = fields.Dict(keys=fields.String(), values=fields.Float())
    targets = fields.Dict(keys=fields.String(), values=fields.Float(), allow_none=True)


class TodaySchema(ma.Schema):
    """The client's day, counted in their timezone."""

    date = fields.Date()
    timezone = fields.String()
    workout = fields.Nested(TodayWorkoutSchema, allow_none=True, metadata={"description": "null: no workout plan"})
    diet = fields.Nested(TodayDietSchema, allow_none=True, metadata={"description": "null: no diet plan"})

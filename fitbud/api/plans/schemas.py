"""Request and response shapes of the plan template endpoints."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import NonBlank, StrictSchema, Timestamp
from fitbud.models import PlanKind
from fitbud.services.plans import PLAN_SORTS, totals_of

CONTENT_DESCRIPTION = (
    "workout: {weeks: [{name?, days: [{name, rest?, items: [{exercise_id, sets, reps | duration_seconds, "
    "load?: {type: kg|percent_1rm|rpe, value}, rest_seconds?, tempo?, notes?, group?}]}]}]}; "
    "diet: {days: [{name, meals: [{name, time: HH:MM, items: [{food, quantity, unit, kcal, protein, carbs, "
    "fat}]}]}], targets?: {kcal, protein?, carbs?, fat?}}"
)


def _tags() -> fields.List:
    return fields.List(NonBlank(max_length=40), validate=validate.Length(max=20))


class PlanCreateSchema(StrictSchema):
    """A new template; `content` is checked against its kind and your exercise library."""

    kind = fields.Enum(PlanKind, by_value=True, required=True)
    name = NonBlank(required=True, max_length=120)
    description = fields.String(validate=validate.Length(max=2000))
    tags = _tags()
    content = fields.Raw(required=True, metadata={"description": CONTENT_DESCRIPTION})


class PlanUpdateSchema(StrictSchema):
    """Changes to a template (its kind never changes); each edit bumps the version."""

    name = NonBlank(max_length=120)
    description = fields.String(validate=validate.Length(max=2000))
    tags = _tags()
    content = fields.Raw(metadata={"description": CONTENT_DESCRIPTION})
    archived = fields.Boolean(metadata={"description": "false restores an archived plan"})
    version = fields.Integer(
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The version you edited; 409 if the plan changed since"},
    )


class PlanDuplicateSchema(StrictSchema):
    """Optional name of the copy (default: the original's name with "(copy)")."""

    name = NonBlank(max_length=120)


class PlanQueryArgsSchema(StrictSchema):
    """Search, filters and order of the plan list."""

    kind = fields.Enum(PlanKind, by_value=True)
    q = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "Search name or description"})
    tag = fields.List(
        fields.String(validate=validate.Length(min=1, max=40)),
        metadata={"description": "Repeat to require several tags"},
    )
    archived = fields.Boolean(load_default=False, metadata={"description": "List archived plans instead"})
    sort = fields.String(
        load_default="-updated",
        validate=validate.OneOf(list(PLAN_SORTS)),
        metadata={"description": "name, created or updated; prefix - for descending"},
    )


class PlanListItemSchema(ma.Schema):
    """A template in the list (without its content)."""

    id = fields.Integer()
    kind = fields.Enum(PlanKind, by_value=True)
    name = fields.String()
    description = fields.String()
    tags = fields.List(fields.String())
    version = fields.Integer()
    source = fields.String()
    archived_at = Timestamp(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()


class PlanSchema(PlanListItemSchema):
    """A template with its content; diet plans also carry their daily and per-meal totals."""

    content = fields.Raw()
    totals = fields.Function(
        totals_of,
        metadata={"description": "Diet plans: per day, {name, totals, meals: [per-meal totals]}; null for workouts"},
    )

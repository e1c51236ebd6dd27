"""Request and response shapes of the plan template endpoints."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import NonBlank, StrictSchema, Timestamp
from fitbud.models import PlanKind

# Create and update inputs are shared with the dashboards' plan editor, so they live in services/inputs.py.
from fitbud.services.inputs import PlanCreateSchema as PlanCreateSchema
from fitbud.services.inputs import PlanUpdateSchema as PlanUpdateSchema
from fitbud.services.plans import PLAN_SORTS, totals_of


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

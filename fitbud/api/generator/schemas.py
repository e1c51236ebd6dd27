"""Request and response shapes of plan generation."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from fitbud.api.schemas import StrictSchema

# The request's shapes live with the rules the dashboard's generator page applies too.
from fitbud.services.inputs import BodySchema, GenerateRequestSchema

__all__ = ["BodySchema", "GenerateRequestSchema"]


class GenerateQueryArgsSchema(StrictSchema):
    """save=true stores the drafts as templates marked source=generated."""

    save = fields.Boolean(load_default=False)


class DraftTemplateSchema(ma.Schema):
    """A draft in the shape POST /api/v1/plans accepts."""

    kind = fields.String()
    name = fields.String()
    description = fields.String()
    tags = fields.List(fields.String())
    content = fields.Dict()


class ExplanationSchema(ma.Schema):
    """One reason the trainer can read; `path` points into the draft when it is about one part."""

    topic = fields.String()
    path = fields.String(allow_none=True)
    message = fields.String()


class SessionEstimateSchema(ma.Schema):
    """How long one training day takes."""

    week = fields.Integer()
    day = fields.Integer()
    name = fields.String()
    estimated_minutes = fields.Integer()


class SavedPlansSchema(ma.Schema):
    """The templates stored by save=true."""

    workout_plan_id = fields.Integer()
    diet_plan_id = fields.Integer(allow_none=True)


class GeneratedPlanSchema(ma.Schema):
    """A generated draft: workout, diet when body data is known, and the reasons behind them."""

    source = fields.String(metadata={"description": "rules or ai"})
    fallback_reason = fields.String(allow_none=True, metadata={"description": "why the AI provider was not used"})
    seed = fields.Integer()
    inputs = fields.Dict(metadata={"description": "the inputs after merging the client's profile"})
    workout = fields.Nested(DraftTemplateSchema)
    diet = fields.Nested(DraftTemplateSchema, allow_none=True)
    sessions = fields.List(fields.Nested(SessionEstimateSchema))
    explanations = fields.List(fields.Nested(ExplanationSchema))
    saved = fields.Nested(SavedPlansSchema, allow_none=True)

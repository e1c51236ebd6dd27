"""Request and response shapes of plan generation."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import StrictSchema
from fitbud.data.library import EQUIPMENT, MOVEMENT_PATTERNS, MUSCLES
from fitbud.services.plan_generation.inputs import (
    ACTIVITY_LEVELS,
    BODY_LIMITS,
    EXPERIENCES,
    GOALS,
    MAX_SEED,
    SEXES,
    UNIT_SYSTEMS,
)


def _one_of(values) -> validate.OneOf:
    return validate.OneOf(values, error="Must be one of: {choices}.")


class BodySchema(StrictSchema):
    """Body data for the diet (metric); each value overrides the client's profile."""

    sex = fields.String(validate=_one_of(SEXES))
    age = fields.Integer(strict=True, validate=validate.Range(*BODY_LIMITS["age"]))
    height_cm = fields.Float(validate=validate.Range(*BODY_LIMITS["height_cm"]))
    weight_kg = fields.Float(validate=validate.Range(*BODY_LIMITS["weight_kg"]))
    activity_level = fields.String(
        validate=_one_of(ACTIVITY_LEVELS),
        metadata={"description": "default: from days_per_week (2-3 light, 4-5 moderate, 6 very active)"},
    )


class GenerateRequestSchema(StrictSchema):
    """What to draft a plan for."""

    goal = fields.String(required=True, validate=_one_of(GOALS))
    experience = fields.String(required=True, validate=_one_of(EXPERIENCES))
    days_per_week = fields.Integer(required=True, strict=True, validate=validate.Range(2, 6))
    session_minutes = fields.Integer(required=True, strict=True, validate=validate.Range(20, 120))
    equipment = fields.List(
        fields.String(validate=_one_of(EQUIPMENT)), load_default=list, validate=validate.Length(max=len(EQUIPMENT)),
        metadata={"description": "available equipment; bodyweight is always available"},
    )
    avoid = fields.List(
        fields.String(validate=_one_of(MUSCLES + MOVEMENT_PATTERNS)), load_default=list,
        validate=validate.Length(max=len(MUSCLES) + len(MOVEMENT_PATTERNS)),
        metadata={"description": "muscles or movement patterns to spare (merged with the client's injuries)"},
    )
    client_id = fields.Integer(strict=True, metadata={"description": "one of your clients: profile and injuries"})
    body = fields.Nested(BodySchema)
    weeks = fields.Integer(load_default=4, strict=True, validate=validate.Range(1, 12))
    seed = fields.Integer(strict=True, validate=validate.Range(0, MAX_SEED),
                          metadata={"description": "same inputs and seed give the same draft; default random"})
    meals_per_day = fields.Integer(load_default=4, strict=True, validate=validate.Range(2, 6))
    unit_system = fields.String(validate=_one_of(UNIT_SYSTEMS),
                                metadata={"description": "default: the client's, else yours"})


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

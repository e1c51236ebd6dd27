"""Request and response shapes of the exercise library."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate
from webargs.fields import DelimitedList

from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.data.library import CATEGORIES, EQUIPMENT, LEVELS, MOVEMENT_PATTERNS, MUSCLES


def _one_of(values) -> validate.OneOf:
    return validate.OneOf(values, error="Must be one of: {choices}.")


class ExerciseSchema(ma.Schema):
    """An exercise of the library, built-in or custom."""

    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True, allow_none=True)
    name = fields.String(dump_only=True)
    category = fields.String(dump_only=True)
    movement_pattern = fields.String(dump_only=True, allow_none=True)
    primary_muscles = fields.List(fields.String(), dump_only=True)
    secondary_muscles = fields.List(fields.String(), dump_only=True)
    equipment = fields.String(dump_only=True)
    extra_equipment = fields.List(fields.String(), dump_only=True)
    level = fields.String(dump_only=True)
    tracking = fields.String(dump_only=True, metadata={"description": "reps or time (seconds)"})
    unilateral = fields.Boolean(dump_only=True, metadata={"description": "done one side at a time"})
    instructions = fields.String(dump_only=True)
    is_builtin = fields.Boolean(dump_only=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class ExerciseQueryArgsSchema(StrictSchema):
    """Search and filters; list filters take comma-separated values and match any of them."""

    q = fields.String(validate=validate.Length(max=100), metadata={"description": "words in the name"})
    muscle = DelimitedList(fields.String(validate=_one_of(MUSCLES)), metadata={"description": "primary muscle"})
    equipment = DelimitedList(fields.String(validate=_one_of(EQUIPMENT)))
    category = DelimitedList(fields.String(validate=_one_of(CATEGORIES)))
    movement_pattern = DelimitedList(fields.String(validate=_one_of(MOVEMENT_PATTERNS)))
    level = DelimitedList(fields.String(validate=_one_of(LEVELS)))
    source = fields.String(validate=_one_of(["builtin", "custom"]))


class VocabularySchema(ma.Schema):
    """Every value the library's fields may take."""

    muscles = fields.List(fields.String())
    equipment = fields.List(fields.String())
    categories = fields.List(fields.String())
    movement_patterns = fields.List(fields.String())
    levels = fields.List(fields.String())
    tracking = fields.List(fields.String())


class AlternativesQueryArgsSchema(StrictSchema):
    """What the replacement may use and must spare."""

    equipment = DelimitedList(
        fields.String(validate=_one_of(EQUIPMENT)),
        metadata={"description": "available equipment (bodyweight is implied); omit for any"},
    )
    avoid = DelimitedList(
        fields.String(validate=_one_of(MUSCLES + MOVEMENT_PATTERNS)), load_default=list,
        metadata={"description": "muscles or movement patterns to spare"},
    )
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class AlternativeSchema(ma.Schema):
    """A replacement exercise, how close it is (0-1) and why."""

    exercise = fields.Nested(ExerciseSchema)
    score = fields.Float()
    reason = fields.String()

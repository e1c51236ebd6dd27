"""Request and response shapes of the food table."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate
from webargs.fields import DelimitedList

from fitbud.api.schemas import NonBlank, StrictSchema, Timestamp
from fitbud.data.foods import ALLERGENS, CATEGORIES, DIETS


def _one_of(values) -> validate.OneOf:
    return validate.OneOf(values, error="Must be one of: {choices}.")


def _distinct(values):
    if len(set(values)) != len(values):
        raise ma.ValidationError("Values must not repeat.")


PER_100_G = {"description": "per 100 g as eaten"}
UNIQUE = {"uniqueItems": True}  # what _distinct enforces, said in the document


class FoodSchema(ma.Schema):
    """A food of the table, built-in or a trainer's own; energy and macros per 100 g."""

    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True, allow_none=True)
    name = fields.String(dump_only=True)
    category = fields.String(dump_only=True)
    kcal = fields.Float(dump_only=True, metadata=PER_100_G)
    protein_g = fields.Float(dump_only=True, metadata=PER_100_G)
    carbs_g = fields.Float(dump_only=True, metadata=PER_100_G)
    fat_g = fields.Float(dump_only=True, metadata=PER_100_G)
    serving_g = fields.Float(dump_only=True, metadata={"description": "grams in a typical serving"})
    serving = fields.String(dump_only=True, metadata={"description": "the typical serving, in words"})
    allergens = fields.List(fields.String(), dump_only=True)
    diets = fields.List(fields.String(), dump_only=True, metadata={"description": "dietary preferences it suits"})
    is_builtin = fields.Boolean(dump_only=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class FoodQueryArgsSchema(StrictSchema):
    """Search and filters; list filters take comma-separated values."""

    q = fields.String(validate=validate.Length(max=100), metadata={"description": "words in the name"})
    allergen_free = DelimitedList(
        fields.String(validate=_one_of(ALLERGENS)), metadata={"description": "foods containing none of these"}
    )
    diet = DelimitedList(fields.String(validate=_one_of(DIETS)), metadata={"description": "foods suiting all of these"})
    category = DelimitedList(fields.String(validate=_one_of(CATEGORIES)))
    source = fields.String(validate=_one_of(["builtin", "own"]))


def _macro(maximum: float, **kwargs) -> fields.Float:
    return fields.Float(validate=validate.Range(min=0, max=maximum), metadata=PER_100_G, **kwargs)


class FoodCreateSchema(StrictSchema):
    """A trainer's own food."""

    name = NonBlank(required=True, max_length=120)
    category = fields.String(required=True, validate=_one_of(CATEGORIES))
    kcal = _macro(900, required=True)
    protein_g = _macro(100, required=True)
    carbs_g = _macro(100, required=True)
    fat_g = _macro(100, required=True)
    serving_g = fields.Float(load_default=100, validate=validate.Range(min=0, min_inclusive=False, max=2000))
    serving = fields.String(load_default="100 g", validate=validate.Length(min=1, max=80))
    allergens = fields.List(
        fields.String(validate=_one_of(ALLERGENS)), load_default=list, validate=_distinct, metadata=UNIQUE
    )
    diets = fields.List(fields.String(validate=_one_of(DIETS)), load_default=list, validate=_distinct, metadata=UNIQUE)

    @ma.validates_schema
    def _macros_fit_in_100_g(self, data, **_kwargs):
        if sum(data.get(name, 0) for name in ("protein_g", "carbs_g", "fat_g")) > 100:
            raise ma.ValidationError("Protein, carbs and fat add up to more than 100 g.", "fat_g")


class FoodUpdateSchema(StrictSchema):
    """Changes to one of your foods: any subset of its fields, at least one."""

    name = NonBlank(max_length=120)
    category = fields.String(validate=_one_of(CATEGORIES))
    kcal = _macro(900)
    protein_g = _macro(100)
    carbs_g = _macro(100)
    fat_g = _macro(100)
    serving_g = fields.Float(validate=validate.Range(min=0, min_inclusive=False, max=2000))
    serving = fields.String(validate=validate.Length(min=1, max=80))
    allergens = fields.List(fields.String(validate=_one_of(ALLERGENS)), validate=_distinct)
    diets = fields.List(fields.String(validate=_one_of(DIETS)), validate=_distinct)

    @ma.validates_schema
    def _something_to_change(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Give at least one field to change.")


class FoodVocabularySchema(ma.Schema):
    """The values food fields take, and where the built-in values come from."""

    allergens = fields.List(fields.String())
    diets = fields.List(fields.String())
    categories = fields.List(fields.String())
    sources = fields.List(fields.String(), metadata={"description": "the food-composition tables used"})

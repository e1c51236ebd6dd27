"""Input shapes the API and the dashboards both accept: one home for each rule an input must meet.

The API loads them with `@blp.arguments` (flask-smorest turns a ValidationError into the 422
envelope); the dashboards load them with `load`, which raises the same 422 as an
InvalidInputError, so a page's form applies exactly the API's rules without importing the API.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import ValidationError, fields, validate, validates_schema

from fitbud.data.foods import ALLERGENS, DIETS
from fitbud.data.library import CATEGORIES, EQUIPMENT, LEVELS, MOVEMENT_PATTERNS, MUSCLES, TRACKING
from fitbud.errors import InvalidInputError, field_errors
from fitbud.models import PlanKind, SessionType
from fitbud.services.plan_generation.inputs import (
    ACTIVITY_LEVELS,
    BODY_LIMITS,
    EXPERIENCES,
    GOALS,
    MAX_SEED,
    SEXES,
    UNIT_SYSTEMS,
)
from fitbud.services.recurrence import MAX_OCCURRENCES, WEEKDAY_CODES
from fitbud.services.scheduling import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, SCOPES

# Ranges every input meets ----------------------------------------------------------------

# The database's INTEGER columns (PostgreSQL's are 32-bit) hold nothing wider; ids, counts and
# amounts all fit, so no input needs a larger integer.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Dates and timestamps people and trainers really use; the calendar's ends overflow date arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 2200
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
TEXT_MESSAGE = "Must not contain NUL characters or unpaired surrogates."
INT_MESSAGE = f"Must be between {INT_MIN} and {INT_MAX}."
NUMBER_MESSAGE = "Must be a finite number."
DATE_MESSAGE = f"Must be between {MIN_YEAR}-01-01 and {MAX_YEAR}-12-31."


def unstorable_text(value: Any) -> bool:
    """Whether `value` is a string the database cannot store: a NUL, or a surrogate without its pair."""
    return isinstance(value, str) and _UNSTORABLE_TEXT.search(value) is not None


def out_of_range(loaded: Any, names: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Field path -> message for every loaded value the database or date arithmetic cannot take."""
    errors: dict[str, list[str]] = {}
    stack: list[tuple[str, Any]] = [("", loaded)]
    seen: set[int] = set()  # a container reached twice (or a cycle) is looked at once
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict | list | tuple | set) or hasattr(value, "__dict__"):
            if id(value) in seen:
                continue
            seen.add(id(value))
        message = None
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            message = INT_MESSAGE if not INT_MIN <= value <= INT_MAX else None
        elif isinstance(value, float):
            message = NUMBER_MESSAGE if not math.isfinite(value) else None
        elif isinstance(value, date):  # datetime too
            message = DATE_MESSAGE if not MIN_YEAR <= value.year <= MAX_YEAR else None
        elif isinstance(value, dict):
            for key, item in value.items():
                name = (names or {}).get(key, str(key)) if not path else str(key)
                stack.append((f"{path}.{name}" if path else name, item))
        elif isinstance(value, list | tuple | set):
            stack.extend((f"{path}.{index}" if path else str(index), item) for index, item in enumerate(value))
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            # An object a schema's post_load made, such as smorest's PaginationParameters: its
            # public attributes (never the private state a library keeps on it).
            stack.append((path, {key: item for key, item in vars(value).items() if not key.startswith("_")}))
        if message:
            errors.setdefault(path or "_schema", []).append(message)
    return errors


# Building blocks --------------------------------------------------------------------------


class StrictSchema(ma.Schema):
    """Input schema: unknown fields are an error (422), never silently dropped."""

    class Meta:
        unknown = ma.RAISE


class _TrimmedString(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        result = result.strip()
        if not result:
            raise ma.ValidationError("Must not be blank.")
        return result


def NonBlank(**kwargs) -> fields.String:  # noqa: N802 - reads like a field class
    """A trimmed string that must contain something."""
    kwargs.setdefault("validate", validate.Length(min=1, max=kwargs.pop("max_length", 200)))
    return _TrimmedString(**kwargs)


def AwareTimestamp(**kwargs) -> fields.AwareDateTime:  # noqa: N802
    """An ISO 8601 timestamp that must carry its offset: a naive time is ambiguous (422)."""
    kwargs.setdefault("error_messages", {"invalid_awareness": "Give a UTC offset, e.g. 2026-03-30T07:00:00+01:00."})
    return fields.AwareDateTime(format="iso", **kwargs)


def Duration(**kwargs) -> fields.Integer:  # noqa: N802
    """Length of a session in whole minutes."""
    return fields.Integer(strict=True, validate=validate.Range(MIN_DURATION_MINUTES, MAX_DURATION_MINUTES), **kwargs)


def Location(**kwargs) -> fields.String:  # noqa: N802
    """Where a session takes place."""
    return fields.String(allow_none=True, validate=validate.Length(max=300), **kwargs)


def MeetingUrl(**kwargs) -> fields.Url:  # noqa: N802
    """The video call link of an online session."""
    return fields.Url(
        allow_none=True,
        schemes={"http", "https"},
        validate=validate.Length(max=500),
        metadata={"description": "Video call link for online sessions"},
        **kwargs,
    )


def SessionNotes(**kwargs) -> fields.String:  # noqa: N802
    """The trainer's notes on a session."""
    return fields.String(validate=validate.Length(max=5000), **kwargs)


def ClockTime(**kwargs) -> fields.Time:  # noqa: N802
    """A local time of day, HH:MM."""
    # The pattern is what "%H:%M" parses (Python accepts one-digit hours and minutes too).
    metadata = {"description": "Local time, HH:MM", "pattern": r"^([01]?[0-9]|2[0-3]):[0-5]?[0-9]$"}
    return fields.Time(format="%H:%M", metadata=metadata, **kwargs)


def Weekday(**kwargs) -> fields.Integer:  # noqa: N802
    """A day of the week, 0 = Monday."""
    return fields.Integer(
        strict=True, validate=validate.Range(0, 6), metadata={"description": "0 = Monday ... 6 = Sunday"}, **kwargs
    )


def load(schema: type[ma.Schema], payload: dict[str, Any]) -> dict[str, Any]:
    """`payload` loaded by `schema`, or a 422 naming each bad field by its dotted path.

    The error's message lists them in words ("start time: Not a valid time."), for a form
    that shows one message rather than an error beside each field.
    """
    try:
        return schema().load(payload)
    except ValidationError as error:
        errors = field_errors(error.messages)
        message = "; ".join(f"{path.replace('_', ' ')}: {' '.join(msgs)}" for path, msgs in errors.items())
        raise InvalidInputError(message, errors=errors) from None


# Sessions ---------------------------------------------------------------------------------


class SessionCreateSchema(StrictSchema):
    """Book one session for one of your clients."""

    client_id = fields.Integer(required=True, strict=True)
    starts_at = AwareTimestamp(required=True)
    duration_minutes = Duration(required=True)
    type = fields.Enum(SessionType, by_value=True, required=True)
    location = Location()
    meeting_url = MeetingUrl()
    notes = SessionNotes()
    allow_overlap = fields.Boolean(metadata={"description": "Book even if it overlaps another session"})


class RecurrenceSchema(StrictSchema):
    """Weekly: on these days, every `interval` weeks, `count` times or until a local date."""

    weekdays = fields.List(
        fields.String(validate=validate.OneOf(WEEKDAY_CODES)),
        validate=validate.Length(min=1, max=7),
        metadata={"description": "MO..SU; default: the weekday of starts_at"},
    )
    interval = fields.Integer(strict=True, validate=validate.Range(1, 52), load_default=1)
    count = fields.Integer(strict=True, validate=validate.Range(1, MAX_OCCURRENCES))
    until = fields.Date(metadata={"description": "Last day (inclusive) on the trainer's calendar"})

    @validates_schema
    def _count_or_until(self, data, **_kwargs):
        if ("count" in data) == ("until" in data):
            raise ValidationError("Give either count or until.", "count")
        weekdays = data.get("weekdays") or []
        if len(set(weekdays)) != len(weekdays):
            raise ValidationError("Name each weekday once.", "weekdays")


class SeriesCreateSchema(SessionCreateSchema):
    """Book a weekly series; it expands on your local clock (07:00 stays 07:00 across DST)."""

    recurrence = fields.Nested(RecurrenceSchema, required=True)


class SessionUpdateSchema(StrictSchema):
    """Move or edit a session; `scope` this_and_following also changes later ones of its series."""

    starts_at = AwareTimestamp()
    duration_minutes = Duration()
    type = fields.Enum(SessionType, by_value=True)
    location = Location()
    meeting_url = MeetingUrl()
    notes = SessionNotes(allow_none=True)
    scope = fields.String(validate=validate.OneOf(SCOPES), metadata={"description": "Default: this"})
    allow_overlap = fields.Boolean()


class WorkingHoursCreateSchema(StrictSchema):
    """Add an interval to your week."""

    weekday = Weekday(required=True)
    start_time = ClockTime(required=True)
    end_time = ClockTime(required=True)


# Plans ------------------------------------------------------------------------------------

PLAN_CONTENT_DESCRIPTION = (
    "workout: {weeks: [{name?, days: [{name, rest?, items: [{exercise_id, sets, reps | duration_seconds, "
    "load?: {type: kg|percent_1rm|rpe, value}, rest_seconds?, tempo?, notes?, group?}]}]}]}; "
    "diet: {days: [{name, meals: [{name, time: HH:MM, items: [{food, quantity, unit, kcal, protein, carbs, "
    "fat}]}]}], targets?: {kcal, protein?, carbs?, fat?}}"
)


def PlanTags() -> fields.List:  # noqa: N802
    """A plan's tags: at most 20, each at most 40 characters."""
    return fields.List(NonBlank(max_length=40), validate=validate.Length(max=20))


class PlanCreateSchema(StrictSchema):
    """A new template; `content` is checked against its kind and your exercise library."""

    kind = fields.Enum(PlanKind, by_value=True, required=True)
    name = NonBlank(required=True, max_length=120)
    description = fields.String(validate=validate.Length(max=2000))
    tags = PlanTags()
    content = fields.Raw(required=True, metadata={"description": PLAN_CONTENT_DESCRIPTION})


class PlanUpdateSchema(StrictSchema):
    """Changes to a template (its kind never changes); each edit bumps the version."""

    name = NonBlank(max_length=120)
    description = fields.String(validate=validate.Length(max=2000))
    tags = PlanTags()
    content = fields.Raw(metadata={"description": PLAN_CONTENT_DESCRIPTION})
    archived = fields.Boolean(metadata={"description": "false restores an archived plan"})
    version = fields.Integer(
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "The version you edited; 409 if the plan changed since"},
    )


# Exercises --------------------------------------------------------------------------------


def _one_of(values: Any) -> validate.OneOf:
    return validate.OneOf(values, error="Must be one of: {choices}.")


def _distinct(field_name: str) -> Any:
    def check(values: list[Any]) -> None:
        if len(set(values)) != len(values):
            raise ma.ValidationError("Values must not repeat.")

    check.__name__ = f"distinct_{field_name}"
    return check


class ExerciseCreateSchema(StrictSchema):
    """A new custom exercise."""

    name = NonBlank(required=True, max_length=120)
    category = fields.String(required=True, validate=_one_of(CATEGORIES))
    movement_pattern = fields.String(required=True, validate=_one_of(MOVEMENT_PATTERNS))
    primary_muscles = fields.List(
        fields.String(validate=_one_of(MUSCLES)),
        required=True,
        validate=[validate.Length(min=1, max=6), _distinct("primary_muscles")],
    )
    secondary_muscles = fields.List(
        fields.String(validate=_one_of(MUSCLES)),
        load_default=list,
        validate=[validate.Length(max=8), _distinct("secondary_muscles")],
    )
    equipment = fields.String(required=True, validate=_one_of(EQUIPMENT))
    extra_equipment = fields.List(
        fields.String(validate=_one_of(EQUIPMENT)),
        load_default=list,
        validate=[validate.Length(max=4), _distinct("extra_equipment")],
    )
    level = fields.String(load_default="beginner", validate=_one_of(LEVELS))
    tracking = fields.String(load_default="reps", validate=_one_of(TRACKING))
    unilateral = fields.Boolean(load_default=False)
    instructions = fields.String(load_default="", validate=validate.Length(max=2000))


class ExerciseUpdateSchema(StrictSchema):
    """Changes to a custom exercise: any subset of its fields, at least one."""

    name = NonBlank(max_length=120)
    category = fields.String(validate=_one_of(CATEGORIES))
    movement_pattern = fields.String(validate=_one_of(MOVEMENT_PATTERNS))
    primary_muscles = fields.List(
        fields.String(validate=_one_of(MUSCLES)),
        validate=[validate.Length(min=1, max=6), _distinct("primary_muscles")],
    )
    secondary_muscles = fields.List(
        fields.String(validate=_one_of(MUSCLES)),
        validate=[validate.Length(max=8), _distinct("secondary_muscles")],
    )
    equipment = fields.String(validate=_one_of(EQUIPMENT))
    extra_equipment = fields.List(
        fields.String(validate=_one_of(EQUIPMENT)), validate=[validate.Length(max=4), _distinct("extra_equipment")]
    )
    level = fields.String(validate=_one_of(LEVELS))
    tracking = fields.String(validate=_one_of(TRACKING))
    unilateral = fields.Boolean()
    instructions = fields.String(validate=validate.Length(max=2000))

    @ma.validates_schema
    def _something_to_change(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Give at least one field to change.")


# Plan generation --------------------------------------------------------------------------


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
        fields.String(validate=_one_of(EQUIPMENT)),
        load_default=list,
        validate=validate.Length(max=len(EQUIPMENT)),
        metadata={"description": "available equipment; bodyweight is always available"},
    )
    avoid = fields.List(
        fields.String(validate=_one_of(MUSCLES + MOVEMENT_PATTERNS)),
        load_default=list,
        validate=validate.Length(max=len(MUSCLES) + len(MOVEMENT_PATTERNS)),
        metadata={"description": "muscles or movement patterns to spare (merged with the client's injuries)"},
    )
    client_id = fields.Integer(strict=True, metadata={"description": "one of your clients: profile and injuries"})
    body = fields.Nested(BodySchema)
    weeks = fields.Integer(load_default=4, strict=True, validate=validate.Range(1, 12))
    seed = fields.Integer(
        strict=True,
        validate=validate.Range(0, MAX_SEED),
        metadata={"description": "same inputs and seed give the same draft; default random"},
    )
    meals_per_day = fields.Integer(load_default=4, strict=True, validate=validate.Range(2, 6))
    allergies = fields.List(
        fields.String(validate=_one_of(ALLERGENS)),
        load_default=list,
        validate=validate.Length(max=len(ALLERGENS)),
        metadata={"description": "allergens no food of the diet may carry (added to the client's)"},
    )
    dietary_preferences = fields.List(
        fields.String(validate=_one_of(DIETS)),
        load_default=list,
        validate=validate.Length(max=len(DIETS)),
        metadata={"description": "preferences every food of the diet suits (added to the client's)"},
    )
    unit_system = fields.String(
        validate=_one_of(UNIT_SYSTEMS), metadata={"description": "default: the client's, else yours"}
    )

"""Import records, their per-kind counts, and remembered exercise names."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.logs.schemas import Quantity
from fitbud.api.schemas import NonBlank, StrictSchema, Timestamp
from fitbud.models import ImportFormat, ImportStatus


class ImportKindCountsSchema(ma.Schema):
    """How many records of one kind the file held, how many were added, how many were already there."""

    found = fields.Integer()
    added = fields.Integer()
    already_there = fields.Integer()


class ImportSchema(ma.Schema):
    """One uploaded file: its format, where it is, what it held and added, or why it was refused."""

    id = fields.Integer(dump_only=True)
    client_id = fields.Integer()
    format = fields.Enum(
        ImportFormat, by_value=True, allow_none=True, metadata={"description": "Told from the content"}
    )
    file_name = fields.String()
    file_size = fields.Integer(metadata={"description": "Bytes"})
    status = fields.Enum(
        ImportStatus,
        by_value=True,
        metadata={
            "description": "queued or running (poll), finished, failed (see error), needs_mapping (name the "
            "unmatched exercises, then upload again), undone"
        },
    )
    progress = fields.Integer(metadata={"description": "Percent"})
    found = fields.Integer(metadata={"description": "Records in the file, all kinds"})
    added = fields.Integer()
    already_there = fields.Integer()
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ImportKindCountsSchema),
        metadata={"description": "Per kind: activities, workouts, body_metrics, daily_metrics"},
    )
    unmatched = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Exercise names the library does not know, with their number of sets"},
    )
    error = fields.String(allow_none=True)
    error_location = fields.String(allow_none=True, metadata={"example": "line 14"})
    created_at = Timestamp(dump_only=True)
    finished_at = Timestamp(allow_none=True)
    undone_at = Timestamp(allow_none=True)


class ExerciseNameMappingSchema(ma.Schema):
    """A name from another app and the library exercise it stands for."""

    name = fields.String(metadata={"description": "As compared: lower case, single spaces"})
    exercise_id = fields.Integer()


class ExerciseNameMappingEntrySchema(StrictSchema):
    """Map a name to an exercise, or forget it (exercise_id null)."""

    name = NonBlank(required=True, max_length=120)
    exercise_id = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=1))


class ExerciseNameMappingsUpdateSchema(StrictSchema):
    """Names to remember or forget, all in one go."""

    mappings = fields.List(
        fields.Nested(ExerciseNameMappingEntrySchema), required=True, validate=validate.Length(min=1, max=200)
    )


class ActivityLogSchema(ma.Schema):
    """One cardio activity: sport, start, duration, distance (your units), energy, heart rate, where it came from."""

    id = fields.Integer(dump_only=True)
    sport = fields.String(metadata={"example": "running"})
    started_at = Timestamp()
    performed_on = fields.Date(metadata={"description": "The start's calendar day where it happened"})
    duration_seconds = fields.Integer()
    distance_m = Quantity("distance", data_key="distance", allow_none=True)
    energy_kcal = fields.Float(allow_none=True)
    avg_heart_rate = fields.Integer(allow_none=True)
    max_heart_rate = fields.Integer(allow_none=True)
    elevation_gain_m = fields.Float(allow_none=True, metadata={"description": "Metres"})
    laps = fields.List(
        fields.Dict(), metadata={"description": "FIT laps: start, duration_seconds, distance_m, heart rate"}
    )
    source = fields.String(metadata={"description": "apple_health, fit or gpx"})

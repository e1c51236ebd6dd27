"""Request and response shapes of working hours, days off and free slots."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.services.inputs import AwareTimestamp, ClockTime, Weekday

# Adding working hours is shared with the dashboards' schedule page, so it lives in services/inputs.py.
from fitbud.services.inputs import WorkingHoursCreateSchema as WorkingHoursCreateSchema
from fitbud.services.scheduling import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES


class WorkingHoursSchema(ma.Schema):
    """One weekly interval of working hours, on the trainer's clock."""

    id = fields.Integer()
    weekday = fields.Integer()
    start_time = ClockTime()
    end_time = ClockTime()


class WorkingHoursUpdateSchema(StrictSchema):
    """Change an interval of your week."""

    weekday = Weekday()
    start_time = ClockTime()
    end_time = ClockTime()


class DayOffSchema(ma.Schema):
    """A day off, or part of one when times are given."""

    id = fields.Integer()
    on_date = fields.Date()
    start_time = ClockTime(allow_none=True)
    end_time = ClockTime(allow_none=True)
    whole_day = fields.Boolean()
    reason = fields.String()


class DayOffCreateSchema(StrictSchema):
    """Take a day off (no times) or part of one (both times)."""

    on_date = fields.Date(required=True)
    start_time = ClockTime(allow_none=True)
    end_time = ClockTime(allow_none=True)
    reason = fields.String(validate=validate.Length(max=200))


class DayOffUpdateSchema(StrictSchema):
    """Change a day off; null times make it a whole day."""

    on_date = fields.Date()
    start_time = ClockTime(allow_none=True)
    end_time = ClockTime(allow_none=True)
    reason = fields.String(validate=validate.Length(max=200))


class DayOffQueryArgsSchema(StrictSchema):
    """Optional date range of days off."""

    start = fields.Date(data_key="from")
    end = fields.Date(data_key="to")


class AvailabilityQueryArgsSchema(StrictSchema):
    """A range of at most 31 days and the slot length."""

    start = AwareTimestamp(data_key="from", required=True)
    end = AwareTimestamp(data_key="to", required=True)
    # Not strict: query strings carry numbers as text.
    length = fields.Integer(
        validate=validate.Range(MIN_DURATION_MINUTES, MAX_DURATION_MINUTES),
        load_default=60,
        metadata={"description": "Slot length in minutes"},
    )


class SlotSchema(ma.Schema):
    """One free slot."""

    starts_at = Timestamp()
    ends_at = Timestamp()
    starts_at_local = fields.String(metadata={"description": "The start on the viewer's clock"})


class AvailabilitySchema(ma.Schema):
    """Free slots of one trainer, in UTC and on the viewer's clock."""

    trainer_id = fields.Integer()
    timezone = fields.String(metadata={"description": "The zone of starts_at_local"})
    length_minutes = fields.Integer()
    start = Timestamp(data_key="from")
    end = Timestamp(data_key="to")
    slots = fields.List(fields.Nested(SlotSchema))

"""Request and response shapes of training sessions, series and slot requests."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.lean_schema import LeanSchema
from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.models import RequestStatus, SessionStatus, SessionType
from fitbud.services.inputs import AwareTimestamp, Duration, Location, MeetingUrl, SessionNotes

# Booking, series and move inputs are shared with the dashboards, so they live in services/inputs.py.
from fitbud.services.inputs import RecurrenceSchema as RecurrenceSchema
from fitbud.services.inputs import SeriesCreateSchema as SeriesCreateSchema
from fitbud.services.inputs import SessionCreateSchema as SessionCreateSchema
from fitbud.services.inputs import SessionUpdateSchema as SessionUpdateSchema
from fitbud.services.recurrence import local_iso
from fitbud.services.scheduling import SCOPES


class SessionSchema(LeanSchema):
    """A session in UTC, with both participants' timezones and local start times for display."""

    id = fields.Integer()
    trainer_id = fields.Integer()
    client_id = fields.Integer()
    client_name = fields.Function(lambda session: session.client.name)
    trainer_name = fields.Function(lambda session: session.trainer.name)
    series_id = fields.Integer(allow_none=True)
    series_index = fields.Integer(allow_none=True)
    starts_at = Timestamp()
    ends_at = Timestamp()
    duration_minutes = fields.Integer()
    type = fields.Enum(SessionType, by_value=True)
    status = fields.Enum(SessionStatus, by_value=True)
    location = fields.String(allow_none=True)
    meeting_url = fields.String(allow_none=True)
    notes = fields.String()
    trainer_timezone = fields.Function(lambda session: session.trainer.timezone)
    client_timezone = fields.Function(lambda session: session.client.timezone)
    starts_at_trainer_local = fields.Function(
        lambda session: local_iso(session.starts_at, session.trainer.timezone),
        metadata={"description": "The start on the trainer's clock, ISO 8601 with that zone's offset"},
    )
    starts_at_client_local = fields.Function(
        lambda session: local_iso(session.starts_at, session.client.timezone),
        metadata={"description": "The start on the client's clock, ISO 8601 with that zone's offset"},
    )
    status_changed_at = Timestamp(allow_none=True)
    status_changed_by_id = fields.Integer(allow_none=True)
    cancellation_reason = fields.String(allow_none=True)
    revision = fields.Integer()
    created_at = Timestamp()
    updated_at = Timestamp()


class SeriesSchema(ma.Schema):
    """A weekly series and the sessions it expanded into."""

    id = fields.Integer()
    client_id = fields.Integer()
    timezone = fields.String()
    local_start_time = fields.Time(format="%H:%M")
    duration_minutes = fields.Integer()
    weekdays = fields.List(fields.String())
    interval = fields.Integer()
    count = fields.Integer(allow_none=True)
    until = fields.Date(allow_none=True)
    rrule = fields.String()
    first_starts_at = Timestamp()
    sessions = fields.List(fields.Nested(SessionSchema))


class SessionStatusChangeSchema(StrictSchema):
    """Complete, cancel or mark a no-show; a cancellation may take the series' following ones."""

    status = fields.Enum(
        SessionStatus,
        by_value=True,
        required=True,
        validate=validate.NoneOf([SessionStatus.SCHEDULED], error="A session cannot go back to scheduled."),
    )
    reason = fields.String(allow_none=True, validate=validate.Length(max=500))
    scope = fields.String(validate=validate.OneOf(SCOPES), load_default="this")


class SessionQueryArgsSchema(StrictSchema):
    """A calendar range (at most 366 days) and optional filters."""

    start = AwareTimestamp(data_key="from", required=True)
    end = AwareTimestamp(data_key="to", required=True)
    client_id = fields.Integer(strict=False)
    status = fields.Enum(SessionStatus, by_value=True)


class ClientSessionQueryArgsSchema(StrictSchema):
    """A range (default: the coming year) and an optional status."""

    start = AwareTimestamp(data_key="from")
    end = AwareTimestamp(data_key="to")
    status = fields.Enum(SessionStatus, by_value=True)


class ClientCancelSchema(StrictSchema):
    """Why you cancel (optional; your trainer sees it)."""

    reason = fields.String(allow_none=True, validate=validate.Length(max=500))


class SessionRequestSchema(ma.Schema):
    """A client's request for a slot, and what became of it."""

    id = fields.Integer()
    trainer_id = fields.Integer()
    client_id = fields.Integer()
    client_name = fields.Function(lambda request: request.client.name)
    starts_at = Timestamp()
    ends_at = Timestamp()
    duration_minutes = fields.Integer()
    type = fields.Enum(SessionType, by_value=True)
    note = fields.String()
    status = fields.Enum(RequestStatus, by_value=True)
    decided_at = Timestamp(allow_none=True)
    decline_reason = fields.String(allow_none=True)
    session_id = fields.Integer(allow_none=True)
    created_at = Timestamp()


class SessionRequestCreateSchema(StrictSchema):
    """Ask your trainer for a session in one of their free slots."""

    starts_at = AwareTimestamp(required=True)
    duration_minutes = Duration(load_default=60)
    type = fields.Enum(SessionType, by_value=True, load_default=SessionType.IN_PERSON)
    note = fields.String(validate=validate.Length(max=1000))


class RequestQueryArgsSchema(StrictSchema):
    """Filter requests by status."""

    status = fields.Enum(RequestStatus, by_value=True)


class RequestAcceptSchema(StrictSchema):
    """Accept a request; optionally set the details of the session it becomes."""

    type = fields.Enum(SessionType, by_value=True)
    location = Location()
    meeting_url = MeetingUrl()
    notes = SessionNotes()
    allow_overlap = fields.Boolean()


class RequestDeclineSchema(StrictSchema):
    """Decline a request, optionally telling the client why."""

    reason = fields.String(allow_none=True, validate=validate.Length(max=500))

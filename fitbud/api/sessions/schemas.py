"""Request and response shapes of training sessions, series and slot requests."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import ValidationError, fields, validate, validates_schema

from fitbud.api.lean_schema import LeanSchema
from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.models import RequestStatus, SessionStatus, SessionType
from fitbud.services.recurrence import MAX_OCCURRENCES, WEEKDAY_CODES, local_iso
from fitbud.services.scheduling import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, SCOPES


def AwareTimestamp(**kwargs) -> fields.AwareDateTime:  # noqa: N802 - reads like a field class
    """An ISO 8601 timestamp that must carry its offset: a naive time is ambiguous (422)."""
    kwargs.setdefault("error_messages", {"invalid_awareness": "Give a UTC offset, e.g. 2026-03-30T07:00:00+01:00."})
    return fields.AwareDateTime(format="iso", **kwargs)


def Duration(**kwargs) -> fields.Integer:  # noqa: N802
    """Length of a session in whole minutes."""
    return fields.Integer(strict=True, validate=validate.Range(MIN_DURATION_MINUTES, MAX_DURATION_MINUTES), **kwargs)


def _location(**kwargs) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=300), **kwargs)


def _meeting_url(**kwargs) -> fields.Url:
    return fields.Url(
        allow_none=True,
        schemes={"http", "https"},
        validate=validate.Length(max=500),
        metadata={"description": "Video call link for online sessions"},
        **kwargs,
    )


def _notes(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=5000), **kwargs)


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


class SessionCreateSchema(StrictSchema):
    """Book one session for one of your clients."""

    client_id = fields.Integer(required=True, strict=True)
    starts_at = AwareTimestamp(required=True)
    duration_minutes = Duration(required=True)
    type = fields.Enum(SessionType, by_value=True, required=True)
    location = _location()
    meeting_url = _meeting_url()
    notes = _notes()
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
    location = _location()
    meeting_url = _meeting_url()
    notes = _notes(allow_none=True)
    scope = fields.String(validate=validate.OneOf(SCOPES), metadata={"description": "Default: this"})
    allow_overlap = fields.Boolean()


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
    location = _location()
    meeting_url = _meeting_url()
    notes = _notes()
    allow_overlap = fields.Boolean()


class RequestDeclineSchema(StrictSchema):
    """Decline a request, optionally telling the client why."""

    reason = fields.String(allow_none=True, validate=validate.Length(max=500))

"""Shapes of the activity feed."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.models import ActivityType
from fitbud.services.feed import DEFAULT_LIMIT, MAX_LIMIT


class FeedArgsSchema(StrictSchema):
    """Cursor (`before`: an event id from `next_before`), page size, and filters."""

    before = fields.Integer(validate=validate.Range(min=1))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    client_id = fields.Integer(validate=validate.Range(min=1))
    type = fields.Enum(ActivityType, by_value=True)


class FeedEventSchema(ma.Schema):
    """One thing that happened with one of your clients."""

    id = fields.Integer(attribute="event.id")
    client_id = fields.Integer(attribute="event.client_id")
    client_name = fields.String()
    type = fields.Enum(ActivityType, by_value=True, attribute="event.type")
    occurred_at = Timestamp(attribute="event.occurred_at")
    summary = fields.String(attribute="event.summary")
    payload = fields.Dict(attribute="event.payload")


class FeedPageSchema(ma.Schema):
    """Newest first; pass `next_before` as `before` for the next page (null: no more)."""

    items = fields.List(fields.Nested(FeedEventSchema))
    next_before = fields.Integer(allow_none=True)

"""Response shape of a calendar feed address."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from fitbud.api.schemas import Timestamp


class CalendarFeedSchema(ma.Schema):
    """Your secret calendar address; anyone with it can read your sessions, so rotate it if shared."""

    url = fields.String(metadata={"description": "https address for Google Calendar ('From URL')"})
    webcal_url = fields.String(metadata={"description": "webcal:// address for Apple Calendar"})
    created_at = Timestamp()
    rotated_at = Timestamp(allow_none=True)

"""Request and response shapes of accepting an invitation."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import NonBlank, StrictSchema, UserSchema


class AcceptInvitationSchema(StrictSchema):
    """The token from the invitation link, the new password, and optionally the name to use."""

    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    name = NonBlank(max_length=120)


class AcceptedInvitationSchema(ma.Schema):
    """The new client login, already signed in."""

    user = fields.Nested(UserSchema)
    access_token = fields.String(attribute="tokens.access_token")
    refresh_token = fields.String(attribute="tokens.refresh_token")
    token_type = fields.String(attribute="tokens.token_type")
    expires_in = fields.Integer(
        attribute="tokens.expires_in", metadata={"description": "Access token lifetime, seconds"}
    )

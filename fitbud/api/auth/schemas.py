"""Request and response shapes of the auth endpoints."""

from __future__ import annotations

from marshmallow import fields, validate

from fitbud.api.schemas import EmailField, NonBlank, StrictSchema, UserSchema


class RegisterSchema(StrictSchema):
    """Trainer sign-up."""

    email = EmailField(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    name = NonBlank(required=True, max_length=120)


class LoginSchema(StrictSchema):
    """Email and password."""

    email = EmailField(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class TokenPairSchema(StrictSchema):
    """A freshly issued pair of tokens."""

    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True, metadata={"description": "Access token lifetime, seconds"})


__all__ = ["LoginSchema", "RegisterSchema", "TokenPairSchema", "UserSchema"]

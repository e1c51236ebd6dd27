"""Request and response shapes of the auth endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from fitbud.api.schemas import EmailField, NonBlank, StrictSchema, UserSchema
from fitbud.auth.passwords import MIN_PASSWORD_LENGTH


class RegisterSchema(StrictSchema):
    """Trainer sign-up."""

    email = EmailField(required=True)
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=256),
        metadata={
            "description": "At least 10 characters, not the email, not a common password.",
            "minLength": MIN_PASSWORD_LENGTH,
        },
    )
    name = NonBlank(required=True, max_length=120)


class LoginSchema(StrictSchema):
    """Email and password."""

    email = EmailField(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class VerifyEmailSchema(StrictSchema):
    """The token from an email-verification (or email-change) link."""

    token = fields.String(required=True, validate=validate.Length(min=1, max=300))


class ForgotPasswordSchema(StrictSchema):
    """The address to send a reset link to."""

    email = EmailField(required=True)


class ResetPasswordSchema(StrictSchema):
    """The token from a reset link and the new password."""

    token = fields.String(required=True, validate=validate.Length(min=1, max=300))
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=256),
        metadata={
            "description": "At least 10 characters, not the email, not a common password.",
            "minLength": MIN_PASSWORD_LENGTH,
        },
    )


class NoticeSchema(Schema):
    """A message for the person (what happens next)."""

    message = fields.String(required=True)


class TokenPairSchema(Schema):
    """A freshly issued pair of tokens, and the account they sign in (as accept-invite answers)."""

    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(
        required=True, metadata={"description": "Seconds until the access token expires."}
    )
    user = fields.Nested(
        UserSchema,
        required=True,
        metadata={"description": "Whose tokens these are: the account's id (a user id), role and names."},
    )


__all__ = [
    "ForgotPasswordSchema",
    "LoginSchema",
    "NoticeSchema",
    "RegisterSchema",
    "ResetPasswordSchema",
    "TokenPairSchema",
    "UserSchema",
    "VerifyEmailSchema",
]

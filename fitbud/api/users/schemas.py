"""Request and response shapes of the current user's account endpoints."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from fitbud.api.schemas import EmailField, NonBlank, StrictSchema, Timezone, UserSchema
from fitbud.services.accounts import UNIT_SYSTEMS


class MeSchema(UserSchema):
    """Your account, with the new address waiting for its confirmation link, if any."""

    pending_email = fields.Email(
        dump_only=True,
        allow_none=True,
        metadata={"description": "A new address whose confirmation link has not been used yet."},
    )


class UserUpdateSchema(StrictSchema):
    """Fields a user may change on their own account; send only those that change."""

    name = NonBlank(max_length=120)
    email = EmailField()
    timezone = Timezone()
    unit_system = fields.String(validate=validate.OneOf(UNIT_SYSTEMS))
    current_password = fields.String(
        load_only=True,
        validate=validate.Length(max=256),
        metadata={"description": "Required with new_password or a new email."},
    )
    new_password = fields.String(
        load_only=True,
        validate=validate.Length(max=256),
        metadata={
            "description": "At least 10 characters, not your email, not a common password. "
            "Ends your other sessions; this one stays logged in."
        },
    )

    @validates_schema
    def _new_password_needs_the_current_one(self, data, **_kwargs):
        if "new_password" in data and not data.get("current_password"):
            raise ValidationError("Required to change the password.", "current_password")

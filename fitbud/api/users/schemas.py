"""Request shapes of the current user's account endpoints."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from fitbud.api.schemas import EmailField, NonBlank, StrictSchema
from fitbud.services.accounts import UNIT_SYSTEMS


class UserUpdateSchema(StrictSchema):
    """Fields a user may change on their own account."""

    name = NonBlank(max_length=120)
    email = EmailField()
    timezone = fields.String(validate=validate.Length(min=1, max=64))
    unit_system = fields.String(validate=validate.OneOf(UNIT_SYSTEMS))
    current_password = fields.String(load_only=True, validate=validate.Length(max=256))
    new_password = fields.String(load_only=True, validate=validate.Length(max=256))

    @validates_schema
    def _password_change_needs_current(self, data, **_kwargs):
        if "new_password" in data and not data.get("current_password"):
            raise ValidationError("Required to change the password.", "current_password")

"""Schema building blocks shared by every domain's schemas."""

from __future__ import annotations

from datetime import UTC

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.auth.roles import Role
from fitbud.services.accounts import is_timezone

# The input building blocks live with the input shapes the dashboards share (services/inputs.py).
from fitbud.services.inputs import NonBlank as NonBlank
from fitbud.services.inputs import StrictSchema as StrictSchema


def Timestamp(**kwargs) -> fields.AwareDateTime:  # noqa: N802 - reads like a field class
    """An ISO 8601 timestamp with offset; naive input is taken as UTC."""
    return fields.AwareDateTime(format="iso", default_timezone=UTC, **kwargs)


def Timezone(**kwargs) -> fields.String:  # noqa: N802
    """An IANA timezone name such as "Europe/London"; anything else is a 422."""
    kwargs.setdefault("metadata", {}).setdefault("example", "Europe/London")
    return fields.String(validate=[validate.Length(min=1, max=64), _is_timezone], **kwargs)


def _is_timezone(value: str) -> None:
    if not is_timezone(value):
        raise ma.ValidationError("Not an IANA timezone (for example Europe/London).")


class EmailField(fields.Email):
    """An email address, trimmed and lower-cased before it is validated or compared."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("validate", validate.Length(max=254))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)


class UserSchema(ma.Schema):
    """A user as others see it: never the password hash."""

    id = fields.Integer(dump_only=True)
    email = fields.Email(dump_only=True)
    name = fields.String(dump_only=True)
    role = fields.Enum(Role, by_value=True, dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    timezone = fields.String(dump_only=True)
    unit_system = fields.String(dump_only=True)
    created_at = Timestamp(dump_only=True)
    last_login_at = Timestamp(dump_only=True, allow_none=True)
    email_verified = fields.Boolean(
        dump_only=True, metadata={"description": "Whether the owner proved the address with the emailed link."}
    )

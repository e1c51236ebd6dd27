"""Request shapes of the admin account endpoints."""

from __future__ import annotations

from marshmallow import fields, validate

from fitbud.api.schemas import StrictSchema
from fitbud.auth.roles import Role


class UserQueryArgsSchema(StrictSchema):
    """Filters for the user list."""

    role = fields.Enum(Role, by_value=True, metadata={"description": "Only accounts of this role."})
    q = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Part of the email or name (case-insensitive)."},
    )


class AdminUserUpdateSchema(StrictSchema):
    """What an admin may change on an account."""

    is_active = fields.Boolean(required=True)

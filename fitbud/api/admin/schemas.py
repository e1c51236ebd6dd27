"""Request shapes of the admin account endpoints."""

from __future__ import annotations

from marshmallow import fields, validate

from fitbud.api.schemas import StrictSchema
from fitbud.auth.roles import Role


class UserQueryArgsSchema(StrictSchema):
    """Filters for the user list."""

    role = fields.Enum(Role, by_value=True)
    q = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "Search email or name"})


class AdminUserUpdateSchema(StrictSchema):
    """What an admin may change on an account."""

    is_active = fields.Boolean(required=True)

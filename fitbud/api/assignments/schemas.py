"""Request and response shapes of plan assignments (snapshots given to a client)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.models import AssignmentStatus, PlanKind
from fitbud.services.local_time import local_today
from fitbud.services.plans import totals_of


class AssignmentCreateSchema(StrictSchema):
    """Which of your templates to give the client, from which day (in the client's timezone)."""

    plan_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    start_date = fields.Date(required=True)
    acknowledge_allergens = fields.Boolean(
        load_default=False,
        metadata={
            "description": "assign a diet even though it holds foods with the client's allergens "
            "(otherwise 409 naming them); recorded on the assignment"
        },
    )


class AssignmentEndSchema(StrictSchema):
    """The last day the plan applies (default: today in the client's timezone)."""

    end_date = fields.Date()


class AssignmentQueryArgsSchema(StrictSchema):
    """Filter the history by kind."""

    kind = fields.Enum(PlanKind, by_value=True)


def _status(assignment) -> str:
    return assignment.status_on(local_today(assignment.client)).value


class AssignmentListItemSchema(ma.Schema):
    """An assignment in a client's history (without its content)."""

    id = fields.Integer()
    client_id = fields.Integer()
    plan_id = fields.Integer(allow_none=True, metadata={"description": "null once the template is deleted"})
    kind = fields.Enum(PlanKind, by_value=True)
    name = fields.String()
    plan_version = fields.Integer()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    status = fields.Function(
        _status,
        metadata={"description": ", ".join(s.value for s in AssignmentStatus) + " (today, client's timezone)"},
    )
    created_at = Timestamp()


class AcknowledgedAllergenSchema(ma.Schema):
    """A food the trainer knowingly assigned although it carries some of the client's allergens."""

    food = fields.String()
    allergens = fields.List(fields.String())


class AssignmentSchema(AssignmentListItemSchema):
    """An assignment with its snapshot content (and totals for a diet); it never changes."""

    content = fields.Raw()
    totals = fields.Function(totals_of)
    allergens_acknowledged_at = Timestamp(
        allow_none=True, metadata={"description": "when the trainer assigned it with acknowledge_allergens"}
    )
    acknowledged_allergens = fields.List(fields.Nested(AcknowledgedAllergenSchema), allow_none=True)

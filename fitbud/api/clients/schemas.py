"""Request and response shapes of the client endpoints (heights and weights in the caller's units)."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from marshmallow import fields, validate

from fitbud.api.lean_schema import LeanSchema
from fitbud.api.schemas import EmailField, NonBlank, StrictSchema, Timestamp
from fitbud.api.unit_fields import Length, Mass, units_of_caller
from fitbud.data.foods import ALLERGENS, DIETS
from fitbud.models import ClientGoal, Sex
from fitbud.services.clients import CLIENT_SORTS, health_of
from fitbud.services.dietary import MAX_FREE_TEXT, dietary_of

HEIGHT_CM = {"si_min": 50.0, "si_max": 272.0}
WEIGHT_KG = {"si_min": 20.0, "si_max": 400.0}
OLDEST_BIRTH_DATE = date(1900, 1, 1)


def _born_in_the_past(value: date) -> None:
    if value >= date.today() or value < OLDEST_BIRTH_DATE:
        raise ma.ValidationError("Must be a past date after 1900-01-01.")


def _health_list() -> fields.List:
    return fields.List(NonBlank(max_length=200), validate=validate.Length(max=50))


class HealthDetailsSchema(StrictSchema):
    """Health details: each a list of short entries. On update, a list given replaces that list."""

    injuries = _health_list()
    conditions = _health_list()
    medications = _health_list()
    allergies = _health_list()


def _distinct(values: list) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Values must not repeat.")


def _vocabulary_list(values: tuple[str, ...], description: str) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(values, error="Must be one of: {choices}.")),
        validate=[validate.Length(max=len(values)), _distinct],
        metadata={"description": description, "uniqueItems": True},
    )


ALLERGIES_DESCRIPTION = "allergens of the 14 that food law names; diets never include a food carrying one"
PREFERENCES_DESCRIPTION = "dietary preferences every food of a generated diet suits"


class _DietaryInput(StrictSchema):
    """Allergies and dietary preferences; each field given replaces its value."""

    allergies = _vocabulary_list(ALLERGENS, ALLERGIES_DESCRIPTION)
    other_allergies = fields.String(
        validate=validate.Length(max=MAX_FREE_TEXT),
        metadata={"description": "allergies outside the 14, as free text (comma-separated)"},
    )
    dietary_preferences = _vocabulary_list(DIETS, PREFERENCES_DESCRIPTION)
    dislikes = fields.String(
        validate=validate.Length(max=MAX_FREE_TEXT),
        metadata={"description": "foods the client dislikes, comma-separated; generated diets leave them out"},
    )


class _ProfileInput(_DietaryInput):
    """Profile fields the trainer and the client may both set."""

    goals = fields.List(
        fields.Enum(ClientGoal, by_value=True), validate=validate.Length(max=len(ClientGoal))
    )
    goal_notes = fields.String(validate=validate.Length(max=500))
    date_of_birth = fields.Date(allow_none=True, validate=_born_in_the_past)
    sex = fields.Enum(Sex, by_value=True, allow_none=True)
    height = Length(attribute="height_cm", data_key="height", allow_none=True, **HEIGHT_CM)
    starting_weight = Mass(attribute="starting_weight_kg", data_key="starting_weight", allow_none=True, **WEIGHT_KG)
    timezone = fields.String(validate=validate.Length(min=1, max=64))
    health = fields.Nested(HealthDetailsSchema)


class _TrainerInput(_ProfileInput):
    is_active = fields.Boolean()
    tags = fields.List(NonBlank(max_length=40), validate=validate.Length(max=20))
    private_notes = fields.String(allow_none=True, validate=validate.Length(max=10000))


class ClientCreateSchema(_TrainerInput):
    """A new client: who they are and, optionally, their profile."""

    email = EmailField(required=True)
    name = NonBlank(required=True, max_length=120)


class ClientUpdateSchema(_TrainerInput):
    """Changes to a client; `archived: false` restores an archived client."""

    email = EmailField(metadata={"description": "Only while the client has no login."})
    name = NonBlank(max_length=120)
    archived = fields.Boolean()


class ClientQueryArgsSchema(StrictSchema):
    """Search, filters and order of the client list."""

    q = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "Search name or email"})
    is_active = fields.Boolean()
    goal = fields.Enum(ClientGoal, by_value=True)
    archived = fields.Boolean(load_default=False, metadata={"description": "List archived clients instead"})
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(list(CLIENT_SORTS)),
        metadata={"description": "name, created or last_activity; prefix - for descending"},
    )


class ClientDeleteQueryArgsSchema(StrictSchema):
    """Archive by default; purge deletes everything."""

    purge = fields.Boolean(load_default=False)


class ClientPurgeSchema(StrictSchema):
    """Required to purge: the client's exact name."""

    confirm_name = fields.String(validate=validate.Length(max=120))


class UnitsSchema(ma.Schema):
    """The units measurements are given in for the caller."""

    system = fields.String()
    mass = fields.String()
    length = fields.String()


def _dietary_output(key: str, schema: dict, description: str | None = None) -> fields.Function:
    # A Function field has no type of its own: the metadata gives the OpenAPI one.
    metadata = {**schema, **({"description": description} if description else {})}
    return fields.Function(lambda client: dietary_of(client)[key], metadata=metadata)


_TEXT = {"type": "string"}


class _DietaryOutput(LeanSchema):
    """Allergies and dietary preferences, as stored (only on schemas whose rows load them)."""

    allergies = _dietary_output(
        "allergies", {"type": "array", "items": {"type": "string", "enum": list(ALLERGENS)}}, ALLERGIES_DESCRIPTION
    )
    other_allergies = _dietary_output("other_allergies", _TEXT, "allergies outside the 14, as free text")
    dietary_preferences = _dietary_output(
        "dietary_preferences", {"type": "array", "items": {"type": "string", "enum": list(DIETS)}},
        PREFERENCES_DESCRIPTION,
    )
    dislikes = _dietary_output("dislikes", _TEXT, "foods the client dislikes, comma-separated")


class _ProfileOutput(LeanSchema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    timezone = fields.String()
    goals = fields.List(fields.String())
    goal_notes = fields.String()
    date_of_birth = fields.Date(allow_none=True)
    sex = fields.Enum(Sex, by_value=True, allow_none=True)
    height = Length(attribute="height_cm", allow_none=True, **HEIGHT_CM)
    starting_weight = Mass(attribute="starting_weight_kg", allow_none=True, **WEIGHT_KG)
    units = fields.Function(lambda _client: units_of_caller(), metadata={"description": "Units of height/weight"})
    created_at = Timestamp()
    updated_at = Timestamp()


class ClientListItemSchema(_ProfileOutput):
    """A client in the trainer's list (no notes or health details)."""

    is_active = fields.Boolean()
    archived_at = Timestamp(allow_none=True)
    last_activity_at = Timestamp(allow_none=True)
    tags = fields.List(fields.String())
    has_login = fields.Function(lambda client: client.user_id is not None)


class ClientProfileSchema(ClientListItemSchema, _DietaryOutput):
    """A client as their trainer sees them, private notes, health and dietary details included."""

    private_notes = fields.String(allow_none=True)
    health = fields.Function(health_of)


class ClientCreatedSchema(ma.Schema):
    """The new client, and when the invitation emailed to them expires.

    The link goes only to the client's address (accepting it proves the address is theirs).
    """

    client = fields.Nested(ClientProfileSchema)
    invitation_expires_at = Timestamp()


class InvitationIssuedSchema(ma.Schema):
    """A new invitation, emailed to the client; when it expires."""

    sent_to = fields.Email(attribute="invitation.sent_to")
    expires_at = Timestamp()


class TrainerBriefSchema(ma.Schema):
    """Who coaches the client."""

    id = fields.Integer()
    name = fields.String()


class OwnProfileSchema(_ProfileOutput, _DietaryOutput):
    """A client's own profile: never their trainer's notes, tags or the active status."""

    health = fields.Function(health_of)
    trainer = fields.Nested(TrainerBriefSchema)


class OwnProfileUpdateSchema(_ProfileInput):
    """What a client may change in their own profile."""

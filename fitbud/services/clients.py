"""Clients: a trainer's roster, each client's profile, archiving and purging; and a client's own profile.

Every query is scoped to the caller (the trainer who owns the client, or the client's own login),
so someone else's client is simply not found (404). Measurements arrive and leave in SI units;
the API layer converts them to and from the caller's unit system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from fitbud.auth.roles import Role
from fitbud.errors import ConflictError, InvalidInputError
from fitbud.extensions import db
from fitbud.models import Client, ClientGoal, ClientInvitation, User, utcnow
from fitbud.models.client import DIETARY_KEYS, HEALTH_KEYS
from fitbud.models.types import json_array_contains
from fitbud.services import cache_invalidation, dietary, identity, invitations
from fitbud.services.accounts import normalize_email, validate_timezone
from fitbud.services.client_scope import own_client, trainer_client

# Profile fields that both the trainer and the client may set (besides health and dietary details).
SHARED_PROFILE_FIELDS = (
    "goals",
    "goal_notes",
    "date_of_birth",
    "sex",
    "height_cm",
    "starting_weight_kg",
)
# Fields only the trainer sets: the client never sees notes, tags or their active status.
TRAINER_ONLY_FIELDS = ("name", "is_active", "tags", "private_notes")

CLIENT_SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (Client.name.asc(),),
    "-name": (Client.name.desc(),),
    "created": (Client.created_at.asc(),),
    "-created": (Client.created_at.desc(),),
    # Clients who never logged anything sort last either way.
    "last_activity": (Client.last_activity_at.asc().nulls_last(),),
    "-last_activity": (Client.last_activity_at.desc().nulls_last(),),
}

# What the client list shows (api/clients/schemas.ClientListItemSchema reads these by name).
LIST_COLUMNS = (
    Client.id,
    Client.email,
    Client.name,
    Client.timezone,
    Client.goals,
    Client.goal_notes,
    Client.date_of_birth,
    Client.sex,
    Client.height_cm,
    Client.starting_weight_kg,
    Client.is_active,
    Client.archived_at,
    Client.last_activity_at,
    Client.tags,
    Client.user_id,
    Client.created_at,
    Client.updated_at,
)


@dataclass(frozen=True)
class CreatedClient:
    """A new client and when their invitation expires.

    The invitation link itself goes only to the client's address: the accept proves that the
    person who sets the password owns it, so the trainer never sees the link.
    """

    client: Client
    invitation_expires_at: datetime


def empty_health() -> dict[str, list[str]]:
    """Health details with nothing recorded."""
    return {key: [] for key in HEALTH_KEYS}


def health_of(client: Client) -> dict[str, list[str]]:
    """The client's health details, every key present."""
    return {**empty_health(), **(client.health_details or {})}


def _clean_goals(goals: list[ClientGoal | str]) -> list[str]:
    # Keep the order the trainer gave, once each.
    return list(dict.fromkeys(ClientGoal(goal).value for goal in goals))


def _clean_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))


def _apply_profile(client: Client, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for field in fields:
        if field not in data:
            continue
        value = data[field]
        if field == "goals":
            value = _clean_goals(value or [])
        elif field == "tags":
            value = _clean_tags(value or [])
        elif field == "goal_notes":
            value = (value or "").strip()
        elif field == "private_notes" and value is not None:
            value = value.strip() or None
        setattr(client, field, value)
    if "timezone" in data:
        client.timezone = validate_timezone(data["timezone"])
    if "health" in data:
        # Each list given replaces that list; lists not given stay as they were.
        merged = health_of(client)
        for key, items in (data["health"] or {}).items():
            merged[key] = list(dict.fromkeys(item.strip() for item in items if item.strip()))
        client.health_details = merged
    if any(key in data for key in DIETARY_KEYS):
        # Keys given replace their value; keys not given stay as they were.
        client.dietary_details = dietary.merged_dietary(client, data)


def _email_in_use() -> ConflictError:
    return ConflictError(
        "You already have a client with this email.", errors={"email": ["already one of your clients"]}
    )


def create_client(trainer: User, data: dict[str, Any]) -> CreatedClient:
    """Add a client to the trainer's roster and email them a single-use invitation (7 days).

    An account whose own address is unproven may not email anyone through Fitbud: 403.
    """
    identity.require_verified(trainer, "invite clients")
    email = normalize_email(data["email"])
    if _find_by_email(trainer.id, email) is not None:
        raise _email_in_use()
    client = Client(trainer_id=trainer.id, email=email, name=data["name"].strip(), goals=[], tags=[])
    _apply_profile(client, data, SHARED_PROFILE_FIELDS + TRAINER_ONLY_FIELDS)
    db.session.add(client)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _email_in_use() from None
    issued = invitations.issue(client)
    invitations.send(issued, trainer.name)
    db.session.commit()
    return CreatedClient(
        client=get_client(trainer, client.id), invitation_expires_at=issued.expires_at
    )


def _find_by_email(trainer_id: int, email: str) -> Client | None:
    return db.session.execute(
        select(Client).where(Client.trainer_id == trainer_id, Client.email == email)
    ).scalar_one_or_none()


def list_clients(
    trainer: User,
    *,
    search: str | None = None,
    is_active: bool | None = None,
    goal: ClientGoal | None = None,
    archived: bool = False,
    sort: str = "name",
) -> Select:
    """The trainer's clients as a statement for the caller to paginate: rows of LIST_COLUMNS, no private fields.

    Plain rows rather than Client objects: a page of 50 is read-only, and the ORM's identity map
    and change tracking were a large part of the list's time.
    """
    statement = select(*LIST_COLUMNS).where(Client.trainer_id == trainer.id)
    statement = statement.where(Client.archived_at.is_not(None) if archived else Client.archived_at.is_(None))
    if search:
        pattern = f"%{_escape_like(search.strip().lower())}%"
        statement = statement.where(
            or_(func.lower(Client.name).like(pattern, escape="\\"), Client.email.like(pattern, escape="\\"))
        )
    if is_active is not None:
        statement = statement.where(Client.is_active.is_(is_active))
    if goal is not None:
        statement = statement.where(json_array_contains(Client.goals, ClientGoal(goal).value))
    return statement.order_by(*CLIENT_SORTS[sort], Client.id.asc())


def client_rows(
    trainer: User, *, search: str | None = None, sort: str = "name", archived: bool = False
) -> list[Row[Any]]:
    """The trainer's current (or archived) clients as rows of LIST_COLUMNS, in list_clients' scope and order."""
    return list(db.session.execute(list_clients(trainer, search=search, sort=sort, archived=archived)).all())


def client_names(trainer: User, client_ids: list[int]) -> dict[int, str]:
    """The names of those of `client_ids` that are the trainer's clients (archived ones too)."""
    if not client_ids:
        return {}
    rows = db.session.execute(
        select(Client.id, Client.name).where(Client.trainer_id == trainer.id, Client.id.in_(set(client_ids)))
    ).all()
    return {client_id: name for client_id, name in rows}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_client(trainer: User, client_id: int) -> Client:
    """One of the trainer's clients with their private notes and health details, or 404."""
    return trainer_client(trainer, client_id, private=True)


def update_client(trainer: User, client_id: int, data: dict[str, Any]) -> Client:
    """Change a client's profile, notes, health details, status; `archived: false` restores them."""
    client = get_client(trainer, client_id)
    if "email" in data:
        email = normalize_email(data["email"])
        if email != client.email:
            if client.user_id is not None:
                raise ConflictError(
                    "This client already has a login; they change their email themselves.",
                    errors={"email": ["the client has a login"]},
                )
            if _find_by_email(trainer.id, email) is not None:
                raise _email_in_use()
            client.email = email
    if "name" in data:
        data = {**data, "name": data["name"].strip()}
    _apply_profile(client, data, SHARED_PROFILE_FIELDS + TRAINER_ONLY_FIELDS)
    if "timezone" in data and client.user_id is not None:
        # One timezone for the person, as in update_own_profile: their account follows.
        db.session.get_one(User, client.user_id).timezone = client.timezone
    if "archived" in data:
        if data["archived"] and client.archived_at is None:
            client.archived_at = utcnow()
            invitations.revoke_open(client.id)
        elif not data["archived"]:
            client.archived_at = None
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _email_in_use() from None
    return get_client(trainer, client_id)


def archive_client(trainer: User, client_id: int) -> None:
    """Hide a client from the roster, keeping all their data; pending invitations stop working."""
    client = trainer_client(trainer, client_id)
    if client.archived_at is None:
        client.archived_at = utcnow()
    invitations.revoke_open(client.id)
    db.session.commit()


def purge_client(trainer: User, client_id: int, confirm_name: str | None) -> None:
    """Delete a client, their login and everything recorded about them; `confirm_name` must match."""
    client = trainer_client(trainer, client_id)
    if confirm_name is None or confirm_name != client.name:
        raise InvalidInputError(
            "Type the client's exact name to confirm deleting all their data.",
            errors={"confirm_name": ["does not match the client's name"]},
        )
    login_id = client.user_id
    cache_invalidation.mark_changed(db.session, trainer.id)
    # The foreign keys cascade: assignments, logs, check-ins, sessions and invitations go too.
    db.session.execute(delete(Client).where(Client.id == client.id))
    if login_id is not None:
        db.session.execute(delete(User).where(User.id == login_id, User.role == Role.CLIENT))
        cache_invalidation.mark_users_changed(db.session, [login_id])
    db.session.commit()


def own_profile(user: User) -> Client:
    """A client login's own record with their health details and trainer, or 404."""
    return own_client(user, private=True, with_trainer=True)


def update_own_profile(user: User, data: dict[str, Any]) -> Client:
    """A client changes their own profile and health details (never notes, tags or status)."""
    client = own_profile(user)
    _apply_profile(client, data, SHARED_PROFILE_FIELDS)
    if "timezone" in data:
        # One timezone for the person: their account and the day their plan is counted in.
        user.timezone = client.timezone
    db.session.commit()
    return own_profile(user)


def restore_client(trainer: User, client_id: int) -> Client:
    """Bring an archived client back to the roster (their invitation stays revoked: resend one)."""
    return update_client(trainer, client_id, {"archived": False})


def revoke_invitation(trainer: User, client_id: int) -> None:
    """Stop the client's open invitation link from working (a client who already has a login: 409)."""
    client = trainer_client(trainer, client_id, for_update=True)
    if client.user_id is not None:
        raise ConflictError(
            "This client already accepted the invitation and has a login.",
            errors={"client": ["already has a login"]},
        )
    invitations.revoke_open(client.id)
    db.session.commit()


def open_invitation(trainer: User, client_id: int) -> ClientInvitation | None:
    """The trainer's client's invitation that still works, if any (where it was sent, until when)."""
    client = trainer_client(trainer, client_id)
    return invitations.open_invitation(client.id)


def resend_invitation(trainer: User, client_id: int) -> invitations.IssuedInvitation:
    """A new invitation for a client who has no login yet; the previous link stops working."""
    identity.require_verified(trainer, "invite clients")
    client = trainer_client(trainer, client_id, for_update=True)
    if client.user_id is not None:
        raise ConflictError("This client already has a login.", errors={"client": ["already has a login"]})
    if client.archived_at is not None:
        raise ConflictError("This client is archived; restore them first.", errors={"client": ["archived"]})
    issued = invitations.issue(client)
    invitations.send(issued, trainer.name)
    db.session.commit()
    return issued

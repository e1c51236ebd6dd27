"""Whose logs a caller may touch, and what "today" means for a client (their own timezone)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import Client, User, utcnow


def own_client(user: User) -> Client:
    """The coaching record of a client user (their logs hang off it)."""
    client = db.session.execute(select(Client).where(Client.user_id == user.id)).scalar_one_or_none()
    if client is None:
        raise NotFoundError("Your account has no coaching record.")
    return client


def trainer_client(trainer: User, client_id: int) -> Client:
    """One of the trainer's clients; anyone else's client is a 404."""
    client = db.session.execute(
        select(Client).where(Client.id == client_id, Client.trainer_id == trainer.id)
    ).scalar_one_or_none()
    if client is None:
        raise NotFoundError("No such client.")
    return client


def client_zone(client: Client) -> ZoneInfo:
    """The client's timezone (UTC when the stored name is unknown)."""
    try:
        return ZoneInfo(client.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_today(client: Client, now: datetime | None = None) -> date:
    """The calendar date it is for the client right now."""
    return (now or utcnow()).astimezone(client_zone(client)).date()


def check_log_date(client: Client, day: date, field: str) -> None:
    """A log may be dated at most tomorrow in the client's timezone (clocks and zones drift)."""
    latest = local_today(client) + timedelta(days=1)
    if day > latest:
        raise InvalidInputError(
            "The date is in the future.",
            errors={field: [f"Must not be after {latest.isoformat()} (tomorrow in {client.timezone})."]},
        )


def trainer_name(client: Client) -> str:
    """The name of the client's trainer, as the client's pages show it."""
    return db.session.execute(select(User.name).where(User.id == client.trainer_id)).scalar_one()

"""Whose client records a caller may touch: the trainer's client with an id, the client record of a login.

This is the access-control boundary for everything hanging off a client: every service that
starts from a client id or a client login goes through these functions, which scope the query
to the caller (a forgotten check then finds nothing rather than someone else's client).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, undefer

from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import Client, User
from fitbud.services.local_time import local_today

NOT_YOUR_CLIENT = "No such client."
NOT_COACHED = "You are not coached by a trainer on Fitbud."


def _client_id(value: Any) -> int | None:
    """An id from a URL, a body or a dashboard control; None for anything that is not one."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def trainer_client_query(trainer: User, client_id: int, *, private: bool = False) -> Select:
    """The select for one of the trainer's clients (with the encrypted fields when `private`)."""
    statement = select(Client).where(Client.id == client_id, Client.trainer_id == trainer.id)
    if private:
        statement = statement.options(
            undefer(Client.private_notes), undefer(Client.health_details), undefer(Client.dietary_details)
        )
    return statement


def trainer_client(
    trainer: User, client_id: Any, *, private: bool = False, for_update: bool = False, field: str | None = None
) -> Client:
    """The trainer's client with this id; another trainer's client, or no id at all, is a 404.

    `private` loads the encrypted fields, `for_update` locks the row, and `field` names the
    request field the id came from (a body's `client_id`) in the error.
    """
    wanted = _client_id(client_id)
    client = None
    if wanted is not None:
        statement = trainer_client_query(trainer, wanted, private=private)
        if for_update:
            statement = statement.with_for_update()
        client = db.session.execute(statement).scalar_one_or_none()
    if client is None:
        raise NotFoundError(NOT_YOUR_CLIENT, errors={field: ["not one of your clients"]} if field else None)
    return client


def own_client(user: User, *, private: bool = False, with_trainer: bool = False) -> Client:
    """The client record of a client's login (their logs hang off it), or 404.

    `private` loads the encrypted health and dietary details, `with_trainer` their trainer in the same statement.
    """
    statement = select(Client).where(Client.user_id == user.id)
    if with_trainer:
        statement = statement.join(Client.trainer).options(contains_eager(Client.trainer))
    if private:
        statement = statement.options(undefer(Client.health_details), undefer(Client.dietary_details))
    client = db.session.execute(statement).scalar_one_or_none()
    if client is None:
        raise NotFoundError(NOT_COACHED)
    return client


def own_client_ids(user: User) -> Select:
    """The subquery of the client record id of a client's login, for `column.in_(...)` scoping."""
    return select(Client.id).where(Client.user_id == user.id)


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

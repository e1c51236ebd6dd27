"""Select statements over a client's logs, scoped to who asks: the client, or their trainer."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select

from fitbud.models import Client, User


def own_rows(model: Any, user: User) -> Select:
    """Rows of `model` that belong to the client logged in as `user`."""
    return select(model).join(Client, Client.id == model.client_id).where(Client.user_id == user.id)


def trainer_rows(model: Any, trainer: User, client_id: int) -> Select:
    """Rows of `model` of one of the trainer's clients (none for anyone else's client)."""
    return (
        select(model)
        .join(Client, Client.id == model.client_id)
        .where(Client.id == client_id, Client.trainer_id == trainer.id)
    )


def between(statement: Select, column: Any, first: date | None, last: date | None) -> Select:
    """Restrict `statement` to `first` <= column <= `last` (either bound optional)."""
    if first is not None:
        statement = statement.where(column >= first)
    if last is not None:
        statement = statement.where(column <= last)
    return statement

"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL: the first insert of a row many may race to create."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase

from fitbud.extensions import db


def insert_if_absent(model: type[DeclarativeBase], values: Mapping[str, Any], conflict_columns: Sequence[str]) -> bool:
    """Insert a row unless one with the same `conflict_columns` exists; True when this call inserted it.

    On PostgreSQL a concurrent insert of the same key makes this wait for the other transaction
    and then do nothing, instead of failing the whole transaction with an IntegrityError.
    Column defaults (timestamps) apply as in an ORM insert.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = (
            postgresql.insert(model).values(**values).on_conflict_do_nothing(index_elements=list(conflict_columns))
        )
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(**values).on_conflict_do_nothing(index_elements=list(conflict_columns))
    else:  # pragma: no cover - Fitbud runs on these two
        raise RuntimeError(f"Fitbud runs on PostgreSQL or SQLite, not {dialect}")
    # RETURNING tells whether a row went in: the ORM's execute leaves rowcount at -1 on psycopg.
    inserted = db.session.execute(statement.returning(*inspect(model).primary_key)).first()
    return inserted is not None

"""The declarative base every model derives from, and its constraint naming convention.

It lives below fitbud/extensions.py, which builds `db` on it; fitbud/models/base.py re-exports it
for the models.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Predictable constraint names so Alembic can alter and drop them, SQLite included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every Fitbud model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

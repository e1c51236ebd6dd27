"""The database's own identity and cache generation: every cached value is keyed by both.

One row. `database_id` is drawn when the row is created, so two servers sharing one Redis (or
one cache folder) but not one database never answer each other's cached values, whatever
address each uses for its database. `generation` moves on when an invalidation could not be
written to the cache (Redis stalled at that moment): every process stops serving the older
generation's entries (services/versioned_cache.py).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base

THE_ROW = 1


class CacheState(Base):
    """The single row (id 1) naming this database and its cache generation."""

    __tablename__ = "cache_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    database_id: Mapped[str] = mapped_column(String(32))
    generation: Mapped[int] = mapped_column(BigInteger, default=0)

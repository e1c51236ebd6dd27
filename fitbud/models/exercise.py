"""The exercise library: built-in exercises plus each trainer's custom ones."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, TimestampMixin


class Exercise(TimestampMixin, Base):
    """An exercise; `owner_id` is None for the built-in library, a trainer's id for custom ones."""

    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable key for built-ins so the library can be loaded again without duplicates.
    slug: Mapped[str | None] = mapped_column(String(120), unique=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    primary_muscles: Mapped[list[str]] = mapped_column(JSON, default=list)
    secondary_muscles: Mapped[list[str]] = mapped_column(JSON, default=list)
    equipment: Mapped[str] = mapped_column(String(32), index=True)
    level: Mapped[str] = mapped_column(String(16), default="beginner")
    instructions: Mapped[str] = mapped_column(Text, default="")

    @property
    def is_builtin(self) -> bool:
        """Built-in exercises belong to nobody and are read-only."""
        return self.owner_id is None

"""The exercise library: built-in exercises plus each trainer's custom ones."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, TimestampMixin


class Exercise(TimestampMixin, Base):
    """An exercise; `owner_id` is None for the built-in library, a trainer's id for custom ones.

    Values of category, muscles, equipment, level, movement_pattern and tracking come from the
    fixed vocabulary in `fitbud.data.library`.
    """

    __tablename__ = "exercises"
    # A trainer cannot have two custom exercises of the same name; built-ins (owner NULL) are
    # kept apart by their slug instead.
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_exercises_owner_id_name"),)

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
    # Anything else the exercise needs besides `equipment` (a bench for a dumbbell press).
    extra_equipment: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    level: Mapped[str] = mapped_column(String(16), default="beginner")
    instructions: Mapped[str] = mapped_column(Text, default="")
    # None only for custom exercises created before patterns existed: unknown, never guessed.
    movement_pattern: Mapped[str | None] = mapped_column(String(32), index=True)
    tracking: Mapped[str] = mapped_column(String(8), default="reps", server_default="reps")
    unilateral: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    @property
    def is_builtin(self) -> bool:
        """Built-in exercises belong to nobody and are read-only."""
        return self.owner_id is None

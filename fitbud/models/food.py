"""The food table: built-in foods plus each trainer's own, with macros per 100 g."""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, TimestampMixin


class Food(TimestampMixin, Base):
    """A food; `owner_id` is None for the built-in table, a trainer's id for their own foods.

    Energy and macros are per 100 g as eaten. `allergens` and `diets` take values from
    `fitbud.data.foods` (ALLERGENS, DIETS).
    """

    __tablename__ = "foods"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_foods_owner_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable key of a built-in, so the table can be loaded again without duplicates.
    slug: Mapped[str | None] = mapped_column(String(120), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    kcal: Mapped[float] = mapped_column(Float)
    protein_g: Mapped[float] = mapped_column(Float)
    carbs_g: Mapped[float] = mapped_column(Float)
    fat_g: Mapped[float] = mapped_column(Float)
    serving_g: Mapped[float] = mapped_column(Float)
    serving: Mapped[str] = mapped_column(String(80))
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)
    diets: Mapped[list[str]] = mapped_column(JSON, default=list)

    @property
    def is_builtin(self) -> bool:
        """Built-in foods belong to nobody and are read-only."""
        return self.owner_id is None

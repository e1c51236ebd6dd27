"""A trainer's client: the coaching relationship, their profile, and the invitations to log in."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from fitbud.models.types import EncryptedJSON, EncryptedText
from fitbud.models.user import User, enum_column


class ClientGoal(enum.StrEnum):
    """What a client is training for; a client may have several."""

    FAT_LOSS = "fat_loss"
    MUSCLE_GAIN = "muscle_gain"
    STRENGTH = "strength"
    ENDURANCE = "endurance"
    MOBILITY = "mobility"
    GENERAL_FITNESS = "general_fitness"
    SPORT_PERFORMANCE = "sport_performance"
    REHABILITATION = "rehabilitation"


class Sex(enum.StrEnum):
    """Sex as relevant to training and nutrition estimates."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


HEALTH_KEYS = ("injuries", "conditions", "medications", "allergies")
# What a diet must respect: allergens and preferences from fitbud.data.foods' vocabulary
# (ALLERGENS, DIETS), plus free text for allergies outside it and for dislikes.
DIETARY_KEYS = ("allergies", "other_allergies", "dietary_preferences", "dislikes")


class Client(TimestampMixin, Base):
    """Someone a trainer coaches; `user_id` is set once they accept the invitation.

    Measurements are stored in SI units (cm, kg). `private_notes`, `health_details` and
    `dietary_details` are encrypted at rest and deferred: a query must ask for them (undefer)
    to read them, so lists never decrypt what they do not show.
    """

    __tablename__ = "clients"
    __table_args__ = (
        UniqueConstraint("trainer_id", "email", name="uq_clients_trainer_id_email"),
        # The list is always one trainer's clients, sorted by one of these.
        Index("ix_clients_trainer_id_name", "trainer_id", "name"),
        Index("ix_clients_trainer_id_created_at", "trainer_id", "created_at"),
        Index("ix_clients_trainer_id_last_activity_at", "trainer_id", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True, index=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1", index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    goals: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    goal_notes: Mapped[str] = mapped_column(String(500), default="", server_default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, 16))
    height_cm: Mapped[float | None] = mapped_column(Float)
    starting_weight_kg: Mapped[float | None] = mapped_column(Float)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    private_notes: Mapped[str | None] = mapped_column(
        EncryptedText(), deferred=True, deferred_raiseload=True
    )
    # {"injuries": [...], "conditions": [...], "medications": [...], "allergies": [...]}
    health_details: Mapped[dict[str, Any] | None] = mapped_column(
        EncryptedJSON(), deferred=True, deferred_raiseload=True
    )

    # {"allergies": [...], "other_allergies": "...", "dietary_preferences": [...], "dislikes": "..."}:
    # health data too (an allergy is), so encrypted and deferred like health_details.
    dietary_details: Mapped[dict[str, Any] | None] = mapped_column(
        EncryptedJSON(), deferred=True, deferred_raiseload=True
    )

    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id], lazy="raise")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="raise")


class ClientInvitation(Base):
    """A single-use link that lets a client create their login; only the token's hash is stored."""

    __tablename__ = "client_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_to: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when a newer invitation replaces this one (re-send) or the client is archived.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship(lazy="raise")

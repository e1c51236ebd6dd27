"""A trainer's client: the coaching relationship, and the client's login once invited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitbud.models.base import Base, TimestampMixin, UTCDateTime
from fitbud.models.user import User


class Client(TimestampMixin, Base):
    """Someone a trainer coaches; `user_id` is set once they accept the invitation."""

    __tablename__ = "clients"
    __table_args__ = (UniqueConstraint("trainer_id", "email", name="uq_clients_trainer_id_email"),)

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
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id], lazy="raise")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="raise")

"""Training sessions (appointments) between a trainer and a client.

Named TrainingSession so it is never confused with db.session or flask.session.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, TimestampMixin, UTCDateTime
from fitbud.models.user import enum_column


class SessionStatus(enum.StrEnum):
    """Where a session is in its lifecycle."""

    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class SessionType(enum.StrEnum):
    """How the session happens."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    CHECK_IN_CALL = "check_in_call"


class TrainingSession(TimestampMixin, Base):
    """An appointment, stored in UTC with its end precomputed for overlap queries."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        Index("ix_training_sessions_trainer_id_starts_at", "trainer_id", "starts_at"),
        Index("ix_training_sessions_client_id_starts_at", "client_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    type: Mapped[SessionType] = mapped_column(enum_column(SessionType, 16))
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, 16), default=SessionStatus.SCHEDULED, index=True
    )
    location: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")

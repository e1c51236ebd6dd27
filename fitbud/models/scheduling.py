"""Training sessions (appointments), their recurring series, trainer availability and requests.

Named TrainingSession so it is never confused with db.session or flask.session.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from fitbud.models.client import Client
from fitbud.models.user import User, enum_column


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


class SessionSeries(TimestampMixin, Base):
    """A weekly rule that was expanded into real session rows (the rows are the truth).

    The rule is kept for display and for the calendar; editing "this and following" changes
    the rows, not this record.
    """

    __tablename__ = "session_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # The trainer's zone at creation: the rule was expanded in it, so 07:00 stays 07:00 local.
    timezone: Mapped[str] = mapped_column(String(64))
    local_start_time: Mapped[time] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    weekdays: Mapped[list[str]] = mapped_column(JSON, default=list)
    interval: Mapped[int] = mapped_column(Integer, default=1)
    count: Mapped[int | None] = mapped_column(Integer)
    until: Mapped[date | None] = mapped_column(Date)
    rrule: Mapped[str] = mapped_column(String(300))
    first_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())

    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="series", order_by="TrainingSession.series_index", lazy="raise"
    )


class TrainingSession(TimestampMixin, Base):
    """An appointment, stored in UTC with its end precomputed for overlap queries."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        Index("ix_training_sessions_trainer_id_starts_at", "trainer_id", "starts_at"),
        Index("ix_training_sessions_client_id_starts_at", "client_id", "starts_at"),
        Index("ix_training_sessions_series_id_series_index", "series_id", "series_index"),
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
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")

    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_series.id", ondelete="SET NULL"), index=True
    )
    # Position in the series as generated; stays put when an occurrence is moved.
    series_index: Mapped[int | None] = mapped_column(Integer)
    # Bumped on every change so calendar apps (iCalendar SEQUENCE) pick the change up.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the current start time was set; reminders that fell due before it are skipped.
    scheduled_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.now()
    )
    status_changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancellation_reason: Mapped[str | None] = mapped_column(String(500))
    reminder_job_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id], lazy="raise")
    client: Mapped[Client] = relationship(lazy="raise")
    series: Mapped[SessionSeries | None] = relationship(back_populates="sessions", lazy="raise")


class SessionReminder(Base):
    """A reminder that was handled for one start time of a session, so none goes out twice."""

    __tablename__ = "session_reminders"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "offset_minutes", "starts_at", name="uq_session_reminders_session_offset_start"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    offset_minutes: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # False when a later, closer reminder made this one redundant (it was skipped, not mailed).
    delivered: Mapped[bool] = mapped_column(Boolean, default=True)


class WorkingHours(Base):
    """One interval of a trainer's weekly working hours, in the trainer's local time."""

    __tablename__ = "working_hours"
    __table_args__ = (Index("ix_working_hours_trainer_id_weekday", "trainer_id", "weekday"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday ... 6 = Sunday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class TrainerDayOff(Base):
    """An exception to the working hours: a whole day off, or part of one (local time)."""

    __tablename__ = "trainer_days_off"
    __table_args__ = (Index("ix_trainer_days_off_trainer_id_on_date", "trainer_id", "on_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str] = mapped_column(String(200), default="")

    @property
    def whole_day(self) -> bool:
        """No times given: the whole day is off."""
        return self.start_time is None


class RequestStatus(enum.StrEnum):
    """What became of a client's request for a slot."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class SessionRequest(TimestampMixin, Base):
    """A client asking for a session in one of their trainer's free slots."""

    __tablename__ = "session_requests"
    __table_args__ = (
        Index("ix_session_requests_trainer_id_status", "trainer_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)
    type: Mapped[SessionType] = mapped_column(enum_column(SessionType, 16))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, 16), default=RequestStatus.PENDING, index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="SET NULL"), index=True
    )

    client: Mapped[Client] = relationship(lazy="raise")


class CalendarFeed(Base):
    """A user's secret calendar address: only a digest of the token is stored.

    The token is an HMAC of (user, salt) under the app's secret, so the URL can be shown
    again without keeping the token itself; rotating replaces the salt and the digest.
    """

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True
    )
    salt: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def session_summary(session: TrainingSession) -> dict[str, Any]:
    """The few fields a conflict report lists."""
    return {
        "id": session.id,
        "client_id": session.client_id,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "status": session.status.value,
    }

"""What clients log: workouts with their sets, meals, weekly check-ins, body metrics; and the feed.

Measurements are stored in SI units (kg, cm, m, seconds); the API converts to the user's units.
Totals that analytics aggregate (volume, meal macros) are stored on the row when it is written,
so dashboards can GROUP BY in the database instead of pulling raw rows into Python.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from fitbud.models.user import enum_column


class WorkoutLog(TimestampMixin, Base):
    """One workout a client did on a day, optionally following their plan's day."""

    __tablename__ = "workout_logs"
    __table_args__ = (Index("ix_workout_logs_client_id_performed_on", "client_id", "performed_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_assignments.id", ondelete="SET NULL"), index=True
    )
    plan_week_index: Mapped[int | None] = mapped_column(Integer)
    plan_day_index: Mapped[int | None] = mapped_column(Integer)
    performed_on: Mapped[date] = mapped_column(Date, index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    perceived_effort: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    total_volume_kg: Mapped[float] = mapped_column(Float, default=0.0)
    sets_done: Mapped[int] = mapped_column(Integer, default=0)
    sets_planned: Mapped[int | None] = mapped_column(Integer)

    sets: Mapped[list[WorkoutSet]] = relationship(
        back_populates="workout_log",
        cascade="all, delete-orphan",
        order_by="(WorkoutSet.exercise_order, WorkoutSet.set_number)",
        lazy="raise",
    )
    comments: Mapped[list[WorkoutComment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="WorkoutComment.id", lazy="raise"
    )


class WorkoutSet(Base):
    """One set of one exercise within a workout log."""

    __tablename__ = "workout_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workout_log_id: Mapped[int] = mapped_column(ForeignKey("workout_logs.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="RESTRICT"), index=True)
    exercise_order: Mapped[int] = mapped_column(Integer)
    set_number: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    rpe: Mapped[float | None] = mapped_column(Float)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    distance_m: Mapped[float | None] = mapped_column(Float)

    workout_log: Mapped[WorkoutLog] = relationship(back_populates="sets", lazy="raise")


class WorkoutComment(TimestampMixin, Base):
    """The trainer's comment on a logged workout; the client reads it with the workout."""

    __tablename__ = "workout_comments"
    __table_args__ = (Index("ix_workout_comments_workout_log_id_id", "workout_log_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workout_log_id: Mapped[int] = mapped_column(ForeignKey("workout_logs.id", ondelete="CASCADE"))
    # The trainer who wrote it; kept (as null) if that account is ever removed.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)


class MealLog(TimestampMixin, Base):
    """A meal a client ate: itemised, or a quick entry of kcal and macros."""

    __tablename__ = "meal_logs"
    __table_args__ = (Index("ix_meal_logs_client_id_eaten_on", "client_id", "eaten_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    eaten_on: Mapped[date] = mapped_column(Date, index=True)
    meal_name: Mapped[str] = mapped_column(String(80))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    kcal: Mapped[float] = mapped_column(Float, default=0.0)
    protein_g: Mapped[float] = mapped_column(Float, default=0.0)
    carbs_g: Mapped[float] = mapped_column(Float, default=0.0)
    fat_g: Mapped[float] = mapped_column(Float, default=0.0)
    notes: Mapped[str] = mapped_column(Text, default="")


class CheckIn(TimestampMixin, Base):
    """A client's weekly check-in, and the trainer's reply."""

    __tablename__ = "check_ins"
    # One a day per client, held by the database so two racing submissions cannot both land; its
    # index also serves a client's check-ins by date.
    __table_args__ = (UniqueConstraint("client_id", "submitted_on", name="uq_check_ins_client_id_submitted_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    submitted_on: Mapped[date] = mapped_column(Date, index=True)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    body_fat_pct: Mapped[float | None] = mapped_column(Float)
    measurements_cm: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    stress: Mapped[int | None] = mapped_column(Integer)
    energy: Mapped[int | None] = mapped_column(Integer)
    adherence: Mapped[int | None] = mapped_column(Integer)
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    trainer_comment: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class BodyMetric(TimestampMixin, Base):
    """One measurement on one day (weight, body fat, waist...), in SI units."""

    __tablename__ = "body_metrics"
    __table_args__ = (
        UniqueConstraint("client_id", "metric", "measured_on", name="uq_body_metrics_client_metric_day"),
        # A client's days of any metric (streaks, date ranges) read from the index alone; the unique
        # constraint's index serves one metric's series.
        Index("ix_body_metrics_client_id_measured_on", "client_id", "measured_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    measured_on: Mapped[date] = mapped_column(Date, index=True)
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)


class ActivityType(enum.StrEnum):
    """What can appear in a trainer's activity feed."""

    WORKOUT_LOGGED = "workout_logged"
    MEAL_LOGGED = "meal_logged"
    CHECK_IN_SUBMITTED = "check_in_submitted"
    RECORD_SET = "record_set"
    STREAK_MILESTONE = "streak_milestone"
    SESSION_MISSED = "session_missed"
    MESSAGE_RECEIVED = "message_received"
    DATA_IMPORTED = "data_imported"


class ActivityEvent(Base):
    """One entry of a trainer's activity feed (newest first, cursor-paginated by id)."""

    __tablename__ = "activity_events"
    __table_args__ = (Index("ix_activity_events_trainer_id_id", "trainer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # The workout an event is about (logged, record set): deleting the workout deletes its events,
    # so the feed never points at a workout that no longer exists.
    workout_log_id: Mapped[int | None] = mapped_column(
        ForeignKey("workout_logs.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[ActivityType] = mapped_column(enum_column(ActivityType, 32), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    summary: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

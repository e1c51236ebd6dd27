"""What clients bring in from other apps and devices: activities, daily metrics, and the imports that added them.

An activity (a run, a ride, a swim) sits beside workout logs: it has a sport, a start, a duration
and what a watch measures, not sets. Daily metrics are one number per day that is not a body
measurement (steps, resting heart rate). Every row an import adds is tracked by an
`ImportedRow`, which is both the import's undo list and, through its unique source key per
client, what makes importing the same file (or an overlapping export) twice add nothing.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, TimestampMixin, UTCDateTime
from fitbud.models.user import enum_column


class ActivityLog(TimestampMixin, Base):
    """One cardio activity a client did (distance in m, energy in kcal, heart rate in bpm).

    Every client_id below leads a composite or unique index, which serves lookups by client too.
    """

    __tablename__ = "activity_logs"
    __table_args__ = (
        # The same activity from the same kind of source is stored once per client.
        UniqueConstraint("client_id", "source", "source_id", name="uq_activity_logs_client_source_id"),
        Index("ix_activity_logs_client_id_performed_on", "client_id", "performed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The start's calendar day where the client was (as the device wrote it): what progress groups by.
    performed_on: Mapped[date] = mapped_column(Date)
    duration_seconds: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[float | None] = mapped_column(Float)
    energy_kcal: Mapped[float | None] = mapped_column(Float)
    avg_heart_rate: Mapped[int | None] = mapped_column(Integer)
    max_heart_rate: Mapped[int | None] = mapped_column(Integer)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    # FIT laps: [{"start": iso, "duration_seconds", "distance_m", "avg_heart_rate", "max_heart_rate"}].
    laps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Where it came from (apple_health, fit, gpx) and that source's stable id for it.
    source: Mapped[str] = mapped_column(String(24))
    source_id: Mapped[str] = mapped_column(String(160))


class DailyMetric(TimestampMixin, Base):
    """One number for one day that is not a body measurement: steps walked, resting heart rate."""

    __tablename__ = "daily_metrics"
    __table_args__ = (UniqueConstraint("client_id", "metric", "day", name="uq_daily_metrics_client_metric_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)


class ImportStatus(enum.StrEnum):
    """Where an import is: waiting for or in its job, done, refused, waiting for a name mapping, or undone."""

    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    NEEDS_MAPPING = "needs_mapping"
    UNDONE = "undone"


class ImportFormat(enum.StrEnum):
    """The kinds of file an import understands."""

    APPLE_HEALTH = "apple_health"
    FIT = "fit"
    GPX = "gpx"
    STRONG = "strong"
    HEVY = "hevy"


class DataImport(TimestampMixin, Base):
    """One uploaded file: what it held, what it added, what was already there, or why it was refused."""

    __tablename__ = "data_imports"
    # A client's imports are listed newest first.
    __table_args__ = (Index("ix_data_imports_client_id_created_at", "client_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    # Known once the file is read (the upload's name alone does not tell a Strong CSV from a Hevy one).
    format: Mapped[ImportFormat | None] = mapped_column(enum_column(ImportFormat, 16))
    file_name: Mapped[str] = mapped_column(String(255))
    file_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus, 16), default=ImportStatus.QUEUED, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    found: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    already_there: Mapped[int] = mapped_column(Integer, default=0)
    # The same three counts per kind: {"activities": {"found": 3, "added": 2, "already_there": 1}, ...}.
    counts: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    # Strength CSVs: exercise names the library has no match for, with how many sets each.
    unmatched: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    # Where in the file the error is ("line 14", "record 3 (Workout)"), so it can be found.
    error_location: Mapped[str | None] = mapped_column(String(120))
    job_id: Mapped[str | None] = mapped_column(String(64))
    # The stored upload a queued job reads (deleted once the job ends).
    upload_path: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ImportedRow(Base):
    """A row an import added, under a key that is stable across exports of the same data.

    Exactly one of the row columns is set. Each cascades: a row the client deletes by hand
    takes its tracking row with it, so importing again brings it back.
    """

    __tablename__ = "imported_rows"
    __table_args__ = (UniqueConstraint("client_id", "source_key", name="uq_imported_rows_client_id_source_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("data_imports.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(200))
    activity_log_id: Mapped[int | None] = mapped_column(ForeignKey("activity_logs.id", ondelete="CASCADE"), index=True)
    workout_log_id: Mapped[int | None] = mapped_column(ForeignKey("workout_logs.id", ondelete="CASCADE"), index=True)
    body_metric_id: Mapped[int | None] = mapped_column(ForeignKey("body_metrics.id", ondelete="CASCADE"), index=True)
    daily_metric_id: Mapped[int | None] = mapped_column(ForeignKey("daily_metrics.id", ondelete="CASCADE"), index=True)


class ExerciseNameMapping(TimestampMixin, Base):
    """The library exercise a client's name for it in another app stands for, remembered for the next import."""

    __tablename__ = "exercise_name_mappings"
    __table_args__ = (UniqueConstraint("client_id", "name", name="uq_exercise_name_mappings_client_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    # Lower-cased and with runs of spaces collapsed, as the importer compares names.
    name: Mapped[str] = mapped_column(String(120))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)

"""Generated reports: who asked for what, how far the job got, and the finished file.

The file lives in the database (a deferred LargeBinary) rather than on a disk: any web
process or container can serve the download without a shared volume, backups include it,
and reports are small (a trainer's month is tens of kilobytes).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, TimestampMixin, UTCDateTime
from fitbud.models.user import enum_column


class ReportType(enum.StrEnum):
    """What a report contains."""

    TRAINER_MONTHLY = "trainer_monthly"
    CLIENT_EXPORT = "client_export"
    PLATFORM = "platform"


class ReportStatus(enum.StrEnum):
    """Where a report's job is (the same words RQ uses)."""

    QUEUED = "queued"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"


class Report(TimestampMixin, Base):
    """One requested report; `content` holds the file once the job finished."""

    __tablename__ = "reports"
    # A user's reports are listed newest first.
    __table_args__ = (Index("ix_reports_owner_id_created_at", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    type: Mapped[ReportType] = mapped_column(enum_column(ReportType, 32), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus, 16), default=ReportStatus.QUEUED, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Written by a running job every REPORT_HEARTBEAT_SECONDS: a started report whose heartbeat
    # is older than REPORT_HEARTBEAT_TIMEOUT has lost its worker (services/reports.py).
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    file_name: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(Integer)
    # Deferred and raise-on-load: lists and status polls never drag the file along.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, deferred_raiseload=True)

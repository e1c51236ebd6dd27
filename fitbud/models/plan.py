"""Reusable plan templates and the immutable snapshots assigned to clients."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, TimestampMixin, UTCDateTime
from fitbud.models.user import enum_column


class PlanKind(enum.StrEnum):
    """What a plan schedules."""

    WORKOUT = "workout"
    DIET = "diet"


class PlanTemplate(TimestampMixin, Base):
    """A trainer's reusable workout or diet plan; `content` is validated JSON."""

    __tablename__ = "plan_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind, 16), index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(16), default="manual", server_default="manual")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PlanAssignment(TimestampMixin, Base):
    """A snapshot of a template given to a client; its content never changes after creation."""

    __tablename__ = "plan_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_templates.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind, 16), index=True)
    name: Mapped[str] = mapped_column(String(120))
    plan_version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)

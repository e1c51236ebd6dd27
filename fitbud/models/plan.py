"""Reusable plan templates and the immutable snapshots assigned to clients."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitbud.models.base import Base, TimestampMixin, UTCDateTime
from fitbud.models.client import Client
from fitbud.models.types import EncryptedJSON
from fitbud.models.user import enum_column


class PlanKind(enum.StrEnum):
    """What a plan schedules."""

    WORKOUT = "workout"
    DIET = "diet"


class PlanTemplate(TimestampMixin, Base):
    """A trainer's reusable workout or diet plan; `content` is validated JSON."""

    __tablename__ = "plan_templates"
    __table_args__ = (
        # The list is always one trainer's plans, sorted by one of these.
        Index("ix_plan_templates_trainer_id_name", "trainer_id", "name"),
        Index("ix_plan_templates_trainer_id_created_at", "trainer_id", "created_at"),
        Index("ix_plan_templates_trainer_id_updated_at", "trainer_id", "updated_at"),
    )

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
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class AssignmentStatus(enum.StrEnum):
    """Where an assignment stands on a given day."""

    SCHEDULED = "scheduled"
    ACTIVE = "active"
    ENDED = "ended"
    # Ended before its start date: replaced or stopped before it ever ran.
    CANCELLED = "cancelled"


class PlanAssignment(TimestampMixin, Base):
    """A snapshot of a template given to a client; its content never changes after creation."""

    __tablename__ = "plan_assignments"
    __table_args__ = (
        Index("ix_plan_assignments_client_id_kind_start_date", "client_id", "kind", "start_date"),
    )

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
    # Set when the trainer assigned a diet knowing it holds foods with the client's allergens
    # (acknowledge_allergens): when, and which foods and allergens. The list says what the client
    # is allergic to, so it is encrypted like their health details.
    allergens_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_allergens: Mapped[list[dict[str, Any]] | None] = mapped_column(EncryptedJSON())

    client: Mapped[Client] = relationship(lazy="raise")

    def is_active_on(self, day: date) -> bool:
        """Whether the plan applies on `day` (start and end dates are inclusive)."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def status_on(self, day: date) -> AssignmentStatus:
        """Scheduled, active, ended or cancelled, as seen on `day`."""
        if self.end_date is not None and self.end_date < self.start_date:
            return AssignmentStatus.CANCELLED
        if day < self.start_date:
            return AssignmentStatus.SCHEDULED
        if self.end_date is not None and self.end_date < day:
            return AssignmentStatus.ENDED
        return AssignmentStatus.ACTIVE


# The snapshot is what the client was given: later code must not rewrite it, only end it.
_SNAPSHOT_ATTRIBUTES = ("content", "plan_version", "kind")


@event.listens_for(PlanAssignment, "before_update")
def _refuse_snapshot_changes(_mapper, _connection, target: PlanAssignment) -> None:
    state = inspect(target)
    changed = [name for name in _SNAPSHOT_ATTRIBUTES if state.attrs[name].history.has_changes()]
    if changed:
        raise ValueError(f"A plan assignment's snapshot is immutable; refused to change {', '.join(changed)}.")

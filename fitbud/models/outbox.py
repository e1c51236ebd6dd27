"""The outbox: background work a transaction asked for, stored with it and handed to the queue after the commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, UTCDateTime, utcnow
from fitbud.models.types import EncryptedJSON


class OutboxMessage(Base):
    """One job to start (by dotted name), kept until the queue has it; deleted once handed over."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_name: Mapped[str] = mapped_column(String(200))
    # The RQ job id the job gets, so a row handed over twice (a crash between the two steps)
    # replaces the queued job rather than adding a second, and a report can name its job at once.
    job_id: Mapped[str] = mapped_column(String(200), unique=True)
    # Arguments and queue options. Encrypted: an email's body can hold an invitation link.
    payload: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When a dispatcher may next take it: now for a new row; later after a failure, or while one
    # dispatcher holds it (a lease, so a dispatcher that dies lets go of it).
    available_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))

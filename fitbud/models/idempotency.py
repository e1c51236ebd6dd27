"""Remembered responses to requests sent with an Idempotency-Key, so retries change nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.models.base import Base, UTCDateTime, utcnow
from fitbud.models.types import EncryptedJSON


class IdempotencyKey(Base):
    """A key a user sent, what request it came with, and the response it got.

    The row commits with the request's writes and answer (services/idempotency.py), so a
    committed row always has its answer. It expires (`expires_at`), and goes with the user and
    with the client the answer is about.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_id_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    # Encrypted with the field keys: an answer can hold health details or private notes.
    response_body: Mapped[Any | None] = mapped_column(EncryptedJSON())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

"""Accounts and their login sessions (token families)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fitbud.auth.roles import Role
from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow


def enum_column(enum_class, length: int = 32) -> Enum:
    """A portable enum column: VARCHAR holding the enum's values, no native type to migrate."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class User(TimestampMixin, Base):
    """Anyone who logs in: an admin, a trainer or a client."""

    __tablename__ = "users"
    # The admin's user list is newest first: ORDER BY created_at DESC, id DESC, read backwards.
    __table_args__ = (Index("ix_users_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, 16), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    unit_system: Mapped[str] = mapped_column(String(16), default="metric", server_default="metric")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the owner of `email` proved it by using a link mailed there (sign-up, an email change,
    # an invitation); None until then, and an unproven account may not invite or bill
    # (services/identity.py).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A new address asked for and mailed a confirmation link; it replaces `email` when the link is
    # used, and is cleared then or when the change is cancelled (a new password).
    pending_email: Mapped[str | None] = mapped_column(String(254))

    @property
    def email_verified(self) -> bool:
        """Whether the owner of `email` has proven it."""
        return self.email_verified_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class AuthSession(Base):
    """One login: the family of access and refresh tokens issued from it.

    Revoking the session kills every token of the family at once; the current refresh jti
    is what makes reuse of an older refresh token detectable.
    """

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    current_refresh_jti: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(64))


class AccountTokenPurpose(enum.StrEnum):
    """What a link mailed to an account's owner does when it is used."""

    VERIFY_EMAIL = "verify_email"  # proves the account's own address (sign-up)
    CHANGE_EMAIL = "change_email"  # proves a new address, which then replaces the old one
    RESET_PASSWORD = "reset_password"


class AccountToken(Base):
    """One emailed link (email proof or password reset): single use, expiring, stored as a hash.

    The link carries a signed random value; only its SHA-256 is kept, so a copy of the database
    opens no account. `email` is the address the link was sent to: the one it proves.
    """

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[AccountTokenPurpose] = mapped_column(enum_column(AccountTokenPurpose, 16))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

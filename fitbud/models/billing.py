"""Billing: trainers' coaching packages, clients' Stripe customers, subscriptions and payments."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from fitbud.models.client import Client
from fitbud.models.user import enum_column


class BillingInterval(enum.StrEnum):
    """How often a package is charged."""

    ONE_OFF = "one_off"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class SubscriptionStatus(enum.StrEnum):
    """Fitbud's view of a Stripe subscription (Stripe's finer statuses map onto these)."""

    INCOMPLETE = "incomplete"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"


class PaymentStatus(enum.StrEnum):
    """Whether the money arrived; a paid payment never goes back to failed."""

    PAID = "paid"
    FAILED = "failed"


# Checks against a partial index need the same predicate on both dialects.
_NOT_ARCHIVED = text("archived_at IS NULL")


class BillingPackage(TimestampMixin, Base):
    """A trainer's coaching package, mirrored as a Stripe Product and its current Price.

    Stripe prices are immutable, so a price change creates a new Stripe Price and bumps
    `price_version` (part of the idempotency key of that creation).
    """

    __tablename__ = "billing_packages"
    __table_args__ = (
        # Two live packages of one trainer may not share a name; archived ones may.
        Index(
            "uq_billing_packages_trainer_id_name_live",
            "trainer_id",
            "name",
            unique=True,
            sqlite_where=_NOT_ARCHIVED,
            postgresql_where=_NOT_ARCHIVED,
        ),
        # Ids are part of Stripe idempotency keys: SQLite must never hand out a deleted id again.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # Integer minor units (cents), as Stripe counts them: no float ever touches money.
    price: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    interval: Mapped[BillingInterval] = mapped_column(enum_column(BillingInterval, 16))
    sessions_per_period: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    price_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    stripe_product_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_price_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    @property
    def is_recurring(self) -> bool:
        """True for weekly and monthly packages (Stripe subscriptions), False for one-off."""
        return self.interval != BillingInterval.ONE_OFF


class BillingCustomer(TimestampMixin, Base):
    """The Stripe Customer of a client: created once, then reused for every checkout."""

    __tablename__ = "billing_customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), unique=True, index=True
    )
    stripe_customer_id: Mapped[str] = mapped_column(String(255), unique=True, index=True)


class Subscription(TimestampMixin, Base):
    """A client's Stripe subscription to a recurring package, as the webhooks last described it."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    package_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_packages.id", ondelete="SET NULL"), index=True
    )
    stripe_subscription_id: Mapped[str] = mapped_column(String(255), unique=True, index=True)
    status: Mapped[SubscriptionStatus] = mapped_column(
        enum_column(SubscriptionStatus, 16), index=True
    )
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    canceled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Stripe's `created` of the newest event applied: an older event never moves us backwards.
    last_event_created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    package: Mapped[BillingPackage | None] = relationship(lazy="raise")


class Payment(TimestampMixin, Base):
    """Money a client paid (or tried to pay) a trainer, recorded from Stripe's events.

    Each Stripe id is unique, so a redelivered or duplicated event can never count twice.
    """

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_trainer_id_occurred_at", "trainer_id", "occurred_at"),
        Index("ix_payments_trainer_id_status_paid_at", "trainer_id", "status", "paid_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed by the two composite indexes above, which lead with trainer_id.
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # SET NULL, not CASCADE: removing a client must not erase the trainer's revenue history.
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    package_id: Mapped[int | None] = mapped_column(
        ForeignKey("billing_packages.id", ondelete="SET NULL"), index=True
    )
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="SET NULL"), index=True
    )
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus, 16))
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_charge_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When Stripe reported the outcome (paid_at when paid): what date filters look at.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client | None] = relationship(lazy="raise")
    package: Mapped[BillingPackage | None] = relationship(lazy="raise")


class StripeEvent(Base):
    """A Stripe event already applied; stored in the same transaction as its effects."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

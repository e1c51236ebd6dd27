"""Billing rules: packages mirrored in Stripe, checkout and portal, status, payments, revenue.

Stripe is reached only through `fitbud.services.stripe_gateway`. Webhook events are applied
by `fitbud.services.billing_events`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, timedelta, tzinfo
from typing import Any

from flask import current_app
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from fitbud.analytics.sql import local_midnight, month_in_zone
from fitbud.errors import (
    ConflictError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from fitbud.extensions import db
from fitbud.models import (
    BillingCustomer,
    BillingInterval,
    BillingPackage,
    Client,
    Payment,
    PaymentStatus,
    Subscription,
    SubscriptionStatus,
    User,
    utcnow,
)
from fitbud.services import identity
from fitbud.services.client_scope import own_client, trainer_client
from fitbud.services.local_time import zone_of
from fitbud.services.stripe_gateway import HostedSession, StripeGateway, billing_configured, get_gateway

logger = logging.getLogger("fitbud.billing")

# Subscriptions that still bill the client: a second one to the same trainer is refused.
LIVE_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)
_PACKAGE_TERMS = ("price", "currency", "interval")


# Packages -------------------------------------------------------------------------------


def list_packages(trainer: User, include_archived: bool = False) -> Select:
    """The trainer's packages, newest first; archived ones only when asked."""
    statement = select(BillingPackage).where(BillingPackage.trainer_id == trainer.id)
    if not include_archived:
        statement = statement.where(BillingPackage.archived_at.is_(None))
    return statement.order_by(BillingPackage.created_at.desc(), BillingPackage.id.desc())


def is_set_up() -> bool:
    """Whether billing can reach Stripe (a secret key is configured); pages say so when not."""
    return billing_configured()


def packages_of(trainer: User, include_archived: bool = False) -> list[BillingPackage]:
    """The trainer's packages as a list (what the billing page shows), newest first."""
    return list(db.session.execute(list_packages(trainer, include_archived)).scalars())


def get_package(trainer: User, package_id: int) -> BillingPackage:
    """One of the trainer's packages (archived included); 404 when it is not theirs."""
    package = db.session.execute(
        select(BillingPackage).where(BillingPackage.id == package_id, BillingPackage.trainer_id == trainer.id)
    ).scalar_one_or_none()
    if package is None:
        raise NotFoundError("Package not found.")
    return package


def create_package(trainer: User, data: dict[str, Any]) -> BillingPackage:
    """A new package, mirrored as a Stripe Product and Price before it is returned.

    The row is committed first so its id (part of the idempotency keys) is final; if Stripe
    fails the row is removed again and the error (422 or 503) reaches the caller.
    """
    identity.require_verified(trainer, "set up payments")
    gateway = get_gateway()
    _ensure_name_free(trainer.id, data["name"])
    package = BillingPackage(trainer_id=trainer.id, **data)
    db.session.add(package)
    _commit_or_conflict()
    try:
        _sync_with_stripe(package, gateway)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        db.session.delete(package)
        db.session.commit()
        raise
    return package


def update_package(trainer: User, package_id: int, data: dict[str, Any]) -> BillingPackage:
    """Change a package; new terms (price, currency, interval) make a new Stripe Price.

    Clients already subscribed stay on the price they signed up for, as Stripe does; the
    old price is deactivated so nobody new can buy it.
    """
    identity.require_verified(trainer, "set up payments")
    package = get_package(trainer, package_id)
    if package.archived_at is not None:
        raise ConflictError("An archived package cannot be changed.")
    gateway = get_gateway()
    rename = "name" in data and data["name"] != package.name
    if rename:
        _ensure_name_free(trainer.id, data["name"], exclude_id=package.id)
    new_terms = any(field in data and data[field] != getattr(package, field) for field in _PACKAGE_TERMS)
    old_price_id = package.stripe_price_id
    for field, value in data.items():
        setattr(package, field, value)
    try:
        if new_terms:
            package.price_version += 1
            package.stripe_price_id = None
        product_id = package.stripe_product_id  # None: the sync below creates it, named already
        _sync_with_stripe(package, gateway)
        # Renamed last: a failed price creation above leaves Stripe's product untouched.
        if rename and product_id is not None:
            gateway.update_product(product_id, name=package.name)
        _commit_or_conflict()
    except DomainError:
        db.session.rollback()
        raise
    if new_terms and old_price_id is not None:
        _deactivate_price_quietly(gateway, old_price_id)
    return package


def delete_package(trainer: User, package_id: int) -> None:
    """Remove a package; one with payments or subscriptions is archived instead, keeping history.

    Either way its Stripe Product is deactivated so it can no longer be bought.
    """
    identity.require_verified(trainer, "set up payments")
    package = get_package(trainer, package_id)
    has_history = db.session.execute(
        select(
            or_(
                exists().where(Payment.package_id == package.id),
                exists().where(Subscription.package_id == package.id),
            )
        )
    ).scalar_one()
    if has_history and package.archived_at is not None:
        return
    if package.stripe_product_id is not None:
        get_gateway().update_product(package.stripe_product_id, active=False)
    if has_history:
        package.archived_at = utcnow()
    else:
        db.session.delete(package)
    db.session.commit()


def list_client_packages(user: User) -> list[BillingPackage]:
    """The packages the client's trainer offers (live ones), cheapest first."""
    client = own_client(user)
    return list(
        db.session.execute(
            select(BillingPackage)
            .where(
                BillingPackage.trainer_id == client.trainer_id,
                BillingPackage.archived_at.is_(None),
            )
            .order_by(BillingPackage.price, BillingPackage.id)
        ).scalars()
    )


def _ensure_name_free(trainer_id: int, name: str, exclude_id: int | None = None) -> None:
    statement = select(BillingPackage.id).where(
        BillingPackage.trainer_id == trainer_id,
        BillingPackage.name == name,
        BillingPackage.archived_at.is_(None),
    )
    if exclude_id is not None:
        statement = statement.where(BillingPackage.id != exclude_id)
    if db.session.execute(statement).first() is not None:
        raise ConflictError("You already have a package with this name.", errors={"name": ["already used"]})


def _commit_or_conflict() -> None:
    # The partial unique index settles two simultaneous requests for the same name.
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ConflictError("You already have a package with this name.", errors={"name": ["already used"]}) from None


def _package_metadata(package: BillingPackage) -> dict[str, str]:
    return {"fitbud_package_id": str(package.id), "fitbud_trainer_id": str(package.trainer_id)}


def _sync_with_stripe(package: BillingPackage, gateway: StripeGateway) -> None:
    """Create whatever the package lacks in Stripe; the keys make a repeat return the same ids."""
    if package.stripe_product_id is None:
        package.stripe_product_id = gateway.create_product(
            package_id=package.id, name=package.name, metadata=_package_metadata(package)
        )
    if package.stripe_price_id is None:
        package.stripe_price_id = gateway.create_price(
            package_id=package.id,
            version=package.price_version,
            product_id=package.stripe_product_id,
            unit_amount=package.price,
            currency=package.currency,
            interval=package.interval.value,
            metadata=_package_metadata(package),
        )


def _deactivate_price_quietly(gateway: StripeGateway, price_id: str) -> None:
    # The change is committed and checkout only ever uses the current price, so a stale
    # active price in Stripe is untidy but harmless: log it rather than fail the request.
    try:
        gateway.deactivate_price(price_id)
    except DomainError:
        logger.warning("could not deactivate old Stripe price", extra={"price_id": price_id})


# Clients: checkout, portal, status ------------------------------------------------------


def start_checkout(user: User, package_id: int) -> HostedSession:
    """A Stripe Checkout session for one of the client's own trainer's packages."""
    client = own_client(user)
    if not client.is_active or client.archived_at is not None:
        raise PermissionDeniedError("Your coaching relationship is not active.")
    package = db.session.execute(
        select(BillingPackage).where(
            BillingPackage.id == package_id,
            BillingPackage.trainer_id == client.trainer_id,
            BillingPackage.archived_at.is_(None),
        )
    ).scalar_one_or_none()
    if package is None:
        raise NotFoundError("Package not found.", errors={"package_id": ["not offered to you"]})
    gateway = get_gateway()
    if package.is_recurring and _live_subscription(client.id) is not None:
        raise ConflictError(
            "You already have a subscription; change or cancel it in the billing portal.",
            errors={"package_id": ["already subscribed"]},
        )
    if package.stripe_price_id is None:
        # Left half-synced by a crash; the idempotency keys make finishing it safe.
        _sync_with_stripe(package, gateway)
        db.session.commit()
    customer_id = _ensure_customer(client, gateway)
    price_id = package.stripe_price_id
    assert price_id is not None  # _sync_with_stripe created it
    config = current_app.config
    metadata = {
        "fitbud_client_id": str(client.id),
        "fitbud_package_id": str(package.id),
        "fitbud_trainer_id": str(client.trainer_id),
    }
    return gateway.create_checkout_session(
        idempotency_key=f"checkout-{client.id}-{package.id}-{uuid.uuid4().hex}",
        customer_id=customer_id,
        price_id=price_id,
        recurring=package.is_recurring,
        client_reference_id=str(client.id),
        metadata=metadata,
        success_url=config["STRIPE_SUCCESS_URL"],
        cancel_url=config["STRIPE_CANCEL_URL"],
    )


def open_portal(user: User) -> HostedSession:
    """A Stripe customer-portal session; 409 before the client ever went through checkout."""
    client = own_client(user)
    customer_id = db.session.execute(
        select(BillingCustomer.stripe_customer_id).where(BillingCustomer.client_id == client.id)
    ).scalar_one_or_none()
    if customer_id is None:
        raise ConflictError("You have no billing account yet; subscribe to a package first.")
    return get_gateway().create_portal_session(
        idempotency_key=f"portal-{client.id}-{uuid.uuid4().hex}",
        customer_id=customer_id,
        return_url=current_app.config["STRIPE_PORTAL_RETURN_URL"],
    )


def _ensure_customer(client: Client, gateway: StripeGateway) -> str:
    """The client's Stripe customer id, creating the customer on first use only."""
    existing = db.session.execute(
        select(BillingCustomer.stripe_customer_id).where(BillingCustomer.client_id == client.id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    customer_id = gateway.create_customer(
        client_id=client.id,
        email=client.email,
        name=client.name,
        metadata={"fitbud_client_id": str(client.id), "fitbud_trainer_id": str(client.trainer_id)},
    )
    db.session.add(BillingCustomer(client_id=client.id, stripe_customer_id=customer_id))
    try:
        db.session.commit()
    except IntegrityError:
        # A simultaneous checkout stored it first; the shared idempotency key means it is
        # the very same Stripe customer.
        db.session.rollback()
        return db.session.execute(
            select(BillingCustomer.stripe_customer_id).where(BillingCustomer.client_id == client.id)
        ).scalar_one()
    return customer_id


@dataclass(frozen=True)
class BillingOverview:
    """Where a client stands: what the client app and the trainer are shown."""

    status: str
    past_due: bool
    access: str
    message: str
    subscription: Subscription | None
    package: BillingPackage | None


_CLIENT_MESSAGES = {
    "none": "You have no subscription.",
    SubscriptionStatus.INCOMPLETE: "Your subscription is waiting for its first payment.",
    SubscriptionStatus.ACTIVE: "Your subscription is active.",
    SubscriptionStatus.PAST_DUE: (
        "Your last payment failed. You keep read access to your plans and history; "
        "update your payment method in the billing portal to restore full access."
    ),
    SubscriptionStatus.CANCELED: "Your subscription has ended.",
}
_TRAINER_MESSAGES = {
    "none": "This client has no subscription.",
    SubscriptionStatus.INCOMPLETE: "The subscription is waiting for its first payment.",
    SubscriptionStatus.ACTIVE: "The subscription is active.",
    SubscriptionStatus.PAST_DUE: ("The client's last payment failed; they keep read access until it is paid."),
    SubscriptionStatus.CANCELED: "The subscription has ended.",
}


def my_billing(user: User) -> BillingOverview:
    """The client's own billing status (a past-due client keeps read access, and is told so)."""
    return _overview(own_client(user).id, _CLIENT_MESSAGES)


def client_billing(trainer: User, client_id: int) -> BillingOverview:
    """A trainer's view of one of their clients' billing; 404 for anyone else's client."""
    trainer_client(trainer, client_id)
    return _overview(client_id, _TRAINER_MESSAGES)


def recent_one_off_payment(user: User, within: timedelta) -> Payment | None:
    """The client's newest paid one-off purchase of the last `within` (what a checkout return confirms)."""
    client = own_client(user)
    return db.session.execute(
        select(Payment)
        .options(joinedload(Payment.package))
        .join(BillingPackage, BillingPackage.id == Payment.package_id)
        .where(
            Payment.client_id == client.id,
            Payment.status == PaymentStatus.PAID,
            Payment.occurred_at >= utcnow() - within,
            BillingPackage.interval == BillingInterval.ONE_OFF,
        )
        .order_by(Payment.occurred_at.desc(), Payment.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def current_subscription(client_id: int) -> Subscription | None:
    """The subscription that speaks for the client now: the newest live one, else the newest."""
    subscriptions = (
        db.session.execute(
            select(Subscription)
            .options(joinedload(Subscription.package))
            .where(Subscription.client_id == client_id)
            .order_by(Subscription.created_at.desc(), Subscription.id.desc())
        )
        .scalars()
        .all()
    )
    live = [s for s in subscriptions if s.status != SubscriptionStatus.CANCELED]
    chosen = live or subscriptions
    return chosen[0] if chosen else None


def subscription_statuses(trainer_id: int, client_ids: list[int]) -> dict[int, str]:
    """Each listed client's current status ("none" without a subscription), in one query."""
    rows = db.session.execute(
        select(Subscription.client_id, Subscription.status, Subscription.id)
        .join(Client, Client.id == Subscription.client_id)
        .where(Client.trainer_id == trainer_id, Subscription.client_id.in_(client_ids))
        .order_by(Subscription.id)
    ).all()
    statuses: dict[int, str] = {client_id: "none" for client_id in client_ids}
    for client_id, status, _id in rows:
        # Later subscriptions win, except that an ended one never hides a live one.
        if status != SubscriptionStatus.CANCELED or statuses[client_id] in ("none", "canceled"):
            statuses[client_id] = status.value
    return statuses


def _overview(client_id: int, messages: dict[Any, str]) -> BillingOverview:
    subscription = current_subscription(client_id)
    status: Any = subscription.status if subscription is not None else "none"
    past_due = status == SubscriptionStatus.PAST_DUE
    message = messages[status]
    if (
        subscription is not None
        and subscription.cancel_at_period_end
        and subscription.status == SubscriptionStatus.ACTIVE
        and subscription.current_period_end is not None
    ):
        message += f" It ends on {subscription.current_period_end.date().isoformat()}."
    return BillingOverview(
        status=str(status),
        past_due=past_due,
        # Gating: a past-due client may still read everything but not start anything new.
        access="read_only" if past_due else "full",
        message=message,
        subscription=subscription,
        package=subscription.package if subscription is not None else None,
    )


def _live_subscription(client_id: int) -> Subscription | None:
    return db.session.execute(
        select(Subscription).where(Subscription.client_id == client_id, Subscription.status.in_(LIVE_STATUSES)).limit(1)
    ).scalar_one_or_none()


# Payments and revenue -------------------------------------------------------------------


def list_payments(
    trainer: User,
    client_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: PaymentStatus | None = None,
) -> Select:
    """The trainer's payments, newest first; dates are whole days in the trainer's timezone."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInputError("The date range is reversed.", errors={"from": ["must not be after 'to'"]})
    if client_id is not None:
        trainer_client(trainer, client_id)
    statement = (
        select(Payment)
        .options(joinedload(Payment.client), joinedload(Payment.package))
        .where(Payment.trainer_id == trainer.id)
    )
    zone = zone_of(trainer)
    if client_id is not None:
        statement = statement.where(Payment.client_id == client_id)
    if date_from is not None:
        statement = statement.where(Payment.occurred_at >= local_midnight(date_from, zone))
    if date_to is not None:
        statement = statement.where(Payment.occurred_at < local_midnight(date_to + timedelta(1), zone))
    if status is not None:
        statement = statement.where(Payment.status == status)
    return statement.order_by(Payment.occurred_at.desc(), Payment.id.desc())


@dataclass(frozen=True)
class PaymentsPage:
    """The payments of a period (newest first, at most `limit`) and the period's paid totals per currency."""

    payments: list[Payment]
    paid_totals: dict[str, int]
    failed: int
    total_count: int


def payments_between(trainer: User, first: date | None, last: date | None, limit: int = 100) -> PaymentsPage:
    """The trainer's payments in [first, last] (their days) with totals summed by the database."""
    statement = list_payments(trainer, None, first, last)
    payments = list(db.session.execute(statement.limit(limit)).scalars())
    counted = statement.order_by(None).options().subquery()
    rows = db.session.execute(
        select(counted.c.currency, counted.c.status, func.sum(counted.c.amount), func.count()).group_by(
            counted.c.currency, counted.c.status
        )
    ).all()
    paid = {currency: int(amount) for currency, status, amount, _n in rows if status == PaymentStatus.PAID}
    failed = sum(n for _currency, status, _amount, n in rows if status == PaymentStatus.FAILED)
    return PaymentsPage(payments, dict(sorted(paid.items())), failed, sum(n for *_rest, n in rows))


@dataclass(frozen=True)
class RevenueRow:
    """Money received in one calendar month (in the trainer's timezone) for one package, in one currency."""

    month: str
    package_id: int | None
    package_name: str | None
    currency: str
    amount: int


def monthly_revenue(trainer_id: int, start: date, end: date, zone: tzinfo = UTC) -> list[RevenueRow]:
    """Paid amounts per month, package and currency for `start` <= paid day < `end`, days and months in `zone`.

    Summed by the database (GROUP BY); currencies are never added together. A month is the
    trainer's: a payment at 23:30 UTC on 31 January is February's in Sydney.
    """
    month = month_in_zone(Payment.paid_at, start, end, zone).label("month")
    rows = db.session.execute(
        select(month, Payment.package_id, BillingPackage.name, Payment.currency, func.sum(Payment.amount))
        .select_from(Payment)
        .outerjoin(BillingPackage, BillingPackage.id == Payment.package_id)
        .where(
            Payment.trainer_id == trainer_id,
            Payment.status == PaymentStatus.PAID,
            Payment.paid_at >= local_midnight(start, zone),
            Payment.paid_at < local_midnight(end, zone),
        )
        .group_by("month", Payment.package_id, BillingPackage.name, Payment.currency)
        .order_by("month", Payment.package_id, Payment.currency)
    ).all()
    return [
        RevenueRow(month[:7], package_id, name, currency, int(total))
        for month, package_id, name, currency, total in rows
    ]


__all__ = [
    "BillingOverview",
    "PaymentsPage",
    "RevenueRow",
    "client_billing",
    "create_package",
    "current_subscription",
    "delete_package",
    "get_package",
    "is_set_up",
    "list_client_packages",
    "list_packages",
    "list_payments",
    "monthly_revenue",
    "my_billing",
    "open_portal",
    "packages_of",
    "payments_between",
    "start_checkout",
    "subscription_statuses",
    "update_package",
]

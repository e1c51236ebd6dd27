"""Stripe webhook events, applied exactly once: subscription status and payments follow Stripe.

Exactly once: the event id is inserted (and flushed, so a simultaneous duplicate delivery
waits on the primary key) in the same transaction as the event's effects. A redelivery finds
it and changes nothing; a duplicate that loses the race gets an IntegrityError and is treated
as already processed. Events can arrive in any order: a subscription only moves on an event
newer (by Stripe's `created`) than the last one applied to it, and a paid payment stays paid.

Payloads are read as documented by Stripe's current API (subscription periods on items,
invoice subscriptions under `parent.subscription_details`) and, because a webhook endpoint
can be pinned to an older API version, also in the older shape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import String, or_, select
from sqlalchemy.exc import IntegrityError

from fitbud.extensions import db
from fitbud.models import (
    BillingCustomer,
    BillingPackage,
    Client,
    Payment,
    PaymentStatus,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
    utcnow,
)
from fitbud.services.inputs import MAX_YEAR, MIN_YEAR, unstorable_text
from fitbud.services.stripe_gateway import InvalidWebhookError, get_gateway
from fitbud.services.upserts import insert_if_absent

logger = logging.getLogger("fitbud.billing.events")

# Stripe's subscription statuses in Fitbud's four. "paused" (a trial ended without a payment
# method) and "unpaid" both mean money is owed, which is what past_due tells the client.
_STATUS_MAP = {
    "active": SubscriptionStatus.ACTIVE,
    "trialing": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "paused": SubscriptionStatus.PAST_DUE,
    "incomplete": SubscriptionStatus.INCOMPLETE,
    "incomplete_expired": SubscriptionStatus.CANCELED,
    "canceled": SubscriptionStatus.CANCELED,
}

Obj = Mapping[str, Any]
# What the stripe_events row holds.
MAX_EVENT_ID_LENGTH = cast(String, StripeEvent.__table__.c.id.type).length or 255
MAX_EVENT_TYPE_LENGTH = cast(String, StripeEvent.__table__.c.type.type).length or 100


def process_webhook(payload: bytes, signature: str | None) -> bool:
    """Verify and apply one webhook delivery; False when the event was already processed.

    A bad or missing signature, an old timestamp or a body that is not an event is a 400
    (InvalidWebhookError) and changes nothing.
    """
    event = get_gateway().construct_event(payload, signature)
    return apply_event(event)


def apply_event(event: Obj) -> bool:
    """Apply a verified event once; False (and no change) if it was processed before."""
    _refuse_malformed(event)
    event_id = event["id"]
    if _already_processed(event_id):
        return False
    created = _timestamp(event.get("created"))
    if created is None:
        raise InvalidWebhookError("The event has no creation time.")
    try:
        db.session.add(StripeEvent(id=event_id, type=event["type"], created=created, processed_at=utcnow()))
        # Claim the id before touching anything: a concurrent duplicate blocks or fails here.
        db.session.flush()
        handler = _HANDLERS.get(event["type"])
        obj = (event.get("data") or {}).get("object") or {}
        if handler is not None:
            handler(obj, created)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if _already_processed(event_id):
            logger.info("stripe event delivered twice at once", extra={"event_id": event_id})
            return False
        raise
    except Exception:
        db.session.rollback()
        raise
    return True


def _already_processed(event_id: str) -> bool:
    return db.session.get(StripeEvent, event_id) is not None


# Handlers -------------------------------------------------------------------------------


def _checkout_session_completed(session: Obj, created: datetime) -> None:
    """Checkout finished: the subscription starts, or a one-off purchase is paid."""
    metadata = session.get("metadata") or {}
    customer_id = _id(session.get("customer"))
    client = _resolve_client(customer_id, metadata)
    if client is None:
        logger.warning("checkout for an unknown client", extra={"session_id": session.get("id")})
        return
    _remember_customer(client, customer_id)
    package = _resolve_package(client, metadata)
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    if session.get("mode") == "subscription" and session.get("subscription"):
        # The subscription's invoices are recorded by invoice.paid, never here.
        _apply_subscription(
            _id(session["subscription"]),
            client,
            package,
            SubscriptionStatus.ACTIVE if paid else SubscriptionStatus.INCOMPLETE,
            created,
        )
    elif session.get("mode") == "payment" and session.get("payment_status") == "paid":
        _record_payment(
            client,
            package,
            None,
            status=PaymentStatus.PAID,
            amount=int(session.get("amount_total") or 0),
            currency=str(session.get("currency") or ""),
            when=created,
            invoice_id=_id(session.get("invoice")),
            payment_intent_id=_id(session.get("payment_intent")),
            charge_id=None,
        )


def _subscription_changed(subscription: Obj, created: datetime) -> None:
    """customer.subscription.created/updated: take Stripe's status and period end."""
    status = _STATUS_MAP.get(str(subscription.get("status")))
    if status is None:
        logger.warning("unknown subscription status", extra={"status": subscription.get("status")})
        return
    _apply_from_subscription_object(subscription, status, created)


def _subscription_deleted(subscription: Obj, created: datetime) -> None:
    """customer.subscription.deleted: the subscription is over for good."""
    _apply_from_subscription_object(
        subscription,
        SubscriptionStatus.CANCELED,
        created,
        canceled_at=_timestamp(subscription.get("ended_at") or subscription.get("canceled_at")) or created,
    )


def _invoice_paid(invoice: Obj, created: datetime) -> None:
    """invoice.paid: record the payment once, and a recovered subscription is active again."""
    context = _invoice_context(invoice)
    if context is None:
        return
    client, package, subscription_id = context
    subscription = None
    if subscription_id is not None:
        subscription = _apply_subscription(
            subscription_id,
            client,
            package,
            SubscriptionStatus.ACTIVE,
            created,
            period_end=_invoice_period_end(invoice),
        )
        package = package or _package_of(subscription)
    amount = int(invoice.get("amount_paid") or 0)
    if amount <= 0:
        return  # trials and fully discounted invoices move no money
    paid_at = _timestamp((invoice.get("status_transitions") or {}).get("paid_at")) or created
    payment_intent_id, charge_id = _invoice_payment_ids(invoice)
    _record_payment(
        client,
        package,
        subscription,
        status=PaymentStatus.PAID,
        amount=amount,
        currency=str(invoice.get("currency") or ""),
        when=paid_at,
        invoice_id=_id(invoice.get("id")),
        payment_intent_id=payment_intent_id,
        charge_id=charge_id,
    )


def _invoice_payment_failed(invoice: Obj, created: datetime) -> None:
    """invoice.payment_failed: the subscription is past due and the failed attempt is listed."""
    context = _invoice_context(invoice)
    if context is None:
        return
    client, package, subscription_id = context
    subscription = None
    if subscription_id is not None:
        # The first invoice of a new subscription failing leaves it incomplete, not past due.
        first = invoice.get("billing_reason") == "subscription_create"
        subscription = _apply_subscription(
            subscription_id,
            client,
            package,
            SubscriptionStatus.INCOMPLETE if first else SubscriptionStatus.PAST_DUE,
            created,
        )
        package = package or _package_of(subscription)
    payment_intent_id, charge_id = _invoice_payment_ids(invoice)
    _record_payment(
        client,
        package,
        subscription,
        status=PaymentStatus.FAILED,
        amount=int(invoice.get("amount_due") or 0),
        currency=str(invoice.get("currency") or ""),
        when=created,
        invoice_id=_id(invoice.get("id")),
        payment_intent_id=payment_intent_id,
        charge_id=charge_id,
    )


_HANDLERS: dict[str, Callable[[Obj, datetime], None]] = {
    "checkout.session.completed": _checkout_session_completed,
    # Delayed payment methods (bank debits) complete the same session later.
    "checkout.session.async_payment_succeeded": _checkout_session_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_deleted,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_payment_failed,
}
HANDLED_EVENT_TYPES = tuple(_HANDLERS)


# Subscriptions --------------------------------------------------------------------------


def _apply_from_subscription_object(
    subscription: Obj,
    status: SubscriptionStatus,
    created: datetime,
    canceled_at: datetime | None = None,
) -> None:
    stripe_id = _id(subscription.get("id"))
    metadata = subscription.get("metadata") or {}
    existing = _find_subscription(stripe_id)
    client = _client_of(existing) or _resolve_client(_id(subscription.get("customer")), metadata)
    if client is None:
        logger.warning("subscription of an unknown client", extra={"subscription_id": stripe_id})
        return
    item = _first(subscription.get("items"))
    package = _resolve_package(client, metadata, _product_of_price(item.get("price")))
    # Current API: the period lives on each item; older versions had it on the subscription.
    period_end = _timestamp(item.get("current_period_end") or subscription.get("current_period_end"))
    _apply_subscription(
        stripe_id,
        client,
        package,
        status,
        created,
        period_end=period_end,
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
        canceled_at=canceled_at,
    )


def _apply_subscription(
    stripe_id: str | None,
    client: Client,
    package: BillingPackage | None,
    status: SubscriptionStatus,
    created: datetime,
    *,
    period_end: datetime | None = None,
    cancel_at_period_end: bool | None = None,
    canceled_at: datetime | None = None,
) -> Subscription | None:
    """Create or move a subscription, unless the event is older than what we already applied."""
    if stripe_id is None:
        return None
    subscription = _find_subscription(stripe_id, lock=True)
    if subscription is None:
        # Several first events of a new subscription (checkout, subscription created, invoice
        # paid) often arrive together: the insert is an upsert, so the ones that lose the race
        # wait for the winner's row and then apply themselves to it, instead of failing.
        inserted = insert_if_absent(
            Subscription,
            {
                "client_id": client.id,
                "package_id": package.id if package else None,
                "stripe_subscription_id": stripe_id,
                "status": status,
                "current_period_end": period_end,
                "cancel_at_period_end": bool(cancel_at_period_end),
                "canceled_at": canceled_at,
                "last_event_created": created,
            },
            ["stripe_subscription_id"],
        )
        subscription = _find_subscription(stripe_id, lock=True)
        if subscription is None:  # pragma: no cover - the row exists after the upsert
            raise RuntimeError(f"subscription {stripe_id} vanished after its upsert")
        if inserted:
            return subscription
    if created < subscription.last_event_created:
        logger.info(
            "older stripe event ignored for subscription state",
            extra={"subscription_id": stripe_id},
        )
        return subscription
    if subscription.status == SubscriptionStatus.CANCELED and status != SubscriptionStatus.CANCELED:
        # Stripe never revives a canceled subscription; a late event must not either.
        return subscription
    subscription.status = status
    subscription.last_event_created = created
    if period_end is not None:
        subscription.current_period_end = period_end
    if cancel_at_period_end is not None:
        subscription.cancel_at_period_end = cancel_at_period_end
    if canceled_at is not None:
        subscription.canceled_at = canceled_at
    if subscription.package_id is None and package is not None:
        subscription.package_id = package.id
    return subscription


def _find_subscription(stripe_id: str | None, lock: bool = False) -> Subscription | None:
    if stripe_id is None:
        return None
    statement = select(Subscription).where(Subscription.stripe_subscription_id == stripe_id)
    if lock:
        # Two different events about one subscription, processed at once, take turns.
        statement = statement.with_for_update()
    return db.session.execute(statement).scalar_one_or_none()


def _client_of(subscription: Subscription | None) -> Client | None:
    return db.session.get(Client, subscription.client_id) if subscription is not None else None


def _package_of(subscription: Subscription | None) -> BillingPackage | None:
    if subscription is None or subscription.package_id is None:
        return None
    return db.session.get(BillingPackage, subscription.package_id)


# Payments -------------------------------------------------------------------------------


def _record_payment(
    client: Client,
    package: BillingPackage | None,
    subscription: Subscription | None,
    *,
    status: PaymentStatus,
    amount: int,
    currency: str,
    when: datetime,
    invoice_id: str | None,
    payment_intent_id: str | None,
    charge_id: str | None,
) -> Payment | None:
    """Insert or update the one row for these Stripe ids: a payment is never counted twice."""
    ids = {
        Payment.stripe_invoice_id: invoice_id,
        Payment.stripe_payment_intent_id: payment_intent_id,
        Payment.stripe_charge_id: charge_id,
    }
    conditions = [column == value for column, value in ids.items() if value]
    if not conditions:
        logger.warning("payment without any Stripe id ignored", extra={"client_id": client.id})
        return None
    payment = db.session.execute(select(Payment).where(or_(*conditions)).with_for_update()).scalars().first()
    if payment is None:
        payment = Payment(
            trainer_id=client.trainer_id,
            client_id=client.id,
            package_id=package.id if package else None,
            subscription_id=subscription.id if subscription else None,
            amount=amount,
            currency=currency.lower(),
            status=status,
            paid_at=when if status == PaymentStatus.PAID else None,
            occurred_at=when,
        )
        db.session.add(payment)
    elif payment.status == PaymentStatus.PAID:
        pass  # already counted; a late failure or a second report changes nothing
    elif status == PaymentStatus.PAID:
        payment.status = PaymentStatus.PAID
        payment.amount = amount
        payment.paid_at = when
        payment.occurred_at = when
    elif when > payment.occurred_at:
        payment.occurred_at = when  # another failed retry of the same invoice
    # Fill in ids learnt later (the charge of a retried invoice, say), never overwrite them.
    payment.stripe_invoice_id = payment.stripe_invoice_id or invoice_id
    payment.stripe_payment_intent_id = payment.stripe_payment_intent_id or payment_intent_id
    payment.stripe_charge_id = payment.stripe_charge_id or charge_id
    if payment.package_id is None and package is not None:
        payment.package_id = package.id
    if payment.subscription_id is None and subscription is not None:
        payment.subscription_id = subscription.id
    return payment


# Reading Stripe objects -----------------------------------------------------------------


def _invoice_context(invoice: Obj) -> tuple[Client, BillingPackage | None, str | None] | None:
    """The client, package and Stripe subscription id an invoice belongs to."""
    # Current API: parent.subscription_details; older versions: top-level fields.
    details = (invoice.get("parent") or {}).get("subscription_details") or invoice.get("subscription_details") or {}
    subscription_id = _id(details.get("subscription") or invoice.get("subscription"))
    metadata = details.get("metadata") or {}
    existing = _find_subscription(subscription_id)
    client = _client_of(existing) or _resolve_client(_id(invoice.get("customer")), metadata)
    if client is None:
        logger.warning("invoice of an unknown client", extra={"invoice_id": invoice.get("id")})
        return None
    line = _first(invoice.get("lines"))
    product_id = ((line.get("pricing") or {}).get("price_details") or {}).get("product") or _product_of_price(
        line.get("price")
    )
    package = _package_of(existing) or _resolve_package(client, metadata, product_id)
    return client, package, subscription_id


def _invoice_period_end(invoice: Obj) -> datetime | None:
    # An invoice's own period_end is the previous period; its line covers the new one.
    line = _first(invoice.get("lines"))
    return _timestamp((line.get("period") or {}).get("end"))


def _invoice_payment_ids(invoice: Obj) -> tuple[str | None, str | None]:
    """The payment intent and charge of an invoice, where the payload includes them."""
    payments = _first(invoice.get("payments"))
    payment = payments.get("payment") or {}
    payment_intent = _id(payment.get("payment_intent") or invoice.get("payment_intent"))
    charge = _id(payment.get("charge") or invoice.get("charge"))
    return payment_intent, charge


def _resolve_client(customer_id: str | None, metadata: Obj) -> Client | None:
    """Our client for a Stripe customer; the metadata we put on Checkout as a fallback."""
    if customer_id:
        client = db.session.execute(
            select(Client)
            .join(BillingCustomer, BillingCustomer.client_id == Client.id)
            .where(BillingCustomer.stripe_customer_id == customer_id)
        ).scalar_one_or_none()
        if client is not None:
            return client
    raw = str(metadata.get("fitbud_client_id") or "")
    return db.session.get(Client, int(raw)) if raw.isdigit() else None


def _resolve_package(client: Client, metadata: Obj, product_id: str | None = None) -> BillingPackage | None:
    """The client's trainer's package named by our metadata, else by the Stripe product."""
    raw = str(metadata.get("fitbud_package_id") or "")
    condition = None
    if raw.isdigit():
        condition = BillingPackage.id == int(raw)
    elif product_id:
        condition = BillingPackage.stripe_product_id == product_id
    if condition is None:
        return None
    return db.session.execute(
        select(BillingPackage).where(condition, BillingPackage.trainer_id == client.trainer_id)
    ).scalar_one_or_none()


def _remember_customer(client: Client, customer_id: str | None) -> None:
    """Store the client's Stripe customer if checkout somehow created it without us."""
    if not customer_id:
        return
    known = db.session.execute(
        select(BillingCustomer.id).where(
            or_(
                BillingCustomer.client_id == client.id,
                BillingCustomer.stripe_customer_id == customer_id,
            )
        )
    ).first()
    if known is None:
        db.session.add(BillingCustomer(client_id=client.id, stripe_customer_id=customer_id))


def _product_of_price(price: Any) -> str | None:
    if not isinstance(price, Mapping):
        return None
    return _id(price.get("product"))


def _first(listing: Any) -> Obj:
    """The first element of a Stripe list object, or an empty mapping."""
    if isinstance(listing, Mapping):
        data = listing.get("data") or []
        if data and isinstance(data[0], Mapping):
            return data[0]
    return {}


def _id(value: Any) -> str | None:
    """A Stripe reference, whether the payload holds the id or the expanded object."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _refuse_malformed(event: Obj) -> None:
    """A signed event that cannot be a Stripe event is a 400 (InvalidWebhookError), never a 500.

    The signature proves who sent the body, not that it is sane: a test-mode secret in the wrong
    hands, or a bug on the sender's side, can sign anything. What the code below stores or reads
    must fit: the id and type in their columns, `data.object` an object.
    """
    event_id, event_type = event.get("id"), event.get("type")
    if unstorable_text(event_id) or unstorable_text(event_type):
        raise InvalidWebhookError("The event id and type must be plain text.")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_EVENT_ID_LENGTH:
        raise InvalidWebhookError(f"The event id must be text of 1 to {MAX_EVENT_ID_LENGTH} characters.")
    if not isinstance(event_type, str) or not 0 < len(event_type) <= MAX_EVENT_TYPE_LENGTH:
        raise InvalidWebhookError(f"The event type must be text of 1 to {MAX_EVENT_TYPE_LENGTH} characters.")
    data = event.get("data")
    if data is not None and (not isinstance(data, dict) or not isinstance(data.get("object", {}), dict)):
        raise InvalidWebhookError("The event's data.object must be an object.")


def _timestamp(value: Any) -> datetime | None:
    """A Stripe Unix timestamp as an aware UTC datetime; None when absent or not a plausible time."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        moment = datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):  # past what a datetime holds (or NaN)
        return None
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None

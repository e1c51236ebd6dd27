"""Demo billing: the demo trainer's two packages, subscriptions and a few months of payments.

Nothing here calls Stripe. The packages are saved without Stripe ids, so with real (test)
keys configured the first checkout creates their Product and Price like any half-synced
package. Subscriptions and payments need Stripe ids to be unique, so they carry made-up
`demo_...` ids that exist nowhere in Stripe; they only feed the revenue figures and statuses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from fitbud.demo.accounts import DemoWorld
from fitbud.extensions import db
from fitbud.models import (
    BillingInterval,
    BillingPackage,
    Payment,
    PaymentStatus,
    Subscription,
    SubscriptionStatus,
    utcnow,
)

MONTHLY = ("Monthly coaching", 12000, BillingInterval.MONTHLY, 4)
SESSION_PACK = ("10-session pack", 45000, BillingInterval.ONE_OFF, 10)
CURRENCY = "gbp"
MONTHS_OF_HISTORY = 4


def seed_billing(world: DemoWorld) -> None:
    """Packages, subscriptions and past payments for the demo trainer (safe to run twice)."""
    trainer = world.trainer
    monthly = _package(trainer.id, *MONTHLY)
    pack = _package(trainer.id, *SESSION_PACK)
    db.session.flush()
    today = utcnow().date()
    this_month = today.replace(day=1)
    subscribers, buyer = world.clients[:4], world.clients[4:5]
    for index, client in enumerate(subscribers):
        # Each subscriber renews on their own day of the month; only days already past count.
        renewal_day = 3 + index * 5
        renewals = [
            (this_month - relativedelta(months=months_ago)).replace(day=renewal_day)
            for months_ago in range(MONTHS_OF_HISTORY, -1, -1)
        ]
        billed = [day for day in renewals if day <= today][-MONTHS_OF_HISTORY:]
        # The fourth subscriber's latest renewal failed: past due, read-only in the client app.
        past_due = index == 3
        status = SubscriptionStatus.PAST_DUE if past_due else SubscriptionStatus.ACTIVE
        subscription = _subscription(client, monthly, status, billed[-1] + relativedelta(months=1))
        for day in billed:
            failed = past_due and day == billed[-1]
            _payment(
                client,
                monthly,
                subscription,
                when=_at(day),
                status=PaymentStatus.FAILED if failed else PaymentStatus.PAID,
                invoice_id=f"demo_in_{client.id}_{day:%Y%m}",
            )
    for client in buyer:
        month = this_month - relativedelta(months=2)
        _payment(
            client,
            pack,
            None,
            when=_at(month.replace(day=12)),
            status=PaymentStatus.PAID,
            payment_intent_id=f"demo_pi_{client.id}_{month:%Y%m}",
        )
    db.session.commit()


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


def _package(
    trainer_id: int, name: str, price: int, interval: BillingInterval, sessions: int
) -> BillingPackage:
    package = db.session.execute(
        select(BillingPackage).where(
            BillingPackage.trainer_id == trainer_id, BillingPackage.name == name
        )
    ).scalar_one_or_none()
    if package is None:
        package = BillingPackage(
            trainer_id=trainer_id,
            name=name,
            price=price,
            currency=CURRENCY,
            interval=interval,
            sessions_per_period=sessions,
        )
        db.session.add(package)
    return package


def _subscription(client, package, status, period_end: date) -> Subscription:
    stripe_id = f"demo_sub_{client.id}"
    subscription = db.session.execute(
        select(Subscription).where(Subscription.stripe_subscription_id == stripe_id)
    ).scalar_one_or_none()
    if subscription is None:
        subscription = Subscription(
            client_id=client.id,
            package_id=package.id,
            stripe_subscription_id=stripe_id,
            status=status,
            current_period_end=_at(period_end),
            last_event_created=utcnow(),
        )
        db.session.add(subscription)
        db.session.flush()
    return subscription


def _payment(
    client,
    package,
    subscription,
    *,
    when: datetime,
    status: PaymentStatus,
    invoice_id: str | None = None,
    payment_intent_id: str | None = None,
) -> None:
    column = Payment.stripe_invoice_id if invoice_id else Payment.stripe_payment_intent_id
    if db.session.execute(
        select(Payment.id).where(column == (invoice_id or payment_intent_id))
    ).first():
        return
    db.session.add(
        Payment(
            trainer_id=client.trainer_id,
            client_id=client.id,
            package_id=package.id,
            subscription_id=subscription.id if subscription else None,
            amount=package.price,
            currency=package.currency,
            status=status,
            stripe_invoice_id=invoice_id,
            stripe_payment_intent_id=payment_intent_id,
            paid_at=when if status == PaymentStatus.PAID else None,
            occurred_at=when,
        )
    )

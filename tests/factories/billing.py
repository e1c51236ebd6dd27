"""Factories for packages, Stripe customers, subscriptions and payments."""

from __future__ import annotations

from datetime import timedelta

import factory

from fitbud.extensions import db
from fitbud.models import (
    BillingCustomer,
    BillingInterval,
    BillingPackage,
    Payment,
    PaymentStatus,
    Subscription,
    SubscriptionStatus,
    User,
    utcnow,
)
from tests.factories.accounts import ClientFactory, TrainerFactory
from tests.factories.base import BaseFactory


def _trainer_of_client(stub) -> User:
    # Committed objects are expired and relationships are lazy="raise": load the trainer.
    return db.session.get(User, stub.factory_parent.client.trainer_id)


class BillingPackageFactory(BaseFactory):
    """A monthly package already mirrored in Stripe."""

    class Meta:
        model = BillingPackage
        exclude = ("trainer",)

    trainer = factory.SubFactory(TrainerFactory)
    trainer_id = factory.SelfAttribute("trainer.id")
    name = factory.Sequence(lambda n: f"Coaching package {n}")
    price = 4900
    currency = "eur"
    interval = BillingInterval.MONTHLY
    sessions_per_period = 4
    stripe_product_id = factory.Sequence(lambda n: f"prod_factory{n:04d}")
    stripe_price_id = factory.Sequence(lambda n: f"price_factory{n:04d}")


class BillingCustomerFactory(BaseFactory):
    """A client's Stripe customer."""

    class Meta:
        model = BillingCustomer
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    stripe_customer_id = factory.Sequence(lambda n: f"cus_factory{n:04d}")


class SubscriptionFactory(BaseFactory):
    """An active subscription of a client to a package of their trainer."""

    class Meta:
        model = Subscription
        exclude = ("client", "package")

    client = factory.SubFactory(ClientFactory)
    package = factory.SubFactory(
        BillingPackageFactory, trainer=factory.LazyAttribute(_trainer_of_client)
    )
    client_id = factory.SelfAttribute("client.id")
    package_id = factory.SelfAttribute("package.id")
    stripe_subscription_id = factory.Sequence(lambda n: f"sub_factory{n:04d}")
    status = SubscriptionStatus.ACTIVE
    current_period_end = factory.LazyFunction(lambda: utcnow() + timedelta(days=20))
    last_event_created = factory.LazyFunction(lambda: utcnow() - timedelta(days=10))


class PaymentFactory(BaseFactory):
    """A paid invoice of a client for a package of their trainer."""

    class Meta:
        model = Payment
        exclude = ("client", "package")

    client = factory.SubFactory(ClientFactory)
    package = factory.SubFactory(
        BillingPackageFactory, trainer=factory.LazyAttribute(_trainer_of_client)
    )
    trainer_id = factory.SelfAttribute("client.trainer_id")
    client_id = factory.SelfAttribute("client.id")
    package_id = factory.LazyAttribute(lambda o: o.package.id if o.package else None)
    amount = 4900
    currency = "eur"
    status = PaymentStatus.PAID
    stripe_invoice_id = factory.Sequence(lambda n: f"in_factory{n:04d}")
    paid_at = factory.LazyFunction(utcnow)
    occurred_at = factory.LazyAttribute(lambda o: o.paid_at or utcnow())

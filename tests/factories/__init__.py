"""factory_boy factories, one module per domain, re-exported here."""

from tests.factories.accounts import (
    AdminFactory,
    ClientFactory,
    ClientUserFactory,
    TrainerFactory,
    UserFactory,
)
from tests.factories.billing import (
    BillingCustomerFactory,
    BillingPackageFactory,
    PaymentFactory,
    SubscriptionFactory,
)

__all__ = [
    "AdminFactory",
    "BillingCustomerFactory",
    "BillingPackageFactory",
    "ClientFactory",
    "ClientUserFactory",
    "PaymentFactory",
    "SubscriptionFactory",
    "TrainerFactory",
    "UserFactory",
]

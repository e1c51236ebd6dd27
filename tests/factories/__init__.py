"""factory_boy factories, one module per domain, re-exported here."""

from tests.factories.accounts import (
    AdminFactory,
    ClientFactory,
    ClientUserFactory,
    TrainerFactory,
    UserFactory,
)

__all__ = [
    "AdminFactory",
    "ClientFactory",
    "ClientUserFactory",
    "TrainerFactory",
    "UserFactory",
]

"""Factories for users of each role and for clients."""

from __future__ import annotations

import factory
from flask import current_app

from fitbud.auth.passwords import hash_password
from fitbud.auth.roles import Role
from fitbud.models import Client, User, utcnow
from tests.factories.base import BaseFactory
from tests.helpers import DEFAULT_PASSWORD


def _default_password_hash() -> str:
    # Hashing is the slow part of making a user; one hash per app is plenty.
    cached = current_app.extensions.get("tests.default_hash")
    if cached is None:
        cached = current_app.extensions["tests.default_hash"] = hash_password(DEFAULT_PASSWORD)
    return cached


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    password_hash = factory.LazyFunction(_default_password_hash)
    role = Role.TRAINER
    is_active = True
    timezone = "UTC"
    unit_system = "metric"
    # Proven addresses by default: most tests are about what a real, confirmed account does.
    email_verified_at = factory.LazyFunction(utcnow)


class TrainerFactory(UserFactory):
    email = factory.Sequence(lambda n: f"trainer{n}@example.com")
    name = factory.Sequence(lambda n: f"Trainer {n}")
    role = Role.TRAINER


class UnverifiedTrainerFactory(TrainerFactory):
    """A trainer who signed up and has not opened the confirmation link yet."""

    email_verified_at = None


class AdminFactory(UserFactory):
    email = factory.Sequence(lambda n: f"admin{n}@example.com")
    name = factory.Sequence(lambda n: f"Admin {n}")
    role = Role.ADMIN


class ClientUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    name = factory.Sequence(lambda n: f"Client {n}")
    role = Role.CLIENT


class ClientFactory(BaseFactory):
    """A client record; `with_login=True` also gives them a client account."""

    class Meta:
        model = Client
        exclude = ("with_login",)

    with_login = False
    trainer = factory.SubFactory(TrainerFactory)
    email = factory.Sequence(lambda n: f"coached{n}@example.com")
    name = factory.Sequence(lambda n: f"Coached Client {n}")
    timezone = "UTC"
    is_active = True
    user = factory.Maybe(
        "with_login",
        yes_declaration=factory.SubFactory(
            ClientUserFactory,
            email=factory.SelfAttribute("..email"),
            name=factory.SelfAttribute("..name"),
            timezone=factory.SelfAttribute("..timezone"),
        ),
        no_declaration=None,
    )

"""The demo's people: an admin, a trainer and that trainer's clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.models import Client, User, utcnow
from fitbud.services.accounts import create_user, find_user_by_email

DEMO_PASSWORD = "fitbud-demo-2026"
DEMO_TRAINER_EMAIL = "trainer@fitbud.demo"
DEMO_ADMIN_EMAIL = "admin@fitbud.demo"
DEMO_CLIENTS = [
    ("Ava Thompson", "ava@fitbud.demo", "Europe/London"),
    ("Ben Carter", "ben@fitbud.demo", "America/New_York"),
    ("Chloe Martin", "chloe@fitbud.demo", "Europe/Paris"),
    ("Diego Alvarez", "diego@fitbud.demo", "America/Mexico_City"),
    ("Emma Wilson", "emma@fitbud.demo", "Australia/Sydney"),
]
# How long ago each demo client joined (before their ~6 months of history), so the
# Overview's growth chart shows clients arriving over several months, not all today.
DEMO_CLIENT_JOINED_DAYS_AGO = [270, 240, 215, 200, 190]
DEMO_LOGINS = [
    ("trainer", DEMO_TRAINER_EMAIL, DEMO_PASSWORD),
    ("client", DEMO_CLIENTS[0][1], DEMO_PASSWORD),
    ("admin", DEMO_ADMIN_EMAIL, DEMO_PASSWORD),
]


@dataclass
class DemoWorld:
    """What later seeding steps build on."""

    trainer: User
    admin: User
    clients: list[Client] = field(default_factory=list)


def _user(email: str, name: str, role: Role, timezone: str = "UTC") -> User:
    existing = find_user_by_email(email)
    if existing is not None:
        return existing
    # Demo accounts can do everything at once: their (example.com) addresses count as proven.
    return create_user(email, DEMO_PASSWORD, name, role, timezone=timezone, email_verified_at=utcnow())


def seed_accounts() -> DemoWorld:
    """The demo admin, trainer and clients, each client with a login."""
    admin = _user(DEMO_ADMIN_EMAIL, "Demo Admin", Role.ADMIN)
    trainer = _user(DEMO_TRAINER_EMAIL, "Sam Rivera", Role.TRAINER, "Europe/London")
    clients = []
    for (name, email, timezone), joined_days_ago in zip(DEMO_CLIENTS, DEMO_CLIENT_JOINED_DAYS_AGO, strict=True):
        client = db.session.execute(
            select(Client).where(Client.trainer_id == trainer.id, Client.email == email)
        ).scalar_one_or_none()
        if client is None:
            login = _user(email, name, Role.CLIENT, timezone)
            client = Client(
                trainer_id=trainer.id,
                user_id=login.id,
                email=email,
                name=name,
                timezone=timezone,
                created_at=utcnow() - timedelta(days=joined_days_ago),
            )
            db.session.add(client)
        clients.append(client)
    db.session.commit()
    return DemoWorld(trainer=trainer, admin=admin, clients=clients)

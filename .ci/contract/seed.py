"""The contract step's database: migrated, with a trainer and one of their clients who has a login.

Run from the repository root with DATABASE_URL set; prints, as JSON for schemathesis and the SDK
check, each account's email and the access token of a real login session, and their password.
"""

from __future__ import annotations

import json

import flask_migrate

from fitbud import create_app
from fitbud.extensions import db
from fitbud.models import User
from fitbud.services.accounts import start_session
from tests.factories import ClientFactory, TrainerFactory
from tests.helpers import DEFAULT_PASSWORD

TRAINER_EMAIL = "contract-trainer@example.com"
CLIENT_EMAIL = "contract-client@example.com"


def main() -> None:
    """Migrate DATABASE_URL, add the two accounts and print them with their tokens."""
    app = create_app("development")
    with app.app_context():
        flask_migrate.upgrade()
        trainer = TrainerFactory(email=TRAINER_EMAIL)
        client = ClientFactory(trainer=trainer, with_login=True, email=CLIENT_EMAIL)
        client_user = db.session.get(User, client.user_id)
        accounts = {
            "trainer": {"email": TRAINER_EMAIL, "token": start_session(trainer).access_token},
            "client": {"email": CLIENT_EMAIL, "token": start_session(client_user).access_token},
            "password": DEFAULT_PASSWORD,
        }
        db.session.commit()
    print(json.dumps(accounts))


if __name__ == "__main__":
    main()

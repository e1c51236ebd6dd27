"""`python -m faults.setup_data EMAIL PASSWORD`: the trainer the fault suite writes as."""

from __future__ import annotations

import sys

from fitbud import create_app
from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.services.accounts import create_user


def main(email: str, password: str) -> None:
    app = create_app()
    with app.app_context():
        user = create_user(email, password, "Fault Coach", Role.TRAINER)
        for flag in ("email_verified", "is_verified"):  # whatever the account rules call it
            if hasattr(user, flag):
                setattr(user, flag, True)
        db.session.commit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

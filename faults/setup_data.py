"""`python -m faults.setup_data EMAIL PASSWORD`: the trainer the fault suite writes as."""

from __future__ import annotations

import sys

from fitbud import create_app
from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.models import utcnow
from fitbud.services.accounts import create_user


def main(email: str, password: str) -> None:
    app = create_app()
    with app.app_context():
        user = create_user(email, password, "Fault Coach", Role.TRAINER)
        # Proven, as if the link was opened: an unverified trainer may not invite (issue 18).
        user.email_verified_at = utcnow()
        db.session.commit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Token families in the accounts service: rotation is a compare-and-set, reuse ends the family."""

from __future__ import annotations

import jwt as pyjwt
import pytest

from fitbud.auth.roles import Role
from fitbud.errors import AuthenticationError, ConflictError, InvalidInputError
from fitbud.extensions import db
from fitbud.models import AuthSession
from fitbud.services import accounts
from tests.factories import TrainerFactory
from tests.helpers import DEFAULT_PASSWORD


def _claims(token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


def test_two_rotations_racing_with_one_refresh_token_end_the_family(app, trainer):
    claims = _claims(accounts.start_session(trainer).refresh_token)
    accounts.rotate_session(trainer, claims)

    # The second request passed the revocation check before the first one committed.
    with pytest.raises(AuthenticationError):
        accounts.rotate_session(trainer, claims)

    session = db.session.get(AuthSession, claims["sid"])
    assert session.revoked_at is not None
    assert session.revoked_reason == "refresh token reused"


def test_rotation_of_a_revoked_session_is_refused(app, trainer):
    claims = _claims(accounts.start_session(trainer).refresh_token)
    accounts.revoke_session(claims["sid"], "logout")

    with pytest.raises(AuthenticationError):
        accounts.rotate_session(trainer, claims)


def test_create_user_refuses_a_taken_email_in_another_case(app):
    TrainerFactory(email="taken@example.com")

    with pytest.raises(ConflictError):
        accounts.create_user("Taken@Example.com", "plum-orbit-canvas-42", "T", Role.TRAINER)


def test_login_upgrades_a_hash_made_with_older_cost_settings(app, trainer):
    app.config["ARGON2_TIME_COST"] = 2
    app.extensions.pop("fitbud.password_hasher", None)
    old_hash = trainer.password_hash

    accounts.login(trainer.email, DEFAULT_PASSWORD)

    assert trainer.password_hash != old_hash
    assert "t=2" in trainer.password_hash


def test_timezone_validation_accepts_iana_names_only(app):
    assert accounts.validate_timezone("America/New_York") == "America/New_York"
    with pytest.raises(InvalidInputError):
        accounts.validate_timezone("Eastern Standard Time")

"""Private notes and health details are encrypted at rest, with key rotation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import undefer

from fitbud.extensions import db
from fitbud.models import Client
from fitbud.models.types import EncryptionKeyError
from tests.factories import ClientFactory

NOTE = "Plaintext-note-7f3a: going through a divorce"
INJURY = "Plaintext-injury-91bc: torn meniscus"


@pytest.fixture
def old_key(app):
    """The key the app starts with."""
    return app.config["FIELD_ENCRYPTION_KEYS"][0]


@pytest.fixture
def new_key():
    """A freshly generated key."""
    return Fernet.generate_key().decode()


def _secret_client(trainer) -> Client:
    client = ClientFactory(trainer=trainer)
    client.private_notes = NOTE
    client.health_details = {"injuries": [INJURY], "conditions": [], "medications": [], "allergies": []}
    db.session.commit()
    return client


def _raw(client_id: int) -> tuple[str, str]:
    row = db.session.execute(
        text("SELECT private_notes, health_details FROM clients WHERE id = :id"), {"id": client_id}
    ).one()
    return row[0], row[1]


def _read(client_id: int) -> Client:
    db.session.expire_all()
    return db.session.execute(
        select(Client)
        .where(Client.id == client_id)
        .options(undefer(Client.private_notes), undefer(Client.health_details))
    ).scalar_one()


@pytest.mark.usefixtures("mail_outbox")
def test_raw_columns_hold_no_plaintext(http, trainer_headers):
    created = http.post(
        "/api/v1/clients",
        json={"email": "s@example.com", "name": "Secret", "private_notes": NOTE, "health": {"injuries": [INJURY]}},
        headers=trainer_headers,
    )
    notes, health = _raw(created.json["client"]["id"])
    for raw in (notes, health):
        assert raw.startswith("gAAAAA")  # a Fernet token
        assert "Plaintext" not in raw and "meniscus" not in raw and "divorce" not in raw


def test_encrypted_values_read_back(trainer):
    client = _secret_client(trainer)
    stored = _read(client.id)
    assert stored.private_notes == NOTE and stored.health_details["injuries"] == [INJURY]


def test_encryption_uses_the_newest_configured_key_at_runtime(app, trainer, old_key, new_key):
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key, old_key]
    client = _secret_client(trainer)
    notes, _health = _raw(client.id)
    assert Fernet(new_key.encode()).decrypt(notes.encode()).decode() == NOTE


def test_data_under_an_old_key_still_decrypts_after_a_new_key_is_added(app, trainer, old_key, new_key):
    client = _secret_client(trainer)
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key, old_key]
    assert _read(client.id).private_notes == NOTE


def test_data_is_unreadable_without_its_key(app, trainer, new_key):
    client = _secret_client(trainer)
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key]
    with pytest.raises(EncryptionKeyError, match="rotate-encryption-keys"):
        _read(client.id)
    db.session.rollback()


def test_rotate_command_reencrypts_with_the_newest_key(app, runner, trainer, old_key, new_key):
    client = _secret_client(trainer)
    plain = ClientFactory(trainer=trainer)  # nothing encrypted: left alone
    before = _raw(client.id)
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key, old_key]
    result = runner.invoke(args=["fitbud", "rotate-encryption-keys"])
    assert result.exit_code == 0, result.output
    assert "clients: 1 row(s)" in result.output
    after = _raw(client.id)
    assert after != before and _raw(plain.id) == (None, None)
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key]  # the old key is retired
    stored = _read(client.id)
    assert stored.private_notes == NOTE and stored.health_details["injuries"] == [INJURY]


def test_rotation_keeps_the_rows_updated_at(app, runner, trainer, old_key, new_key):
    client = _secret_client(trainer)
    stamp = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    db.session.execute(text("UPDATE clients SET updated_at = :t WHERE id = :id"), {"t": stamp, "id": client.id})
    db.session.commit()
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key, old_key]
    runner.invoke(args=["fitbud", "rotate-encryption-keys"])
    assert _read(client.id).updated_at == stamp


def test_rotate_command_fails_clearly_when_a_key_is_missing(app, runner, trainer, new_key):
    _secret_client(trainer)
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key]
    result = runner.invoke(args=["fitbud", "rotate-encryption-keys"])
    assert result.exit_code == 1
    assert "cannot be decrypted" in result.output


def test_invalid_configured_key_is_a_clear_error(app, trainer):
    app.config["FIELD_ENCRYPTION_KEYS"] = ["not-a-fernet-key"]
    client = ClientFactory.build(trainer=trainer, private_notes="x")
    db.session.add(client)
    with pytest.raises(StatementError) as raised:
        db.session.flush()
    assert isinstance(raised.value.orig, EncryptionKeyError)
    assert "not a valid Fernet key" in str(raised.value.orig)
    db.session.rollback()

"""Column types that encrypt their value at rest (Fernet), with keys read from the app's config."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import Boolean, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

_KEYRING_CACHE = "fitbud.field_keyring"


class EncryptionKeyError(RuntimeError):
    """The configured keys cannot encrypt, or none of them can decrypt a stored value."""


def keyring() -> MultiFernet:
    """The current app's key ring from FIELD_ENCRYPTION_KEYS (newest first).

    Read from the app config on use, never at import time, so tests and key rotation can
    change the keys of a running app; the MultiFernet is cached per app and per key list.
    """
    keys = tuple(current_app.config.get("FIELD_ENCRYPTION_KEYS") or ())
    if not keys:
        raise EncryptionKeyError("FIELD_ENCRYPTION_KEYS is empty; encrypted fields cannot be used.")
    cached = current_app.extensions.get(_KEYRING_CACHE)
    if cached is not None and cached[0] == keys:
        return cached[1]
    try:
        ring = MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise EncryptionKeyError(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a valid Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error
    current_app.extensions[_KEYRING_CACHE] = (keys, ring)
    return ring


def encrypt_text(plaintext: str) -> str:
    """Encrypt with the newest key."""
    return keyring().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    """Decrypt with whichever configured key encrypted the value."""
    try:
        return keyring().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise EncryptionKeyError(
            "A stored value cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS; "
            "keep retired keys in the list until `flask fitbud rotate-encryption-keys` has run."
        ) from None


def rotate_token(token: str) -> str:
    """Re-encrypt a stored value with the newest key (its original timestamp is kept)."""
    try:
        return keyring().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise EncryptionKeyError("A stored value cannot be decrypted with any configured key.") from None


class EncryptedType(TypeDecorator):
    """Base of the encrypted column types: the database only ever holds Fernet tokens.

    Stores text as it is; subclasses change `serialize`/`deserialize` for other values.
    """

    impl = Text
    cache_ok = True

    def serialize(self, value: Any) -> str:
        return str(value)

    def deserialize(self, text: str) -> Any:
        return text

    def process_bind_param(self, value: Any, dialect) -> str | None:
        if value is None:
            return None
        return encrypt_text(self.serialize(value))

    def process_result_value(self, value: str | None, dialect) -> Any:
        if value is None:
            return None
        return self.deserialize(decrypt_text(value))


class EncryptedText(EncryptedType):
    """A string stored encrypted."""

    cache_ok = True


class EncryptedJSON(EncryptedType):
    """A JSON document stored encrypted (assign a new object to change it: edits in place are not seen)."""

    cache_ok = True

    def serialize(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), sort_keys=True)

    def deserialize(self, text: str) -> Any:
        return json.loads(text)


class json_array_contains(FunctionElement):  # noqa: N801 - used like a SQL function
    """`json_array_contains(column, value)`: true when a JSON array column holds `value`.

    PostgreSQL uses jsonb containment, SQLite looks through json_each; the value is bound as a
    parameter on both. Use it inside an indexed filter (a trainer's rows): it scans what it gets.
    """

    type = Boolean()
    inherit_cache = True
    name = "json_array_contains"


@compiles(json_array_contains, "postgresql")
def _json_array_contains_postgresql(element, compiler, **kw):
    column, value = list(element.clauses)
    # Cast the parameter: jsonb_build_array cannot infer the type of an untyped bind.
    return (
        f"CAST({compiler.process(column, **kw)} AS JSONB) "
        f"@> jsonb_build_array(CAST({compiler.process(value, **kw)} AS TEXT))"
    )


@compiles(json_array_contains, "sqlite")
def _json_array_contains_sqlite(element, compiler, **kw):
    column, value = list(element.clauses)
    return (
        f"EXISTS (SELECT 1 FROM json_each({compiler.process(column, **kw)}) "
        f"WHERE json_each.value = {compiler.process(value, **kw)})"
    )

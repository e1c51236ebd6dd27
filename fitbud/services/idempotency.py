"""Idempotency keys: the first request with a key runs; retries get its stored response."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from fitbud.errors import ConflictError, InvalidInputError
from fitbud.extensions import db
from fitbud.models.idempotency import IdempotencyKey

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class StoredResponse:
    """The response the first request with this key received."""

    status_code: int
    body: Any


def fingerprint(method: str, path: str, body: bytes) -> str:
    """A digest of what was asked: the same key with a different request is a conflict."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), b"\n", path.encode(), b"\n", canonical):
        digest.update(part)
    return digest.hexdigest()


def validate_key(key: str) -> str:
    """The key, if it is usable."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInputError(
            "Idempotency-Key must be 1 to 200 characters.",
            errors={"Idempotency-Key": ["must be 1 to 200 characters"]},
        )
    return key


def _find(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.execute(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    ).scalar_one_or_none()


def _replay(record: IdempotencyKey, request_fingerprint: str) -> StoredResponse:
    if record.request_fingerprint != request_fingerprint:
        raise ConflictError(
            "This Idempotency-Key was already used with a different request.",
            errors={"Idempotency-Key": ["already used with a different request"]},
        )
    if record.status_code is None:
        raise ConflictError(
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            errors={"Idempotency-Key": ["request in progress"]},
        )
    return StoredResponse(record.status_code, record.response_body)


def claim(user_id: int, key: str, request_fingerprint: str) -> StoredResponse | None:
    """Reserve `key` for this request, or return the stored response of an earlier one.

    The reservation is committed before the work runs, so a concurrent retry sees it
    (409, in progress) instead of doing the work a second time.
    """
    existing = _find(user_id, key)
    if existing is not None:
        return _replay(existing, request_fingerprint)
    db.session.add(IdempotencyKey(user_id=user_id, key=key, request_fingerprint=request_fingerprint))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _find(user_id, key)
        if existing is None:
            raise
        return _replay(existing, request_fingerprint)
    return None


def complete(user_id: int, key: str, status_code: int, body: Any) -> None:
    """Store the response of a successful request for future retries."""
    record = _find(user_id, key)
    if record is not None:
        record.status_code = status_code
        record.response_body = body
        db.session.commit()


def release(user_id: int, key: str) -> None:
    """Forget a reservation whose request failed, so the client may retry with the same key."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.key == key,
            IdempotencyKey.status_code.is_(None),
        )
    )
    db.session.commit()

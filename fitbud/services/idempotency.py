"""Idempotency keys: the first request with a key runs; retries get its stored response.

The key's row, the request's writes and the stored answer are ONE transaction: the row is
inserted (and flushed, so a concurrent request with the same key waits on it) before the work
runs, the services' own commits are held (they flush), and the answer is written into the row
before the single commit. Whatever fails before that commit rolls everything back, key included,
so a retry performs the write once; once it committed, a retry replays the stored answer, even
when the connection was lost while the commit was acknowledged. No reservation ever outlives
its request, so none can be left "in progress".

Stored answers expire after IDEMPOTENCY_KEY_TTL_HOURS (the periodic job deletes them), go with
the user and with the client they are about, and are encrypted with the field keys (a generated
plan names the client's injuries).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import CursorResult, Table, delete, event, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fitbud.errors import ConflictError, InvalidInputError
from fitbud.ext.orm_session import held_commits
from fitbud.extensions import db
from fitbud.models import Client, IdempotencyKey, utcnow

MAX_KEY_LENGTH = 200
T = TypeVar("T")


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


def _lifetime() -> timedelta:
    return timedelta(hours=current_app.config["IDEMPOTENCY_KEY_TTL_HOURS"])


def _find(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.execute(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    ).scalar_one_or_none()


def _stored(user_id: int, key: str, request_fingerprint: str) -> StoredResponse | None:
    """The stored answer for this key, None if there is none (or it expired); 409 for another request."""
    record = _find(user_id, key)
    if record is None:
        return None
    if record.expires_at <= utcnow():
        db.session.delete(record)  # forgotten: the key may be used afresh (in this transaction)
        db.session.flush()
        return None
    if record.request_fingerprint != request_fingerprint:
        raise ConflictError(
            "This Idempotency-Key was already used with a different request.",
            errors={"Idempotency-Key": ["already used with a different request"]},
        )
    if record.status_code is None:  # only ever seen by rows from before answers were atomic
        raise ConflictError(
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            errors={"Idempotency-Key": ["request in progress"]},
        )
    return StoredResponse(record.status_code, record.response_body)


def _after_losing_the_race(user_id: int, key: str, request_fingerprint: str) -> StoredResponse:
    db.session.rollback()
    stored = _stored(user_id, key, request_fingerprint)
    if stored is None:  # the other request failed and rolled back after ours gave way
        raise ConflictError(
            "A request with this Idempotency-Key was being processed; retry.",
            errors={"Idempotency-Key": ["request in progress"]},
        )
    return stored


def run_once(
    user_id: int,
    key: str,
    request_fingerprint: str,
    work: Callable[[], T],
    answer: Callable[[T], tuple[int, Any, int | None] | None],
) -> T | StoredResponse:
    """Run `work` once for this key, in one transaction with its stored answer; or replay that answer.

    `answer(result)` gives (status, body, client id the answer is about) to store and commit, or
    None to roll the work back (a failed request stores nothing). Returns `work`'s result, or
    the StoredResponse of the request that ran first.
    """
    stored = _stored(user_id, key, request_fingerprint)
    if stored is not None:
        return stored
    with held_commits(db.session()), _clients_written(db.session()) as written:
        record = IdempotencyKey(
            user_id=user_id, key=key, request_fingerprint=request_fingerprint, expires_at=utcnow() + _lifetime()
        )
        db.session.add(record)
        try:
            db.session.flush()  # a concurrent request with this key waits here until we finish
        except IntegrityError:
            return _after_losing_the_race(user_id, key, request_fingerprint)
        try:
            result = work()
            to_store = answer(result)
        except BaseException:
            db.session.rollback()
            raise
        if to_store is None:
            db.session.rollback()
            return result
        status_code, body, client_id = to_store
        if client_id is None:
            client_id = _the_one_client(written)
        if not inspect(record).persistent:
            # The work rolled back part-way (and carried on): the reservation went with it.
            record = IdempotencyKey(user_id=user_id, key=key, request_fingerprint=request_fingerprint)
            db.session.add(record)
        record.status_code = status_code
        record.response_body = body
        record.client_id = _existing_client(client_id)
        record.expires_at = utcnow() + _lifetime()
    try:
        db.session.commit()
    except IntegrityError:
        return _after_losing_the_race(user_id, key, request_fingerprint)
    return result


# Rows the work wrote, as (table, column, value) of the foreign keys that may lead to a client.
Written = set[tuple[Table, str, Any]]


@contextmanager
def _clients_written(session: Session) -> Iterator[Written]:
    """Note, while the work runs, every written row's way to a client: its own client_id or a parent's.

    An answer about a client must go when the client is purged, also when the request named no
    client (a message in a conversation, a comment on a workout): the rows it wrote say whose.
    """
    written: Written = set()

    def note(flushing: Session, _context: Any) -> None:
        for instance in (*flushing.new, *flushing.dirty, *flushing.deleted):
            mapper = inspect(instance).mapper
            for table in mapper.tables:
                for key in table.foreign_keys:
                    if key.column.table.name == "clients" or "client_id" in key.column.table.c:
                        value = getattr(instance, mapper.get_property_by_column(key.parent).key, None)
                        if value is not None:
                            written.add((key.column.table, key.column.name, value))

    event.listen(session, "after_flush", note)
    try:
        yield written
    finally:
        event.remove(session, "after_flush", note)


def _the_one_client(written: Written) -> int | None:
    """The client the written rows belong to, if they all belong to one (else None)."""
    clients: set[int] = set()
    for table, column, value in written:
        if table.name == "clients":
            clients.add(int(value))
        else:
            found = db.session.execute(select(table.c.client_id).where(table.c[column] == value)).scalar()
            if found is not None:
                clients.add(int(found))
    return clients.pop() if len(clients) == 1 else None


def _existing_client(client_id: int | None) -> int | None:
    if client_id is None:
        return None
    return db.session.execute(select(Client.id).where(Client.id == client_id)).scalar_one_or_none()


def purge_expired() -> int:
    """Delete the stored answers whose replay window has passed; how many went."""
    result: CursorResult = db.session.execute(  # type: ignore[assignment]  # a DELETE's result has a rowcount
        delete(IdempotencyKey).where(IdempotencyKey.expires_at <= utcnow()).execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(result.rowcount or 0)

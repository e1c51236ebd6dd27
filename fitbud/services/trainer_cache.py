"""Values cached per trainer, all dropped at once when anything the trainer sees is committed.

Each trainer has a version (a random token in the cache, no expiry). Every cached value of the
trainer is stored with the version it was computed under, and is served only while that is still
the current version; `invalidate` swaps the version, so nothing needs to know the keys to drop.
services/analytics_invalidation.py calls `invalidate` after every commit that touches a trainer's
clients, plans, logs, sessions or payments.

Why this is safe against a concurrent writer: a reader takes the version before it reads the
database, and the writer swaps the version only after its commit. A reader that saw the old
version may have read old rows, but it stores them under the old version, which nobody serves
again; a reader that saw the new version reads rows committed before it. That last step needs
each statement to see what was committed before it started: PostgreSQL's READ COMMITTED (the
default) and SQLite's pysqlite driver (no transaction around reads) do; a snapshot taken at the
request's first query (REPEATABLE READ) would not.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fitbud.extensions import CACHE_ERRORS, cache

T = TypeVar("T")
logger = logging.getLogger(__name__)


def _version_key(trainer_id: int) -> str:
    return f"trainer:{trainer_id}:version"


def _entry_key(trainer_id: int, name: str, parts: tuple[Any, ...]) -> str:
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return f"trainer:{trainer_id}:{name}:{digest}"


def _new_version(trainer_id: int) -> str:
    version = uuid.uuid4().hex
    # add, not set: when two readers find no version, both must end up using the same one.
    # No timeout: the version must outlive every value stored under it.
    if not cache.add(_version_key(trainer_id), version, timeout=0):
        version = cache.get(_version_key(trainer_id)) or version
    return version


def invalidate(trainer_id: int) -> None:
    """Make every cached value of this trainer stale (call after committing a change they see)."""
    try:
        cache.set(_version_key(trainer_id), uuid.uuid4().hex, timeout=0)
    except CACHE_ERRORS:
        # The commit stands; entries stored before the outage expire after their timeout.
        logger.error("could not invalidate trainer %s's cache", trainer_id, exc_info=True)


@dataclass(frozen=True)
class Lookup:
    """What one cache read found: the value if still current, and the version to store a new one under."""

    key: str
    version: str | None  # None: the cache is unreachable, so nothing is stored
    value: Any | None


def lookup(trainer_id: int, name: str, *parts: Any) -> Lookup:
    """The cached value of `name` for these parts, if computed under the current version; one round trip."""
    key = _entry_key(trainer_id, name, parts)
    try:
        version, entry = cache.get_many(_version_key(trainer_id), key)
        if version is None:  # never set, or the cache was flushed
            return Lookup(key, _new_version(trainer_id), None)
    except CACHE_ERRORS:
        logger.warning("trainer cache unreachable; answering from the database", exc_info=True)
        return Lookup(key, None, None)
    if entry is not None and entry[0] == version:
        return Lookup(key, version, entry[1])
    return Lookup(key, version, None)


def store(found: Lookup, value: Any, timeout: int) -> None:
    """Keep `value` under the version the lookup saw (a value read before an invalidation stays unseen)."""
    if found.version is None:
        return
    try:
        cache.set(found.key, (found.version, value), timeout=timeout)
    except CACHE_ERRORS:
        logger.warning("trainer cache unreachable; not storing %s", found.key, exc_info=True)


def cached(trainer_id: int, name: str, parts: tuple[Any, ...], compute: Callable[[], T], timeout: int) -> T:
    """The cached value of `name` for `parts`, computing and storing it when missing or stale."""
    found = lookup(trainer_id, name, *parts)
    if found.value is not None:
        return found.value
    value = compute()
    store(found, value, timeout)
    return value

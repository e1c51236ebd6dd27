"""Values cached per owner (a trainer, a user), all dropped at once when the owner's data changes.

Each owner has a version (a random token in the cache, no expiry). Every cached value of the
owner is stored with the version it was computed under, and is served only while that is still
the current version; `invalidate` swaps the version, so nothing needs to know the keys to drop.
services/cache_invalidation.py calls `invalidate` after every commit that touches what an owner's
values show. Two scopes use it: services/trainer_cache.py (a trainer's views) and
services/auth_cache.py (the token check of a user's logins).

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


@dataclass(frozen=True)
class Lookup:
    """What one cache read found: the value if still current, and the version to store a new one under."""

    key: str
    version: str | None  # None: the cache is unreachable, so nothing is stored
    value: Any | None


@dataclass(frozen=True)
class Wanted:
    """A value to look up: its cache, the owner's version key and the entry key."""

    cache: VersionedCache
    version_key: str
    key: str


def lookup_together(*wanted: Wanted) -> list[Lookup]:
    """Several lookups, of any owners and scopes, in one round trip; each as `VersionedCache.lookup`."""
    keys = [key for item in wanted for key in (item.version_key, item.key)]
    try:
        values = cache.get_many(*keys)
    except CACHE_ERRORS:
        logger.warning("cache unreachable; answering from the database", exc_info=True)
        return [Lookup(item.key, None, None) for item in wanted]
    found = []
    for item, version, entry in zip(wanted, values[::2], values[1::2], strict=True):
        if version is None:  # never set, or the cache was flushed
            found.append(item.cache._first_lookup(item))
        elif entry is not None and entry[0] == version:
            found.append(Lookup(item.key, version, entry[1]))
        else:
            found.append(Lookup(item.key, version, None))
    return found


class VersionedCache:
    """Values kept per owner under `scope` ("trainer" -> keys trainer:<id>:...)."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def _version_key(self, owner_id: int) -> str:
        return f"{self.scope}:{owner_id}:version"

    def wanted(self, owner_id: int, name: str, *parts: Any) -> Wanted:
        """The value of `name` for these parts, to pass to `lookup_together`."""
        digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
        return Wanted(self, self._version_key(owner_id), f"{self.scope}:{owner_id}:{name}:{digest}")

    def _first_lookup(self, wanted: Wanted) -> Lookup:
        """The lookup of an owner with no version yet: a miss, under a version set now."""
        version = uuid.uuid4().hex
        try:
            # add, not set: when two readers find no version, both must end up using the same one.
            # No timeout: the version must outlive every value stored under it.
            if not cache.add(wanted.version_key, version, timeout=0):
                version = cache.get(wanted.version_key) or version
        except CACHE_ERRORS:
            logger.warning("%s cache unreachable; answering from the database", self.scope, exc_info=True)
            return Lookup(wanted.key, None, None)
        return Lookup(wanted.key, version, None)

    def invalidate(self, owner_id: int) -> None:
        """Make every cached value of this owner stale (call after committing a change they see)."""
        try:
            cache.set(self._version_key(owner_id), uuid.uuid4().hex, timeout=0)
        except CACHE_ERRORS:
            # The commit stands; entries stored before the outage expire after their timeout.
            logger.error("could not invalidate %s %s's cache", self.scope, owner_id, exc_info=True)

    def lookup(self, owner_id: int, name: str, *parts: Any) -> Lookup:
        """The cached value of `name` for these parts, if computed under the current version; one round trip."""
        return lookup_together(self.wanted(owner_id, name, *parts))[0]

    def store(self, found: Lookup, value: Any, timeout: int) -> None:
        """Keep `value` under the version the lookup saw (a value read before an invalidation stays unseen)."""
        if found.version is None:
            return
        try:
            cache.set(found.key, (found.version, value), timeout=timeout)
        except CACHE_ERRORS:
            logger.warning("%s cache unreachable; not storing %s", self.scope, found.key, exc_info=True)

    def cached(self, owner_id: int, name: str, parts: tuple[Any, ...], compute: Callable[[], T], timeout: int) -> T:
        """The cached value of `name` for `parts`, computing and storing it when missing or stale."""
        found = self.lookup(owner_id, name, *parts)
        if found.value is not None:
            return found.value
        value = compute()
        self.store(found, value, timeout)
        return value

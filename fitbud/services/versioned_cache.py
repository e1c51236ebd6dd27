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

When an invalidation fails (Redis stalled or down at that moment) the commit stands, and the
old version would be served again once Redis answers. So a failed invalidation fails safe: it
moves the database's cache generation on (models/cache_state.py, a row updated in its own
short transaction), and every key carries `<database id>:<generation>:`. Each process reads the
generation at most every CACHE_GENERATION_CHECK_SECONDS (at once in the process that failed), so
no process serves an entry of the older generation after that; until the move itself is stored
(the database unreachable too), the process serves nothing from the cache. The database id in
every key also keeps two servers that share a Redis but not a database apart. After a cache
error the process leaves the cache alone for CACHE_RETRY_SECONDS instead of paying a socket
timeout on every call, and counts each invalidation in that time as failed.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from fitbud.extensions import CACHE_ERRORS, cache, db
from fitbud.models.cache_state import THE_ROW, CacheState

T = TypeVar("T")
logger = logging.getLogger(__name__)

# After a cache error, how long this process leaves the cache alone (reads go to the database).
CACHE_RETRY_SECONDS = 2.0
_GUARD_KEY = "fitbud.cache_generation"


@dataclass
class _Generation:
    """This process's view of the cache generation (one per app)."""

    namespace: str | None = None  # "<database id>:<generation>:", None until read
    checked_at: float = -math.inf
    unapplied: bool = False  # an invalidation failed and moving the generation on did too
    cache_down_until: float = -math.inf
    lock: threading.Lock = field(default_factory=threading.Lock)


def _guard() -> _Generation | None:
    """The generation state, or None when the check is off (a cache whose writes do not fail)."""
    if current_app.config.get("CACHE_GENERATION_CHECK_SECONDS") is None:
        return None
    state = current_app.extensions.get(_GUARD_KEY)
    if state is None:
        state = current_app.extensions.setdefault(_GUARD_KEY, _Generation())
    return state


def _read_namespace() -> str:
    """The database's id and cache generation, creating the row on first use."""
    statement = select(CacheState.database_id, CacheState.generation).where(CacheState.id == THE_ROW)
    with db.engine.connect() as connection:
        row = connection.execute(statement).first()
    if row is None:
        try:
            with db.engine.begin() as connection:
                connection.execute(insert(CacheState).values(id=THE_ROW, database_id=uuid.uuid4().hex, generation=0))
        except IntegrityError:
            pass  # another process created it first
        with db.engine.connect() as connection:
            row = connection.execute(statement).one()
    return f"{row.database_id}:{row.generation}:"


def _move_generation(state: _Generation) -> bool:
    """Store a new generation (every process drops the older one's entries); False if the database failed too."""
    try:
        with db.engine.begin() as connection:
            moved = connection.execute(
                update(CacheState).where(CacheState.id == THE_ROW).values(generation=CacheState.generation + 1)
            ).rowcount
        if not moved:
            _read_namespace()  # no row yet: a new one is a new namespace anyway
    except SQLAlchemyError:
        logger.error("could not move the cache generation on; serving nothing from the cache", exc_info=True)
        state.unapplied = True
        return False
    logger.warning("cache generation moved on after a failed invalidation")
    state.unapplied = False
    state.namespace = None
    return True


def _namespace(fresh: bool = False) -> str | None:
    """The prefix of every key right now, or None: the cache must not be used (read or written)."""
    state = _guard()
    if state is None:
        return ""
    with state.lock:
        now = time.monotonic()
        if state.unapplied and not _move_generation(state):
            return None
        if now < state.cache_down_until and not fresh:
            return None
        interval = current_app.config["CACHE_GENERATION_CHECK_SECONDS"]
        if fresh or state.namespace is None or now - state.checked_at >= interval:
            try:
                state.namespace = _read_namespace()
            except SQLAlchemyError:
                logger.warning("could not read the cache generation; answering from the database", exc_info=True)
                state.namespace = None
                return None
            state.checked_at = now
        return state.namespace


def _cache_failed() -> None:
    """Leave the cache alone for a moment in this process (each call would wait for a timeout)."""
    state = _guard()
    if state is not None:
        state.cache_down_until = time.monotonic() + CACHE_RETRY_SECONDS


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
    namespace = _namespace()
    if namespace is None:
        return [Lookup(item.key, None, None) for item in wanted]
    wanted = tuple(Wanted(item.cache, namespace + item.version_key, namespace + item.key) for item in wanted)
    keys = [key for item in wanted for key in (item.version_key, item.key)]
    try:
        values = cache.get_many(*keys)
    except CACHE_ERRORS:
        logger.warning("cache unreachable; answering from the database", exc_info=True)
        _cache_failed()
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
            _cache_failed()
            return Lookup(wanted.key, None, None)
        return Lookup(wanted.key, version, None)

    def invalidate(self, owner_id: int) -> None:
        """Make every cached value of this owner stale (call after committing a change they see)."""
        # The generation as stored now, not as this process last saw it: a version swapped under
        # a generation another process has just left would leave the new one's entries current.
        namespace = _namespace(fresh=True)
        state = _guard()
        if namespace is None:
            if state is not None:
                _move_generation(state)  # already unapplied, or the database failed: keep trying
            return
        if state is not None and time.monotonic() < state.cache_down_until:
            _move_generation(state)  # the cache failed a moment ago: don't wait for its timeout again
            return
        try:
            cache.set(namespace + self._version_key(owner_id), uuid.uuid4().hex, timeout=0)
        except CACHE_ERRORS:
            # The commit stands, and the old version would be served again once the cache answers:
            # move the generation on instead, which every process sees (see the module).
            logger.error("could not invalidate %s %s's cache", self.scope, owner_id, exc_info=True)
            if state is not None:
                _cache_failed()
                _move_generation(state)

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
            _cache_failed()

    def cached(self, owner_id: int, name: str, parts: tuple[Any, ...], compute: Callable[[], T], timeout: int) -> T:
        """The cached value of `name` for `parts`, computing and storing it when missing or stale."""
        found = self.lookup(owner_id, name, *parts)
        if found.value is not None:
            return found.value
        value = compute()
        self.store(found, value, timeout)
        return value

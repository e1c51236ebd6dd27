"""The token check of a login, cached until the user, their sessions or their trainer link change.

Every authenticated request asks whether its login (session) is still open, whether its user is
still active and, for a client, who their trainer is. The answer is kept per login under the
user's version (services/versioned_cache.py), and every commit that changes it (a logout, a
revoked token family, a deactivation, a new password, a profile edit, a client linked or
unlinked) swaps that version after the commit (services/cache_invalidation.py), so the next
request sees the change, as it would from the database. AUTH_CACHE_SECONDS bounds how long an
answer lives should that swap itself fail (the cache unreachable at that moment).

Each answer carries its session's end (services/accounts.py `session_ends_at`), so a session
that reaches its idle limit or maximum age is refused at once, cache or not. Only open logins
of active users are kept: a revoked or unknown token always asks the database,
and so does every refresh token (its check compares the family's newest token id). The password
hash is never put in the cache; it loads from the database on the rare request that reads it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached

from fitbud.extensions import db
from fitbud.models import User
from fitbud.services.versioned_cache import Lookup, VersionedCache

_users = VersionedCache("user")
invalidate = _users.invalidate
_LEFT_OUT = frozenset({"password_hash"})


@cache
def _cached_columns() -> tuple[str, ...]:
    return tuple(column.key for column in inspect(User).column_attrs if column.key not in _LEFT_OUT)


def lookup(user_id: int, session_id: str) -> Lookup:
    """The cached answer for this login of this user, if still current; one round trip."""
    return _users.lookup(user_id, "token", session_id)


def remember(found: Lookup, user: User, coach_id: int | None, session_ends: datetime, timeout: int) -> None:
    """Keep the answer for an open login of an active user (its user's columns, their trainer, when it ends)."""
    values = {name: getattr(user, name) for name in _cached_columns()}
    _users.store(found, (values, coach_id, session_ends), timeout)


def still_open(entry: tuple[Any, ...], now: datetime) -> bool:
    """Whether a cached answer's login session has not reached its end (idle or maximum age) yet.

    An entry without its session's end (written by an older version) counts as unknown: the
    database decides.
    """
    return len(entry) == 3 and entry[2] > now


def attach(entry: tuple[Any, ...]) -> tuple[User, int | None]:
    """The cached user as a persistent object of this request's session, without a query, and their trainer."""
    values, coach_id = entry[0], entry[1]
    session = db.session()
    known = session.identity_map.get(session.identity_key(User, values["id"]))
    if known is not None:
        return known, coach_id
    user = User(**values)
    # As if loaded by a query: clean, in the identity map; what was left out loads on first use.
    make_transient_to_detached(user)
    session.add(user)
    return user, coach_id

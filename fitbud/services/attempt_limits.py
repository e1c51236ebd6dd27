"""Per-account budgets for password checks: one count per account, whichever door the guess comes in by.

A login through the API, the browser's /login form, or a current-password check on a profile
(API, client app, dashboard) each spend from the account's budget here, in the service that
checks the password, so no new entry point can forget the limit and no two doors add up to
more guesses than AUTH_RATE_LIMIT. The per-address limits stay on the routes (flask-limiter):
they key on the request, not the account. Counters live in the rate limiter's storage (Redis
in production, shared by every process) and fall back to this process's memory while it is
unreachable, as flask-limiter's own limits do.
"""

from __future__ import annotations

import logging
import math
import time

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from redis.exceptions import RedisError

from fitbud.errors import TooManyRequestsError
from fitbud.extensions import limiter

logger = logging.getLogger("fitbud.limits")

# The per-address limits' message (flask-limiter's, fixed text); the per-account budgets say how
# long to wait in words too, since people read them on the login page and the profile forms.
TOO_MANY_ATTEMPTS = "Too many attempts; wait the number of seconds in Retry-After and try again."
TOO_MANY_ACCOUNT_ATTEMPTS = "Too many attempts; try again in {wait}."
# The budgets, by what the guess is aimed at.
LOGIN = "login"  # keyed by the normalised email: unknown addresses are counted like known ones
PASSWORD_CHECK = "password-check"  # keyed by user id: a stolen token must not be a guessing oracle

# Used only while the shared storage is unreachable; per process, like flask-limiter's fallback.
_fallback: RateLimiter = FixedWindowRateLimiter(MemoryStorage())


def _identifiers(budget: str, account: str) -> tuple[str, ...]:
    # The rate limiter's prefix (a test run's namespace) keeps two deployments sharing a Redis apart.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "fitbud"
    return (prefix, "account", budget, account)


def _spend(strategy: RateLimiter, items: list[RateLimitItem], identifiers: tuple[str, ...]) -> float | None:
    """Count one attempt under every item; seconds until the first exhausted one resets, or None."""
    for item in sorted(items):
        if not strategy.hit(item, *identifiers):
            reset_at = strategy.get_window_stats(item, *identifiers).reset_time
            return max(1.0, reset_at - time.time())
    return None


def in_words(seconds: int) -> str:
    """A wait for people: "45 seconds", "1 minute", "3 hours" (rounded up)."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds > size or (seconds == size and unit == "hour"):
            count = math.ceil(seconds / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def spend(budget: str, account: str, limit: str, message: str, errors: dict[str, list[str]] | None = None) -> None:
    """Count one use of `budget` by `account` under `limit` (flask-limiter syntax, "20/day");
    TooManyRequestsError(message) with Retry-After once it is spent. Off with RATELIMIT_ENABLED=false.

    `message` may name the wait as `{wait}` ("try again in {wait}": "in 12 minutes").

    The generic counter behind the password budgets here and the quotas (services/quotas.py).
    """
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    items = parse_many(limit)
    identifiers = _identifiers(budget, account)
    try:
        wait = _spend(limiter.limiter, items, identifiers)
    except (StorageError, RedisError, OSError):
        logger.warning("rate limit storage unreachable; counting %s in this process", budget)
        wait = _spend(_fallback, items, identifiers)
    if wait is not None:
        seconds = math.ceil(wait)
        raise TooManyRequestsError(message.format(wait=in_words(seconds)), retry_after=seconds, errors=errors)


def spend_attempt(budget: str, account: str) -> None:
    """Count one password attempt against `account`; TooManyRequestsError (429, Retry-After) beyond the budget."""
    # Read per call, so AUTH_RATE_LIMIT (and a test's override of it) applies at once.
    spend(budget, account, current_app.config["AUTH_RATE_LIMIT"], TOO_MANY_ACCOUNT_ATTEMPTS)

"""Small helpers shared by the scheduling and messaging tests."""

from __future__ import annotations

from datetime import UTC, datetime

from fitbud.extensions import db
from fitbud.models import User

# A Monday, four weeks before London's spring DST change (2026-03-29).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*parts, tzinfo=UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, as the API expects."""
    return moment.isoformat()


def query_time(moment: datetime) -> str:
    """A timestamp safe in a query string ("Z" instead of "+00:00", whose + would be a space)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_timezone(*objects, tz: str) -> None:
    """Give users or clients a timezone and save it."""
    for obj in objects:
        obj.timezone = tz
    db.session.commit()


def login_of(client) -> User:
    """A client's login, loaded by id (the relationship is lazy="raise" and expires on commit)."""
    return db.session.get(User, client.user_id)


def session_payload(client_id: int, starts_at: str, **extra) -> dict:
    """A valid body for POST /sessions."""
    return {"client_id": client_id, "starts_at": starts_at, "duration_minutes": 60, "type": "in_person", **extra}


def run_jobs_inline(app, monkeypatch) -> None:
    """Put the app in embedded mode (no Redis) even when TEST_REDIS_URL configures one.

    Jobs then run inline, so their mail lands in the memory outbox the test reads.
    """
    monkeypatch.setitem(app.extensions, "fitbud.redis", None)

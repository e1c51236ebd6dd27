"""Shared bits of the progress tests: today's date as the server sees it, and row counting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from fitbud.extensions import db


def today() -> date:
    """Today in UTC (the test clients live in UTC unless a test says otherwise)."""
    return datetime.now(UTC).date()


def days_ago(n: int) -> date:
    """The date `n` days before today (UTC)."""
    return today() - timedelta(days=n)


def count_rows(model) -> int:
    """How many rows `model`'s table holds."""
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def idempotent(headers: dict[str, str], key: str) -> dict[str, str]:
    """`headers` plus an Idempotency-Key."""
    return {**headers, "Idempotency-Key": key}

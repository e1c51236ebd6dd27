"""Analytics for the people asking: scoped to the caller, cached per trainer, invalidated on new logs.

Trainer figures are cached through services/trainer_cache.py, so every commit touching a
trainer's data drops them all at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import select

from fitbud.analytics.admin import PlatformStats, platform_stats
from fitbud.analytics.client import ClientCharts
from fitbud.analytics.planning import ParsedPattern
from fitbud.analytics.revenue import RevenueProvider
from fitbud.analytics.trainer import TrainerOverview, trainer_overview
from fitbud.errors import InvalidInputError
from fitbud.extensions import db
from fitbud.models import Client, User
from fitbud.services import progress, trainer_cache
from fitbud.services.client_scope import trainer_client
from fitbud.services.local_time import local_today, zone_of
from fitbud.services.versioned_cache import VersionedCache

T = TypeVar("T")

DEFAULT_OVERVIEW_DAYS = 28
DEFAULT_CLIENT_DAYS = 90
MAX_RANGE_DAYS = 2 * 366
PLATFORM_CACHE_SECONDS = 60


_REVENUE_PROVIDER_KEY = "fitbud.revenue_provider"


def set_revenue_provider(app: Flask, provider: RevenueProvider | None) -> None:
    """Make `provider` the app's revenue source (None: revenue is not shown)."""
    app.extensions[_REVENUE_PROVIDER_KEY] = provider


def revenue_provider() -> RevenueProvider | None:
    """The current app's revenue source, or None when billing is not plugged in."""
    return current_app.extensions.get(_REVENUE_PROVIDER_KEY)


def resolve_range(
    first: date | None, last: date | None, today: date, default_days: int, field_prefix: str = ""
) -> tuple[date, date]:
    """[first, last] with defaults (the last `default_days` days up to today), or a 422."""
    last = last or today
    first = first or last - timedelta(days=default_days - 1)
    if first > last:
        raise InvalidInputError(
            "The range ends before it starts.", errors={f"{field_prefix}end": ["Must not be before start."]}
        )
    if (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidInputError(
            "The range is too long.", errors={f"{field_prefix}start": [f"At most {MAX_RANGE_DAYS} days."]}
        )
    return first, last


# Assignment contents never change after creation (they are snapshots), so the training pattern
# parsed from one is kept for the life of the process: a trainer with a thousand clients does not
# decode a thousand JSON plans on every Overview. Keyed by id and creation time so a reused id
# (another database, a test) never hits a stale entry. Not on the versioned cache on purpose: it
# memoizes a pure parse of immutable data, so there is nothing to invalidate, and a dict lookup
# is cheaper than a Redis round trip. It lives here, not in analytics/, which keeps no state.
_PARSED_PATTERNS: dict[tuple[int, str], ParsedPattern] = {}
_PARSED_PATTERNS_MAX = 100_000


def _parsed_patterns() -> dict[tuple[int, str], ParsedPattern]:
    """The process's parsed training patterns, emptied when it grows past its bound."""
    if len(_PARSED_PATTERNS) > _PARSED_PATTERNS_MAX:
        _PARSED_PATTERNS.clear()
    return _PARSED_PATTERNS


def _trainer_cached(trainer_id: int, name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    return trainer_cache.cached(
        trainer_id, f"analytics:{name}", parts, compute, current_app.config["ANALYTICS_CACHE_TIMEOUT"]
    )


def overview_for(
    trainer: User, first: date | None = None, last: date | None = None, months: int = 12
) -> TrainerOverview:
    """The trainer's Overview figures (adherence over [first, last], default the last 28 days)."""
    today = local_today(trainer)
    first, last = resolve_range(first, last, today, DEFAULT_OVERVIEW_DAYS)
    provider = revenue_provider()
    return _trainer_cached(
        trainer.id,
        "overview",
        (today, first, last, months, provider is not None, trainer.timezone),
        lambda: trainer_overview(
            trainer.id, today, zone_of(trainer), first, last, months, provider, known_patterns=_parsed_patterns()
        ),
    )


def client_options(trainer: User) -> list[dict[str, Any]]:
    """The trainer's current clients as picker options ({label, value}), by name."""
    rows = db.session.execute(
        select(Client.id, Client.name)
        .where(Client.trainer_id == trainer.id, Client.archived_at.is_(None))
        .order_by(Client.name, Client.id)
    ).all()
    return [{"label": name, "value": client_id} for client_id, name in rows]


def progress_for(trainer: User, client_id: Any, first: date | None = None, last: date | None = None) -> ClientCharts:
    """A client's progress charts for their trainer (the API's figures); 404 for anyone else's client."""
    client = trainer_client(trainer, client_id)
    # Keyed by the client's today too: the default range and "missed" days count from it.
    return _trainer_cached(
        trainer.id,
        "client",
        (client.id, local_today(client), first, last),
        lambda: progress.client_page(trainer, client.id, first, last),
    )


# The platform's figures count every trainer's rows, so every commit anywhere would drop them:
# they are kept on the versioned cache under one owner that no commit invalidates, and here,
# alone, the timeout is the mechanism (admins read figures up to a minute old).
_platform = VersionedCache("platform")
PLATFORM_OWNER = 0


def platform_for(today: date | None = None, weeks: int = 12) -> PlatformStats:
    """Platform figures for admins, cached for a minute (they are not per trainer)."""
    today = today or datetime.now(ZoneInfo("UTC")).date()
    return _platform.cached(
        PLATFORM_OWNER, "stats", (today, weeks), lambda: platform_stats(today, weeks), PLATFORM_CACHE_SECONDS
    )


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, NaN/NaT as None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def records(frame: Any, date_columns: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """A frame as JSON-ready dicts; `date_columns` holding 'YYYY-MM-DD' text become dates."""
    rows = []
    for row in frame.to_dict("records"):
        plain = {key: _plain(value) for key, value in row.items()}
        for column in date_columns:
            if isinstance(plain.get(column), str):
                plain[column] = date.fromisoformat(plain[column])
        rows.append(plain)
    return rows


def trainer_stats(
    trainer: User, months: int = 12, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """The trainer stats endpoint's body: KPIs, the monthly growth series and revenue if any."""
    overview = overview_for(trainer, start, end, months)
    first, last = resolve_range(start, end, local_today(trainer), DEFAULT_OVERVIEW_DAYS)
    return {
        "as_of": local_today(trainer),
        "start": first,
        "end": last,
        "kpis": overview.kpis,
        "growth": records(overview.growth, ("month",)),
        "revenue": records(overview.revenue, ("month",)) if overview.kpis["revenue_this_month"] is not None else None,
    }


def admin_stats(weeks: int = 12) -> dict[str, Any]:
    """The admin stats endpoint's body."""
    today = datetime.now(ZoneInfo("UTC")).date()
    stats = platform_for(today, weeks)
    return {
        "as_of": today,
        "totals": stats.totals,
        "signups": records(stats.signups, ("week",)),
        "weekly_active_clients": records(stats.weekly_active_clients, ("week",)),
        "reports_by_status": stats.reports_by_status,
        "trainers": records(stats.trainers),
    }

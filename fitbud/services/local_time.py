"""What day it is where someone is: the zone of a timezone name (UTC when unknown) and their today.

The one home of both rules: trainers and clients alike carry an IANA name in `timezone`, and
a missing or unknown name (an old row, a zone database without it) counts as UTC so that
display and day counting never fail.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fitbud.models import utcnow

UTC_ZONE = ZoneInfo("UTC")


class HasTimezone(Protocol):
    """A user or a client: anything with an IANA timezone name."""

    @property
    def timezone(self) -> str | None: ...


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA zone `name`, or UTC when it is missing or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def zone_of(person: HasTimezone) -> ZoneInfo:
    """The timezone of a user or client (UTC when the stored name is unknown)."""
    return zone_named(person.timezone)


def local_today(person: HasTimezone, now: datetime | None = None) -> date:
    """The calendar date it is for a user or client at `now` (default: right now)."""
    return (now or utcnow()).astimezone(zone_of(person)).date()

"""Pure calendar arithmetic: weekly rules expanded in a timezone, and wall-clock shifts.

Everything here takes and returns aware datetimes; local times are handled through naive
wall-clock values in the given zone, so a weekly 07:00 stays 07:00 across DST changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import overload
from zoneinfo import ZoneInfo

from dateutil.rrule import FR, MO, SA, SU, TH, TU, WE, WEEKLY, rrule

from fitbud.services.local_time import zone_named

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_RRULE_DAYS = {"MO": MO, "TU": TU, "WE": WE, "TH": TH, "FR": FR, "SA": SA, "SU": SU}
MAX_OCCURRENCES = 200


class TooManyOccurrences(ValueError):
    """The rule would produce more occurrences than a series may hold."""


@dataclass(frozen=True)
class WeeklyRule:
    """Every `interval` weeks on `weekdays` (codes MO..SU), `count` times or until a local date."""

    weekdays: tuple[str, ...]
    interval: int = 1
    count: int | None = None
    until: date | None = None

    def as_rrule_text(self) -> str:
        """The rule in RFC 5545 form, e.g. FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;COUNT=8."""
        parts = [
            "FREQ=WEEKLY",
            f"INTERVAL={self.interval}",
            "BYDAY=" + ",".join(sorted(self.weekdays, key=WEEKDAY_CODES.index)),
        ]
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """The wall-clock time (naive) that `moment` shows in `tz`."""
    return moment.astimezone(tz).replace(tzinfo=None)


def from_local(wall_clock: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time in `tz`.

    An ambiguous time (autumn fold) takes its first occurrence; a time that does not exist
    (spring gap) is read with the offset before the change, so it lands just after the gap.
    """
    return wall_clock.replace(tzinfo=tz).astimezone(UTC)


@overload
def local_iso(moment: datetime, tz_name: str | None) -> str: ...
@overload
def local_iso(moment: None, tz_name: str | None) -> None: ...
@overload
def local_iso(moment: datetime | None, tz_name: str | None) -> str | None: ...
def local_iso(moment: datetime | None, tz_name: str | None) -> str | None:
    """`moment` as ISO 8601 in the named zone, with that zone's offset."""
    if moment is None:
        return None
    return moment.astimezone(zone_named(tz_name)).isoformat()


def expand_weekly(first_start: datetime, tz: ZoneInfo, rule: WeeklyRule) -> list[datetime]:
    """The UTC starts of every occurrence, expanded at the same local time in `tz`.

    The first occurrence is the first matching weekday on or after `first_start`'s local date.
    """
    local_start = to_local(first_start, tz)
    until = datetime.combine(rule.until, time.max) if rule.until is not None else None
    occurrences = rrule(
        WEEKLY,
        dtstart=local_start,
        interval=rule.interval,
        byweekday=[_RRULE_DAYS[code] for code in rule.weekdays],
        count=rule.count,
        until=until,
        wkst=MO,
    )
    local_times = list(islice(occurrences, MAX_OCCURRENCES + 1))
    if len(local_times) > MAX_OCCURRENCES:
        raise TooManyOccurrences(f"a series holds at most {MAX_OCCURRENCES} sessions")
    return [from_local(local_time, tz) for local_time in local_times]


def wall_clock_delta(old: datetime, new: datetime, tz: ZoneInfo) -> timedelta:
    """How far the local clock moved between two instants (a DST change does not count)."""
    return to_local(new, tz) - to_local(old, tz)


def shift_wall_clock(moment: datetime, delta: timedelta, tz: ZoneInfo) -> datetime:
    """`moment` moved by `delta` on the local clock of `tz`, returned in UTC."""
    return from_local(to_local(moment, tz) + delta, tz)


def overlaps(start_a: datetime, end_a: datetime, start_b: datetime, end_b: datetime) -> bool:
    """Half-open intervals overlap; one ending exactly when the other starts does not."""
    return start_a < end_b and start_b < end_a


def subtract_intervals(
    free: list[tuple[datetime, datetime]], busy: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """`free` minus every interval of `busy`; both are lists of (start, end)."""
    result = list(free)
    for busy_start, busy_end in busy:
        remaining = []
        for start, end in result:
            if not overlaps(start, end, busy_start, busy_end):
                remaining.append((start, end))
                continue
            if start < busy_start:
                remaining.append((start, busy_start))
            if busy_end < end:
                remaining.append((busy_end, end))
        result = remaining
    return sorted(result)


def chop(intervals: list[tuple[datetime, datetime]], length: timedelta) -> list[tuple[datetime, datetime]]:
    """Consecutive slots of exactly `length` from the start of each interval."""
    slots = []
    for start, end in intervals:
        cursor = start
        while cursor + length <= end:
            slots.append((cursor, cursor + length))
            cursor += length
    return slots

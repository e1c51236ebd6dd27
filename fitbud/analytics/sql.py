"""SQL expression builders for analytics: portable date truncation and months in a timezone.

They build expressions and run nothing: analytics/queries.py is the one module that executes SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, Literal, TypeAlias

from sqlalchemy import DateTime, case, cast, func, literal, literal_column
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from fitbud.analytics.frames import month_starts, next_month

# A column expression or a model attribute (User.created_at), as the helpers below take them.
ColumnLike: TypeAlias = ColumnElement[Any] | QueryableAttribute[Any]

Unit = Literal["day", "week", "month"]
UNITS: tuple[Unit, ...] = ("day", "week", "month")

# SQLite date() modifiers that move a day to the start of its period; weeks start on Monday
# ("weekday 0" goes forward to Sunday, six days back is that ISO week's Monday).
_SQLITE_MODIFIERS: dict[str, tuple[str, ...]] = {
    "day": (),
    "week": ("weekday 0", "-6 days"),
    "month": ("start of month",),
}


def _is_timestamp(column: ColumnLike) -> bool:
    column_type = column.type
    impl = getattr(column_type, "impl", column_type)
    return isinstance(impl, DateTime)


def period_start(column: ColumnLike, unit: Unit, dialect: str) -> ColumnElement[str]:
    """The first day of the day/week (Monday)/month holding `column`, as 'YYYY-MM-DD' text.

    The one place that knows how each database truncates dates. Dates are taken as they are;
    timestamps are read in UTC. Constants are rendered as literals, not bound parameters, so
    PostgreSQL sees the same expression in SELECT and GROUP BY.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    if dialect == "postgresql":
        # timezone('UTC', timestamptz) gives the UTC wall time; a date is cast to a plain
        # timestamp so the session's TimeZone never shifts it.
        value = func.timezone(literal_column("'UTC'"), column) if _is_timestamp(column) else cast(column, DateTime())
        return func.to_char(func.date_trunc(literal_column(f"'{unit}'"), value), literal_column("'YYYY-MM-DD'"))
    if dialect == "sqlite":
        # Dates are stored as 'YYYY-MM-DD' and UTC timestamps as 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        modifiers: list[ColumnElement[Any]] = [literal_column(f"'{modifier}'") for modifier in _SQLITE_MODIFIERS[unit]]
        return func.date(column, *modifiers)
    # Fitbud supports SQLite (embedded) and PostgreSQL (production) only.
    raise ValueError(f"no date truncation for the {dialect!r} dialect")


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """The UTC instant a local day starts in `zone`."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def month_in_zone(column: ColumnLike, first: date, last: date, zone: tzinfo) -> ColumnElement[str]:
    """The first day ('YYYY-MM-01') of the month in `zone` holding the timestamp `column`.

    For the months from `first`'s to `last`'s; NULL outside them. The same on both databases,
    DST included: each month's end is worked out here as a UTC instant and the database only
    compares (SQLite knows no timezones). The instants are bound parameters, which PostgreSQL does
    not match between SELECT and GROUP BY, so label the expression and group by the label.
    """
    starts = month_starts(first, last)
    following = [date.fromisoformat(month) for month in starts[1:]] + [next_month(last)]
    return case(
        (column < local_midnight(first.replace(day=1), zone), None),
        *[(column < local_midnight(end, zone), literal(month)) for month, end in zip(starts, following, strict=True)],
        else_=None,
    )

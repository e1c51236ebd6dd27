"""Platform figures for admins: trainers, clients, sign-ups, active users and report jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from fitbud.analytics import frames, queries
from fitbud.analytics.daily import monday_of
from fitbud.auth.roles import Role
from fitbud.models import ReportStatus

ROLES = [role.value for role in Role]


@dataclass(frozen=True)
class PlatformStats:
    """Everything the Platform page and the admin stats endpoint show."""

    totals: dict[str, Any]
    signups: pd.DataFrame
    weekly_active_clients: pd.DataFrame
    reports_by_status: dict[str, int]
    trainers: pd.DataFrame


def platform_stats(today: date, weeks: int = 12, top_trainers: int = 20) -> PlatformStats:
    """Platform figures as of `today` (UTC), with weekly series over the last `weeks` weeks."""
    first_week = monday_of(today) - timedelta(weeks=weeks - 1)
    week_list = frames.week_starts(first_week, today)
    totals = queries.platform_totals(today)
    signups = queries.signups_by_week(first_week)
    active = queries.active_clients_by_week(first_week)
    weekly_active = frames.fill_weeks(active, week_list, ["clients"])
    weekly_active["clients"] = weekly_active["clients"].astype("int64")

    by_status = queries.reports_by_status()
    found = {getattr(status, "value", status): int(count) for status, count in by_status.itertuples(index=False)}
    reports_by_status = {status.value: found.get(status.value, 0) for status in ReportStatus}

    trainers = _missing_as_none(queries.top_trainers(top_trainers), "last_login_at")
    return PlatformStats(
        totals=totals,
        signups=frames.pivot_counts(signups, "week", "role", week_list, ROLES),
        weekly_active_clients=weekly_active,
        reports_by_status=reports_by_status,
        trainers=trainers,
    )


def _missing_as_none(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """`frame` with `column`'s missing timestamps as None rather than NaT.

    A trainer who never logged in has no last login. Beside trainers who have, pandas makes the
    column datetime64 and the gap NaT, which is a datetime to every reader but behaves as none:
    the API wrote it as 0001-01-01, the Platform page and the XLSX writer raised on it.
    """
    values = [None if pd.isna(value) else pd.Timestamp(value).to_pydatetime() for value in frame[column]]
    result = frame.copy()
    result[column] = pd.Series(values, index=frame.index, dtype=object)
    return result

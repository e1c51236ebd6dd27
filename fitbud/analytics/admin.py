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

    trainers = queries.top_trainers(top_trainers)
    return PlatformStats(
        totals=totals,
        signups=frames.pivot_counts(signups, "week", "role", week_list, ROLES),
        weekly_active_clients=weekly_active,
        reports_by_status=reports_by_status,
        trainers=trainers,
    )

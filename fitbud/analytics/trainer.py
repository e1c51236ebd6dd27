"""A trainer's figures: KPIs, client growth, sessions this week, adherence and who needs attention."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from fitbud.analytics import frames, queries
from fitbud.analytics.daily import monday_of
from fitbud.analytics.planning import ParsedPattern, planned_week_counts
from fitbud.analytics.revenue import RevenueProvider
from fitbud.analytics.sql import local_midnight

QUIET_DAYS = 7


@dataclass(frozen=True)
class TrainerOverview:
    """Everything the Overview page and the trainer stats endpoint show."""

    kpis: dict[str, Any]
    growth: pd.DataFrame
    sessions_week: dict[str, int]
    adherence: pd.DataFrame
    adherence_histogram: pd.DataFrame
    attention: pd.DataFrame
    revenue: pd.DataFrame


def client_adherence(
    first: date,
    last: date,
    client_ids: list[int] | None = None,
    trainer_id: int | None = None,
    known_patterns: MutableMapping[tuple[int, str], ParsedPattern] | None = None,
) -> pd.DataFrame:
    """Adherence per client over [first, last]: planned from assignments, done from logs.

    `known_patterns`: see queries.workout_patterns.
    """
    assignments = queries.workout_patterns(
        client_ids, first, last, trainer_id=trainer_id, known_patterns=known_patterns
    )
    planned = planned_week_counts(assignments, first, last)
    done = queries.workout_days_by_week(client_ids, first, last, trainer_id=trainer_id)
    return frames.weekly_adherence(planned, done)


def trainer_overview(
    trainer_id: int,
    today: date,
    zone: ZoneInfo,
    first: date,
    last: date,
    months: int = 12,
    revenue_provider: RevenueProvider | None = None,
    known_patterns: MutableMapping[tuple[int, str], ParsedPattern] | None = None,
) -> TrainerOverview:
    """The trainer's figures as of `today` (in `zone`); adherence and no-shows over [first, last].

    Adherence is the share of planned workouts done, matched within each week, over the
    finished days of the range; growth is by UTC calendar month of creation and archiving.
    """
    month_list = frames.month_starts(_months_back(today, months - 1), today)
    first_month = date.fromisoformat(month_list[0])
    # Months are the trainer's, as for revenue: a client added late on the 31st in New York is
    # that month's, though it is already the 1st in UTC.
    growth = frames.monthly_growth(
        month_list,
        queries.clients_by_month(trainer_id, "created_at", first_month, today, zone),
        queries.clients_by_month(trainer_id, "archived_at", first_month, today, zone),
        queries.clients_active_at(trainer_id, local_midnight(first_month, zone)),
    )

    week_start = monday_of(today)
    sessions_week = frames.sessions_by_status(
        queries.sessions_by_status(
            trainer_id, local_midnight(week_start, zone), local_midnight(week_start + timedelta(days=7), zone)
        )
    )

    clients = queries.active_clients(trainer_id)
    # Finished days only, as on the Client page: today's workout is not missed yet.
    adherence = client_adherence(
        first, min(last, today - timedelta(days=1)), trainer_id=trainer_id, known_patterns=known_patterns
    )
    adherence = adherence.merge(clients[["client_id", "name"]], on="client_id", how="inner")

    unanswered = queries.unanswered_check_ins(trainer_id)
    missed = queries.no_shows_by_client(
        trainer_id, local_midnight(first, zone), local_midnight(last + timedelta(days=1), zone)
    )
    attention = frames.attention_list(
        clients, _last_logs(trainer_id, clients, today), missed, unanswered, today, QUIET_DAYS
    )

    revenue = frames.revenue_frame(
        revenue_provider(trainer_id, first_month, today + timedelta(days=1), zone) if revenue_provider else None
    )
    this_month = month_list[-1]
    revenue_now = revenue[revenue["month"] == this_month]
    last_row = growth.iloc[-1]
    kpis = {
        "active_clients": len(clients),
        "new_this_month": int(last_row["new"]),
        "churned_this_month": int(last_row["churned"]),
        "growth_pct": last_row["growth_pct"],
        "sessions_this_week": sessions_week,
        "average_adherence": frames.average_adherence(adherence),
        "checkins_awaiting_reply": int(unanswered["unanswered"].sum()) if not unanswered.empty else 0,
        "revenue_this_month": (
            {row.currency: float(row.amount) for row in revenue_now.itertuples()} if not revenue.empty else None
        ),
    }
    return TrainerOverview(
        kpis=kpis,
        growth=growth,
        sessions_week=sessions_week,
        adherence=adherence,
        adherence_histogram=frames.adherence_histogram(adherence),
        attention=attention,
        revenue=revenue,
    )


def _last_logs(trainer_id: int, clients: pd.DataFrame, today: date) -> pd.DataFrame:
    """Last log day of every current client: recent ones from a cheap windowed query, the rest exactly."""
    recent = queries.last_log_dates(None, since=today - timedelta(days=QUIET_DAYS), trainer_id=trainer_id)
    quiet_ids = sorted(set(clients["client_id"]) - set(recent["client_id"]))
    if not quiet_ids:
        return recent
    older = queries.last_log_dates(quiet_ids)
    return (
        pd.concat([part for part in (recent, older) if not part.empty], ignore_index=True)
        if not older.empty
        else recent
    )


def _months_back(day: date, count: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - count, 12)
    return date(year, month + 1, 1)

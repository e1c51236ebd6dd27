"""Platform figures for admins: trainers, clients, sign-ups, active users and report jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select, union

from fitbud.analytics import frames
from fitbud.analytics.sql import read_frame, truncate
from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.models import Client, MealLog, Report, ReportStatus, User, WorkoutLog

ROLES = [role.value for role in Role]


@dataclass(frozen=True)
class PlatformStats:
    """Everything the Platform page and the admin stats endpoint show."""

    totals: dict[str, Any]
    signups: pd.DataFrame
    weekly_active_clients: pd.DataFrame
    reports_by_status: dict[str, int]
    trainers: pd.DataFrame


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def platform_stats(today: date, weeks: int = 12, top_trainers: int = 20) -> PlatformStats:
    """Platform figures as of `today` (UTC), with weekly series over the last `weeks` weeks."""
    first_week = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    week_list = frames.week_starts(first_week, today)
    now = _start_of(today + timedelta(days=1))

    users = db.session.execute(
        select(
            func.count(case((User.role == Role.TRAINER, 1))),
            func.count(case(((User.role == Role.TRAINER) & User.is_active.is_(True), 1))),
            func.count(case((User.last_login_at >= now - timedelta(days=7), 1))),
            func.count(case((User.last_login_at >= now - timedelta(days=30), 1))),
        )
    ).one()
    clients = db.session.execute(
        select(func.count(Client.id), func.count(case((Client.archived_at.is_(None) & Client.is_active.is_(True), 1))))
    ).one()
    totals = {
        "trainers": int(users[0]),
        "active_trainers": int(users[1]),
        "clients": int(clients[0]),
        "active_clients": int(clients[1]),
        "users_active_7d": int(users[2]),
        "users_active_30d": int(users[3]),
    }

    week = truncate(User.created_at, "week")
    signups = read_frame(
        select(week.label("week"), User.role, func.count())
        .where(User.created_at >= _start_of(first_week))
        .group_by(week, User.role),
        ["week", "role", "count"],
    )
    signups["role"] = signups["role"].map(lambda role: getattr(role, "value", role))

    # Distinct clients who logged a workout or a meal, per week (UNION removes same-day repeats).
    logged = union(
        select(WorkoutLog.client_id.label("client_id"), WorkoutLog.performed_on.label("day")).where(
            WorkoutLog.performed_on >= first_week
        ),
        select(MealLog.client_id, MealLog.eaten_on).where(MealLog.eaten_on >= first_week),
    ).subquery()
    active_week = truncate(logged.c.day, "week")
    active = read_frame(
        select(active_week.label("week"), func.count(func.distinct(logged.c.client_id))).group_by(active_week),
        ["week", "clients"],
    )
    weekly_active = frames.fill_weeks(active, week_list, ["clients"])
    weekly_active["clients"] = weekly_active["clients"].astype("int64")

    by_status = read_frame(select(Report.status, func.count()).group_by(Report.status), ["status", "count"])
    found = {getattr(status, "value", status): int(count) for status, count in by_status.itertuples(index=False)}
    reports_by_status = {status.value: found.get(status.value, 0) for status in ReportStatus}

    client_counts = (
        select(
            Client.trainer_id.label("trainer_id"),
            func.count(Client.id).label("clients"),
            func.count(case((Client.archived_at.is_(None) & Client.is_active.is_(True), 1))).label("active"),
        )
        .group_by(Client.trainer_id)
        .subquery()
    )
    trainers = read_frame(
        select(
            User.id,
            User.name,
            User.email,
            func.coalesce(client_counts.c.clients, 0),
            func.coalesce(client_counts.c.active, 0),
            User.last_login_at,
            User.created_at,
        )
        .outerjoin(client_counts, client_counts.c.trainer_id == User.id)
        .where(User.role == Role.TRAINER)
        .order_by(func.coalesce(client_counts.c.active, 0).desc(), User.id)
        .limit(top_trainers),
        ["trainer_id", "name", "email", "clients", "active_clients", "last_login_at", "created_at"],
    )
    return PlatformStats(
        totals=totals,
        signups=frames.pivot_counts(signups, "week", "role", week_list, ROLES),
        weekly_active_clients=weekly_active,
        reports_by_status=reports_by_status,
        trainers=trainers,
    )

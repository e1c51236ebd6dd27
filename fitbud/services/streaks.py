"""Streaks of days with any log (workout, meal, check-in, body metric) and their feed milestones."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, union

from fitbud.analytics import daily as daily_series
from fitbud.analytics.daily import Streaks
from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, BodyMetric, CheckIn, Client, MealLog, WorkoutLog, utcnow
from fitbud.services.activity import record_activity
from fitbud.services.local_time import local_today

MILESTONES = (7, 30, 100)


def logged_days(client_id: int, since: date | None = None) -> list[date]:
    """Every distinct date on which the client logged anything (one statement)."""
    parts = []
    for column in (WorkoutLog.performed_on, MealLog.eaten_on, CheckIn.submitted_on, BodyMetric.measured_on):
        model = column.class_
        statement = select(column.label("day")).where(model.client_id == client_id)
        if since is not None:
            statement = statement.where(column >= since)
        parts.append(statement)
    return sorted(db.session.execute(union(*parts)).scalars())


def streaks_from_days(days: list[date], today: date) -> Streaks:
    """Current and longest streak among `days`, seen from `today` (the client's local date)."""
    # Plain Python: a pandas frame per call cost more than the work on a few hundred dates.
    return daily_series.streaks(days, today)


def client_streaks(client: Client) -> Streaks:
    """The client's current and longest streaks, in their timezone."""
    return streaks_from_days(logged_days(client.id), local_today(client))


def record_streak_milestone(client: Client) -> ActivityEvent | None:
    """Put the highest milestone the current streak newly reached in the trainer's feed.

    A milestone is keyed by its length and the streak's first day, so deleting and
    re-logging a day, or logging twice on one day, never announces it twice.
    """
    streaks = client_streaks(client)
    reached = [m for m in MILESTONES if streaks.current >= m]
    if not reached:
        return None
    assert streaks.current_start is not None  # a current streak of a day or more has its first day
    start = streaks.current_start.isoformat()
    announced = {
        (payload.get("days"), payload.get("streak_start"))
        for payload in db.session.execute(
            select(ActivityEvent.payload).where(
                ActivityEvent.client_id == client.id, ActivityEvent.type == ActivityType.STREAK_MILESTONE
            )
        ).scalars()
    }
    new = [m for m in reached if (m, start) not in announced]
    if not new:
        return None
    days = max(new)
    return record_activity(
        client,
        ActivityType.STREAK_MILESTONE,
        f"{client.name} reached a {days}-day logging streak",
        {"days": days, "streak_start": start, "current": streaks.current},
    )


def note_client_log(client: Client) -> None:
    """What every client log does besides storing itself: mark activity, check streak milestones.

    Runs in the caller's transaction (the new log must be added; it is flushed by the query).
    """
    client.last_activity_at = utcnow()
    record_streak_milestone(client)

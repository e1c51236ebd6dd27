"""The trainer's activity feed: every domain records its events here."""

from __future__ import annotations

from typing import Any

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, Client, utcnow


def record_activity(
    client: Client,
    type: ActivityType,
    summary: str,
    payload: dict[str, Any] | None = None,
    *,
    workout_log_id: int | None = None,
) -> ActivityEvent:
    """Add an event to the client's trainer's feed, in the caller's transaction (not committed).

    An event about a workout names it in `workout_log_id`, so it goes when the workout goes.
    """
    event = ActivityEvent(
        trainer_id=client.trainer_id,
        client_id=client.id,
        workout_log_id=workout_log_id,
        type=type,
        occurred_at=utcnow(),
        summary=summary[:200],
        payload=payload or {},
    )
    db.session.add(event)
    return event

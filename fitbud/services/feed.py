"""The trainer's activity feed across their clients, newest first, paginated by event id."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, Client, User

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class FeedEntry:
    """An event and the name of the client it is about."""

    event: ActivityEvent
    client_name: str


@dataclass(frozen=True)
class FeedPage:
    """One page of the feed; `next_before` is the cursor of the next (older) page, if any."""

    items: list[FeedEntry]
    next_before: int | None


def feed_page(
    trainer: User,
    before: int | None = None,
    limit: int = DEFAULT_LIMIT,
    client_id: int | None = None,
    event_type: ActivityType | None = None,
) -> FeedPage:
    """Events older than `before` (an event id), newest first; one statement whatever the size."""
    statement = (
        select(ActivityEvent, Client.name)
        .join(Client, Client.id == ActivityEvent.client_id)
        .where(ActivityEvent.trainer_id == trainer.id)
        .order_by(ActivityEvent.id.desc())
        .limit(limit + 1)
    )
    if before is not None:
        statement = statement.where(ActivityEvent.id < before)
    if client_id is not None:
        statement = statement.where(ActivityEvent.client_id == client_id)
    if event_type is not None:
        statement = statement.where(ActivityEvent.type == event_type)
    rows = db.session.execute(statement).all()
    items = [FeedEntry(event, name) for event, name in rows[:limit]]
    next_before = items[-1].event.id if len(rows) > limit else None
    return FeedPage(items, next_before)

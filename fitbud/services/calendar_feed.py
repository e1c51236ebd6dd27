"""Secret calendar addresses (iCalendar feeds) for trainers and clients.

The token in the URL is HMAC(SECRET_KEY, user id + salt): only the salt and a SHA-256 digest
of the token are stored, so the address can be shown again but a database copy alone does
not reveal it. Rotating replaces the salt; the old address then finds nothing (404).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlparse

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from fitbud.auth.roles import Role
from fitbud.errors import NotFoundError
from fitbud.extensions import db
from fitbud.models import CalendarFeed, SessionStatus, TrainingSession, User, utcnow
from fitbud.services.client_scope import own_client_ids

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)
_ICS_STATUS = {
    SessionStatus.SCHEDULED: "CONFIRMED",
    SessionStatus.COMPLETED: "CONFIRMED",
    SessionStatus.NO_SHOW: "CONFIRMED",
    SessionStatus.CANCELLED: "CANCELLED",
}
_TYPE_LABELS = {"in_person": "Training session", "online": "Online session", "check_in_call": "Check-in call"}


def _token(user_id: int, salt: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{user_id}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    """The subscribable https address of a feed token."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/api/v1/calendar/{token}.ics"


@dataclass(frozen=True)
class FeedAddress:
    """Where a user's feed can be subscribed to."""

    url: str
    webcal_url: str
    created_at: datetime
    rotated_at: datetime | None


def _address(feed: CalendarFeed, token: str) -> FeedAddress:
    url = feed_url(token)
    return FeedAddress(url, "webcal://" + url.split("://", 1)[1], feed.created_at, feed.rotated_at)


def _issue(feed: CalendarFeed) -> str:
    feed.salt = secrets.token_hex(16)
    token = _token(feed.user_id, feed.salt)
    feed.token_hash = _digest(token)
    return token


def _feed_of(user: User) -> tuple[CalendarFeed, str]:
    feed = db.session.execute(select(CalendarFeed).where(CalendarFeed.user_id == user.id)).scalar_one_or_none()
    if feed is None:
        feed = CalendarFeed(user_id=user.id, created_at=utcnow())
        token = _issue(feed)
        db.session.add(feed)
        try:
            db.session.commit()
        except IntegrityError:
            # A concurrent first request created it: use that one.
            db.session.rollback()
            return _feed_of(user)
        return feed, token
    token = _token(user.id, feed.salt)
    if not hmac.compare_digest(_digest(token), feed.token_hash):
        # SECRET_KEY changed since the token was issued: issue one that can be shown again.
        token = _issue(feed)
        feed.rotated_at = utcnow()
        db.session.commit()
    return feed, token


def get_feed(user: User) -> FeedAddress:
    """The user's feed address, created on first use."""
    return _address(*_feed_of(user))


def rotate_feed(user: User) -> FeedAddress:
    """Replace the user's feed token; subscriptions to the old address stop working."""
    feed, _ = _feed_of(user)
    token = _issue(feed)
    feed.rotated_at = utcnow()
    db.session.commit()
    return _address(feed, token)


def _owner(token: str) -> User:
    if not token or len(token) > 100:
        raise NotFoundError("No such calendar.")
    user = db.session.execute(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == _digest(token))
    ).scalar_one_or_none()
    if user is None or not user.is_active:
        raise NotFoundError("No such calendar.")
    return user


def _sessions_for(user: User) -> list[TrainingSession]:
    now = utcnow()
    statement = (
        select(TrainingSession)
        .options(joinedload(TrainingSession.client), joinedload(TrainingSession.trainer))
        .where(TrainingSession.starts_at >= now - FEED_PAST, TrainingSession.starts_at <= now + FEED_FUTURE)
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    if user.role == Role.TRAINER:
        statement = statement.where(TrainingSession.trainer_id == user.id)
    elif user.role == Role.CLIENT:
        statement = statement.where(TrainingSession.client_id.in_(own_client_ids(user)))
    else:
        return []
    return list(db.session.execute(statement).scalars())


def _event(session: TrainingSession, viewer: User, host: str) -> Event:
    event = Event()
    label = _TYPE_LABELS.get(session.type.value, "Session")
    other = session.client.name if viewer.role == Role.TRAINER else session.trainer.name
    event.add("uid", f"session-{session.id}@{host}")
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{label} with {other}")
    event.add("status", _ICS_STATUS[session.status])
    event.add("sequence", session.revision)
    if session.location:
        event.add("location", session.location)
    elif session.meeting_url:
        event.add("location", session.meeting_url)
    if session.meeting_url:
        event.add("url", session.meeting_url)
    description = [session.notes] if session.notes else []
    if session.meeting_url:
        description.append(f"Join: {session.meeting_url}")
    if session.status in (SessionStatus.COMPLETED, SessionStatus.NO_SHOW):
        description.append(f"Marked {session.status.value.replace('_', '-')}.")
    if description:
        event.add("description", "\n".join(description))
    return event


def render_feed(token: str) -> bytes:
    """The iCalendar document of the token's owner: recent and upcoming sessions (404 if unknown)."""
    user = _owner(token)
    host = urlparse(current_app.config["PUBLIC_BASE_URL"]).hostname or "fitbud"
    calendar = Calendar()
    calendar.add("prodid", "-//Fitbud//Training sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Fitbud: {user.name}")
    calendar.add("x-wr-timezone", user.timezone or "UTC")
    # Ask subscribing apps to refresh hourly (Google and Apple honour one or the other).
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for session in _sessions_for(user):
        calendar.add_component(_event(session, user, host))
    return calendar.to_ical()

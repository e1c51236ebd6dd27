"""Weekly check-ins: the client's report (one per day) and the trainer's reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from fitbud.analytics.queries import active_client_conditions
from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import ActivityType, CheckIn, Client, User, utcnow
from fitbud.services.activity import record_activity
from fitbud.services.client_scope import check_log_date, own_client
from fitbud.services.log_queries import between, own_rows, trainer_rows
from fitbud.services.streaks import note_client_log

MAX_REPLY_LENGTH = 5000
INBOX_PAGE = 20
InboxView = Literal["unanswered", "answered", "all"]

FIELDS = (
    "submitted_on",
    "weight_kg",
    "body_fat_pct",
    "measurements_cm",
    "sleep_hours",
    "stress",
    "energy",
    "adherence",
    "answers",
)


def own_check_ins(user: User, first: date | None = None, last: date | None = None) -> Select:
    """The client's check-ins, newest first (for pagination)."""
    statement = between(own_rows(CheckIn, user), CheckIn.submitted_on, first, last)
    return statement.order_by(CheckIn.submitted_on.desc(), CheckIn.id.desc())


def latest_own(user: User, limit: int = 20) -> list[CheckIn]:
    """The client's most recent check-ins, newest first."""
    return list(db.session.execute(own_check_ins(user).limit(limit)).scalars())


def client_check_ins(
    trainer: User, client_id: int, first: date | None = None, last: date | None = None, replied: bool | None = None
) -> Select:
    """A trainer's client's check-ins, newest first; `replied` filters on whether they answered."""
    statement = between(trainer_rows(CheckIn, trainer, client_id), CheckIn.submitted_on, first, last)
    if replied is not None:
        statement = statement.where(CheckIn.replied_at.is_not(None) if replied else CheckIn.replied_at.is_(None))
    return statement.order_by(CheckIn.submitted_on.desc(), CheckIn.id.desc())


def _one(statement: Select) -> CheckIn:
    check_in = db.session.execute(statement).scalar_one_or_none()
    if check_in is None:
        raise NotFoundError("No such check-in.")
    return check_in


def get_own(user: User, check_in_id: int) -> CheckIn:
    """One of the client's own check-ins."""
    return _one(own_rows(CheckIn, user).where(CheckIn.id == check_in_id))


def get_for_trainer(trainer: User, client_id: int, check_in_id: int) -> CheckIn:
    """One check-in of one of the trainer's clients."""
    return _one(trainer_rows(CheckIn, trainer, client_id).where(CheckIn.id == check_in_id))


def _check_free_day(client: Client, day: date, except_id: int | None = None) -> None:
    statement = select(CheckIn.id).where(CheckIn.client_id == client.id, CheckIn.submitted_on == day)
    if except_id is not None:
        statement = statement.where(CheckIn.id != except_id)
    if db.session.execute(statement.limit(1)).first() is not None:
        raise _day_taken()


def _flush_unless_day_taken() -> None:
    try:
        db.session.flush()
    except IntegrityError:  # a check-in for the day landed after _check_free_day looked
        db.session.rollback()
        raise _day_taken() from None


def _day_taken() -> ConflictError:
    return ConflictError(
        "You already checked in on this day; update that check-in instead.",
        errors={"submitted_on": ["A check-in exists for this date."]},
    )


def create(user: User, data: dict[str, Any]) -> CheckIn:
    """Submit a check-in (quantities in SI); the trainer sees it in their feed."""
    client = own_client(user)
    check_log_date(client, data["submitted_on"], "submitted_on")
    _check_free_day(client, data["submitted_on"])
    check_in = CheckIn(client_id=client.id, **{field: data[field] for field in FIELDS if field in data})
    check_in.measurements_cm = data.get("measurements_cm", {})
    check_in.answers = data.get("answers", {})
    db.session.add(check_in)
    _flush_unless_day_taken()
    record_activity(
        client,
        ActivityType.CHECK_IN_SUBMITTED,
        f"{client.name} submitted a check-in",
        {"check_in_id": check_in.id, "submitted_on": check_in.submitted_on.isoformat()},
    )
    note_client_log(client)
    db.session.commit()
    return check_in


def update(user: User, check_in_id: int, changes: dict[str, Any]) -> CheckIn:
    """Change a check-in; measurements and answers given replace the stored ones."""
    check_in = get_own(user, check_in_id)
    client = own_client(user)
    if "submitted_on" in changes:
        check_log_date(client, changes["submitted_on"], "submitted_on")
        _check_free_day(client, changes["submitted_on"], except_id=check_in.id)
    for field in FIELDS:
        if field in changes:
            setattr(check_in, field, changes[field])
    _flush_unless_day_taken()
    note_client_log(client)
    db.session.commit()
    return check_in


def delete(user: User, check_in_id: int) -> None:
    """Remove one of the client's check-ins."""
    db.session.delete(get_own(user, check_in_id))
    db.session.commit()


def reply(trainer: User, client_id: int, check_in_id: int, comment: str) -> CheckIn:
    """The trainer answers a check-in (a later reply replaces the earlier one)."""
    check_in = get_for_trainer(trainer, client_id, check_in_id)
    comment = comment.strip() if isinstance(comment, str) else ""
    if not comment:
        raise InvalidInputError("Write your reply first.", {"comment": ["Write a reply."]})
    if len(comment) > MAX_REPLY_LENGTH:
        raise InvalidInputError("The reply is too long.", {"comment": [f"At most {MAX_REPLY_LENGTH} characters."]})
    check_in.trainer_comment = comment
    check_in.replied_at = utcnow()
    db.session.commit()
    return check_in


@dataclass(frozen=True)
class InboxItem:
    """A check-in in the trainer's inbox, its client's name and that client's check-in before it."""

    check_in: CheckIn
    client_name: str
    previous: CheckIn | None


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox and how many check-ins the view holds in all."""

    items: list[InboxItem]
    total: int


def inbox(
    trainer: User, view: InboxView = "unanswered", client_id: int | None = None, page: int = 1, size: int = INBOX_PAGE
) -> InboxPage:
    """The trainer's check-ins: unanswered first (newest first within each group), with the one before each.

    "unanswered" counts exactly what the Overview's "check-ins to answer" counts: current clients'
    check-ins without a reply. "answered" and "all" include former clients', to browse per client.
    """
    ordered = (
        select(
            CheckIn.id.label("id"),
            func.lag(CheckIn.id)
            .over(partition_by=CheckIn.client_id, order_by=(CheckIn.submitted_on, CheckIn.id))
            .label("previous_id"),
        )
        .join(Client, Client.id == CheckIn.client_id)
        .where(Client.trainer_id == trainer.id)
    )
    if client_id is not None:
        ordered = ordered.where(Client.id == client_id)
    history = ordered.subquery()
    statement = (
        select(CheckIn, Client.name, history.c.previous_id, func.count().over().label("total"))
        .join(history, history.c.id == CheckIn.id)
        .join(Client, Client.id == CheckIn.client_id)
    )
    if view == "unanswered":
        statement = statement.where(*active_client_conditions(trainer.id), CheckIn.replied_at.is_(None))
    elif view == "answered":
        statement = statement.where(CheckIn.replied_at.is_not(None))
    statement = (
        statement.order_by(CheckIn.replied_at.is_not(None), CheckIn.submitted_on.desc(), CheckIn.id.desc())
        .limit(size)
        .offset((max(page, 1) - 1) * size)
    )
    rows = db.session.execute(statement).all()
    previous_ids = [row.previous_id for row in rows if row.previous_id is not None]
    previous = (
        {c.id: c for c in db.session.execute(select(CheckIn).where(CheckIn.id.in_(previous_ids))).scalars()}
        if previous_ids
        else {}
    )
    items = [InboxItem(row[0], row.name, previous.get(row.previous_id)) for row in rows]
    return InboxPage(items, rows[0].total if rows else 0)


def clients_with_check_ins(trainer: User) -> list[tuple[int, str]]:
    """The trainer's clients (current or former) who ever checked in, by name: the inbox's client filter."""
    rows = db.session.execute(
        select(Client.id, Client.name)
        .where(Client.trainer_id == trainer.id, select(CheckIn.id).where(CheckIn.client_id == Client.id).exists())
        .order_by(Client.name, Client.id)
    ).all()
    return [(row.id, row.name) for row in rows]

"""Weekly check-ins: the client's report (one per day) and the trainer's reply."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from fitbud.errors import ConflictError, NotFoundError
from fitbud.extensions import db
from fitbud.models import ActivityType, CheckIn, Client, User, utcnow
from fitbud.services.activity import record_activity
from fitbud.services.client_scope import check_log_date, own_client
from fitbud.services.log_queries import between, own_rows, trainer_rows
from fitbud.services.streaks import note_client_log

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
    check_in.trainer_comment = comment
    check_in.replied_at = utcnow()
    db.session.commit()
    return check_in

"""Trainers' comments on their clients' logged workouts, and the client reading them."""

from __future__ import annotations

from sqlalchemy import Select, select

from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import Client, User, WorkoutComment, WorkoutLog

MAX_BODY_LENGTH = 2000


def _trainer_log(trainer: User, log_id: int) -> WorkoutLog:
    """A workout log of one of the trainer's clients; anyone else's is simply not found."""
    log = db.session.execute(
        select(WorkoutLog)
        .join(Client, Client.id == WorkoutLog.client_id)
        .where(WorkoutLog.id == log_id, Client.trainer_id == trainer.id)
    ).scalar_one_or_none()
    if log is None:
        raise NotFoundError("No such workout log.")
    return log


def _own_log(user: User, log_id: int) -> WorkoutLog:
    log = db.session.execute(
        select(WorkoutLog)
        .join(Client, Client.id == WorkoutLog.client_id)
        .where(WorkoutLog.id == log_id, Client.user_id == user.id)
    ).scalar_one_or_none()
    if log is None:
        raise NotFoundError("No such workout log.")
    return log


def _comments_of(log_id: int) -> Select:
    return select(WorkoutComment).where(WorkoutComment.workout_log_id == log_id).order_by(WorkoutComment.id)


def trainer_comments(trainer: User, log_id: int) -> Select:
    """The comments on one of the trainer's clients' workouts, oldest first (for pagination)."""
    return _comments_of(_trainer_log(trainer, log_id).id)


def own_comments(user: User, log_id: int) -> Select:
    """The comments on one of the client's own workouts, oldest first (for pagination)."""
    return _comments_of(_own_log(user, log_id).id)


def comments_for(trainer: User, log_ids: list[int]) -> dict[int, list[WorkoutComment]]:
    """The comments on several of the trainer's clients' workouts, by workout, oldest first."""
    if not log_ids:
        return {}
    rows = db.session.execute(
        _comments_of_many(log_ids)
        .join(Client, Client.id == WorkoutLog.client_id)
        .where(Client.trainer_id == trainer.id)
    ).scalars()
    found: dict[int, list[WorkoutComment]] = {}
    for comment in rows:
        found.setdefault(comment.workout_log_id, []).append(comment)
    return found


def _comments_of_many(log_ids: list[int]) -> Select:
    return (
        select(WorkoutComment)
        .join(WorkoutLog, WorkoutLog.id == WorkoutComment.workout_log_id)
        .where(WorkoutComment.workout_log_id.in_(log_ids))
        .order_by(WorkoutComment.workout_log_id, WorkoutComment.id)
    )


def add_comment(trainer: User, log_id: int, body: str) -> WorkoutComment:
    """The trainer comments on a client's workout; the client sees it with the workout."""
    log = _trainer_log(trainer, log_id)
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise InvalidInputError("Write a comment first.", {"body": ["Write something."]})
    if len(text) > MAX_BODY_LENGTH:
        raise InvalidInputError("The comment is too long.", {"body": [f"At most {MAX_BODY_LENGTH} characters."]})
    comment = WorkoutComment(workout_log_id=log.id, author_id=trainer.id, body=text)
    db.session.add(comment)
    db.session.commit()
    return comment

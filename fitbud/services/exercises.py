"""The exercise library: which exercises a trainer (and their clients) may use."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, or_, select

from fitbud.extensions import db
from fitbud.models import Exercise


def visible_to(trainer_id: int) -> ColumnElement[bool]:
    """The built-in library plus this trainer's own custom exercises."""
    return or_(Exercise.owner_id.is_(None), Exercise.owner_id == trainer_id)


def unknown_exercise_ids(trainer_id: int, exercise_ids: Iterable[int]) -> set[int]:
    """Which of `exercise_ids` are not in the trainer's library."""
    wanted = set(exercise_ids)
    if not wanted:
        return set()
    found = db.session.execute(
        select(Exercise.id).where(Exercise.id.in_(wanted), visible_to(trainer_id))
    ).scalars()
    return wanted - set(found)

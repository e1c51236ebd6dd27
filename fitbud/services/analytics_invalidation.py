"""Drop a trainer's cached views (analytics and cached API reads) whenever data they show is committed.

Hooked on the session rather than sprinkled through each service, so a new kind of log, an
edit, a delete, a bulk import or a webhook payment can't forget it. Trainers are collected
after each flush and invalidated only after the commit, so no reader caches the old figures
between the invalidation and the commit.
"""

from __future__ import annotations

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from fitbud.models import (
    ActivityEvent,
    BodyMetric,
    CheckIn,
    Client,
    Exercise,
    MealLog,
    Payment,
    PlanAssignment,
    TrainingSession,
    WorkoutLog,
    WorkoutSet,
)
from fitbud.services import trainer_cache

_PENDING_KEY = "fitbud.analytics_trainers"
# Rows that carry trainer_id themselves, and rows that reach their trainer through client_id.
_WITH_TRAINER = (Client, TrainingSession, Payment, PlanAssignment, ActivityEvent)
_WITH_CLIENT = (WorkoutLog, MealLog, CheckIn, BodyMetric)


def _trainer_ids(session: Session) -> set[int]:
    trainers: set[int] = set()
    client_ids: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, _WITH_TRAINER):
            trainers.add(instance.trainer_id)
        elif isinstance(instance, Exercise):  # a trainer's own exercise, named in their plans
            trainers.add(instance.owner_id)
        elif isinstance(instance, _WITH_CLIENT):
            client_ids.add(instance.client_id)
        elif isinstance(instance, WorkoutSet) and instance.workout_log_id is not None:
            log = session.get(WorkoutLog, instance.workout_log_id)
            if log is not None:
                client_ids.add(log.client_id)
    for client_id in client_ids - {None}:
        client = session.get(Client, client_id)
        if client is not None:
            trainers.add(client.trainer_id)
    return {trainer_id for trainer_id in trainers if trainer_id is not None}


def _collect(session: Session, _flush_context) -> None:
    with session.no_autoflush:
        found = _trainer_ids(session)
    if found:
        session.info.setdefault(_PENDING_KEY, set()).update(found)


def _invalidate(session: Session) -> None:
    trainers = session.info.pop(_PENDING_KEY, None)
    if not trainers or not has_app_context():
        return
    for trainer_id in trainers:
        trainer_cache.invalidate(trainer_id)


def mark_changed(session: Session, trainer_id: int) -> None:
    """Invalidate this trainer after the commit, for a change the flush cannot see (a bulk DELETE/UPDATE)."""
    session.info.setdefault(_PENDING_KEY, set()).add(trainer_id)


def _forget(session: Session, _previous_transaction=None) -> None:
    session.info.pop(_PENDING_KEY, None)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _collect):
        # After the flush, not before: a new row added through a relationship (client.trainer =
        # ...) has its trainer_id only once flushed; new/dirty/deleted still list what was flushed.
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_commit", _invalidate)
        event.listen(Session, "after_soft_rollback", _forget)

"""Drop cached values whenever data they show is committed: a trainer's views, a user's token checks,
an exercise library.

Hooked on the session rather than sprinkled through each service, so a new kind of log, an
edit, a delete, a bulk import or a webhook payment can't forget it. Owners are collected after
each flush and invalidated only after the commit, so no reader caches the old state between
the invalidation and the commit (services/versioned_cache.py says why that is enough).

- A trainer's views (services/trainer_cache.py) change with their clients, plans, logs,
  sessions, payments and exercises.
- A user's token check (services/auth_cache.py) changes with the user row (deactivated,
  renamed, new timezone or units), their login sessions (revoked) and, for a client, the link
  to their trainer.
- An exercise library (services/library_cache.py) changes with its exercise rows: a trainer's
  custom ones, or the built-ins.

The models a trainer's views show are listed below; tests/services/test_cache_invalidation_list.py
walks every mapped class with a trainer_id or client_id and fails for one that is neither listed
here nor in NOT_SHOWN_BY_CACHED_VIEWS.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, scoped_session

from fitbud.models import (
    ActivityEvent,
    ActivityLog,
    AuthSession,
    BodyMetric,
    CheckIn,
    Client,
    DailyMetric,
    Exercise,
    MealLog,
    Payment,
    PlanAssignment,
    TrainingSession,
    User,
    WorkoutLog,
    WorkoutSet,
)
from fitbud.services import auth_cache, library_cache, trainer_cache

_PENDING_TRAINERS = "fitbud.changed_trainers"
_PENDING_USERS = "fitbud.changed_users"
_PENDING_LIBRARIES = "fitbud.changed_libraries"
# Rows a trainer's cached views show (the API's cached reads, the dashboards' figures): rows that
# carry trainer_id themselves, and rows that reach their trainer through client_id. A model that
# a cached view starts showing joins one of these in the same commit.
WITH_TRAINER = (Client, TrainingSession, Payment, PlanAssignment, ActivityEvent)
WITH_CLIENT = (WorkoutLog, MealLog, CheckIn, BodyMetric, ActivityLog, DailyMetric)
# Models with a trainer_id or client_id that no cached view shows, and why: a change to them
# needs no invalidation. tests/services/test_cache_invalidation_list.py keeps both lists whole.
NOT_SHOWN_BY_CACHED_VIEWS = {
    "PlanTemplate": "templates are copied into an assignment (a snapshot) when assigned; only assignments are shown",
    "SessionSeries": "its sessions are TrainingSession rows, written in the same commit as any series change",
    "SessionRequest": "slot requests are listed uncached (GET /sessions/requests)",
    "Conversation": "messages are read uncached; no cached view counts them",
    "Message": "read uncached (conversation threads answer with ETags instead); no cached view counts them",
    "ClientInvitation": "the invitation link goes only to the invitee's mail; the client row holds what the list shows",
    "Subscription": "subscriptions are read uncached (billing endpoints); revenue figures come from Payment",
    "BillingCustomer": "a Stripe customer id, read only by the billing service",
    "IdempotencyKey": "stored answers are replayed by key, never listed; client_id only ties them to a purge",
    "BillingPackage": "the trainer's price list is read uncached",
    "WorkingHours": "availability is computed uncached on each request",
    "TrainerDayOff": "availability is computed uncached on each request",
    "DataImport": "imports are listed uncached (GET /me/imports, /clients/<id>/imports); what they add is listed above",
    "ImportedRow": "an import's undo list, read only by the import service",
    "ExerciseNameMapping": "read only when an import matches exercise names",
}


def _trainer_ids(session: Session, changed: tuple[object, ...]) -> set[int]:
    trainers: set[int | None] = set()
    client_ids: set[int | None] = set()
    for instance in changed:
        if isinstance(instance, WITH_TRAINER):
            trainers.add(instance.trainer_id)
        elif isinstance(instance, Exercise):  # a trainer's own exercise, named in their plans
            trainers.add(instance.owner_id)
        elif isinstance(instance, WITH_CLIENT):
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


def _user_ids(session: Session, changed: tuple[object, ...]) -> set[int]:
    users: set[int | None] = set()
    for instance in changed:
        if isinstance(instance, User):
            users.add(instance.id)
        elif isinstance(instance, AuthSession):
            users.add(instance.user_id)
        elif isinstance(instance, Client):
            users.update(_logins_relinked(session, instance))
    return {user_id for user_id in users if user_id is not None}


def _logins_relinked(session: Session, client: Client) -> list[int | None]:
    """The logins whose trainer this change of a client record may have changed (most edits: none)."""
    if client in session.new or client in session.deleted:
        return [client.user_id]
    state = inspect(client).attrs
    login, trainer = state.user_id.history, state.trainer_id.history
    if not (login.has_changes() or trainer.has_changes()):
        return []
    # The login now linked, and the one unlinked: both answer "whose client am I" anew.
    return [client.user_id, *login.deleted]


def _library_owners(changed: tuple[object, ...]) -> set[int]:
    return {library_cache.owner_of(instance.owner_id) for instance in changed if isinstance(instance, Exercise)}


def _collect(session: Session, _flush_context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    with session.no_autoflush:
        trainers = _trainer_ids(session, changed)
        users = _user_ids(session, changed)
    libraries = _library_owners(changed)
    if trainers:
        session.info.setdefault(_PENDING_TRAINERS, set()).update(trainers)
    if users:
        session.info.setdefault(_PENDING_USERS, set()).update(users)
    if libraries:
        session.info.setdefault(_PENDING_LIBRARIES, set()).update(libraries)


def _invalidate(session: Session) -> None:
    trainers = session.info.pop(_PENDING_TRAINERS, None) or ()
    users = session.info.pop(_PENDING_USERS, None) or ()
    libraries = session.info.pop(_PENDING_LIBRARIES, None) or ()
    if not has_app_context():
        return
    for trainer_id in trainers:
        trainer_cache.invalidate(trainer_id)
    for user_id in users:
        auth_cache.invalidate(user_id)
    for owner in libraries:
        library_cache.invalidate(owner)


def mark_changed(session: Session | scoped_session[Any], trainer_id: int) -> None:
    """Invalidate this trainer after the commit, for a change the flush cannot see (a bulk DELETE/UPDATE)."""
    session.info.setdefault(_PENDING_TRAINERS, set()).add(trainer_id)


def mark_users_changed(session: Session | scoped_session[Any], user_ids: Iterable[int]) -> None:
    """Invalidate these users' token checks after the commit, for a bulk UPDATE/DELETE of their rows or sessions."""
    session.info.setdefault(_PENDING_USERS, set()).update(user_ids)


def mark_libraries_changed(session: Session, owners: object) -> None:
    """Drop these exercise libraries (library_cache owners) after the commit, for a bulk write of their rows."""
    session.info.setdefault(_PENDING_LIBRARIES, set()).update(owners)


def _forget(session: Session, _previous_transaction=None) -> None:
    session.info.pop(_PENDING_TRAINERS, None)
    session.info.pop(_PENDING_USERS, None)
    session.info.pop(_PENDING_LIBRARIES, None)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _collect):
        # After the flush, not before: a new row added through a relationship (client.trainer =
        # ...) has its trainer_id only once flushed; new/dirty/deleted still list what was flushed.
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_commit", _invalidate)
        event.listen(Session, "after_soft_rollback", _forget)

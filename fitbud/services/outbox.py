"""The outbox: jobs a transaction starts are rows of that transaction, handed to the queue after it commits.

A job enqueued after a commit can fail (Redis down) and turn a stored write into an error, or
simply vanish. Instead a service calls `add(...)` where it used to call `jobs.enqueue(...)`: the
row commits with the write or not at all. After the commit the session hands the new rows to
RQ (or runs them, without Redis) and deletes them; a row that could not be handed over stays,
and a dispatcher (`dispatch_due`: the worker's periodic job, `flask fitbud periodic`, and the
next commit that adds a row) retries it, with backoff, until it goes through.

Delivery is at least once: a crash between handing a row over and deleting it hands it over
again later, under the same RQ job id. Jobs are written to be harmless when run twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import CursorResult, delete, exists, inspect, select, update

from fitbud.ext.orm_session import call_after_commit, commits_held
from fitbud.extensions import db
from fitbud.jobs import DEFAULT_FAILURE_TTL, DEFAULT_RESULT_TTL, DEFAULT_TIMEOUT, enqueue
from fitbud.models import OutboxMessage, utcnow

logger = logging.getLogger("fitbud.outbox")

# A dispatcher holds a row this long; one that dies mid-way lets another take it after that.
LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 10
MAX_RETRY_SECONDS = 300
# Rows handed over per dispatcher pass, and per commit (older rows that are due ride along).
BATCH = 100
AFTER_COMMIT_BATCH = 10
_NEW_ROWS = "fitbud.outbox_new_rows"


@dataclass(frozen=True)
class DispatchResult:
    """What one dispatcher pass did."""

    sent: int = 0
    failed: int = 0


def add(
    name: str,
    *args: Any,
    queue: str = "default",
    job_timeout: int = DEFAULT_TIMEOUT,
    result_ttl: int = DEFAULT_RESULT_TTL,
    failure_ttl: int = DEFAULT_FAILURE_TTL,
    retries: int = 0,
    retry_intervals: list[int] | None = None,
    job_id: str | None = None,
) -> OutboxMessage:
    """Start the job `name` with `args` once the caller's transaction commits (the caller commits).

    The options are those of `fitbud.jobs.enqueue`; `retries` also bounds how often a job that
    fails inline (no Redis) is run again.
    """
    message = OutboxMessage(
        job_name=name,
        job_id=job_id or f"outbox-{uuid.uuid4().hex}",
        payload={
            "args": list(args),
            "queue": queue,
            "job_timeout": job_timeout,
            "result_ttl": result_ttl,
            "failure_ttl": failure_ttl,
            "retries": retries,
            "retry_intervals": retry_intervals,
        },
        attempts=0,
        available_at=utcnow(),
    )
    db.session.add(message)
    db.session.info.setdefault(_NEW_ROWS, []).append(message)
    call_after_commit(db.session(), _dispatch_new_rows)
    return message


def is_pending(job_id: str) -> bool:
    """Whether the job with this id is still waiting in the outbox (not on the queue yet)."""
    return bool(db.session.execute(select(exists().where(OutboxMessage.job_id == job_id))).scalar())


def dispatch_due(limit: int = BATCH) -> DispatchResult:
    """Hand every row whose time has come to the queue (run them, without Redis); never raises for a job."""
    ids = (
        db.session.execute(
            select(OutboxMessage.id)
            .where(OutboxMessage.available_at <= utcnow())
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    db.session.commit()
    return _dispatch_ids(list(ids))


def _dispatch_new_rows() -> None:
    """After a commit: hand over the rows it wrote, and a few older ones that are due."""
    messages = db.session.info.pop(_NEW_ROWS, [])
    ids = []
    for message in messages:
        identity = inspect(message).identity  # None for a row whose transaction rolled back
        if identity is not None:
            ids.append(identity[0])
    if not ids:
        return
    try:
        due = (
            db.session.execute(
                select(OutboxMessage.id)
                .where(OutboxMessage.available_at <= utcnow(), OutboxMessage.id.not_in(ids))
                .order_by(OutboxMessage.id)
                .limit(AFTER_COMMIT_BATCH)
            )
            .scalars()
            .all()
        )
        _dispatch_ids([*ids, *due])
    except Exception:
        # The write is committed; a dispatcher pass will hand the rows over.
        logger.exception("outbox dispatch after commit failed")
        db.session.rollback()


def _dispatch_ids(ids: list[int]) -> DispatchResult:
    if commits_held(db.session()):
        raise RuntimeError("the outbox is dispatched after a commit, never inside a held transaction")
    sent = failed = 0
    for message_id in ids:
        outcome = _dispatch_one(message_id)
        if outcome is True:
            sent += 1
        elif outcome is False:
            failed += 1
    return DispatchResult(sent=sent, failed=failed)


def _take(message_id: int) -> tuple[str, str, dict[str, Any], int] | None:
    """Lease the row (so no other dispatcher takes it now) and read it; None if someone else has it."""
    now = utcnow()
    taken: CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result has a rowcount
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.available_at <= now)
        .values(available_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        return None
    row = db.session.execute(
        select(OutboxMessage.job_name, OutboxMessage.job_id, OutboxMessage.payload, OutboxMessage.attempts).where(
            OutboxMessage.id == message_id
        )
    ).one()
    db.session.commit()
    return row.job_name, row.job_id, row.payload, row.attempts


def _dispatch_one(message_id: int) -> bool | None:
    """True: handed over (row deleted); False: failed, retried later; None: not ours to take."""
    taken = _take(message_id)
    if taken is None:
        return None
    name, job_id, payload, attempts = taken
    try:
        job = enqueue(
            name,
            *payload["args"],
            queue=payload["queue"],
            job_timeout=payload["job_timeout"],
            result_ttl=payload["result_ttl"],
            failure_ttl=payload["failure_ttl"],
            retries=payload["retries"],
            retry_intervals=payload["retry_intervals"],
            job_id=job_id,
        )
    except Exception as error:  # Redis down, or anything else on the way to the queue: try again later
        logger.warning("outbox job %s not handed over (attempt %s): %s", name, attempts, type(error).__name__)
        _retry_later(message_id, attempts, f"{type(error).__name__}: {error}")
        return False
    if job.inline and job.status == "failed":
        db.session.rollback()  # whatever the failed job left half-done
        if attempts <= payload["retries"]:
            _retry_later(message_id, attempts, "the job failed inline")
            return False
        logger.error("outbox job %s failed inline %s times; given up", name, attempts)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == message_id))
    db.session.commit()
    return True


def _retry_later(message_id: int, attempts: int, reason: str) -> None:
    db.session.rollback()
    delay = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(available_at=utcnow() + timedelta(seconds=delay), last_error=reason[:500])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()

"""The periodic pass: what must happen every minute whatever Redis holds or lost.

It hands due outbox rows to the queue, sends the session reminders whose time has come
(computed from the sessions table, so a reminder never depends on a job kept only in Redis),
deletes expired idempotency replays, and fails imports whose job died. The RQ worker runs it
every PERIODIC_INTERVAL_SECONDS (workers/periodic.py); without Redis, `flask fitbud periodic`
from cron does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fitbud.extensions import db
from fitbud.services import idempotency, imports, outbox, reminders

logger = logging.getLogger("fitbud.periodic")

T = TypeVar("T")


@dataclass(frozen=True)
class PeriodicResult:
    """What one pass did."""

    outbox_sent: int
    outbox_failed: int
    reminders_sent: int
    reminders_failed: int
    replays_purged: int
    imports_stopped: int


def run_periodic() -> PeriodicResult:
    """One pass; each part runs even when another fails (the failure is logged)."""
    dispatched = _guarded("outbox", outbox.dispatch_due, outbox.DispatchResult())
    sent, failed = _guarded("reminders", reminders.send_due_reminders, (0, 0))
    purged = _guarded("idempotency purge", idempotency.purge_expired, 0)
    stopped = _guarded("stopped imports", imports.fail_stopped_imports, 0)
    return PeriodicResult(
        outbox_sent=dispatched.sent,
        outbox_failed=dispatched.failed,
        reminders_sent=sent,
        reminders_failed=failed,
        replays_purged=purged,
        imports_stopped=stopped,
    )


def _guarded(what: str, step: Callable[[], T], fallback: T) -> T:
    try:
        return step()
    except Exception:
        logger.exception("periodic %s failed", what)
        db.session.rollback()
        return fallback

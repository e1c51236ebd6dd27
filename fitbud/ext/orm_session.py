"""db.session's class: a GET or HEAD request reads without a transaction, so it costs no BEGIN or ROLLBACK.

Every request opens with the token check's query, and most are reads. In a transaction each of
them paid two more database round trips (BEGIN before the first query, ROLLBACK at teardown),
which on loopback cost as much as the queries themselves. Under READ COMMITTED a transaction
gives a read nothing anyway: each statement already sees what was committed before it started,
in or out of one. So a read request's connection runs in autocommit.

The price is a rule: a GET or HEAD request must not write, because in autocommit every statement
would commit on its own and a failure half-way would leave half a change. `forbid_writes_in_reads`
enforces it: a flush or an INSERT/UPDATE/DELETE on an autocommit connection raises
ReadRequestWroteError, so a route that breaks the rule fails its tests instead of committing
piecemeal in production. A GET that has to write (a calendar address created on first use, a
report found orphaned by its dead job) says so with `writes_on_read` and runs in a transaction
like any write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

READ_METHODS = frozenset({"GET", "HEAD"})
_AUTOCOMMIT_ENGINE = "fitbud.autocommit_engine"


class ReadRequestWroteError(RuntimeError):
    """A GET or HEAD request tried to write; reads run in autocommit, where a write can't be atomic."""


def autocommit_engine(engine: sa.Engine) -> sa.Engine:
    """The same engine and pool, with connections in autocommit (no BEGIN, nothing to roll back)."""
    # Kept on the app, next to the engine it derives from: building one per request would be
    # a new engine object (and compiled-statement cache key) every time.
    kept = current_app.extensions.get(_AUTOCOMMIT_ENGINE)
    if kept is None or kept[0] is not engine:
        kept = (engine, engine.execution_options(isolation_level="AUTOCOMMIT"))
        current_app.extensions[_AUTOCOMMIT_ENGINE] = kept
    return kept[1]


_WRITES_ON_READ = "_fitbud_writes_on_read"


def writes_on_read(view: Callable) -> Callable:
    """Mark a GET view that may write, so that its request runs in a transaction (place it above the others)."""
    setattr(view, _WRITES_ON_READ, True)
    return view


def _in_read_request() -> bool:
    if not has_request_context() or request.method not in READ_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint)  # type: ignore[arg-type]
    # A MethodView answers HEAD with its get().
    handler = getattr(getattr(view, "view_class", None), "get", view)
    return not getattr(handler, _WRITES_ON_READ, False)


class AutocommitReadsSession(FlaskSession):
    """Flask-SQLAlchemy's session, bound to the autocommit engine while serving a GET or HEAD."""

    def get_bind(self, mapper: Any | None = None, clause: Any | None = None, bind: Any | None = None,
                 **kwargs: Any) -> sa.Engine | sa.Connection:
        chosen = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if isinstance(chosen, sa.Engine) and _in_read_request() and not self._has_connection(chosen):
            return autocommit_engine(chosen)
        return chosen

    def commit(self) -> None:
        """Commit, unless `held_commits` holds them (then flush); then run the after-commit callbacks.

        Callbacks (`call_after_commit`) run once the transaction is committed, on this session,
        in a new transaction of their own: the outbox hands its new rows to the queue there.
        """
        if self.info.get(_COMMITS_HELD):
            self.flush()
            return
        super().commit()
        callbacks = self.info.pop(_AFTER_COMMIT, None) or []
        for callback in callbacks:
            callback()

    def reads_in_autocommit(self) -> bool:
        """Whether this session's next statement would run on an autocommit connection."""
        bind = self.get_bind()
        return isinstance(bind, sa.Engine) and bind.get_execution_options().get("isolation_level") == "AUTOCOMMIT"

    def _has_connection(self, engine: sa.Engine) -> bool:
        # A transaction already under way on the plain engine (a test's session, say, that a
        # request shares) keeps its connection: a second one could not see its uncommitted rows.
        return engine in self.info.get(_ENGINES_IN_TRANSACTION, ())


# The engines this session's current transaction holds connections on, kept from public session
# events (not SessionTransaction's private _connections, which an upgrade may change).
_ENGINES_IN_TRANSACTION = "fitbud.engines_in_transaction"


@event.listens_for(AutocommitReadsSession, "after_begin")
def _note_engine(session: OrmSession, _transaction: Any, connection: sa.Connection) -> None:
    session.info.setdefault(_ENGINES_IN_TRANSACTION, set()).add(connection.engine)


@event.listens_for(AutocommitReadsSession, "after_transaction_end")
def _forget_engines(session: OrmSession, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction: its connections are released
        session.info.pop(_ENGINES_IN_TRANSACTION, None)


def _refused(what: str) -> ReadRequestWroteError:
    return ReadRequestWroteError(f"{request.method} {request.path} {what}; a read request must not write.")


def _refuse_flush(session: OrmSession, _flush_context, _instances) -> None:
    if isinstance(session, AutocommitReadsSession) and session.reads_in_autocommit():
        changed = {type(instance).__name__ for instance in (*session.new, *session.dirty, *session.deleted)}
        raise _refused(f"tried to write {', '.join(sorted(changed))}")


def _refuse_dml(state: ORMExecuteState) -> None:
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and isinstance(state.session, AutocommitReadsSession) and state.session.reads_in_autocommit():
        raise _refused(f"ran an {type(state.statement).__name__.upper()}")


def forbid_writes_in_reads() -> None:
    """Make any write on a read request's autocommit connection raise (idempotent)."""
    if not event.contains(OrmSession, "before_flush", _refuse_flush):
        event.listen(OrmSession, "before_flush", _refuse_flush)
        event.listen(OrmSession, "do_orm_execute", _refuse_dml)


# `held_commits`: while set, commit() only flushes, so that a caller (the Idempotency-Key
# decorator) can add to the transaction after the service "committed" and commit it all at once.
_COMMITS_HELD = "fitbud.commits_held"
_AFTER_COMMIT = "fitbud.after_commit"


@contextlib.contextmanager
def held_commits(session: OrmSession) -> Iterator[None]:
    """Make the session's commit() a flush inside the block: the block's caller commits once, at its end."""
    if session.info.get(_COMMITS_HELD):
        raise RuntimeError("held_commits does not nest: an outer block already holds the commits")
    session.info[_COMMITS_HELD] = True
    try:
        yield
    finally:
        session.info.pop(_COMMITS_HELD, None)


def commits_held(session: OrmSession) -> bool:
    """Whether commit() on this session is being held (only flushes)."""
    return bool(session.info.get(_COMMITS_HELD))


def call_after_commit(session: OrmSession, callback: Callable[[], None]) -> None:
    """Run `callback` after this session's transaction commits (once); a rollback forgets it."""
    callbacks = session.info.setdefault(_AFTER_COMMIT, [])
    if callback not in callbacks:
        callbacks.append(callback)


@event.listens_for(AutocommitReadsSession, "after_soft_rollback")
def _forget_after_commit(session: OrmSession, previous_transaction: Any) -> None:
    if not previous_transaction.nested:  # a savepoint's rollback keeps the transaction's work
        session.info.pop(_AFTER_COMMIT, None)

"""Reports: who may ask for which, starting the job, running it, and what the owner sees of it.

The report row is the source of truth for status, progress and errors. A running job writes a
heartbeat on it (heartbeat_at, every REPORT_HEARTBEAT_SECONDS, from a thread beside the work),
so a job that died without saying so (its worker killed, its database gone mid-job) is told
apart within REPORT_HEARTBEAT_TIMEOUT; and the RQ job is consulted to notice one that failed
outside the report's code or vanished with Redis's data. `check_running_reports` settles every
such report (retried while attempts remain, else failed, and the row says which), and workers
run it every REPORT_CHECK_SECONDS, so nobody has to open a report for it to become true.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.timeouts import JobTimeoutException
from sqlalchemy import CursorResult, Select, and_, or_, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from fitbud.auth.roles import Role
from fitbud.errors import (
    ConflictError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    field_errors,
)
from fitbud.extensions import db, redis_store
from fitbud.jobs import RUN_REPORT
from fitbud.models import Client, Report, ReportStatus, ReportType, User, utcnow
from fitbud.reports.documents import BUILDERS, default_month
from fitbud.services import outbox, quotas
from fitbud.services.local_time import local_today

logger = logging.getLogger("fitbud.reports")

ROLES_BY_TYPE: dict[ReportType, frozenset[Role]] = {
    ReportType.TRAINER_MONTHLY: frozenset({Role.TRAINER}),
    ReportType.CLIENT_EXPORT: frozenset({Role.TRAINER, Role.ADMIN, Role.CLIENT}),
    ReportType.PLATFORM: frozenset({Role.ADMIN}),
}
# Failures worth another try: the database or Redis went away, a socket timed out.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, RedisError, ConnectionError, TimeoutError)
# RQ states of a job that will still run (a retry waits in the scheduled registry).
PENDING_JOB_STATES = frozenset({"queued", "scheduled", "deferred"})
ENDED_JOB_STATES = frozenset({"failed", "stopped", "canceled"})


class _Params(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class TrainerMonthlyParams(_Params):
    month = fields.String(validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Use YYYY-MM."))
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["xlsx", "csv"]))


class ClientExportParams(_Params):
    client_id = fields.Integer(required=True, strict=True)


class PlatformParams(_Params):
    weeks = fields.Integer(load_default=12, strict=True, validate=validate.Range(min=1, max=104))


PARAMS_SCHEMAS: dict[ReportType, type[ma.Schema]] = {
    ReportType.TRAINER_MONTHLY: TrainerMonthlyParams,
    ReportType.CLIENT_EXPORT: ClientExportParams,
    ReportType.PLATFORM: PlatformParams,
}


def validate_params(user: User, report_type: ReportType, params: Any) -> dict[str, Any]:
    """The cleaned params of a report request, or a 422 naming each bad `params.<field>`."""
    if not isinstance(params, dict):
        raise InvalidInputError("Report params must be an object.", errors={"params": ["Must be an object."]})
    try:
        cleaned = PARAMS_SCHEMAS[report_type]().load(params)
    except ma.ValidationError as error:
        raise InvalidInputError("Report params are invalid.", errors=field_errors(error.messages, "params")) from None
    if report_type is ReportType.TRAINER_MONTHLY:
        today = local_today(user)
        cleaned.setdefault("month", default_month(today))
        if cleaned["month"] > f"{today.year:04d}-{today.month:02d}":
            raise InvalidInputError("That month has not started yet.", errors={"params.month": ["Is in the future."]})
    if report_type is ReportType.CLIENT_EXPORT:
        _check_client_access(user, cleaned["client_id"])
    return cleaned


def _check_client_access(user: User, client_id: int) -> None:
    statement = select(Client.id).where(Client.id == client_id)
    if user.role is Role.TRAINER:
        statement = statement.where(Client.trainer_id == user.id)
    elif user.role is Role.CLIENT:
        statement = statement.where(Client.user_id == user.id)
    if db.session.execute(statement).first() is None:
        raise NotFoundError("No such client.")


def create_report(user: User, report_type: ReportType, params: Any) -> Report:
    """Check the request (403 role, 404 client, 422 params, 429 quota) and record it as queued."""
    report = _new_report(user, report_type, params)
    db.session.commit()
    return report


def _new_report(user: User, report_type: ReportType, params: Any) -> Report:
    if user.role not in ROLES_BY_TYPE[report_type]:
        raise PermissionDeniedError(
            "Your account's role may not run this report.",
            errors={"type": [f"{report_type.value} needs one of: {', '.join(sorted(ROLES_BY_TYPE[report_type]))}"]},
        )
    cleaned = validate_params(user, report_type, params)
    # One running report of a kind per account, and a quota: the queue is shared by every tenant.
    quotas.start_report_allowed(user, report_type)
    report = Report(owner_id=user.id, type=report_type, params=cleaned, status=ReportStatus.QUEUED, progress=0)
    db.session.add(report)
    db.session.flush()
    return report


def start_report(user: User, report_type: ReportType, params: Any) -> Report:
    """Record the request and its job in one transaction (403/404/422 on bad asks, 429 beyond a quota).

    The job goes through the outbox: queued on RQ after the commit, or run right then without
    Redis. A queue that is down delays the report (it stays queued) and never loses it.
    """
    report = _new_report(user, report_type, params)
    report_id = report.id
    report.job_id = _new_job_id(report_id)
    _queue_report(report_id, report.job_id, len(current_app.config["REPORT_RETRY_INTERVALS"]))
    db.session.commit()
    db.session.expire_all()
    return db.session.get_one(Report, report_id)


def _new_job_id(report_id: int) -> str:
    return f"report-{report_id}-{utcnow():%Y%m%d%H%M%S%f}"


def _queue_report(report_id: int, job_id: str, retries: int) -> None:
    """Add the report's job to the outbox (handed to RQ once the caller commits), with `retries` retries."""
    config = current_app.config
    intervals = list(config["REPORT_RETRY_INTERVALS"])[-retries:] if retries else []
    outbox.add(
        RUN_REPORT,
        report_id,
        queue=config["REPORT_QUEUE"],
        job_timeout=config["REPORT_JOB_TIMEOUT"],
        result_ttl=config["REPORT_RESULT_TTL"],
        failure_ttl=config["REPORT_FAILURE_TTL"],
        retries=retries,
        retry_intervals=intervals or None,
        job_id=job_id,
    )


def max_attempts() -> int:
    """How many times a report's job may start: once, then once per retry interval."""
    return 1 + len(current_app.config["REPORT_RETRY_INTERVALS"])


def reports_query(user: User) -> Select:
    """The reports the user may see, newest first: their own, or every one for an admin."""
    statement = select(Report).order_by(Report.created_at.desc(), Report.id.desc())
    if user.role is not Role.ADMIN:
        statement = statement.where(Report.owner_id == user.id)
    return statement


def recent_reports(user: User, limit: int = 15) -> list[Report]:
    """The newest reports the user may see (reports_query's scope and order), as rows."""
    return list(db.session.execute(reports_query(user).limit(limit)).scalars())


def latest_own(user: User, report_type: ReportType, limit: int) -> list[Report]:
    """The user's own newest reports of one type (what a page lists under "my data")."""
    statement = reports_query(user).where(Report.owner_id == user.id, Report.type == report_type).limit(limit)
    return list(db.session.execute(statement).scalars())


def get_report(user: User, report_id: int) -> Report:
    """A report its owner (or an admin) may see, its status checked against the job queue; else 404."""
    report = db.session.execute(reports_query(user).where(Report.id == report_id)).scalar_one_or_none()
    if report is None:
        raise NotFoundError("No such report.")
    _notice_lost_job(report)
    return report


def report_file(user: User, report_id: int) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of a finished report; 409 while it is not finished."""
    report = get_report(user, report_id)
    if report.status is not ReportStatus.FINISHED:
        raise ConflictError(
            f"The report is {report.status.value}; download it once it has finished.",
            errors={"status": [report.status.value]},
        )
    content = db.session.execute(select(Report.content).where(Report.id == report.id)).scalar_one()
    assert content is not None  # a report is marked finished in the commit that stores its file
    return report.file_name or f"report-{report.id}", report.content_type or "application/octet-stream", content


def _notice_lost_job(report: Report) -> None:
    """Settle a report being read whose job died or vanished (check_running_reports does it for all)."""
    if report.status not in (ReportStatus.QUEUED, ReportStatus.STARTED):
        return
    if settle_report(report):
        db.session.refresh(report)


def _silent_since() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["REPORT_HEARTBEAT_TIMEOUT"])


def _is_silent(report: Report, cutoff: datetime) -> bool:
    """Whether the report's job has given no sign of life since `cutoff` (a heartbeat, or its queuing)."""
    last = report.heartbeat_at if report.status is ReportStatus.STARTED and report.heartbeat_at else report.updated_at
    return last is None or last < cutoff


def check_running_reports() -> int:
    """Retry or fail every queued or started report whose job died or vanished; how many were settled.

    Workers call it every REPORT_CHECK_SECONDS (workers/worker.py). Only reports silent for
    REPORT_HEARTBEAT_TIMEOUT are looked at, plus a Redis lookup of their job each.
    """
    cutoff = _silent_since()
    statement = select(Report).where(
        or_(
            and_(Report.status == ReportStatus.STARTED, Report.heartbeat_at < cutoff),
            and_(Report.status == ReportStatus.STARTED, Report.heartbeat_at.is_(None), Report.updated_at < cutoff),
            and_(Report.status == ReportStatus.QUEUED, Report.updated_at < cutoff),
        )
    )
    settled = 0
    for report_id in [report.id for report in db.session.execute(statement).scalars()]:
        report = db.session.get(Report, report_id)
        if report is not None and settle_report(report):
            settled += 1
    db.session.rollback()
    return settled


def _job_state(job_id: str | None) -> tuple[bool, str | None, Job | None]:
    """(known, RQ status or None when the job is gone, job); known is False when Redis cannot say."""
    connection = redis_store.connection(current_app)
    if connection is None or not job_id:
        return True, None, None
    try:
        job = Job.fetch(job_id, connection=connection)
        return True, job.get_status(), job
    except NoSuchJobError:
        if outbox.is_pending(job_id):
            return True, "queued", None  # not handed to the queue yet (it was down): waiting, not lost
        return True, None, None
    except RedisError:
        return False, None, None


def _failure_reason(job: Job) -> str:
    result = job.latest_result()
    return job_failure_reason(result.exc_string if result is not None else None)


# The "package.module.SomeError: message" line of a traceback. It is not always the last line:
# SQLAlchemy's messages run on ("[SQL: ...]", "(Background on this error at: ...)").
_EXCEPTION_LINE = re.compile(r"^(?P<type>(?:\w+\.)*\w*(?:Error|Exception|Exit)\w*): ?(?P<message>.*)$")
_DATABASE_ERRORS = frozenset({"OperationalError", "InterfaceError", "DBAPIError", "DisconnectionError"})


def job_failure_reason(exc_string: str | None) -> str:
    """Why an RQ job failed outside the report's own code, from its traceback, in a trainer's words.

    A database or Redis outage that outlasted the job's retries says so (as readable_reason does for
    a failure the report code caught), rather than "The worker stopped the job" with a link.
    """
    lines = (exc_string or "").strip().splitlines()
    found = next((match for match in map(_EXCEPTION_LINE.match, reversed(lines)) if match), None)
    if found is None:
        return (f"The worker stopped the job: {lines[-1]}" if lines else "The worker stopped the job.")[:1000]
    module, _, kind = found["type"].rpartition(".")
    message = re.sub(r"^\([\w.]+\) ", "", found["message"])[:300]  # SQLAlchemy's "(psycopg.Error) " prefix
    if kind in _DATABASE_ERRORS:
        return f"The database was unavailable: {message}"
    if module.startswith("redis") or kind in ("ConnectionError", "TimeoutError"):
        return f"A service the report needs was unavailable: {message}"
    if kind == "JobTimeoutException":
        return f"The report took longer than {current_app.config['REPORT_JOB_TIMEOUT']} seconds and was stopped."
    return f"The worker stopped the job: {kind}: {message}"[:1000]


def settle_report(report: Report) -> bool:
    """Make a queued or started report's row tell the truth about its job; True if it changed.

    - its RQ job failed (outside the report's own code, as when a work horse is killed): failed;
    - started, and silent past the heartbeat timeout while its job waits for a retry: queued;
    - started and silent otherwise (its worker died, or the job vanished), or queued with its
      job gone from Redis: queued again under a new job while attempts remain, else failed.
    """
    if report.status not in (ReportStatus.QUEUED, ReportStatus.STARTED):
        return False
    known, status, job = _job_state(report.job_id)
    if not known:
        return False  # Redis cannot say now; the row's own status stands
    if status in ENDED_JOB_STATES and job is not None:
        return _claim(report, status=ReportStatus.FAILED, error=_failure_reason(job))
    if not _is_silent(report, _silent_since()):
        return False
    if status in PENDING_JOB_STATES:
        if report.status is ReportStatus.QUEUED:
            return False  # waiting its turn in the queue, or its retry's pause
        return _claim(
            report, status=ReportStatus.QUEUED, error="The worker running the report stopped; its retry is queued."
        )
    if report.status is ReportStatus.QUEUED and status is None and redis_store.connection(current_app) is None:
        return False  # embedded mode: the inline job runs within its request
    if report.status is ReportStatus.STARTED:
        why = "The worker running the report stopped answering"
    elif report.job_id is None:
        why = "The report's job was never queued"
    else:
        why = "The job queue lost the report's job"
    return _retry_or_fail(report, why)


def _claim(report: Report, *, status: ReportStatus, error: str, job_id: str | None = None) -> bool:
    """Move the report from the state read to `status`, unless someone else moved it first."""
    values: dict[str, Any] = {"status": status, "error": error, "updated_at": utcnow()}
    if status is ReportStatus.FAILED:
        values["finished_at"] = utcnow()
    if job_id is not None:
        values["job_id"] = job_id
    current_job = Report.job_id.is_(None) if report.job_id is None else Report.job_id == report.job_id
    moved: CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result has a rowcount
        update(Report).where(Report.id == report.id, Report.status == report.status, current_job).values(**values)
    )
    claimed = moved.rowcount
    db.session.commit()
    if claimed:
        logger.warning("report %s: %s (%s)", report.id, status.value, error)
    return bool(claimed)


def _retry_or_fail(report: Report, why: str) -> bool:
    attempts, allowed = report.attempts, max_attempts()
    if attempts >= allowed or redis_store.connection(current_app) is None:
        tried = f"tried {attempts} time{'s' if attempts != 1 else ''}"
        return _claim(report, status=ReportStatus.FAILED, error=f"{why} ({tried}); start the report again.")
    job_id = _new_job_id(report.id)
    retrying = f"{why}; retrying ({attempts} of {allowed} attempts used)."
    # The new job goes into the outbox in the claim's own transaction: never a row naming a job
    # that nobody will queue.
    _queue_report(report.id, job_id, max(0, allowed - attempts - 1))
    return _claim(report, status=ReportStatus.QUEUED, error=retrying, job_id=job_id)


def _finish_with_error(report_id: int, reason: str, status: ReportStatus = ReportStatus.FAILED) -> None:
    db.session.rollback()
    values: dict[str, Any] = {"status": status, "error": reason, "updated_at": utcnow()}
    if status is ReportStatus.FAILED:
        values["finished_at"] = utcnow()
    db.session.execute(update(Report).where(Report.id == report_id).values(**values))
    db.session.commit()


def readable_reason(error: BaseException, timeout: int) -> str:
    """What went wrong, in words a trainer can act on (details go to the log)."""
    if isinstance(error, JobTimeoutException):
        return f"The report took longer than {timeout} seconds and was stopped."
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, OperationalError | DBAPIError):
        return f"The database was unavailable: {str(error.orig or error).splitlines()[0][:300]}"
    if isinstance(error, RedisError | ConnectionError | TimeoutError):
        return f"A service the report needs was unavailable: {str(error)[:300]}"
    return f"Unexpected error ({type(error).__name__}): {str(error)[:300]}"


def execute_report(report_id: int, job: Any = None, on_progress: Callable[[int], None] | None = None) -> str:
    """Build the report's document and store it; returns the final status.

    Temporary failures are re-raised so RQ retries the job (the row says it will); any other
    failure is recorded on the row and the job ends normally, because trying again cannot help.
    """
    report = db.session.get(Report, report_id)
    if report is None:
        logger.warning("report %s no longer exists; nothing to do", report_id)
        return "missing"
    if report.status in (ReportStatus.FINISHED, ReportStatus.FAILED):
        return report.status.value
    if job is not None and report.job_id is not None and report.job_id != job.id:
        # A check found this job dead and queued the report under a new one; that one runs it.
        logger.warning("report %s: job %s was superseded by %s; not running it", report_id, job.id, report.job_id)
        return "superseded"
    report.status = ReportStatus.STARTED
    report.started_at = utcnow()
    report.heartbeat_at = report.started_at
    report.attempts += 1
    report.progress = 0
    report.error = None
    owner_id, report_type, params, attempt = report.owner_id, report.type, dict(report.params), report.attempts
    db.session.commit()
    progress = _progress_reporter(report_id, job, on_progress)
    timeout = current_app.config["REPORT_JOB_TIMEOUT"]
    try:
        with Heartbeat(report_id, current_app.config["REPORT_HEARTBEAT_SECONDS"]):
            document = BUILDERS[report_type.value](owner_id, params, progress)
    except TRANSIENT_ERRORS + (JobTimeoutException,) as error:
        will_retry = not isinstance(error, JobTimeoutException) and job is not None and bool(job.retries_left)
        reason = readable_reason(error, timeout)
        logger.warning("report %s attempt %s failed: %s", report_id, attempt, reason, exc_info=error)
        if will_retry:
            _finish_with_error(report_id, f"{reason} Retrying (attempt {attempt} failed).", ReportStatus.QUEUED)
        else:
            _finish_with_error(report_id, reason)
        raise
    except Exception as error:
        logger.exception("report %s failed", report_id)
        _finish_with_error(report_id, readable_reason(error, timeout))
        return ReportStatus.FAILED.value
    db.session.execute(
        update(Report)
        .where(Report.id == report_id)
        .values(
            status=ReportStatus.FINISHED,
            progress=100,
            finished_at=utcnow(),
            error=None,
            file_name=document.file_name,
            content_type=document.content_type,
            file_size=len(document.content),
            content=document.content,
            updated_at=utcnow(),
        )
    )
    db.session.commit()
    progress(100)
    return ReportStatus.FINISHED.value


def _progress_reporter(
    report_id: int, job: Any, on_progress: Callable[[int], None] | None = None
) -> Callable[[int], None]:
    """Progress goes to the row (for the API), job.meta (for RQ tools) and `on_progress`, once per change."""
    last = {"value": -1}

    def report_progress(percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        if percent == last["value"]:
            return
        last["value"] = percent
        if percent < 100:
            db.session.execute(
                update(Report)
                .where(Report.id == report_id)
                .values(progress=percent, updated_at=utcnow(), heartbeat_at=utcnow())
            )
            db.session.commit()
        if job is not None:
            job.meta["progress"] = percent
            job.save_meta()
        if on_progress is not None:
            on_progress(percent)

    return report_progress


class Heartbeat:
    """While the block runs, a thread writes the started report's heartbeat_at every `seconds`.

    On a connection of its own: the job's session may be in the middle of a long query. A beat
    that fails (the database unreachable) is only logged; the next one tries again.
    """

    def __init__(self, report_id: int, seconds: float) -> None:
        self.report_id = report_id
        self.seconds = seconds
        self.engine = db.engine
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"report-{report_id}-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        if self.seconds > 0:
            self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=self.seconds)

    def _beat(self) -> None:
        started = and_(Report.id == self.report_id, Report.status == ReportStatus.STARTED)
        while not self.stopped.wait(self.seconds):
            try:
                with self.engine.begin() as connection:
                    connection.execute(update(Report).where(started).values(heartbeat_at=utcnow()))
            except Exception:  # noqa: BLE001  (a missed beat is logged, never fatal to the job)
                logger.warning("report %s: heartbeat not written", self.report_id, exc_info=True)

"""Imports of other apps' and devices' files: store the upload, read it whole, then write all of it or none.

A client uploads a file (`start_import`). It is stored under IMPORT_UPLOAD_DIR and read by
`execute_import`: right away when it is small, else in an RQ job (through the outbox, so a
queue that is down delays the import and never loses it; without Redis the job runs inline).
The file is read completely before anything is written: a file that cannot be read writes
nothing and the import records why and where ("line 14"). Then, in one transaction, every
record whose stable key is not stored yet is added, each with an `ImportedRow` naming the
import: that list is what `undo_import` removes, and what makes a second import of the same
file, or an overlapping export, add nothing twice.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from fitbud.errors import ConflictError, DomainError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.jobs import RUN_IMPORT
from fitbud.models import (
    ActivityEvent,
    ActivityLog,
    ActivityType,
    BodyMetric,
    Client,
    DailyMetric,
    DataImport,
    Exercise,
    ExerciseNameMapping,
    ImportedRow,
    ImportFormat,
    ImportStatus,
    User,
    WorkoutLog,
    WorkoutSet,
    utcnow,
)
from fitbud.services import importers, outbox
from fitbud.services.activity import record_activity
from fitbud.services.cache_invalidation import mark_changed
from fitbud.services.client_scope import own_client, trainer_client
from fitbud.services.exercises import unknown_exercise_ids, visible_to
from fitbud.services.importers.records import ParsedFile, StrengthWorkout
from fitbud.services.local_time import zone_of
from fitbud.services.streaks import note_client_log

logger = logging.getLogger("fitbud.imports")

COPY_CHUNK = 1024 * 1024
# Keys are looked up this many at a time (an IN list short enough for every database).
KEY_BATCH = 500
# Progress: reading the file is most of the work; writing is the rest.
READ_SHARE = 80
ACTIVITY_SOURCES = {ImportFormat.APPLE_HEALTH: "apple_health", ImportFormat.FIT: "fit", ImportFormat.GPX: "gpx"}
FORMAT_NAMES = {
    ImportFormat.APPLE_HEALTH: "Apple Health",
    ImportFormat.FIT: "a FIT file",
    ImportFormat.GPX: "a GPX file",
    ImportFormat.STRONG: "Strong",
    ImportFormat.HEVY: "Hevy",
}
# How pages name a source (the app's Import page, the trainer's client page).
SOURCE_LABELS = {
    ImportFormat.APPLE_HEALTH: "Apple Health",
    ImportFormat.FIT: "FIT file",
    ImportFormat.GPX: "GPX file",
    ImportFormat.STRONG: "Strong",
    ImportFormat.HEVY: "Hevy",
}
KINDS = ("activities", "workouts", "body_metrics", "daily_metrics")
_EQUIPMENT_LAST = re.compile(r"^(?P<name>.+?)\s*\((?P<equipment>[^)]+)\)$")


class PayloadTooLargeError(DomainError):
    """The upload is larger than IMPORT_MAX_BYTES (413)."""

    status_code = 413  # type: ignore[assignment]


# --- finding imports ------------------------------------------------------------------------------
def own_imports(user: User) -> Select:
    """The client's imports, newest first (for pagination)."""
    client = own_client(user)
    return _newest_first(select(DataImport).where(DataImport.client_id == client.id))


def recent_own(user: User, limit: int) -> list[DataImport]:
    """The client's latest imports (the app's Import page)."""
    return list(db.session.scalars(own_imports(user).limit(limit)))


def recent_for_trainer(trainer: User, client_id: Any, limit: int) -> list[DataImport]:
    """A trainer's client's latest imports (the dashboard's client page); another trainer's client is a 404."""
    return list(db.session.scalars(client_imports(trainer, client_id).limit(limit)))


def source_label(record: DataImport) -> str:
    """The import's source as people say it ("Apple Health"), or a dash before its format is known."""
    return SOURCE_LABELS.get(record.format, "—") if record.format is not None else "—"


def client_imports(trainer: User, client_id: Any) -> Select:
    """A trainer's client's imports, newest first; another trainer's client is a 404."""
    client = trainer_client(trainer, client_id)
    return _newest_first(select(DataImport).where(DataImport.client_id == client.id))


def _newest_first(statement: Select) -> Select:
    return statement.order_by(DataImport.created_at.desc(), DataImport.id.desc())


def _one(statement: Select) -> DataImport:
    found = db.session.execute(statement).scalar_one_or_none()
    if found is None:
        raise NotFoundError("No such import.")
    return found


def get_own(user: User, import_id: int) -> DataImport:
    """One of the client's imports."""
    client = own_client(user)
    return _one(select(DataImport).where(DataImport.id == import_id, DataImport.client_id == client.id))


def get_for_trainer(trainer: User, client_id: Any, import_id: int) -> DataImport:
    """One import of one of the trainer's clients."""
    client = trainer_client(trainer, client_id)
    return _one(select(DataImport).where(DataImport.id == import_id, DataImport.client_id == client.id))


def own_activities(user: User, first: date | None = None, last: date | None = None) -> Select:
    """The client's activities (runs, rides...), newest first."""
    return _activities_of(own_client(user), first, last)


def latest_activities(user: User, limit: int) -> list[ActivityLog]:
    """The client's latest activities (the app's Progress page)."""
    return list(db.session.scalars(own_activities(user).limit(limit)))


def client_activities(trainer: User, client_id: Any, first: date | None = None, last: date | None = None) -> Select:
    """A trainer's client's activities, newest first; another trainer's client is a 404."""
    return _activities_of(trainer_client(trainer, client_id), first, last)


def recent_activities_for_trainer(trainer: User, client_id: Any, limit: int) -> list[ActivityLog]:
    """A trainer's client's latest activities (the dashboard's client page)."""
    return list(db.session.scalars(client_activities(trainer, client_id).limit(limit)))


def _activities_of(client: Client, first: date | None, last: date | None) -> Select:
    statement = select(ActivityLog).where(ActivityLog.client_id == client.id)
    if first is not None:
        statement = statement.where(ActivityLog.performed_on >= first)
    if last is not None:
        statement = statement.where(ActivityLog.performed_on <= last)
    return statement.order_by(ActivityLog.started_at.desc(), ActivityLog.id.desc())


# --- starting one ---------------------------------------------------------------------------------
def upload_dir() -> Path:
    """Where uploads wait for their job: IMPORT_UPLOAD_DIR, or the instance folder's imports/."""
    configured = current_app.config.get("IMPORT_UPLOAD_DIR") or os.path.join(current_app.instance_path, "imports")
    path = Path(configured)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store_upload(stream: IO[bytes], limit: int) -> tuple[Path, int]:
    """Copy the upload to a file of its own, refusing past `limit` bytes (nothing is kept then)."""
    path = upload_dir() / f"{uuid.uuid4().hex}.upload"
    size = 0
    try:
        with open(path, "wb") as target:
            while chunk := stream.read(COPY_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLargeError(
                        f"The file may be at most {limit} bytes.", errors={"file": [f"Larger than {limit} bytes."]}
                    )
                target.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise InvalidInputError("The file is empty.", errors={"file": ["Empty file."]})
    return path, size


def _work_size(path: Path, size: int) -> int:
    """How much there is to read: a zip's members unpacked (a small zip can hold a huge export.xml)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return max(size, sum(info.file_size for info in archive.infolist()))
    except (zipfile.BadZipFile, OSError):
        return size


def start_import(user: User, stream: IO[bytes], file_name: str, *, skip_unmatched: bool = False) -> DataImport:
    """Record an upload and read it: now when small (422 if it cannot be read), else in a job.

    Returns the import: finished, needs_mapping (a strength CSV names exercises the library
    lacks; nothing was written), or queued for its job. "Small" is the unpacked size: a 2 MB zip
    can hold gigabytes of XML, which would hold a web worker for minutes.
    """
    client = own_client(user)
    config = current_app.config
    path, size = _store_upload(stream, config["IMPORT_MAX_BYTES"])
    record = DataImport(
        client_id=client.id,
        file_name=(os.path.basename(file_name or "") or "upload")[:255],
        file_size=size,
        status=ImportStatus.QUEUED,
        upload_path=str(path),
        counts={},
        unmatched={},
    )
    db.session.add(record)
    db.session.flush()
    import_id = record.id
    if _work_size(path, size) > config["IMPORT_INLINE_MAX_BYTES"]:
        record.job_id = f"import-{import_id}-{uuid.uuid4().hex[:12]}"
        outbox.add(
            RUN_IMPORT,
            import_id,
            skip_unmatched,
            queue=config["IMPORT_QUEUE"],
            job_timeout=config["IMPORT_JOB_TIMEOUT"],
            result_ttl=config["IMPORT_RESULT_TTL"],
            failure_ttl=config["IMPORT_RESULT_TTL"],
            job_id=record.job_id,
        )
        db.session.commit()
    else:
        db.session.commit()
        execute_import(import_id, skip_unmatched=skip_unmatched)
    db.session.expire_all()
    record = db.session.get_one(DataImport, import_id)
    if record.status is ImportStatus.FAILED:
        raise InvalidInputError(
            f"Nothing was imported: {record.error}",
            errors={"file": [f"{record.error_location}: {record.error}" if record.error_location else record.error]},
        )
    return record


# A running import whose row has not moved for its job's timeout plus this long has lost its job.
STOPPED_GRACE_SECONDS = 300
STOPPED = (
    "The import stopped before it finished (its worker was stopped or timed out); nothing was written. "
    "Upload the file again."
)


def fail_stopped_imports() -> int:
    """Fail the imports left running by a job that died (a killed worker, a timeout); the periodic pass runs it.

    Their data was never written (it is written in one transaction at the end), so failing them
    is all there is to do, besides deleting the upload they were reading.
    """
    cutoff = utcnow() - timedelta(seconds=current_app.config["IMPORT_JOB_TIMEOUT"] + STOPPED_GRACE_SECONDS)
    stuck = db.session.scalars(
        select(DataImport).where(DataImport.status == ImportStatus.RUNNING, DataImport.updated_at < cutoff)
    ).all()
    for record in stuck:
        if record.upload_path:
            Path(record.upload_path).unlink(missing_ok=True)
        record.status = ImportStatus.FAILED
        record.error, record.error_location = STOPPED, None
        record.upload_path = None
        record.finished_at = utcnow()
    db.session.commit()
    if stuck:
        logger.warning("%s import(s) had lost their job and were failed", len(stuck))
    return len(stuck)


# --- reading and writing --------------------------------------------------------------------------
def _claim(import_id: int) -> bool:
    """Move a queued import to running; False when another run took it (jobs may be handed over twice)."""
    claimed = db.session.execute(
        update(DataImport)
        .where(DataImport.id == import_id, DataImport.status == ImportStatus.QUEUED)
        .values(status=ImportStatus.RUNNING, progress=0, updated_at=utcnow())
    )
    db.session.commit()
    return bool(getattr(claimed, "rowcount", 0))


def _progress_reporter(import_id: int, job: Any) -> Any:
    last = {"value": -1}

    def report(fraction: float) -> None:
        percent = max(0, min(99, int(fraction * READ_SHARE)))
        if percent == last["value"]:
            return
        last["value"] = percent
        db.session.execute(
            update(DataImport).where(DataImport.id == import_id).values(progress=percent, updated_at=utcnow())
        )
        db.session.commit()
        if job is not None:
            job.meta["progress"] = percent
            job.save_meta()

    return report


def _fail(import_id: int, message: str, location: str | None) -> None:
    db.session.rollback()
    db.session.execute(
        update(DataImport)
        .where(DataImport.id == import_id)
        .values(
            status=ImportStatus.FAILED,
            error=message,
            error_location=location,
            finished_at=utcnow(),
            updated_at=utcnow(),
        )
    )
    db.session.commit()


UNEXPECTED = "The import failed on our side; nothing was written. Try again later."


def execute_import(import_id: int, skip_unmatched: bool = False, job: Any = None) -> str:
    """Read import `import_id`'s file and write what is new, all in one transaction; returns the final status.

    Safe to run twice: only a queued import is taken. The stored upload is deleted either way.
    """
    if not _claim(import_id):
        return "skipped"
    record = db.session.get_one(DataImport, import_id)
    path = record.upload_path
    try:
        client = db.session.get_one(Client, record.client_id)
        login = db.session.get(User, client.user_id) if client.user_id is not None else None
        try:
            if path is None or not os.path.exists(path):
                raise importers.ParseError("The uploaded file is no longer there; upload it again.", "file")
            kind = importers.detect(path)
            record.format = ImportFormat(kind)
            db.session.commit()
            parsed = importers.parse(
                path,
                kind,
                _progress_reporter(import_id, job),
                timezone=zone_of(client),
                unit_system=login.unit_system if login is not None else "metric",
            )
        except importers.ParseError as error:
            _fail(import_id, error.message, error.location)
            return ImportStatus.FAILED.value
        try:
            return _write(db.session.get_one(DataImport, import_id), client, parsed, skip_unmatched)
        except IntegrityError:
            # Another import of the same data committed between our look-up and our insert.
            _fail(import_id, "Another import added the same records at the same time; import the file again.", None)
            return ImportStatus.FAILED.value
    except Exception:
        # A bug or an outage: the data transaction is rolled back (nothing written) and the import says so.
        _fail(import_id, UNEXPECTED, None)
        raise
    finally:
        if path:
            Path(path).unlink(missing_ok=True)
        db.session.execute(update(DataImport).where(DataImport.id == import_id).values(upload_path=None))
        db.session.commit()


@dataclass
class _Tally:
    """Found, added and already-there counts per kind."""

    counts: dict[str, dict[str, int]]

    @classmethod
    def empty(cls) -> _Tally:
        return cls({kind: {"found": 0, "added": 0, "already_there": 0} for kind in KINDS})

    def note(self, kind: str, found: int, added: int, already_there: int | None = None) -> None:
        already = found - added if already_there is None else already_there
        self.counts[kind] = {"found": found, "added": added, "already_there": already}

    def total(self, key: str) -> int:
        return sum(kind[key] for kind in self.counts.values())


def _batches(items: Sequence[Any], size: int = KEY_BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _track(import_id: int, client_id: int, column: str, keyed_ids: list[tuple[str, int]]) -> None:
    if keyed_ids:
        db.session.execute(
            insert(ImportedRow),
            [
                {"import_id": import_id, "client_id": client_id, "source_key": key, column: row_id}
                for key, row_id in keyed_ids
            ],
        )


def _insert_returning_ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` and return their new ids in the same order."""
    ids: list[int] = []
    for batch in _batches(rows):
        ids += list(db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), list(batch)))
    return ids


def _write_activities(record: DataImport, client: Client, parsed: ParsedFile, tally: _Tally) -> None:
    source = ACTIVITY_SOURCES.get(ImportFormat(parsed.format))
    if source is None:
        return
    unique = {activity.source_id: activity for activity in parsed.activities}
    stored: set[str] = set()
    for batch in _batches(list(unique)):
        stored.update(
            db.session.scalars(
                select(ActivityLog.source_id).where(
                    ActivityLog.client_id == client.id, ActivityLog.source == source, ActivityLog.source_id.in_(batch)
                )
            )
        )
    new = [activity for source_id, activity in unique.items() if source_id not in stored]
    rows = [
        {
            "client_id": client.id,
            "sport": activity.sport,
            "started_at": activity.started_at,
            "performed_on": activity.performed_on,
            "duration_seconds": activity.duration_seconds,
            "distance_m": activity.distance_m,
            "energy_kcal": activity.energy_kcal,
            "avg_heart_rate": activity.avg_heart_rate,
            "max_heart_rate": activity.max_heart_rate,
            "elevation_gain_m": activity.elevation_gain_m,
            "laps": list(activity.laps),
            "source": source,
            "source_id": activity.source_id,
        }
        for activity in new
    ]
    ids = _insert_returning_ids(ActivityLog, rows)
    keys = [f"activity:{source}:{activity.source_id}" for activity in new]
    _track(record.id, client.id, "activity_log_id", list(zip(keys, ids, strict=True)))
    tally.note("activities", len(parsed.activities), len(new))


def _write_per_day(
    record: DataImport, client: Client, model: Any, day_column: str, readings: list[Any], kind: str, tally: _Tally
) -> None:
    """Body or daily metrics: one per metric and day; a day already recorded (by hand or before) is kept."""
    if not readings:
        return
    days = [reading.day for reading in readings]
    stored: set[tuple[date, str]] = set(
        (day, metric)
        for day, metric in db.session.execute(
            select(getattr(model, day_column), model.metric).where(
                model.client_id == client.id,
                getattr(model, day_column).between(min(days), max(days)),
            )
        ).all()
    )
    new = [reading for reading in readings if (reading.day, reading.metric) not in stored]
    rows = [
        {"client_id": client.id, day_column: reading.day, "metric": reading.metric, "value": reading.value}
        for reading in new
    ]
    ids = _insert_returning_ids(model, rows)
    column = "body_metric_id" if model is BodyMetric else "daily_metric_id"
    keys = [f"{kind}:{reading.metric}:{reading.day.isoformat()}" for reading in new]
    _track(record.id, client.id, column, list(zip(keys, ids, strict=True)))
    tally.note(kind, len(readings), len(new))


def normalized_name(name: str) -> str:
    """How exercise names are compared: lower case, hyphens as spaces, single spaces."""
    return " ".join(name.replace("-", " ").lower().split())


def _name_variants(name: str) -> list[str]:
    """The name, and Strong's and Hevy's "Bench Press (Barbell)" as the library writes it: "Barbell Bench Press"."""
    variants = [normalized_name(name)]
    match = _EQUIPMENT_LAST.match(name.strip())
    if match:
        variants.append(normalized_name(f"{match['equipment']} {match['name']}"))
        variants.append(normalized_name(match["name"]))
    return variants


def _exercise_lookup(client: Client) -> dict[str, int]:
    """Normalized name -> exercise id: the trainer's library (their own first), then the client's mappings."""
    lookup: dict[str, int] = {}
    rows = db.session.execute(
        select(Exercise.id, Exercise.name, Exercise.owner_id)
        .where(visible_to(client.trainer_id))
        .order_by(Exercise.owner_id.is_(None), Exercise.id)
    ).all()
    for exercise_id, name, _owner in rows:
        lookup.setdefault(normalized_name(name), exercise_id)
    mappings = db.session.execute(
        select(ExerciseNameMapping.name, ExerciseNameMapping.exercise_id).where(
            ExerciseNameMapping.client_id == client.id
        )
    ).all()
    lookup.update(dict(mappings))
    return lookup


def _match(name: str, lookup: dict[str, int]) -> int | None:
    mapped = lookup.get(normalized_name(name))
    if mapped is not None:
        return mapped
    return next((lookup[variant] for variant in _name_variants(name) if variant in lookup), None)


def unmatched_names(client: Client, workouts: list[StrengthWorkout]) -> dict[str, int]:
    """Exercise names of `workouts` that neither the library nor the client's mappings know, with their set counts."""
    lookup = _exercise_lookup(client)
    missing: dict[str, int] = {}
    for workout in workouts:
        for strength_set in workout.sets:
            if _match(strength_set.exercise_name, lookup) is None:
                missing[strength_set.exercise_name] = missing.get(strength_set.exercise_name, 0) + 1
    return missing


def _write_workouts(record: DataImport, client: Client, parsed: ParsedFile, tally: _Tally) -> None:
    if not parsed.workouts:
        return
    lookup = _exercise_lookup(client)
    keyed = {f"workout:{parsed.format}:{workout.source_id}": workout for workout in parsed.workouts}
    stored: set[str] = set()
    for batch in _batches(list(keyed)):
        stored.update(
            db.session.scalars(
                select(ImportedRow.source_key).where(
                    ImportedRow.client_id == client.id, ImportedRow.source_key.in_(batch)
                )
            )
        )
    added: list[tuple[str, int]] = []
    for key, workout in keyed.items():
        if key in stored:
            continue
        matched = [(s, _match(s.exercise_name, lookup)) for s in workout.sets]
        kept = [(s, exercise_id) for s, exercise_id in matched if exercise_id is not None]
        if not kept:
            continue
        log = WorkoutLog(
            client_id=client.id,
            performed_on=workout.performed_on,
            duration_minutes=workout.duration_minutes,
            notes=(f"{workout.name} (imported). {workout.notes}" if workout.notes else f"{workout.name} (imported)"),
        )
        order: dict[int, int] = {}
        numbers: dict[int, int] = {}
        sets = []
        for strength_set, exercise_id in kept:
            position = order.setdefault(exercise_id, len(order))
            numbers[exercise_id] = numbers.get(exercise_id, 0) + 1
            sets.append(
                WorkoutSet(
                    exercise_id=exercise_id,
                    exercise_order=position,
                    set_number=numbers[exercise_id],
                    reps=strength_set.reps,
                    weight_kg=strength_set.weight_kg,
                    rpe=strength_set.rpe,
                    duration_seconds=strength_set.duration_seconds,
                    distance_m=strength_set.distance_m,
                )
            )
        log.sets = sets
        log.sets_done = len(sets)
        log.total_volume_kg = round(sum((s.reps or 0) * (s.weight_kg or 0.0) for s in sets), 3)
        db.session.add(log)
        db.session.flush()
        added.append((key, log.id))
    _track(record.id, client.id, "workout_log_id", added)
    # A workout all of whose exercises were skipped (skip_unmatched) is neither added nor already there.
    tally.note("workouts", len(parsed.workouts), len(added), len(stored))


def _announce(record: DataImport, client: Client, tally: _Tally, parsed: ParsedFile) -> None:
    """One feed event per import (a year of Apple Health is hundreds of activities: one line, not hundreds)."""
    parts = []
    for kind, label in (("activities", "activit"), ("workouts", "workout")):
        count = tally.counts[kind]["added"]
        if count:
            noun = ("activity" if count == 1 else "activities") if label == "activit" else label + ("s" * (count != 1))
            parts.append(f"{count} {noun}")
    readings = tally.counts["body_metrics"]["added"] + tally.counts["daily_metrics"]["added"]
    if readings:
        parts.append(f"{readings} day readings")
    source = FORMAT_NAMES.get(ImportFormat(parsed.format), parsed.format)
    record_activity(
        client,
        ActivityType.DATA_IMPORTED,
        f"{client.name} imported {', '.join(parts)} from {source}",
        {"import_id": record.id, "format": parsed.format, "counts": tally.counts},
    )


def _write(record: DataImport, client: Client, parsed: ParsedFile, skip_unmatched: bool) -> str:
    record.format = ImportFormat(parsed.format)
    if parsed.workouts:
        missing = unmatched_names(client, parsed.workouts)
        record.unmatched = missing
        if missing and not skip_unmatched:
            record.status = ImportStatus.NEEDS_MAPPING
            record.found = parsed.found
            record.progress = 100
            record.finished_at = utcnow()
            db.session.commit()
            return ImportStatus.NEEDS_MAPPING.value
    tally = _Tally.empty()
    _write_activities(record, client, parsed, tally)
    _write_per_day(record, client, BodyMetric, "measured_on", parsed.body, "body_metrics", tally)
    _write_per_day(record, client, DailyMetric, "day", parsed.daily, "daily_metrics", tally)
    _write_workouts(record, client, parsed, tally)
    record.counts = tally.counts
    record.found = tally.total("found")
    record.added = tally.total("added")
    record.already_there = tally.total("already_there")
    record.status = ImportStatus.FINISHED
    record.progress = 100
    record.finished_at = utcnow()
    if record.added:
        _announce(record, client, tally, parsed)
        note_client_log(client)
        # Rows went in by bulk INSERT, which the flush hook does not see.
        mark_changed(db.session, client.trainer_id)
    db.session.commit()
    logger.info("import %s: %s found, %s added", record.id, record.found, record.added)
    return ImportStatus.FINISHED.value


# --- undoing one ----------------------------------------------------------------------------------
def undo_import(user: User, import_id: int) -> DataImport:
    """Remove exactly the rows import `import_id` added (rows that were already there stay); 409 unless finished."""
    record = get_own(user, import_id)
    if record.status is not ImportStatus.FINISHED:
        raise ConflictError(
            f"Only a finished import can be undone; this one is {record.status.value}.",
            errors={"status": [record.status.value]},
        )
    tracked = select(ImportedRow).where(ImportedRow.import_id == record.id)
    for model, column in (
        (ActivityLog, ImportedRow.activity_log_id),
        (WorkoutLog, ImportedRow.workout_log_id),
        (BodyMetric, ImportedRow.body_metric_id),
        (DailyMetric, ImportedRow.daily_metric_id),
    ):
        ids = tracked.with_only_columns(column).where(column.is_not(None))
        db.session.execute(delete(model).where(model.id.in_(ids)), execution_options={"synchronize_session": False})
    db.session.execute(delete(ImportedRow).where(ImportedRow.import_id == record.id))
    events = db.session.scalars(
        select(ActivityEvent).where(
            ActivityEvent.client_id == record.client_id, ActivityEvent.type == ActivityType.DATA_IMPORTED
        )
    )
    for event in events:
        if event.payload.get("import_id") == record.id:
            db.session.delete(event)
    record.status = ImportStatus.UNDONE
    record.undone_at = utcnow()
    # Bulk DELETEs: the flush hook cannot see them, so the trainer's cached views are dropped by name.
    mark_changed(db.session, db.session.get_one(Client, record.client_id).trainer_id)
    db.session.commit()
    return record


# --- exercise name mappings -----------------------------------------------------------------------
def own_mappings(user: User) -> Select:
    """The client's remembered exercise names, alphabetical."""
    client = own_client(user)
    return _mappings_of(client)


def client_mappings(trainer: User, client_id: Any) -> Select:
    """A trainer's client's remembered exercise names."""
    return _mappings_of(trainer_client(trainer, client_id))


def _mappings_of(client: Client) -> Select:
    return (
        select(ExerciseNameMapping)
        .where(ExerciseNameMapping.client_id == client.id)
        .order_by(ExerciseNameMapping.name, ExerciseNameMapping.id)
    )


def set_own_mappings(user: User, mappings: list[dict[str, Any]]) -> list[ExerciseNameMapping]:
    """Remember (or, with exercise_id null, forget) what the client's names stand for."""
    return _set_mappings(own_client(user), mappings)


def set_client_mappings(trainer: User, client_id: Any, mappings: list[dict[str, Any]]) -> list[ExerciseNameMapping]:
    """The trainer maps a client's exercise names for them."""
    return _set_mappings(trainer_client(trainer, client_id), mappings)


def _set_mappings(client: Client, mappings: list[dict[str, Any]]) -> list[ExerciseNameMapping]:
    wanted = {index: entry["exercise_id"] for index, entry in enumerate(mappings) if entry["exercise_id"] is not None}
    unknown = unknown_exercise_ids(client.trainer_id, wanted.values())
    if unknown:
        raise InvalidInputError(
            "Some exercises are not in the trainer's library.",
            errors={
                f"mappings.{index}.exercise_id": ["No such exercise."] for index, e in wanted.items() if e in unknown
            },
        )
    existing = {
        mapping.name: mapping
        for mapping in db.session.scalars(select(ExerciseNameMapping).where(ExerciseNameMapping.client_id == client.id))
    }
    for entry in mappings:
        name = normalized_name(entry["name"])[:120]
        if not name:
            continue
        current = existing.get(name)
        if entry["exercise_id"] is None:
            if current is not None:
                db.session.delete(current)
                del existing[name]
        elif current is not None:
            current.exercise_id = entry["exercise_id"]
        else:
            existing[name] = ExerciseNameMapping(client_id=client.id, name=name, exercise_id=entry["exercise_id"])
            db.session.add(existing[name])
    db.session.commit()
    return sorted(existing.values(), key=lambda mapping: mapping.name)

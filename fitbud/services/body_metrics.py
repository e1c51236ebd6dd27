"""Body metrics: one value per metric per day, entered in the user's units, and CSV history import."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.exc import IntegrityError

from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.extensions import db
from fitbud.models import BodyMetric, Client, User
from fitbud.services.client_scope import check_log_date, own_client
from fitbud.services.local_time import local_today
from fitbud.services.log_queries import between, own_rows, trainer_rows
from fitbud.services.measures import BODY_METRICS
from fitbud.services.streaks import note_client_log
from fitbud.services.units import to_si

IMPORT_COLUMNS = ("date", "metric", "value")
# Enough to say what is wrong without turning the error into a second copy of the file.
MAX_REPORTED_ROWS = 100


def own_metrics(user: User, metric: str | None = None, first: date | None = None, last: date | None = None) -> Select:
    """The client's body metrics, newest first (for pagination)."""
    statement = between(own_rows(BodyMetric, user), BodyMetric.measured_on, first, last)
    if metric is not None:
        statement = statement.where(BodyMetric.metric == metric)
    return statement.order_by(BodyMetric.measured_on.desc(), BodyMetric.metric, BodyMetric.id.desc())


def client_metrics(
    trainer: User, client_id: int, metric: str | None = None, first: date | None = None, last: date | None = None
) -> Select:
    """A trainer's client's body metrics, newest first (for pagination)."""
    statement = between(trainer_rows(BodyMetric, trainer, client_id), BodyMetric.measured_on, first, last)
    if metric is not None:
        statement = statement.where(BodyMetric.metric == metric)
    return statement.order_by(BodyMetric.measured_on.desc(), BodyMetric.metric, BodyMetric.id.desc())


def _one(statement: Select) -> BodyMetric:
    metric = db.session.execute(statement).scalar_one_or_none()
    if metric is None:
        raise NotFoundError("No such body metric.")
    return metric


def get_own(user: User, metric_id: int) -> BodyMetric:
    """One of the client's own body metrics."""
    return _one(own_rows(BodyMetric, user).where(BodyMetric.id == metric_id))


def get_for_trainer(trainer: User, client_id: int, metric_id: int) -> BodyMetric:
    """One body metric of one of the trainer's clients."""
    return _one(trainer_rows(BodyMetric, trainer, client_id).where(BodyMetric.id == metric_id))


def si_value(metric: str, value: float, unit_system: str, field: str = "value") -> float:
    """`value` of `metric` in the user's units as SI, or a 422 when it is implausible."""
    measure = BODY_METRICS[metric]
    converted = to_si(measure.kind, value, unit_system)
    problem = measure.problem(converted, unit_system)
    if problem:
        raise InvalidInputError("The value is out of range.", errors={field: [problem]})
    return converted


def _taken() -> ConflictError:
    return ConflictError(
        "This metric is already recorded for that day; update it instead.",
        errors={"measured_on": ["Already recorded for this metric."]},
    )


def _exists(client_id: int, metric: str, day: date, except_id: int | None = None) -> bool:
    statement = select(BodyMetric.id).where(
        BodyMetric.client_id == client_id, BodyMetric.metric == metric, BodyMetric.measured_on == day
    )
    if except_id is not None:
        statement = statement.where(BodyMetric.id != except_id)
    return db.session.execute(statement.limit(1)).first() is not None


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent request stored the same metric and day between our check and our insert.
        db.session.rollback()
        raise _taken() from None


def create(user: User, data: dict[str, Any]) -> BodyMetric:
    """Record one metric on one day (value in the user's units); 409 if that day has one."""
    client = own_client(user)
    check_log_date(client, data["measured_on"], "measured_on")
    value = si_value(data["metric"], data["value"], user.unit_system)
    if _exists(client.id, data["metric"], data["measured_on"]):
        raise _taken()
    metric = BodyMetric(client_id=client.id, measured_on=data["measured_on"], metric=data["metric"], value=value)
    db.session.add(metric)
    _flush_or_conflict()
    note_client_log(client)
    db.session.commit()
    return metric


def update(user: User, metric_id: int, changes: dict[str, Any]) -> BodyMetric:
    """Change a body metric's value or day (the metric itself is its identity)."""
    metric = get_own(user, metric_id)
    client = own_client(user)
    if "measured_on" in changes:
        check_log_date(client, changes["measured_on"], "measured_on")
        if _exists(client.id, metric.metric, changes["measured_on"], except_id=metric.id):
            raise _taken()
        metric.measured_on = changes["measured_on"]
    if "value" in changes:
        metric.value = si_value(metric.metric, changes["value"], user.unit_system)
    _flush_or_conflict()
    note_client_log(client)
    db.session.commit()
    return metric


def delete(user: User, metric_id: int) -> None:
    """Remove one of the client's body metrics."""
    db.session.delete(get_own(user, metric_id))
    db.session.commit()


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    imported: int
    by_metric: dict[str, int]
    first_date: date
    last_date: date


class _Rows:
    """Collects the problems of each CSV row, keyed by row number and column."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.bad_rows: set[int] = set()

    def add(self, row_number: int, column: str, message: str) -> None:
        """Note a problem; past MAX_REPORTED_ROWS bad rows they are counted, not listed."""
        self.bad_rows.add(row_number)
        if len(self.bad_rows) <= MAX_REPORTED_ROWS:
            self.errors.setdefault(f"rows.{row_number}.{column}", []).append(message)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(
            "The file is not UTF-8 text.", errors={"file": ["Must be UTF-8 encoded CSV."]}
        ) from None


def _parse_row(row: list[str], row_number: int, latest: date, unit_system: str, problems: _Rows):
    if len(row) != len(IMPORT_COLUMNS):
        problems.add(row_number, "row", f"Expected {len(IMPORT_COLUMNS)} columns, found {len(row)}.")
        return None
    raw_date, raw_metric, raw_value = (cell.strip() for cell in row)
    day = metric = value = None
    try:
        day = date.fromisoformat(raw_date)
        if day > latest:
            problems.add(row_number, "date", f"Must not be after {latest.isoformat()}.")
            day = None
    except ValueError:
        problems.add(row_number, "date", "Not a date (YYYY-MM-DD).")
    if raw_metric.lower() in BODY_METRICS:
        metric = raw_metric.lower()
    else:
        problems.add(row_number, "metric", f"Unknown metric; use one of: {', '.join(BODY_METRICS)}.")
    try:
        number = float(raw_value)
        if not math.isfinite(number):
            raise ValueError
    except ValueError:
        problems.add(row_number, "value", "Not a number.")
    else:
        if metric is not None:
            measure = BODY_METRICS[metric]
            value = to_si(measure.kind, number, unit_system)
            problem = measure.problem(value, unit_system)
            if problem:
                problems.add(row_number, "value", problem)
                value = None
    if day is None or metric is None or value is None:
        return None
    return day, metric, value


def import_csv(user: User, data: bytes, max_rows: int) -> ImportResult:
    """Store every row of a `date,metric,value` CSV (values in the user's units), or none.

    Each row is checked (date format and not after tomorrow, known metric, plausible value,
    no duplicate in the file or already stored); any bad row rejects the whole file with a
    422 whose errors name `rows.<line number>.<column>`.
    """
    client = own_client(user)
    reader = csv.reader(io.StringIO(_decode(data)))
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != list(IMPORT_COLUMNS):
        raise InvalidInputError(
            "The CSV must start with the header row date,metric,value.",
            errors={"rows.1": ["Expected the header date,metric,value."]},
        )
    latest = local_today(client) + timedelta(days=1)
    problems = _Rows()
    parsed: dict[tuple[date, str], tuple[int, float]] = {}
    row_count = 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        row_count += 1
        if row_count > max_rows:
            raise InvalidInputError(
                f"Too many rows; import at most {max_rows} at a time.",
                errors={"file": [f"More than {max_rows} rows."]},
            )
        row_number = reader.line_num
        values = _parse_row(row, row_number, latest, user.unit_system, problems)
        if values is None:
            continue
        day, metric, value = values
        if (day, metric) in parsed:
            problems.add(row_number, "date", f"Duplicates row {parsed[(day, metric)][0]} ({metric} on {day}).")
            continue
        parsed[(day, metric)] = (row_number, value)
    if row_count == 0:
        raise InvalidInputError("The CSV has no rows.", errors={"file": ["No data rows after the header."]})
    if parsed:
        days = [day for day, _metric in parsed]
        existing = db.session.execute(
            select(BodyMetric.measured_on, BodyMetric.metric).where(
                BodyMetric.client_id == client.id,
                BodyMetric.metric.in_({metric for _day, metric in parsed}),
                BodyMetric.measured_on.between(min(days), max(days)),
            )
        ).all()
        for day, metric in existing:
            if (day, metric) in parsed:
                problems.add(parsed[(day, metric)][0], "date", f"{metric} is already recorded on {day}.")
    if problems.bad_rows:
        count = len(problems.bad_rows)
        if count > MAX_REPORTED_ROWS:
            problems.errors["rows"] = [f"{count - MAX_REPORTED_ROWS} more bad rows are not listed."]
        raise InvalidInputError(
            f"{count} of {row_count} rows are invalid; nothing was imported.", errors=problems.errors
        )
    return _store(client, parsed)


def _store(client: Client, parsed: dict[tuple[date, str], tuple[int, float]]) -> ImportResult:
    rows = [
        {"client_id": client.id, "measured_on": day, "metric": metric, "value": value}
        for (day, metric), (_row, value) in sorted(parsed.items())
    ]
    try:
        db.session.execute(insert(BodyMetric), rows)
    except IntegrityError:
        db.session.rollback()
        raise _taken() from None
    note_client_log(client)
    db.session.commit()
    keys = sorted(parsed)  # (day, metric), in the rows' order
    days = [day for day, _metric in keys]
    return ImportResult(len(rows), dict(Counter(metric for _day, metric in keys)), min(days), max(days))

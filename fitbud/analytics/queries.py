"""Aggregating queries: the database groups, these return small frames. Each is scoped by its caller.

The one module of analytics/ that runs SQL; everything else there takes and returns frames.
Functions take ids and dates, never the current user: the service layer decides whose data
may be read and passes only those ids.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import pandas as pd
from sqlalchemy import CompoundSelect, Select, case, func, literal_column, or_, select, union, union_all
from sqlalchemy.sql.elements import ColumnElement

from fitbud.analytics.planning import ParsedPattern, parse_patterns
from fitbud.analytics.sql import ColumnLike, Unit, local_midnight, month_in_zone, period_start
from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.models import (
    BodyMetric,
    CheckIn,
    Client,
    MealLog,
    PlanAssignment,
    PlanKind,
    Report,
    SessionStatus,
    TrainingSession,
    User,
    WorkoutLog,
    WorkoutSet,
)

WEIGHT_METRIC = "weight"


def dialect_name() -> str:
    """The name of the database dialect the app's session talks to."""
    return db.session.get_bind().dialect.name


def truncate(column: ColumnLike, unit: Unit) -> ColumnElement[str]:
    """`sql.period_start` for the app's own database."""
    return period_start(column, unit, dialect_name())


def read_frame(statement: Select | CompoundSelect, columns: Sequence[str]) -> pd.DataFrame:
    """Run `statement` and return its rows as a frame with the given column names."""
    rows = db.session.execute(statement).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=list(columns))


def active_client_conditions(trainer_id: int) -> list:
    """The WHERE clause of "this trainer's current clients"."""
    return [Client.trainer_id == trainer_id, Client.archived_at.is_(None), Client.is_active.is_(True)]


def active_clients(trainer_id: int) -> pd.DataFrame:
    """The trainer's current clients: client_id, name, created_at."""
    statement = (
        select(Client.id, Client.name, Client.created_at)
        .where(*active_client_conditions(trainer_id))
        .order_by(Client.name, Client.id)
    )
    return read_frame(statement, ["client_id", "name", "created_at"])


def clients_by_month(trainer_id: int, column_name: str, first: date, last: date, zone: tzinfo) -> pd.DataFrame:
    """How many of the trainer's clients were created (or archived) per month in `zone`, from `first`'s month."""
    column = getattr(Client, column_name)
    month = month_in_zone(column, first, last, zone).label("month")
    statement = (
        select(month, func.count())
        .where(Client.trainer_id == trainer_id, column >= local_midnight(first.replace(day=1), zone))
        .group_by("month")
    )
    return read_frame(statement, ["month", "count"])


def clients_active_at(trainer_id: int, moment: datetime) -> int:
    """How many of the trainer's clients existed and were not archived at `moment`."""
    statement = select(func.count(Client.id)).where(
        Client.trainer_id == trainer_id,
        Client.created_at < moment,
        or_(Client.archived_at.is_(None), Client.archived_at >= moment),
    )
    return int(_scalar(statement))


def sessions_by_status(trainer_id: int, start: datetime, end: datetime) -> pd.DataFrame:
    """The trainer's sessions starting in [start, end), counted by status."""
    statement = (
        select(TrainingSession.status, func.count())
        .where(
            TrainingSession.trainer_id == trainer_id,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
        .group_by(TrainingSession.status)
    )
    frame = read_frame(statement, ["status", "count"])
    frame["status"] = frame["status"].map(lambda status: getattr(status, "value", status))
    return frame


def no_shows_by_client(trainer_id: int, start: datetime, end: datetime) -> pd.DataFrame:
    """Sessions each client missed (no-show) that started in [start, end)."""
    statement = (
        select(TrainingSession.client_id, func.count())
        .where(
            TrainingSession.trainer_id == trainer_id,
            TrainingSession.status == SessionStatus.NO_SHOW,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
        .group_by(TrainingSession.client_id)
    )
    return read_frame(statement, ["client_id", "missed"])


def unanswered_check_ins(trainer_id: int) -> pd.DataFrame:
    """Per current client: check-ins with no reply yet and the oldest one's date."""
    statement = (
        select(CheckIn.client_id, func.count(CheckIn.id), func.min(CheckIn.submitted_on))
        .join(Client, Client.id == CheckIn.client_id)
        .where(*active_client_conditions(trainer_id), CheckIn.replied_at.is_(None))
        .group_by(CheckIn.client_id)
    )
    return read_frame(statement, ["client_id", "unanswered", "oldest"])


def workout_patterns(
    client_ids: Sequence[int] | None,
    first: date,
    last: date,
    trainer_id: int | None = None,
    known_patterns: MutableMapping[tuple[int, str], ParsedPattern] | None = None,
) -> pd.DataFrame:
    """Like workout_assignments, with each plan's training pattern (cycle, offsets) instead of its content.

    `known_patterns` (keyed by assignment id and creation time) holds patterns parsed before; only
    the contents of the others are read and parsed, and are added to it. Contents never change,
    so the caller may keep it for as long as it likes.
    """
    statement = select(
        PlanAssignment.id,
        PlanAssignment.created_at,
        PlanAssignment.client_id,
        PlanAssignment.start_date,
        PlanAssignment.end_date,
    ).where(
        PlanAssignment.kind == PlanKind.WORKOUT,
        PlanAssignment.start_date <= last,
        or_(PlanAssignment.end_date.is_(None), PlanAssignment.end_date >= first),
    )
    statement = _scope_clients(statement, PlanAssignment.client_id, client_ids, trainer_id)
    frame = read_frame(statement, ["id", "created_at", "client_id", "start_date", "end_date"])
    keys = [(int(row_id), str(created)) for row_id, created in zip(frame["id"], frame["created_at"], strict=True)]
    known = {} if known_patterns is None else known_patterns
    patterns = {key: known[key] for key in keys if key in known}
    missing = {key[0]: key for key in keys if key not in patterns}
    if missing:
        contents = db.session.execute(
            select(PlanAssignment.id, PlanAssignment.content).where(PlanAssignment.id.in_(list(missing)))
        ).all()
        parsed = parse_patterns({missing[row_id]: content for row_id, content in contents})
        known.update(parsed)
        patterns.update(parsed)
    frame["cycle"] = [patterns[key][0] for key in keys]
    frame["offsets"] = [patterns[key][1] for key in keys]
    return frame


def workout_days_by_week(
    client_ids: Sequence[int] | None, first: date, last: date, trainer_id: int | None = None
) -> pd.DataFrame:
    """Distinct days each client trained, per week, in [first, last]."""
    week = truncate(WorkoutLog.performed_on, "week")
    statement = (
        select(WorkoutLog.client_id, week.label("week"), func.count(func.distinct(WorkoutLog.performed_on)))
        .where(WorkoutLog.performed_on >= first, WorkoutLog.performed_on <= last)
        .group_by(WorkoutLog.client_id, week)
    )
    statement = _scope_clients(statement, WorkoutLog.client_id, client_ids, trainer_id)
    return read_frame(statement, ["client_id", "week", "done"])


def _scope_clients(statement, client_column, client_ids: Sequence[int] | None, trainer_id: int | None):
    if client_ids is not None:
        return statement.where(client_column.in_(list(client_ids)))
    if trainer_id is None:
        raise ValueError("give client_ids or trainer_id")
    return statement.join(Client, Client.id == client_column).where(*active_client_conditions(trainer_id))


_LOG_DATES = (
    (WorkoutLog.client_id, WorkoutLog.performed_on),
    (MealLog.client_id, MealLog.eaten_on),
    (CheckIn.client_id, CheckIn.submitted_on),
    (BodyMetric.client_id, BodyMetric.measured_on),
)


def last_log_dates(
    client_ids: Sequence[int] | None, since: date | None = None, trainer_id: int | None = None
) -> pd.DataFrame:
    """The latest day each client logged anything (workout, meal, check-in, metric).

    With `since`, only logs from that day on are considered, which lets the database use the
    date indexes; clients with no such log are absent from the result.
    """
    parts = []
    for client_column, day_column in _LOG_DATES:
        part = select(client_column.label("client_id"), func.max(day_column).label("last_log")).group_by(client_column)
        if since is not None:
            part = part.where(day_column >= since)
        parts.append(_scope_clients(part, client_column, client_ids, trainer_id))
    logs = union_all(*parts).subquery()
    statement = select(logs.c.client_id, func.max(logs.c.last_log)).group_by(logs.c.client_id)
    frame = read_frame(statement, ["client_id", "last_log"])
    # A max() over a UNION loses the column type on SQLite, which then hands back text.
    frame["last_log"] = [date.fromisoformat(value) if isinstance(value, str) else value for value in frame["last_log"]]
    return frame


def weights(client_ids: Sequence[int], first: date, last: date) -> pd.DataFrame:
    """Weigh-ins (body metric 'weight') of the clients in [first, last]."""
    statement = select(BodyMetric.client_id, BodyMetric.measured_on, BodyMetric.value).where(
        BodyMetric.client_id.in_(list(client_ids)),
        BodyMetric.metric == WEIGHT_METRIC,
        BodyMetric.measured_on >= first,
        BodyMetric.measured_on <= last,
    )
    return read_frame(
        statement.order_by(BodyMetric.client_id, BodyMetric.measured_on), ["client_id", "day", "weight_kg"]
    )


def check_in_weights(client_ids: Sequence[int], first: date, last: date) -> pd.DataFrame:
    """Weights given in the clients' check-ins in [first, last]."""
    statement = select(CheckIn.client_id, CheckIn.submitted_on, CheckIn.weight_kg).where(
        CheckIn.client_id.in_(list(client_ids)),
        CheckIn.weight_kg.is_not(None),
        CheckIn.submitted_on >= first,
        CheckIn.submitted_on <= last,
    )
    return read_frame(statement.order_by(CheckIn.client_id, CheckIn.submitted_on), ["client_id", "day", "weight_kg"])


def bests_before_and_during(
    client_ids: Sequence[int] | None, first: date, last: date, trainer_id: int | None = None
) -> pd.DataFrame:
    """Per client and exercise: the heaviest set before `first` and the heaviest in [first, last]."""
    before = func.max(case((WorkoutLog.performed_on < first, WorkoutSet.weight_kg), else_=None))
    during = func.max(case((WorkoutLog.performed_on >= first, WorkoutSet.weight_kg), else_=None))
    statement = (
        select(WorkoutLog.client_id, WorkoutSet.exercise_id, before, during)
        .join(WorkoutLog, WorkoutLog.id == WorkoutSet.workout_log_id)
        .where(WorkoutLog.performed_on <= last, WorkoutSet.weight_kg > 0)
        .group_by(WorkoutLog.client_id, WorkoutSet.exercise_id)
    )
    statement = _scope_clients(statement, WorkoutLog.client_id, client_ids, trainer_id)
    return read_frame(statement, ["client_id", "exercise_id", "best_before", "best_in_period"])


def sessions_by_client(trainer_id: int, start: datetime, end: datetime) -> pd.DataFrame:
    """Per client: sessions starting in [start, end) by status (one column per status)."""
    columns = [
        func.count(case((TrainingSession.status == status, 1), else_=None)).label(status.value)
        for status in SessionStatus
    ]
    statement = (
        select(TrainingSession.client_id, *columns)
        .where(
            TrainingSession.trainer_id == trainer_id,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
        .group_by(TrainingSession.client_id)
    )
    return read_frame(statement, ["client_id", *[status.value for status in SessionStatus]])


def logs_by_client(
    client_ids: Sequence[int] | None, first: date, last: date, trainer_id: int | None = None
) -> pd.DataFrame:
    """Per client: workouts, meals, check-ins logged in [first, last] and total volume."""
    parts = []
    for label, client_column, day_column, volume in (
        ("workouts", WorkoutLog.client_id, WorkoutLog.performed_on, WorkoutLog.total_volume_kg),
        ("meals", MealLog.client_id, MealLog.eaten_on, None),
        ("check_ins", CheckIn.client_id, CheckIn.submitted_on, None),
    ):
        volume_sum = func.coalesce(func.sum(volume), 0.0) if volume is not None else literal_column("0.0")
        part: Select = (
            select(
                client_column.label("client_id"),
                literal_column(f"'{label}'").label("kind"),
                func.count().label("n"),
                volume_sum.label("volume"),
            )
            .where(day_column >= first, day_column <= last)
            .group_by(client_column)
        )
        parts.append(_scope_clients(part, client_column, client_ids, trainer_id))
    frame = read_frame(union_all(*parts), ["client_id", "kind", "n", "volume"])
    if frame.empty:
        return pd.DataFrame(columns=["client_id", "workouts", "meals", "check_ins", "volume_kg"])
    table = frame.pivot_table(index="client_id", columns="kind", values="n", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=["workouts", "meals", "check_ins"], fill_value=0).astype("int64")
    volume = frame[frame["kind"] == "workouts"].set_index("client_id")["volume"].astype("float64")
    table["volume_kg"] = volume.reindex(table.index).fillna(0.0).round(1)
    table.columns.name = None
    return table.reset_index()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def platform_totals(today: date) -> dict[str, int]:
    """Trainers (all, active), clients (all, current) and users who logged in within 7 and 30 days of `today`."""
    now = _start_of(today + timedelta(days=1))
    users = db.session.execute(
        select(
            func.count(case((User.role == Role.TRAINER, 1))),
            func.count(case(((User.role == Role.TRAINER) & User.is_active.is_(True), 1))),
            func.count(case((User.last_login_at >= now - timedelta(days=7), 1))),
            func.count(case((User.last_login_at >= now - timedelta(days=30), 1))),
        )
    ).one()
    clients = db.session.execute(
        select(func.count(Client.id), func.count(case((Client.archived_at.is_(None) & Client.is_active.is_(True), 1))))
    ).one()
    return {
        "trainers": int(users[0]),
        "active_trainers": int(users[1]),
        "clients": int(clients[0]),
        "active_clients": int(clients[1]),
        "users_active_7d": int(users[2]),
        "users_active_30d": int(users[3]),
    }


def signups_by_week(first_week: date) -> pd.DataFrame:
    """Accounts created per week (UTC) and role since `first_week`: week, role, count."""
    week = truncate(User.created_at, "week")
    signups = read_frame(
        select(week.label("week"), User.role, func.count())
        .where(User.created_at >= _start_of(first_week))
        .group_by(week, User.role),
        ["week", "role", "count"],
    )
    signups["role"] = signups["role"].map(lambda role: getattr(role, "value", role))
    return signups


def active_clients_by_week(first_week: date) -> pd.DataFrame:
    """Distinct clients who logged a workout or a meal, per week since `first_week`: week, clients."""
    # UNION removes same-day repeats.
    logged = union(
        select(WorkoutLog.client_id.label("client_id"), WorkoutLog.performed_on.label("day")).where(
            WorkoutLog.performed_on >= first_week
        ),
        select(MealLog.client_id, MealLog.eaten_on).where(MealLog.eaten_on >= first_week),
    ).subquery()
    week = truncate(logged.c.day, "week")
    return read_frame(
        select(week.label("week"), func.count(func.distinct(logged.c.client_id))).group_by(week), ["week", "clients"]
    )


def reports_by_status() -> pd.DataFrame:
    """Report jobs counted by status: status, count."""
    return read_frame(select(Report.status, func.count()).group_by(Report.status), ["status", "count"])


def top_trainers(limit: int) -> pd.DataFrame:
    """The trainers with the most current clients, with their client counts, last login and sign-up."""
    client_counts = (
        select(
            Client.trainer_id.label("trainer_id"),
            func.count(Client.id).label("clients"),
            func.count(case((Client.archived_at.is_(None) & Client.is_active.is_(True), 1))).label("active"),
        )
        .group_by(Client.trainer_id)
        .subquery()
    )
    return read_frame(
        select(
            User.id,
            User.name,
            User.email,
            func.coalesce(client_counts.c.clients, 0),
            func.coalesce(client_counts.c.active, 0),
            User.last_login_at,
            User.created_at,
        )
        .outerjoin(client_counts, client_counts.c.trainer_id == User.id)
        .where(User.role == Role.TRAINER)
        .order_by(func.coalesce(client_counts.c.active, 0).desc(), User.id)
        .limit(limit),
        ["trainer_id", "name", "email", "clients", "active_clients", "last_login_at", "created_at"],
    )


def clients_coached_between(trainer_id: int, start: datetime, end: datetime) -> pd.DataFrame:
    """The trainer's clients who existed and were not archived at some moment in [start, end), by name."""
    return read_frame(
        select(Client.id, Client.name, Client.email, Client.archived_at)
        .where(
            Client.trainer_id == trainer_id,
            Client.created_at < end,
            or_(Client.archived_at.is_(None), Client.archived_at >= start),
        )
        .order_by(Client.name, Client.id),
        ["client_id", "client", "email", "archived_at"],
    )


def _rows(statement):
    return db.session.execute(statement).all()


def _scalar(statement):
    return db.session.execute(statement).scalar_one()

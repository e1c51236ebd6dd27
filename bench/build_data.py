"""Fill a PostgreSQL database with the load benchmark's data: 20 trainers x 200 clients, two years of history.

    python -m bench.build_data [--database-url URL] [--reset | --if-empty] [--trainers 20] [--clients 200]

Migrates the database first, then writes every row with PostgreSQL COPY (one COPY per table
and trainer), with secondary indexes dropped during the load and rebuilt after it: minutes,
not hours. Random choices are seeded, so two builds with the same options and end date hold
the same rows. Every login's password is BENCH_PASSWORD, hashed once with the configured
(production) argon2id cost.

Adding a table family (messages, billing...): write `def family(ctx, trainer)` that calls
`ctx.copy(table, columns, rows)`, and list it in PER_TRAINER_FAMILIES with the tables it needs;
a family whose tables this schema lacks is skipped with a note. Columns you do not give get
their model's Python default or their server default; a NOT NULL column with neither is an
error that names the family to complete.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import JSON, Integer, Table
from sqlalchemy.engine import make_url

BENCH_PASSWORD = "bench-squats-deep-2026"
EMAIL_DOMAIN = "bench.fitbud.test"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1/fitbud_bench"
DEFAULT_SEED = 20261123

TIMEZONES = ["Europe/London", "America/New_York", "Europe/Berlin", "America/Los_Angeles", "Australia/Sydney", "UTC"]
FIRST_NAMES = [
    "Ava", "Ben", "Chloe", "Diego", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kira", "Liam", "Maya", "Noah",
    "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Xena", "Yusuf", "Zoe", "Amir",
    "Bella", "Carlos", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Nina",
]
LAST_NAMES = [
    "Abbott", "Brooks", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Kowalski",
    "Lopez", "Murphy", "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Walsh",
    "Xu", "Young", "Zimmer", "Adams", "Baker", "Costa", "Dias",
]

# name, primary muscles, equipment, typical working weight for an intermediate lifter (kg)
BUILTIN_EXERCISES = [
    ("Back Squat", ["quadriceps", "glutes"], "barbell", 80),
    ("Bench Press", ["chest", "triceps"], "barbell", 60),
    ("Deadlift", ["hamstrings", "glutes", "back"], "barbell", 100),
    ("Overhead Press", ["shoulders", "triceps"], "barbell", 40),
    ("Barbell Row", ["back", "biceps"], "barbell", 55),
    ("Pull-up", ["back", "biceps"], "bodyweight", 0),
    ("Romanian Deadlift", ["hamstrings", "glutes"], "barbell", 70),
    ("Walking Lunge", ["quadriceps", "glutes"], "dumbbell", 16),
    ("Leg Press", ["quadriceps"], "machine", 120),
    ("Incline Dumbbell Press", ["chest", "shoulders"], "dumbbell", 22),
    ("Lat Pulldown", ["back"], "cable", 50),
    ("Seated Cable Row", ["back"], "cable", 50),
    ("Dumbbell Curl", ["biceps"], "dumbbell", 12),
    ("Triceps Pushdown", ["triceps"], "cable", 25),
    ("Lateral Raise", ["shoulders"], "dumbbell", 8),
    ("Hip Thrust", ["glutes"], "barbell", 90),
    ("Leg Curl", ["hamstrings"], "machine", 40),
    ("Calf Raise", ["calves"], "machine", 60),
    ("Goblet Squat", ["quadriceps", "glutes"], "kettlebell", 24),
    ("Face Pull", ["shoulders", "back"], "cable", 20),
]

# Meals a client logs: (name, items); items are (food, quantity, unit, kcal, protein, carbs, fat).
MEALS = {
    "Breakfast": [
        [("Oats", 80, "g", 300, 10, 54, 6), ("Milk", 250, "ml", 160, 8, 12, 9),
         ("Banana", 1, "piece", 105, 1, 27, 0)],
        [("Eggs", 3, "piece", 215, 19, 1, 15), ("Toast", 2, "slice", 160, 6, 30, 2)],
        [("Greek yogurt", 200, "g", 190, 20, 8, 9), ("Berries", 100, "g", 50, 1, 12, 0),
         ("Granola", 40, "g", 180, 4, 26, 6)],
    ],
    "Lunch": [
        [("Chicken breast", 150, "g", 250, 46, 0, 5), ("Rice", 200, "g", 260, 5, 57, 1),
         ("Broccoli", 100, "g", 35, 3, 7, 0)],
        [("Tuna salad", 1, "bowl", 420, 35, 20, 22)],
        [("Turkey wrap", 1, "piece", 480, 32, 45, 16), ("Apple", 1, "piece", 95, 0, 25, 0)],
    ],
    "Dinner": [
        [("Salmon", 180, "g", 370, 38, 0, 23), ("Potatoes", 250, "g", 215, 5, 48, 0),
         ("Green beans", 100, "g", 31, 2, 7, 0)],
        [("Beef mince", 150, "g", 380, 30, 0, 28), ("Pasta", 100, "g", 360, 13, 72, 2),
         ("Tomato sauce", 120, "g", 60, 2, 10, 1)],
        [("Tofu", 200, "g", 290, 32, 6, 17), ("Noodles", 100, "g", 340, 11, 70, 2),
         ("Vegetables", 150, "g", 60, 3, 12, 0)],
    ],
}


class BuildError(RuntimeError):
    """The database or the options do not allow a build; the message says what to do."""


class RawJSON(str):
    """A value already encoded as JSON text (written as it is into a JSON column)."""


def _raw_json(value: Any) -> RawJSON:
    return RawJSON(json.dumps(value, separators=(",", ":")))


@dataclass(frozen=True)
class Size:
    """How much data to build."""

    trainers: int = 20
    clients_per_trainer: int = 200
    days: int = 730
    seed: int = DEFAULT_SEED
    end: date = field(default_factory=lambda: datetime.now(UTC).date())

    @property
    def start(self) -> date:
        """The first day of history."""
        return self.end - timedelta(days=self.days - 1)


@dataclass
class ClientSeed:
    """A client being built: its ids and the facts later families need."""

    index: int
    id: int
    user_id: int
    name: str
    email: str
    timezone: str


@dataclass
class TrainerWorld:
    """One trainer's slice of the build; families add rows and feed events to it."""

    index: int
    user_id: int
    name: str
    clients: list[ClientSeed] = field(default_factory=list)
    workout_template: dict[str, Any] = field(default_factory=dict)
    diet_template: dict[str, Any] = field(default_factory=dict)
    # (occurred_at, client_id, type, summary, payload): written by the activity family, in time order.
    events: list[tuple[datetime, int, str, str, dict[str, Any]]] = field(default_factory=list)


class Progress:
    """Prints how far the build is, with rows written and an estimate of the time left."""

    def __init__(self, total_steps: int, stream=sys.stderr) -> None:
        self.total_steps = total_steps
        self.done_steps = 0
        self.rows = 0
        self.started = self.steps_started = time.monotonic()
        self.rows_before_steps = 0
        self.stream = stream

    def note(self, message: str) -> None:
        """A line of its own (phase changes, skipped families)."""
        print(f"[{self._clock()}] {message}", file=self.stream, flush=True)

    def start_steps(self) -> None:
        """The main loop begins: estimates count from here (migrations and set-up excluded)."""
        self.steps_started = time.monotonic()
        self.rows_before_steps = self.rows

    def step_done(self, label: str) -> None:
        """One unit of the main loop finished."""
        self.done_steps += 1
        elapsed = time.monotonic() - self.steps_started
        left = elapsed / self.done_steps * (self.total_steps - self.done_steps)
        rate = (self.rows - self.rows_before_steps) / max(elapsed, 1e-9)
        self.note(
            f"{label} ({self.done_steps}/{self.total_steps}): {self.rows:,} rows, "
            f"{rate:,.0f} rows/s, about {_duration(left)} left"
        )

    def _clock(self) -> str:
        return _duration(time.monotonic() - self.started)


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s"


class Context:
    """What families use: the connection, id allocation, COPY, the size and the seeded randomness."""

    def __init__(self, connection: psycopg.Connection, tables: dict[str, Table], size: Size, progress: Progress):
        self.connection = connection
        self.tables = tables
        self.size = size
        self.progress = progress
        self.password_hash = ""
        self.exercises: list[tuple[int, float]] = []  # (id, typical weight kg)
        self._next_id: dict[str, int] = {}
        self._defaults: dict[tuple[str, tuple[str, ...]], tuple[list[str], tuple[Any, ...]]] = {}

    def rng(self, *scope: object) -> random.Random:
        """A random generator seeded by the build seed and `scope`, so each part is reproducible alone."""
        return random.Random("/".join(map(str, (self.size.seed, *scope))))

    def ids(self, table: str, count: int) -> range:
        """`count` fresh primary keys for `table` (the sequence is moved past them at the end)."""
        start = self._next_id.get(table)
        if start is None:
            with self.connection.cursor() as cursor:
                cursor.execute(sql.SQL("SELECT COALESCE(max(id), 0) FROM {}").format(sql.Identifier(table)))
                start = cursor.fetchone()[0] + 1
        self._next_id[table] = start + count
        return range(start, start + count)

    def copy(self, table_name: str, columns: str | Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """COPY `rows` (tuples in `columns` order; columns may be one space-separated string) into the table."""
        if isinstance(columns, str):
            columns = columns.split()
        table = self.tables[table_name]
        unknown = [name for name in columns if name not in table.c]
        if unknown:
            raise BuildError(f"{table_name} has no column(s) {unknown}: the family filling it is out of date")
        extra_columns, extra_values = self._implicit_values(table, tuple(columns))
        json_positions = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table_name), sql.SQL(", ").join(map(sql.Identifier, [*columns, *extra_columns]))
        )
        written = 0
        # The queued writer sends buffers from a thread, so generating rows overlaps with the upload.
        with self.connection.cursor() as cursor, cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            for row in rows:
                if json_positions:
                    row = list(row)
                    for position in json_positions:
                        value = row[position]
                        if value is not None and not isinstance(value, RawJSON):
                            row[position] = json.dumps(value, separators=(",", ":"))
                copy.write_row((*row, *extra_values) if extra_values else row)
                written += 1
        self.progress.rows += written
        return written

    def _implicit_values(self, table: Table, given: tuple[str, ...]) -> tuple[list[str], tuple[Any, ...]]:
        """Python-side model defaults for the columns a family leaves out (COPY would not apply them)."""
        key = (table.name, given)
        if key not in self._defaults:
            names, values, missing = [], [], []
            for column in table.columns:
                if column.name in given or column.server_default is not None:
                    continue
                default = column.default
                if default is not None and (default.is_scalar or default.is_callable):
                    value = default.arg if default.is_scalar else default.arg(None)
                    if isinstance(column.type, JSON):
                        value = _raw_json(value)
                    elif hasattr(value, "value"):  # an enum member: the column stores its value
                        value = value.value
                    names.append(column.name)
                    values.append(value)
                elif not column.nullable and not (column.primary_key and column.autoincrement):
                    missing.append(column.name)
            if missing:
                raise BuildError(
                    f"{table.name}: NOT NULL column(s) {missing} have no default; "
                    "give them in the family that fills this table"
                )
            self._defaults[key] = (names, tuple(values))
        return self._defaults[key]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """`day` at `hour:minute` UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# Families. Global ones run once; per-trainer ones run for each trainer, in this file's order.
# ---------------------------------------------------------------------------------------------


def exercises(ctx: Context) -> None:
    """The built-in exercise library: the existing one, or 20 common lifts when there is none."""
    with ctx.connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM exercises WHERE owner_id IS NULL ORDER BY id LIMIT 20")
        existing = cursor.fetchall()
    typical = {name: weight for name, _muscles, _equipment, weight in BUILTIN_EXERCISES}
    if existing:
        ctx.exercises = [(exercise_id, float(typical.get(name, 40))) for exercise_id, name in existing]
        ctx.progress.note(f"using {len(existing)} existing built-in exercises")
        return
    ids = ctx.ids("exercises", len(BUILTIN_EXERCISES))
    created = at(ctx.size.start, 0) - timedelta(days=90)
    rows = [
        (
            exercise_id,
            "bench-" + name.lower().replace(" ", "-"),
            None,
            name,
            "strength",
            muscles,
            [],
            equipment,
            "intermediate",
            f"{name}: controlled tempo, full range of motion.",
            created,
            created,
        )
        for exercise_id, (name, muscles, equipment, _weight) in zip(ids, BUILTIN_EXERCISES, strict=True)
    ]
    columns = (
        "id slug owner_id name category primary_muscles secondary_muscles equipment level instructions "
        "created_at updated_at"
    )
    ctx.copy("exercises", columns, rows)
    ctx.exercises = [(exercise_id, float(row[-1])) for exercise_id, row in zip(ids, BUILTIN_EXERCISES, strict=True)]
    ctx.progress.note(f"created {len(rows)} built-in exercises")


USER_COLUMNS = "id email password_hash name role is_active timezone unit_system created_at updated_at"


def staff(ctx: Context) -> list[TrainerWorld]:
    """The admin and the trainers (users with role trainer)."""
    rng = ctx.rng("staff")
    ids = ctx.ids("users", ctx.size.trainers + 1)
    joined = at(ctx.size.start, 9) - timedelta(days=120)
    rows = [(ids[0], ADMIN_EMAIL, ctx.password_hash, "Bench Admin", "admin", True, "UTC", "metric", joined, joined)]
    trainers = []
    for index, user_id in enumerate(ids[1:], start=1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        timezone = rng.choice(TIMEZONES)
        rows.append((user_id, trainer_email(index), ctx.password_hash, name, "trainer", True, timezone, "metric",
                     joined, joined))
        trainers.append(TrainerWorld(index=index, user_id=user_id, name=name))
    ctx.copy("users", USER_COLUMNS, rows)
    return trainers


def trainer_email(index: int) -> str:
    """The login of the benchmark's trainer number `index` (1-based)."""
    return f"trainer{index}@{EMAIL_DOMAIN}"


def client_email(trainer_index: int, client_index: int) -> str:
    """The login of client number `client_index` (1-based) of trainer `trainer_index`."""
    return f"client{trainer_index}-{client_index}@{EMAIL_DOMAIN}"


def clients(ctx: Context, trainer: TrainerWorld) -> None:
    """The trainer's clients, each with a client login; a few are inactive or archived."""
    rng = ctx.rng("clients", trainer.index)
    count = ctx.size.clients_per_trainer
    user_ids = ctx.ids("users", count)
    client_ids = ctx.ids("clients", count)
    user_rows, client_rows = [], []
    table = ctx.tables["clients"]
    # Profile columns that arrive with the clients domain: filled when this schema has them.
    profile = [name for name in ("height_cm", "starting_weight_kg", "date_of_birth", "tags") if name in table.c]
    for index, (user_id, client_id) in enumerate(zip(user_ids, client_ids, strict=True), start=1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = client_email(trainer.index, index)
        timezone = rng.choice(TIMEZONES)
        joined = at(ctx.size.start, 8) - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 600))
        roll = rng.random()
        is_active = roll >= 0.10
        archived_at = at(ctx.size.end, 7) - timedelta(days=rng.randint(1, 200)) if roll < 0.04 else None
        user_rows.append((user_id, email, ctx.password_hash, name, "client", True, timezone, "metric", joined, joined))
        values = {
            "height_cm": round(rng.uniform(155, 195), 1),
            "starting_weight_kg": round(rng.uniform(55, 110), 1),
            "date_of_birth": date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            "tags": rng.sample(["online", "in-person", "strength", "fat-loss", "rehab", "athlete"], 2),
        }
        client_rows.append(
            (client_id, trainer.user_id, user_id, email, name, is_active, timezone, archived_at, joined, joined,
             *(values[name] for name in profile))
        )
        trainer.clients.append(ClientSeed(index, client_id, user_id, name, email, timezone))
    ctx.copy("users", USER_COLUMNS, user_rows)
    columns = "id trainer_id user_id email name is_active timezone archived_at created_at updated_at"
    ctx.copy("clients", [*columns.split(), *profile], client_rows)


def plans(ctx: Context, trainer: TrainerWorld) -> None:
    """A workout and a diet template per trainer, and both assigned to every client (recent start)."""
    from fitbud.models import PlanKind
    from fitbud.services.plan_content import CONTENT_SCHEMAS

    rng = ctx.rng("plans", trainer.index)
    exercise_ids = [exercise_id for exercise_id, _weight in ctx.exercises]
    days = []
    for day in range(3):
        picked = [exercise_ids[(day * 5 + i) % len(exercise_ids)] for i in range(5)]
        items = [{"exercise_id": eid, "sets": 4, "reps": "6-10", "rest_seconds": 120} for eid in picked]
        days.append({"name": f"Day {'ABC'[day]}", "rest": False, "items": items})
        days.append({"name": "Rest", "rest": True, "items": []})
    trainer.workout_template = {"weeks": [{"name": "Week 1", "days": days[:6] + [{"name": "Rest", "rest": True,
                                                                                   "items": []}]}]}
    meals = [
        {"name": meal, "time": clock, "items": [
            {"food": food, "quantity": float(quantity), "unit": unit, "kcal": float(kcal), "protein": float(p),
             "carbs": float(c), "fat": float(f)} for food, quantity, unit, kcal, p, c, f in options[0]]}
        for (meal, options), clock in zip(MEALS.items(), ("08:00", "13:00", "19:30"), strict=True)
    ]
    trainer.diet_template = {"days": [{"name": "Training day", "meals": meals}], "targets": {"kcal": 2200.0}}
    for kind, content in (("workout", trainer.workout_template), ("diet", trainer.diet_template)):
        # The app's own content rules, so the plans read back as valid (raises when they drift).
        CONTENT_SCHEMAS[PlanKind(kind)]().load(content)
    template_ids = ctx.ids("plan_templates", 2)
    created = at(ctx.size.start, 10)
    templates = [
        (template_ids[0], trainer.user_id, "workout", "Full body 3x", "Three full-body days a week.", ["strength"],
         _raw_json(trainer.workout_template), 1, created, created),
        (template_ids[1], trainer.user_id, "diet", "Balanced 2200", "Three meals, 2200 kcal.", ["nutrition"],
         _raw_json(trainer.diet_template), 1, created, created),
    ]
    ctx.copy("plan_templates",
             "id trainer_id kind name description tags content version created_at updated_at", templates)
    workout_json, diet_json = templates[0][6], templates[1][6]
    rows = []
    for client in trainer.clients:
        start = ctx.size.end - timedelta(days=rng.randint(0, 56))
        assigned = at(start, 9)
        rows.append((client.id, trainer.user_id, template_ids[0], "workout", "Full body 3x", 1, workout_json, start,
                     None, assigned, assigned))
        rows.append((client.id, trainer.user_id, template_ids[1], "diet", "Balanced 2200", 1, diet_json, start,
                     None, assigned, assigned))
    columns = "client_id trainer_id plan_id kind name plan_version content start_date end_date created_at updated_at"
    ctx.copy("plan_assignments", columns, rows)


def progress(ctx: Context, trainer: TrainerWorld) -> None:
    """Daily weigh-ins, weekly body fat and waist, workouts 3-5 times a week (5 x 4 sets), meals, check-ins."""
    size = ctx.size
    days = [size.start + timedelta(days=offset) for offset in range(size.days)]
    metric_rows: list[tuple] = []
    log_rows: list[tuple] = []
    set_rows: list[tuple] = []
    meal_rows: list[tuple] = []
    check_in_rows: list[tuple] = []
    n_logs = n_meals = 0
    planned: list[tuple[ClientSeed, random.Random]] = [(c, ctx.rng("progress", c.id)) for c in trainer.clients]
    # Count first so ids can be allocated in one block per table.
    schedules = []
    for _client, rng in planned:
        workout_days = []
        for week_start in range(0, size.days, 7):
            week = days[week_start:week_start + 7]
            workout_days.extend(sorted(rng.sample(week, min(len(week), rng.choice((3, 4, 5))))))
        meal_days = [day for day in days if rng.random() < 0.5]
        schedules.append((workout_days, meal_days))
        n_logs += len(workout_days)
        n_meals += 3 * len(meal_days)
    log_ids = iter(ctx.ids("workout_logs", n_logs))
    meal_ids = iter(ctx.ids("meal_logs", n_meals))
    meal_choices = {name: [(sum(i[3] for i in options), sum(i[4] for i in options),
                            sum(i[5] for i in options), sum(i[6] for i in options),
                            _raw_json([{"food": f, "quantity": q, "unit": u, "kcal": k, "protein_g": p, "carbs_g": c,
                                        "fat_g": fat} for f, q, u, k, p, c, fat in options]))
                           for options in choices] for name, choices in MEALS.items()}
    exercise_weight = dict(ctx.exercises)
    day_items = [day["items"] for day in trainer.workout_template["weeks"][0]["days"] if not day["rest"]]
    for (client, rng), (workout_days, meal_days) in zip(planned, schedules, strict=True):
        strength = rng.uniform(0.6, 1.3)
        weight = rng.uniform(58, 110)
        trend = rng.uniform(-0.03, 0.01)
        body_fat = rng.uniform(14, 34)
        check_in_weekday = rng.randrange(7)
        for day in days:
            weight += trend + rng.gauss(0, 0.25)
            logged = at(day, 7, rng.randrange(60))
            if rng.random() < 0.85:
                metric_rows.append((client.id, day, "weight", round(weight, 2), logged, logged))
            if day.weekday() == check_in_weekday:
                body_fat = min(45.0, max(6.0, body_fat + trend / 4 + rng.gauss(0, 0.15)))
                waist = 0.9 * weight + 10
                metric_rows.append((client.id, day, "body_fat", round(body_fat, 1), logged, logged))
                metric_rows.append((client.id, day, "waist", round(waist, 1), logged, logged))
                if rng.random() < 0.9:
                    submitted = at(day, 20, rng.randrange(60))
                    replied = day < size.end - timedelta(days=7) or rng.random() < 0.5
                    check_in_rows.append((
                        client.id, day, round(weight, 1), round(body_fat, 1), {"waist": round(waist, 1)},
                        round(rng.uniform(5.5, 8.5), 1), rng.randint(1, 5), rng.randint(2, 5), rng.randint(2, 5),
                        {"wins": "Hit every session.", "struggles": "Late-night snacks."},
                        "Great week, keep it up." if replied else None,
                        submitted + timedelta(hours=rng.randint(2, 30)) if replied else None,
                        submitted, submitted,
                    ))
                    trainer.events.append((submitted, client.id, "check_in_submitted",
                                           f"{client.name} submitted a check-in", {"submitted_on": day.isoformat()}))
        progression = 1.0
        for number, day in enumerate(workout_days):
            log_id = next(log_ids)
            progression = 1.0 + 0.25 * number / max(1, len(workout_days))
            items = day_items[number % len(day_items)]
            volume = 0.0
            for order, item in enumerate(items):
                base = exercise_weight.get(item["exercise_id"], 40.0) * strength * progression
                load = round(base / 2.5) * 2.5 if base else None
                for set_number in range(1, 5):
                    reps = rng.randint(6, 10)
                    rpe = round(rng.uniform(7, 9.5), 1) if set_number == 4 else None
                    set_rows.append((log_id, item["exercise_id"], order, set_number, reps, load, rpe))
                    volume += reps * (load or 0.0)
            done = at(day, 18, rng.randrange(60))
            volume = round(volume, 3)
            log_rows.append((log_id, client.id, day, rng.randint(45, 80), rng.randint(5, 9), "", volume, 20, 20,
                             done, done))
            trainer.events.append((done, client.id, "workout_logged", f"{client.name} logged a workout: 20 of 20 sets",
                                   {"workout_log_id": log_id, "performed_on": day.isoformat(), "sets_done": 20,
                                    "sets_planned": 20, "total_volume_kg": volume}))
        for day in meal_days:
            for meal_name, hour in (("Breakfast", 8), ("Lunch", 13), ("Dinner", 19)):
                meal_id = next(meal_ids)
                kcal, protein, carbs, fat, items_json = rng.choice(meal_choices[meal_name])
                eaten = at(day, hour, rng.randrange(60))
                meal_rows.append((meal_id, client.id, day, meal_name, items_json, kcal, protein, carbs, fat, "",
                                  eaten, eaten))
                summary = f"{client.name} logged {meal_name} ({kcal} kcal)"
                payload = {"meal_log_id": meal_id, "eaten_on": day.isoformat(), "kcal": float(kcal)}
                trainer.events.append((eaten, client.id, "meal_logged", summary, payload))
    ctx.copy("body_metrics", "client_id measured_on metric value created_at updated_at", metric_rows)
    ctx.copy("workout_logs", "id client_id performed_on duration_minutes perceived_effort notes total_volume_kg "
                              "sets_done sets_planned created_at updated_at", log_rows)
    ctx.copy("workout_sets", "workout_log_id exercise_id exercise_order set_number reps weight_kg rpe",
             set_rows)
    ctx.copy("meal_logs", "id client_id eaten_on meal_name items kcal protein_g carbs_g fat_g notes created_at "
                          "updated_at", meal_rows)
    ctx.copy("check_ins", "client_id submitted_on weight_kg body_fat_pct measurements_cm sleep_hours stress energy "
                           "adherence answers trainer_comment replied_at created_at updated_at", check_in_rows)


def sessions(ctx: Context, trainer: TrainerWorld) -> None:
    """A session every other week per client over the whole history and the next 8 weeks."""
    size = ctx.size
    rows = []
    first_monday = size.start - timedelta(days=size.start.weekday())
    last_day = size.end + timedelta(weeks=8)
    now = at(size.end, 12)
    for client in trainer.clients:
        rng = ctx.rng("sessions", client.id)
        weekday, hour = rng.randrange(6), rng.randint(7, 19)
        kind = rng.choices(("in_person", "online", "check_in_call"), (70, 25, 5))[0]
        minutes = 30 if kind == "check_in_call" else 60
        week = first_monday + timedelta(weeks=client.index % 2)
        while week <= last_day:
            starts = at(week + timedelta(days=weekday), hour)
            ends = starts + timedelta(minutes=minutes)
            if starts >= at(size.start, 0):
                if starts > now:
                    status = "scheduled"
                else:
                    status = rng.choices(("completed", "cancelled", "no_show"), (88, 7, 5))[0]
                booked = starts - timedelta(days=rng.randint(3, 14))
                rows.append((trainer.user_id, client.id, starts, ends, minutes, kind, status,
                             "Studio A" if kind == "in_person" else None, "", booked, booked))
                if status == "no_show":
                    trainer.events.append((ends, client.id, "session_missed", f"{client.name} missed a session",
                                           {"starts_at": starts.isoformat()}))
            week += timedelta(weeks=2)
    columns = "trainer_id client_id starts_at ends_at duration_minutes type status location notes created_at updated_at"
    ctx.copy("training_sessions", columns, rows)


def activity(ctx: Context, trainer: TrainerWorld) -> None:
    """The trainer's feed, in time order so ids grow with time as they do in production."""
    trainer.events.sort(key=lambda event: event[0])
    ids = ctx.ids("activity_events", len(trainer.events))
    rows = (
        (event_id, trainer.user_id, client_id, kind, occurred, summary[:200], payload)
        for event_id, (occurred, client_id, kind, summary, payload) in zip(ids, trainer.events, strict=True)
    )
    ctx.copy("activity_events", "id trainer_id client_id type occurred_at summary payload", rows)
    trainer.events.clear()


# Per-trainer families in FK order, each with the tables it needs (missing tables: skipped with a note).
PER_TRAINER_FAMILIES: list[tuple[Callable[[Context, TrainerWorld], None], tuple[str, ...]]] = [
    (clients, ("users", "clients")),
    (plans, ("plan_templates", "plan_assignments")),
    (progress, ("body_metrics", "workout_logs", "workout_sets", "meal_logs", "check_ins")),
    (sessions, ("training_sessions",)),
    (activity, ("activity_events",)),
]

# Tables whose secondary indexes are dropped during the load and rebuilt after it.
BULK_TABLES = ("body_metrics", "workout_logs", "workout_sets", "meal_logs", "check_ins", "training_sessions",
               "activity_events", "plan_assignments")


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------


def psycopg_conninfo(database_url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://...) as a libpq connection string."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise BuildError(f"the benchmark needs PostgreSQL, not {url.get_backend_name()}")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def migrate(database_url: str) -> dict[str, Table]:
    """Bring the schema to the newest migration; the models' tables that exist afterwards."""
    from flask_migrate import upgrade
    from sqlalchemy import inspect

    from fitbud import create_app
    from fitbud.extensions import db
    from fitbud.models import Base

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade()
        present = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    return {name: table for name, table in Base.metadata.tables.items() if name in present}


def reset_schema(conninfo: str, database_name: str) -> None:
    """Drop every table: only for databases whose name says they are the benchmark's."""
    if "bench" not in database_name:
        raise BuildError(f"--reset only drops databases named like fitbud_bench*, not {database_name!r}")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def ensure_database(conninfo: str) -> None:
    """Create the database when it does not exist yet (the server's postgres database is asked)."""
    params = psycopg.conninfo.conninfo_to_dict(conninfo)
    name = params["dbname"]
    admin = psycopg.conninfo.make_conninfo(conninfo, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def is_built(conninfo: str) -> bool:
    """Whether the benchmark's admin already exists (the builder writes it first)."""
    with psycopg.connect(conninfo) as connection:
        has_users = connection.execute("SELECT to_regclass('public.users')").fetchone()[0]
        if has_users is None:
            return False
        return connection.execute("SELECT 1 FROM users WHERE email = %s", (ADMIN_EMAIL,)).fetchone() is not None


@contextlib.contextmanager
def deferred_indexes(connection: psycopg.Connection, tables: Iterable[str], progress: Progress) -> Iterator[None]:
    """Drop the tables' secondary indexes (not primary keys or unique constraints) and rebuild them after."""
    rows = connection.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        (list(tables),),
    ).fetchall()
    for name, _ddl in rows:
        connection.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        progress.note(f"rebuilding {len(rows)} indexes")
        for _name, ddl in rows:
            connection.execute(ddl)
        connection.commit()


def finish(connection: psycopg.Connection, tables: dict[str, Table], progress: Progress) -> None:
    """Sequences past the ids written, clients' last activity, then VACUUM ANALYZE for fresh statistics."""
    for name, table in tables.items():
        if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
            connection.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({name}, 'id'), COALESCE(max(id), 0) + 1, false) FROM {table}"
                ).format(name=sql.Literal(name), table=sql.Identifier(name))
            )
    if "activity_events" in tables:
        connection.execute(
            "UPDATE clients SET last_activity_at = latest.at FROM "
            "(SELECT client_id, max(occurred_at) AS at FROM activity_events GROUP BY client_id) AS latest "
            "WHERE latest.client_id = clients.id"
        )
    connection.commit()
    progress.note("VACUUM ANALYZE")
    connection.autocommit = True
    connection.execute("VACUUM ANALYZE")
    connection.autocommit = False


def build(database_url: str, size: Size, *, reset: bool = False, if_empty: bool = False,
          progress: Progress | None = None) -> dict[str, int]:
    """Migrate and fill the database; returns rows written per table."""
    conninfo = psycopg_conninfo(database_url)
    ensure_database(conninfo)
    database_name = psycopg.conninfo.conninfo_to_dict(conninfo)["dbname"]
    progress = progress or Progress(size.trainers)
    if reset:
        progress.note(f"dropping every table of {database_name}")
        reset_schema(conninfo, database_name)
    elif is_built(conninfo):
        if if_empty:
            # The code may have moved on since the build (merged branches): bring the schema along.
            progress.note(f"{database_name} already holds the benchmark data; migrating it only (--reset rebuilds)")
            migrate(database_url)
            return {}
        raise BuildError(f"{database_name} already holds data; pass --reset to rebuild it or --if-empty to keep it")
    progress.note("migrating")
    tables = migrate(database_url)
    from argon2 import PasswordHasher

    from config import Config

    settings = Config()
    hasher = PasswordHasher(time_cost=settings.ARGON2_TIME_COST, memory_cost=settings.ARGON2_MEMORY_COST,
                            parallelism=settings.ARGON2_PARALLELISM)
    counts: dict[str, int] = {}
    with psycopg.connect(conninfo) as connection:
        ctx = Context(connection, tables, size, progress)
        ctx.password_hash = hasher.hash(BENCH_PASSWORD)  # once: every login shares it
        original_copy = ctx.copy

        def counting_copy(table: str, columns: str | Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
            """ctx.copy, also adding to the per-table totals printed at the end."""
            written = original_copy(table, columns, rows)
            counts[table] = counts.get(table, 0) + written
            return written

        ctx.copy = counting_copy  # type: ignore[method-assign]
        connection.execute("SET synchronous_commit = off")
        connection.execute("SET maintenance_work_mem = '512MB'")
        try:
            # Foreign keys are not checked during the load (the rows are generated consistent); needs superuser.
            connection.execute("SET session_replication_role = replica")
        except psycopg.Error:
            connection.rollback()
            progress.note("not a superuser: foreign keys are checked during the load (slower)")
        families = []
        for family, needs in PER_TRAINER_FAMILIES:
            absent = [name for name in needs if name not in tables]
            if absent:
                progress.note(f"skipping {family.__name__}: this schema has no {', '.join(absent)}")
            else:
                families.append(family)
        exercises(ctx)
        trainers = staff(ctx)
        connection.commit()
        with deferred_indexes(connection, [t for t in BULK_TABLES if t in tables], progress):
            progress.start_steps()
            for trainer in trainers:
                for family in families:
                    family(ctx, trainer)
                connection.commit()
                progress.step_done(f"trainer {trainer.index}")
        connection.execute("SET session_replication_role = DEFAULT")
        finish(connection, tables, progress)
    progress.note("done: " + ", ".join(f"{table} {count:,}" for table, count in sorted(counts.items())))
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
                        help="SQLAlchemy URL of the PostgreSQL database (default: BENCH_DATABASE_URL or %(default)s)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--reset", action="store_true", help="drop every table first and rebuild")
    mode.add_argument("--if-empty", action="store_true", help="do nothing when the data is already there")
    parser.add_argument("--trainers", type=int, default=Size.trainers)
    parser.add_argument("--clients", type=int, default=Size.clients_per_trainer, help="clients per trainer")
    parser.add_argument("--days", type=int, default=Size.days, help="days of history (default: two years)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--end-date", type=date.fromisoformat, default=None,
                        help="last day of history, YYYY-MM-DD (default: today, UTC)")
    args = parser.parse_args(argv)
    size = Size(args.trainers, args.clients, args.days, args.seed, args.end_date or datetime.now(UTC).date())
    try:
        build(args.database_url, size, reset=args.reset, if_empty=args.if_empty)
    except BuildError as error:
        print(f"build_data: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

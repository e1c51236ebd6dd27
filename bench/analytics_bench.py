"""Analytics benchmark: 1,000 clients x 2 years of daily logs, then time the dashboard aggregations.

Usage (from the repository root; not run in CI):
    python bench/analytics_bench.py                                   # SQLite file under bench/results/
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/fitbud_bench python bench/analytics_bench.py
Options: --clients N --days N --repeat N --reuse (keep an already built data set).

Reports the Overview aggregation (uncached), the Client page aggregation (uncached) and the
trainer's monthly report for all clients (XLSX), against targets of 300 ms, 100 ms and 15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGETS = {"overview_ms": 300, "client_ms": 100, "monthly_report_s": 15}
CHUNK = 20_000


def _fresh_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _bulk(table, rows: list[dict]) -> None:
    from fitbud.extensions import db

    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def build(clients: int, days: int, today: date) -> dict:
    """Insert the data set with bulk INSERTs; returns row counts."""
    from fitbud.auth.passwords import hash_password
    from fitbud.auth.roles import Role
    from fitbud.extensions import db
    from fitbud.models import (
        BodyMetric,
        CheckIn,
        Client,
        Exercise,
        MealLog,
        PlanAssignment,
        PlanKind,
        TrainingSession,
        User,
        WorkoutLog,
        WorkoutSet,
    )

    rng = random.Random(42)
    now = datetime.now(UTC)
    trainer = User(
        email="bench-trainer@fitbud.test",
        name="Bench Trainer",
        role=Role.TRAINER,
        password_hash=hash_password("bench-password-123"),
        timezone="UTC",
    )
    db.session.add(trainer)
    db.session.flush()
    exercises = [
        Exercise(
            owner_id=trainer.id,
            name=f"Lift {i}",
            category="strength",
            equipment="barbell",
            primary_muscles=[],
            secondary_muscles=[],
        )
        for i in range(4)
    ]
    db.session.add_all(exercises)
    db.session.flush()
    first_day = today - timedelta(days=days - 1)
    start = first_day - timedelta(days=first_day.weekday())
    content = {
        "weeks": [
            {
                "days": [
                    {"name": "A", "items": [{"exercise_id": exercises[0].id, "sets": 3, "reps": 5}]},
                    {"name": "Rest", "rest": True},
                    {"name": "B", "items": [{"exercise_id": exercises[1].id, "sets": 3, "reps": 5}]},
                    {"name": "Rest", "rest": True},
                    {"name": "C", "items": [{"exercise_id": exercises[2].id, "sets": 3, "reps": 5}]},
                    {"name": "D", "items": [{"exercise_id": exercises[3].id, "sets": 3, "reps": 5}]},
                ]
            }
        ]
    }
    diet = {
        "days": [
            {
                "name": "Day",
                "meals": [
                    {
                        "name": "All",
                        "time": "12:00",
                        "items": [
                            {
                                "food": "Food",
                                "quantity": 1,
                                "unit": "g",
                                "kcal": 2000,
                                "protein": 150,
                                "carbs": 200,
                                "fat": 60,
                            }
                        ],
                    }
                ],
            }
        ],
        "targets": {"kcal": 2000},
    }

    client_rows = [
        {
            "trainer_id": trainer.id,
            "email": f"client{i}@bench.test",
            "name": f"Client {i:04d}",
            "is_active": True,
            "timezone": "UTC",
            "created_at": now - timedelta(days=rng.randint(0, days)),
            "updated_at": now,
            "archived_at": None,
        }
        for i in range(clients)
    ]
    for row in rng.sample(client_rows, clients // 20):  # some churn
        row["archived_at"] = row["created_at"] + timedelta(days=rng.randint(1, 60))
        row["is_active"] = False
    _bulk(Client.__table__, client_rows)
    client_ids = [
        row[0]
        for row in db.session.execute(select(Client.id).where(Client.trainer_id == trainer.id).order_by(Client.id))
    ]
    assignments = []
    for client_id in client_ids:
        assignments.append(
            {
                "client_id": client_id,
                "trainer_id": trainer.id,
                "kind": PlanKind.WORKOUT,
                "name": "Plan",
                "plan_version": 1,
                "content": content,
                "start_date": start,
                "created_at": now,
                "updated_at": now,
            }
        )
        assignments.append(
            {
                "client_id": client_id,
                "trainer_id": trainer.id,
                "kind": PlanKind.DIET,
                "name": "Diet",
                "plan_version": 1,
                "content": diet,
                "start_date": start,
                "created_at": now,
                "updated_at": now,
            }
        )
    _bulk(PlanAssignment.__table__, assignments)
    db.session.commit()

    counts = {
        "clients": clients,
        "workout_logs": 0,
        "workout_sets": 0,
        "meal_logs": 0,
        "body_metrics": 0,
        "check_ins": 0,
        "training_sessions": 0,
    }
    training_offsets = {0, 2, 4, 5}
    next_log_id = (db.session.execute(select(func.coalesce(func.max(WorkoutLog.id), 0))).scalar_one() or 0) + 1
    for batch_start in range(0, len(client_ids), 50):
        logs, sets, meals, metrics, check_ins, sessions = [], [], [], [], [], []
        for client_id in client_ids[batch_start : batch_start + 50]:
            adherence = rng.uniform(0.4, 0.95)
            weight = rng.uniform(55, 110)
            loads = [rng.uniform(30, 100) for _ in exercises]
            for offset in range(days):
                day = first_day + timedelta(days=offset)
                weekday = (day - start).days % 7
                if weekday in training_offsets and rng.random() < adherence:
                    volume = 0.0
                    for set_number in range(4):
                        exercise_index = (weekday + set_number) % 4
                        loads[exercise_index] += rng.choice([0.0, 0.0, 0.5])
                        reps = rng.randint(3, 10)
                        volume += reps * loads[exercise_index]
                        sets.append(
                            {
                                "workout_log_id": next_log_id,
                                "exercise_id": exercises[exercise_index].id,
                                "exercise_order": set_number,
                                "set_number": set_number + 1,
                                "reps": reps,
                                "weight_kg": round(loads[exercise_index], 1),
                            }
                        )
                    logs.append(
                        {
                            "id": next_log_id,
                            "client_id": client_id,
                            "performed_on": day,
                            "notes": "",
                            "total_volume_kg": round(volume, 1),
                            "sets_done": 4,
                            "sets_planned": 4,
                            "duration_minutes": 60,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    next_log_id += 1
                weight += rng.gauss(-0.01, 0.15)
                metrics.append(
                    {
                        "client_id": client_id,
                        "measured_on": day,
                        "metric": "weight",
                        "value": round(weight, 1),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for meal in ("Lunch", "Dinner"):
                    meals.append(
                        {
                            "client_id": client_id,
                            "eaten_on": day,
                            "meal_name": meal,
                            "items": [],
                            "kcal": round(rng.uniform(700, 1300)),
                            "protein_g": 50.0,
                            "carbs_g": 100.0,
                            "fat_g": 30.0,
                            "notes": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                if weekday == 6:
                    check_ins.append(
                        {
                            "client_id": client_id,
                            "submitted_on": day,
                            "weight_kg": round(weight, 1),
                            "measurements_cm": {},
                            "answers": {},
                            "created_at": now,
                            "updated_at": now,
                            "replied_at": None if offset > days - 8 else now,
                        }
                    )
                    starts = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(
                        hours=rng.randint(7, 19)
                    )
                    sessions.append(
                        {
                            "trainer_id": trainer.id,
                            "client_id": client_id,
                            "starts_at": starts,
                            "ends_at": starts + timedelta(hours=1),
                            "duration_minutes": 60,
                            "type": "in_person",
                            "status": rng.choice(["completed"] * 8 + ["no_show", "cancelled"]),
                            "notes": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
        for table, rows, key in (
            (WorkoutLog.__table__, logs, "workout_logs"),
            (WorkoutSet.__table__, sets, "workout_sets"),
            (MealLog.__table__, meals, "meal_logs"),
            (BodyMetric.__table__, metrics, "body_metrics"),
            (CheckIn.__table__, check_ins, "check_ins"),
            (TrainingSession.__table__, sessions, "training_sessions"),
        ):
            _bulk(table, rows)
            counts[key] += len(rows)
        db.session.commit()
        print(f"  built {min(batch_start + 50, clients)}/{clients} clients", end="\r", flush=True)
    if db.engine.dialect.name == "postgresql":
        # Keep sequences ahead of the explicit ids, and give the planner statistics.
        db.session.execute(text("SELECT setval('workout_logs_id_seq', (SELECT max(id) FROM workout_logs))"))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    print()
    return counts


def _time(function, repeat: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds of each run; CPU seconds of this process go to `cpu` when given.

    On a shared machine the wall clock includes waiting for a core; CPU time shows the work.
    """
    timings = []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        timings.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - started_cpu)
    return timings


def measure(repeat: int, today: date) -> dict:
    """Time the three workloads on the data set (nothing cached: the functions below skip the cache)."""
    from fitbud.analytics.trainer import trainer_overview
    from fitbud.extensions import db
    from fitbud.models import Client, User
    from fitbud.reports.documents import trainer_monthly
    from fitbud.services.progress import client_page

    trainer = db.session.execute(select(User).where(User.email == "bench-trainer@fitbud.test")).scalar_one()
    zone = ZoneInfo("UTC")
    overview_cpu: list[float] = []
    client_cpu: list[float] = []
    # One warm-up run: imports and the per-process plan-pattern memory, as a running server has them.
    trainer_overview(trainer.id, today, zone, today - timedelta(days=27), today)
    overview = _time(
        lambda: trainer_overview(trainer.id, today, zone, today - timedelta(days=27), today), repeat, overview_cpu
    )
    clients = db.session.execute(select(Client.id).where(Client.trainer_id == trainer.id)).scalars().all()
    picks = random.Random(7).sample(clients, min(repeat * 2, len(clients)))
    client_times = []
    for client_id in picks:
        client_times += _time(
            lambda cid=client_id: client_page(trainer, cid, today - timedelta(days=89), today), 1, client_cpu
        )
    last_month = today.replace(day=1) - timedelta(days=1)
    month = f"{last_month.year:04d}-{last_month.month:02d}"
    report = {}
    monthly_cpu: list[float] = []
    monthly = _time(
        lambda: report.setdefault(
            "file", trainer_monthly(trainer.id, {"month": month, "format": "xlsx"}, lambda _p: None)
        ),
        1,
    )
    monthly += _time(
        lambda: trainer_monthly(trainer.id, {"month": month, "format": "xlsx"}, lambda _p: None),
        max(1, repeat // 3),
        monthly_cpu,
    )
    return {
        "load_average_1m": round(os.getloadavg()[0], 2),
        "overview_cpu_ms": round(statistics.median(overview_cpu) * 1000, 1),
        "client_cpu_ms": round(statistics.median(client_cpu) * 1000, 1),
        "overview_ms": round(statistics.median(overview) * 1000, 1),
        "overview_ms_all": [round(t * 1000, 1) for t in overview],
        "client_ms": round(statistics.median(client_times) * 1000, 1),
        "client_ms_all": [round(t * 1000, 1) for t in client_times],
        "monthly_report_s": round(statistics.median(monthly), 2),
        "monthly_report_cpu_s": round(statistics.median(monthly_cpu), 2),
        "monthly_report_s_all": [round(t, 2) for t in monthly],
        "monthly_report_bytes": len(report["file"].content),
    }


def main() -> None:
    """Build (unless --reuse) and measure; print the figures and save them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{RESULTS / 'analytics-bench.db'}"
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="measure an existing data set without rebuilding it")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from fitbud import create_app
    from fitbud.extensions import db

    if not args.reuse:
        _fresh_database(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "LOG_LEVEL": "WARNING"})
    today = datetime.now(UTC).date()
    with app.app_context():
        dialect = db.engine.dialect.name
        counts = None
        if not args.reuse:
            upgrade()
            started = time.perf_counter()
            counts = build(args.clients, args.days, today)
            print(f"built in {time.perf_counter() - started:.0f} s: {counts}")
        figures = measure(args.repeat, today)
    result = {
        "database": dialect,
        "clients": args.clients,
        "days": args.days,
        "rows": counts,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        **figures,
    }
    for key, target in TARGETS.items():
        unit = key.rsplit("_", 1)[1]
        verdict = "OK" if figures[key] < target else "OVER TARGET"
        cpu_key = (
            key.replace("_ms", "_cpu_ms").replace("_s", "_cpu_s") if "report" in key else key.replace("_ms", "_cpu_ms")
        )
        cpu = figures.get(cpu_key)
        print(
            f"{dialect:>10}  {key:<18} {figures[key]:>8} {unit} (cpu {cpu} {unit}, target < {target} {unit})  {verdict}"
        )
    print(f"load average (1 min) while measuring: {figures['load_average_1m']} on {os.cpu_count()} CPUs")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"analytics-{dialect}.json").write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()

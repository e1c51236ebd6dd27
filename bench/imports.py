"""Apple Health import benchmark: a generated 500,000-record export.zip, read and imported with bounded memory.

    python -m bench.imports [--records 500000] [--keep DIR]

Writes an export shaped like the phone's (tests/data/imports/make_samples.py: a weigh-in, resting
heart rate, step and heart-rate samples from two devices every day, a run every third day),
then runs two child processes, each reporting its wall time and peak RSS (ru_maxrss):

- read: the streaming reader alone (fitbud.services.importers.apple_health), no database;
- import: the whole service (fitbud.services.imports.start_import) into a fresh SQLite
  database, writing what the export holds in one transaction.

A child's RSS right after start-up (the app and libraries loaded) is reported too, so the
import's own share can be told apart. Not run in CI: minutes of CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What apple_health_lines writes per day besides its heart-rate and step samples (weigh-in,
# resting heart rate, every seventh day body fat and waist, every third day a run).
FIXED_PER_DAY = 2 + 4 / 7 + 1 / 3
SAMPLES_PER_DAY = 136


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _days_for(records: int) -> int:
    return max(1, round(records / (SAMPLES_PER_DAY + FIXED_PER_DAY)))


def generate(target: Path, records: int) -> dict[str, float]:
    """Write the export; returns its sizes and the number of records written."""
    sys.path.insert(0, str(ROOT))
    from tests.data.imports.make_samples import apple_health_lines, write_apple_health_export

    days = _days_for(records)
    counted = {"records": 0}

    def counting(lines):
        for line in lines:
            if line.startswith((" <Record", " <Workout")):
                counted["records"] += 1
            yield line

    started = time.perf_counter()
    write_apple_health_export(
        target,
        counting(apple_health_lines(days, date(2016, 1, 1), records_per_day=SAMPLES_PER_DAY + 4)),
    )
    with zipfile.ZipFile(target) as archive:
        xml_size = archive.getinfo("apple_health_export/export.xml").file_size
    return {
        "days": days,
        "records": counted["records"],
        "zip_mb": round(target.stat().st_size / 2**20, 1),
        "xml_mb": round(xml_size / 2**20, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }


def child_read(path: str) -> dict[str, float]:
    """Parse only: the streaming reader, no app, no database."""
    from fitbud.services.importers import apple_health

    baseline = _rss_mb()
    started = time.perf_counter()
    parsed = apple_health.parse(path)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(_rss_mb(), 1),
        "activities": len(parsed.activities),
        "body": len(parsed.body),
        "daily": len(parsed.daily),
    }


def child_import(path: str, database: str) -> dict[str, float]:
    """The whole import service into a fresh SQLite database, inline (no Redis)."""
    from flask_migrate import upgrade

    from fitbud import create_app
    from fitbud.auth.roles import Role
    from fitbud.extensions import db
    from fitbud.models import Client, User
    from fitbud.services.imports import start_import

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "REDIS_URL": None,
            "IMPORT_UPLOAD_DIR": str(Path(database).parent / "uploads"),
        }
    )
    with app.app_context():
        upgrade()
        trainer = User(email="coach@bench.test", password_hash="-", name="Coach", role=Role.TRAINER)
        login = User(email="ana@bench.test", password_hash="-", name="Ana", role=Role.CLIENT)
        db.session.add_all([trainer, login])
        db.session.flush()
        db.session.add(Client(trainer_id=trainer.id, user_id=login.id, email=login.email, name="Ana"))
        db.session.commit()
        baseline = _rss_mb()
        started = time.perf_counter()
        with open(path, "rb") as upload:
            record = start_import(login, upload, "export.zip")
        seconds = time.perf_counter() - started
        return {
            "seconds": round(seconds, 1),
            "baseline_rss_mb": round(baseline, 1),
            "peak_rss_mb": round(_rss_mb(), 1),
            "status": record.status.value,
            "found": record.found,
            "added": record.added,
        }


def _run_child(*args: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.imports", "--child", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Generate the export, run both children, print the figures as JSON lines."""
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500_000, help="records in the generated export")
    parser.add_argument("--keep", help="write the export and database here (default: a temporary folder)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        result = child_read(*rest) if kind == "read" else child_import(*rest)
        print(json.dumps(result))
        return 0
    with tempfile.TemporaryDirectory(prefix="fitbud-imports-bench-") as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        export = folder / "export.zip"
        print(json.dumps({"generate": generate(export, args.records)}), flush=True)
        print(json.dumps({"read": _run_child("read", str(export))}), flush=True)
        database = folder / "bench.db"
        database.unlink(missing_ok=True)
        print(json.dumps({"import": _run_child("import", str(export), str(database))}), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("FLASK_CONFIG", "development")
    raise SystemExit(main())

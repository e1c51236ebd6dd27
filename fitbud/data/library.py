"""The exercise library's fixed vocabulary, its built-in data file, and the upsert that loads it.

Nothing here imports the ORM models: the data migration calls `upsert_builtin_exercises` with
its own `sa.table(...)` snapshot of the columns as they were at that revision, and the
`flask fitbud load-exercises` command calls it with the model's table. Only the columns the
given table has are written, so a newer data file can carry fields an older revision ignores.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import sqlalchemy as sa

# The vocabulary every exercise (built-in or custom) is described with. Order is presentation order.
MUSCLES: tuple[str, ...] = (
    "chest", "front_delts", "side_delts", "rear_delts", "triceps", "biceps", "forearms",
    "lats", "upper_back", "traps", "lower_back", "abs", "obliques", "hip_flexors",
    "glutes", "quadriceps", "hamstrings", "adductors", "abductors", "calves",
)
EQUIPMENT: tuple[str, ...] = (
    "bodyweight", "barbell", "ez_bar", "trap_bar", "dumbbell", "kettlebell", "machine", "cable",
    "band", "bench", "pull_up_bar", "dip_bars", "plyo_box", "medicine_ball", "stability_ball",
    "suspension_trainer", "ab_wheel", "jump_rope", "sled", "cardio_machine",
)
CATEGORIES: tuple[str, ...] = ("strength", "power", "core", "plyometric", "cardio", "mobility")
MOVEMENT_PATTERNS: tuple[str, ...] = (
    "squat", "hinge", "lunge", "horizontal_push", "vertical_push", "horizontal_pull",
    "vertical_pull", "carry", "core", "rotation", "isolation", "jump", "olympic", "cardio",
    "mobility",
)
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")
# How a set is measured: repetitions, or seconds (holds, carries, cardio).
TRACKING: tuple[str, ...] = ("reps", "time")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATA_FILE = "exercises.json"
REQUIRED_FIELDS = (
    "slug", "name", "category", "movement_pattern", "primary_muscles", "secondary_muscles",
    "equipment", "extra_equipment", "level", "tracking", "unilateral", "instructions",
)
# Columns whose values the loader compares and writes (besides slug, the lookup key).
DATA_COLUMNS = REQUIRED_FIELDS[1:]


class LibraryDataError(ValueError):
    """The built-in data file breaks the vocabulary or misses a field."""


def vocabulary() -> dict[str, list[str]]:
    """Every value an exercise field may take, by field."""
    return {
        "muscles": list(MUSCLES),
        "equipment": list(EQUIPMENT),
        "categories": list(CATEGORIES),
        "movement_patterns": list(MOVEMENT_PATTERNS),
        "levels": list(LEVELS),
        "tracking": list(TRACKING),
    }


def _problems(record: Mapping[str, Any]) -> list[str]:
    problems = [f"missing {name}" for name in REQUIRED_FIELDS if name not in record]
    if problems:
        return problems
    if not SLUG.match(record["slug"]):
        problems.append("slug must be lower-case words joined by hyphens")
    if not record["name"].strip() or len(record["name"]) > 120:
        problems.append("name must be 1-120 characters")
    checks = (
        ("category", CATEGORIES), ("movement_pattern", MOVEMENT_PATTERNS), ("equipment", EQUIPMENT),
        ("level", LEVELS), ("tracking", TRACKING),
    )
    for field, allowed in checks:
        if record[field] not in allowed:
            problems.append(f"{field} {record[field]!r} is not in the vocabulary")
    for field, allowed in (("primary_muscles", MUSCLES), ("secondary_muscles", MUSCLES),
                           ("extra_equipment", EQUIPMENT)):
        unknown = [value for value in record[field] if value not in allowed]
        if unknown:
            problems.append(f"{field} has values outside the vocabulary: {unknown}")
    if not record["primary_muscles"]:
        problems.append("primary_muscles must not be empty")
    if set(record["primary_muscles"]) & set(record["secondary_muscles"]):
        problems.append("a muscle is listed as both primary and secondary")
    if not isinstance(record["unilateral"], bool):
        problems.append("unilateral must be true or false")
    if not record["instructions"].strip():
        problems.append("instructions must not be empty")
    return problems


def validate_records(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The records as plain dicts, or LibraryDataError naming every bad record and duplicate."""
    cleaned, seen_slugs, seen_names, errors = [], set(), set(), []
    for index, record in enumerate(records):
        problems = _problems(record)
        slug = record.get("slug")
        if slug in seen_slugs:
            problems.append("duplicate slug")
        name_key = str(record.get("name", "")).strip().lower()
        if name_key in seen_names:
            problems.append("duplicate name")
        seen_slugs.add(slug)
        seen_names.add(name_key)
        if problems:
            errors.append(f"#{index} ({slug}): {'; '.join(problems)}")
        cleaned.append({name: record[name] for name in REQUIRED_FIELDS if name in record})
    if errors:
        raise LibraryDataError("Built-in exercise data is invalid: " + " | ".join(errors))
    return cleaned


def _raw_data() -> bytes:
    return resources.files("fitbud.data").joinpath(DATA_FILE).read_bytes()


@lru_cache(maxsize=1)
def _loaded() -> tuple[tuple[dict[str, Any], ...], str]:
    raw = _raw_data()
    document = json.loads(raw)
    records = validate_records(document["exercises"])
    return tuple(records), hashlib.sha256(raw).hexdigest()[:16]


def builtin_exercises() -> list[dict[str, Any]]:
    """The validated built-in exercises from the versioned data file (fresh copies)."""
    return [dict(record, primary_muscles=list(record["primary_muscles"]),
                 secondary_muscles=list(record["secondary_muscles"]),
                 extra_equipment=list(record["extra_equipment"]))
            for record in _loaded()[0]]


def data_fingerprint() -> str:
    """A short hash of the data file, so caches of the built-ins change when the file does."""
    return _loaded()[1]


@dataclass(frozen=True)
class UpsertResult:
    """What a load changed."""

    inserted: int
    updated: int
    unchanged: int


def upsert_builtin_exercises(
    connection: sa.Connection, table: sa.Table, records: Iterable[Mapping[str, Any]] | None = None
) -> UpsertResult:
    """Insert missing built-ins and update changed ones, matched by slug; running it again changes nothing.

    Works on any `table` that has the exercise columns (the migration's snapshot or the
    model's table). Built-ins that left the data file are kept: plans may still use them.
    """
    rows = validate_records(builtin_exercises() if records is None else records)
    columns = [name for name in DATA_COLUMNS if name in table.c]
    existing = {
        row.slug: row
        for row in connection.execute(
            sa.select(table.c.id, table.c.slug, *[table.c[name] for name in columns]).where(
                table.c.owner_id.is_(None), table.c.slug.is_not(None)
            )
        )
    }
    inserts, updated, unchanged = [], 0, 0
    for record in rows:
        values = {name: record[name] for name in columns}
        current = existing.get(record["slug"])
        if current is None:
            inserts.append({"slug": record["slug"], "owner_id": None, **values})
            continue
        changed = {name: value for name, value in values.items() if getattr(current, name) != value}
        if not changed:
            unchanged += 1
            continue
        if "updated_at" in table.c:
            changed["updated_at"] = sa.func.now()
        connection.execute(sa.update(table).where(table.c.id == current.id).values(**changed))
        updated += 1
    if inserts:
        connection.execute(sa.insert(table), inserts)
    return UpsertResult(inserted=len(inserts), updated=updated, unchanged=unchanged)

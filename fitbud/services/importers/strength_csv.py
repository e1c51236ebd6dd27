"""CSV exports of strength apps, told apart by their header: Strong and Hevy. Workouts with exercises and sets.

Strong: Date, Workout Name, Duration, Exercise Name, Set Order, Weight, Reps, Distance, Seconds,
Notes, Workout Notes, RPE (comma or semicolon separated; newer exports add Weight Unit and
Distance Unit, older ones are in the app's units, which we take to be the client's).
Hevy: title, start_time, end_time, description, exercise_title, superset_id, exercise_notes,
set_index, set_type, weight_kg or weight_lbs, reps, distance_km or distance_miles,
duration_seconds, rpe.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fitbud.services.importers.records import (
    ParsedFile,
    ParseError,
    Progress,
    StrengthSet,
    StrengthWorkout,
    no_progress,
)
from fitbud.services.importers.units import DISTANCE_TO_M, MASS_TO_KG, number
from fitbud.services.measures import LIFTED_WEIGHT, MAX_REPS, MAX_SET_SECONDS, SET_DISTANCE

STRONG = "strong"
HEVY = "hevy"
STRONG_REQUIRED = {"date", "workout name", "exercise name", "set order", "weight", "reps"}
HEVY_REQUIRED = {"title", "start_time", "exercise_title", "set_index", "reps"}
# Strong writes a row for each rest timer; it is not a set.
STRONG_NOT_A_SET = {"rest timer"}
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d %b %Y, %H:%M", "%d %B %Y, %H:%M")


@dataclass
class _Workout:
    key: str
    started: datetime
    name: str
    duration_minutes: int | None
    notes: str
    sets: list[StrengthSet] = field(default_factory=list)


def _header_kind(header: list[str]) -> str | None:
    names = {cell.strip().lower() for cell in header}
    if names >= STRONG_REQUIRED:
        return STRONG
    if names >= HEVY_REQUIRED and ({"weight_kg", "weight_lbs"} & names):
        return HEVY
    return None


def sniff(head: bytes) -> str | None:
    """strong or hevy when `head` (the file's first bytes) starts with one of their headers, else None."""
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return _header_kind(next(csv.reader([first], delimiter=delimiter), []))


def _when(raw: str, location: str) -> datetime:
    value = raw.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ParseError(f"Date {value!r} is not a date and time we can read (like 2024-01-05 18:04:32).", location)


def _minutes(raw: str) -> int | None:
    """Strong's workout duration ("1h 5m", "45m", "50s"); None when blank or unreadable."""
    match = _DURATION.match(raw or "")
    if not raw.strip() or match is None:
        return None
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    return round(hours * 60 + minutes + seconds / 60)


def _checked(value: float | None, measure_max: float, what: str, location: str) -> float | None:
    if value is not None and not 0 <= value <= measure_max:
        raise ParseError(f"{what} {value:g} is out of range (0 to {measure_max:g}).", location)
    return value


def _set(row: dict[str, str], columns: dict[str, Any], location: str) -> StrengthSet:
    """One set from a row; `columns` names the row's fields and the units they are in."""
    weight = number(row.get(columns["weight"]), "Weight", location)
    if weight is not None:
        weight = weight * MASS_TO_KG[columns["mass_unit"](row)]
    reps = number(row.get(columns["reps"]), "Reps", location)
    if reps is not None and not reps.is_integer():
        raise ParseError(f"Reps {reps:g} is not a whole number.", location)
    distance = number(row.get(columns["distance"]), "Distance", location) if columns["distance"] else None
    if distance is not None:
        distance = distance * DISTANCE_TO_M[columns["distance_unit"](row)]
    seconds = number(row.get(columns["seconds"]), "Seconds", location) if columns["seconds"] else None
    rpe = number(row.get(columns["rpe"]), "RPE", location) if columns["rpe"] else None
    if columns["zero_is_blank"]:
        # Strong writes 0 in every column a set does not use (a pull-up's weight, a squat's distance).
        weight, distance, seconds = (value or None for value in (weight, distance, seconds))
    return StrengthSet(
        exercise_name=" ".join((row.get(columns["exercise"]) or "").split()),
        reps=int(_checked(reps, MAX_REPS, "Reps", location) or 0) if reps is not None else None,
        weight_kg=round(_checked(weight, LIFTED_WEIGHT.maximum, "Weight (kg)", location) or 0.0, 3)
        if weight is not None
        else None,
        distance_m=_checked(distance, SET_DISTANCE.maximum, "Distance (m)", location),
        duration_seconds=round(_checked(seconds, MAX_SET_SECONDS, "Seconds", location) or 0)
        if seconds is not None
        else None,
        rpe=_checked(rpe, 10, "RPE", location),
    )


def _lower_keys(reader: csv.DictReader) -> Iterator[dict[str, str]]:
    for row in reader:
        yield {(key or "").strip().lower(): (value or "") for key, value in row.items() if isinstance(value, str)}


def parse(
    path: str, on_progress: Progress = no_progress, *, unit_system: str = "metric", **_options: Any
) -> ParsedFile:
    """Read a Strong or Hevy CSV into workouts; a bad row raises ParseError naming its line.

    `unit_system` is what an old Strong export without unit columns is taken to be in.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise ParseError("The CSV is not UTF-8 text.", "file") from None
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    kind = _header_kind(list(reader.fieldnames or []))
    if kind is None:
        raise ParseError("The CSV header is neither Strong's nor Hevy's.", "line 1")
    default_mass = "kg" if unit_system == "metric" else "lb"
    default_distance = "km" if unit_system == "metric" else "mi"
    names = {name.strip().lower() for name in reader.fieldnames or []}
    if kind == STRONG:
        columns: dict[str, Any] = {
            "exercise": "exercise name",
            "weight": "weight",
            "reps": "reps",
            "distance": "distance" if "distance" in names else None,
            "seconds": "seconds" if "seconds" in names else None,
            "rpe": "rpe" if "rpe" in names else None,
            "zero_is_blank": True,
            "mass_unit": lambda row: _unit(row.get("weight unit"), default_mass, MASS_TO_KG),
            "distance_unit": lambda row: _unit(row.get("distance unit"), default_distance, DISTANCE_TO_M),
        }
    else:
        columns = {
            "exercise": "exercise_title",
            "weight": "weight_kg" if "weight_kg" in names else "weight_lbs",
            "reps": "reps",
            "distance": "distance_km"
            if "distance_km" in names
            else ("distance_miles" if "distance_miles" in names else None),
            "seconds": "duration_seconds" if "duration_seconds" in names else None,
            "rpe": "rpe" if "rpe" in names else None,
            "zero_is_blank": False,
            "mass_unit": (lambda _row: "kg") if "weight_kg" in names else (lambda _row: "lb"),
            "distance_unit": (lambda _row: "km") if "distance_km" in names else (lambda _row: "mi"),
        }
    workouts: dict[str, _Workout] = {}
    rows = 0
    for row in _lower_keys(reader):
        location = f"line {reader.line_num}"
        if not any(value.strip() for value in row.values()):
            continue
        rows += 1
        if kind == STRONG:
            if (row.get("set order") or "").strip().lower() in STRONG_NOT_A_SET:
                continue
            started = _when(row.get("date", ""), location)
            name = row.get("workout name", "").strip() or "Workout"
            duration = _minutes(row.get("duration", ""))
            notes = row.get("workout notes", "").strip()
        else:
            started = _when(row.get("start_time", ""), location)
            name = row.get("title", "").strip() or "Workout"
            ended = row.get("end_time", "").strip()
            duration = round((_when(ended, location) - started).total_seconds() / 60) if ended else None
            notes = row.get("description", "").strip()
        key = f"{started.isoformat()}:{name}"
        workout = workouts.get(key)
        if workout is None:
            workout = workouts[key] = _Workout(key, started, name, duration, notes)
        strength_set = _set(row, columns, location)
        if not strength_set.exercise_name:
            raise ParseError("The row names no exercise.", location)
        workout.sets.append(strength_set)
    if not rows:
        raise ParseError("The CSV has no rows after its header.", "line 2")
    parsed = ParsedFile(kind)
    parsed.workouts = [
        StrengthWorkout(
            source_id=workout.key[:150],
            performed_on=workout.started.date(),
            name=workout.name,
            duration_minutes=workout.duration_minutes
            if workout.duration_minutes and workout.duration_minutes > 0
            else None,
            notes=workout.notes,
            sets=tuple(workout.sets),
        )
        for workout in workouts.values()
        if workout.sets
    ]
    on_progress(1.0)
    return parsed


def _unit(raw: str | None, default: str, table: dict[str, float]) -> str:
    unit = (raw or "").strip().lower()
    unit = {"lbs": "lb", "kgs": "kg", "miles": "mi", "kilometers": "km"}.get(unit, unit)
    return unit if unit in table else default

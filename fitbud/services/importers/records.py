"""What an importer reads out of a file: plain records, each with a key stable across exports of the same data.

Importers never touch the database: they turn a file into these records (or a `ParseError`
naming where the file is wrong), and the import service decides what is new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Reports how far a parse got, from 0.0 to 1.0 (called now and then, not per record).
Progress = Callable[[float], None]


def no_progress(_fraction: float) -> None:
    """A progress callback for callers that don't follow progress."""


class ParseError(Exception):
    """The file cannot be read; `location` says where ("line 14", "record 3 (Workout)")."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


@dataclass(frozen=True)
class ActivityRecord:
    """One cardio activity (SI units; heart rate in bpm)."""

    source_id: str
    sport: str
    started_at: datetime  # aware
    performed_on: date  # the start's calendar day where it happened
    duration_seconds: int
    distance_m: float | None = None
    energy_kcal: float | None = None
    avg_heart_rate: int | None = None
    max_heart_rate: int | None = None
    elevation_gain_m: float | None = None
    laps: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class BodyReading:
    """One body metric on one day, in SI (the metric names of services/measures.BODY_METRICS)."""

    metric: str
    day: date
    value: float


@dataclass(frozen=True)
class DailyReading:
    """One daily metric on one day (steps; resting_heart_rate in bpm)."""

    metric: str
    day: date
    value: float


@dataclass(frozen=True)
class StrengthSet:
    """One set of a strength workout, the exercise named as the other app names it."""

    exercise_name: str
    reps: int | None = None
    weight_kg: float | None = None
    distance_m: float | None = None
    duration_seconds: int | None = None
    rpe: float | None = None


@dataclass(frozen=True)
class StrengthWorkout:
    """One workout of a strength app, its sets in the order done."""

    source_id: str
    performed_on: date
    name: str
    duration_minutes: int | None
    notes: str
    sets: tuple[StrengthSet, ...]


@dataclass
class ParsedFile:
    """Everything one file held."""

    format: str
    activities: list[ActivityRecord] = field(default_factory=list)
    body: list[BodyReading] = field(default_factory=list)
    daily: list[DailyReading] = field(default_factory=list)
    workouts: list[StrengthWorkout] = field(default_factory=list)
    # Readings left out as implausible (a 3 kg body mass): counted, so the result can say so.
    skipped: int = 0

    @property
    def found(self) -> int:
        """How many records the file held, all kinds together."""
        return len(self.activities) + len(self.body) + len(self.daily) + len(self.workouts)

"""Sport names and the unit conversions other apps' files need (to SI, kcal and seconds)."""

from __future__ import annotations

import math
import re

from fitbud.services.importers.records import ParseError

# Other apps' names for sports, and ours: the rest are kept, snake_cased.
SPORT_ALIASES = {
    "traditional_strength_training": "strength",
    "functional_strength_training": "strength",
    "strength_training": "strength",
    "high_intensity_interval_training": "hiit",
    "run": "running",
    "ride": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "walk": "walking",
    "hike": "hiking",
    "swim": "swimming",
    "pool_swimming": "swimming",
    "open_water_swimming": "swimming",
    "mixed_cardio": "cardio",
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

MASS_TO_KG = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "lbs": 0.45359237, "st": 6.35029318}
LENGTH_TO_CM = {"cm": 1.0, "mm": 0.1, "m": 100.0, "in": 2.54, "ft": 30.48}
DISTANCE_TO_M = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048, "cm": 0.01}
ENERGY_TO_KCAL = {"kcal": 1.0, "cal": 1.0, "Cal": 1.0, "kJ": 1 / 4.184, "kj": 1 / 4.184}
DURATION_TO_S = {"s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0, "hr": 3600.0}


def sport_name(raw: str | None, prefix: str = "") -> str:
    """Our name for a sport: `HKWorkoutActivityTypeRunning` -> running, `TraditionalStrengthTraining` -> strength."""
    if not raw:
        return "other"
    text = raw.removeprefix(prefix) if prefix else raw
    snake = _NOT_WORD.sub("_", _CAMEL.sub("_", text).lower()).strip("_")
    return SPORT_ALIASES.get(snake, snake or "other")[:32]


def number(raw: str | None, what: str, location: str) -> float | None:
    """A finite float from text ("" and None are None), or a ParseError naming `what` and where."""
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        raise ParseError(f"{what} {raw.strip()!r} is not a number.", location) from None
    if not math.isfinite(value):
        raise ParseError(f"{what} {raw.strip()!r} is not a number.", location)
    return value


def convert(value: float, unit: str | None, table: dict[str, float], what: str, location: str) -> float:
    """`value` in `unit` converted with `table` (a unit's factor to ours), or a ParseError for an unknown unit."""
    factor = table.get((unit or "").strip())
    if factor is None:
        raise ParseError(f"{what} has a unit we don't know: {unit!r} (expected one of {', '.join(table)}).", location)
    return value * factor

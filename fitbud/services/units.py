"""Unit conversion between a user's unit system and the SI units Fitbud stores.

metric: kg, cm, km; imperial: lb, in, mi. Storage: kg, cm, metres.
"""

from __future__ import annotations

KG_PER_LB = 0.45359237
CM_PER_IN = 2.54
M_PER_KM = 1000.0
M_PER_MI = 1609.344
UNIT_SYSTEMS = ("metric", "imperial")


def _imperial(unit_system: str) -> bool:
    if unit_system not in UNIT_SYSTEMS:
        raise ValueError(f"unknown unit system {unit_system!r}")
    return unit_system == "imperial"


def to_si_mass(value: float, unit_system: str) -> float:
    """A mass in the user's unit (kg or lb) as kilograms."""
    return value * KG_PER_LB if _imperial(unit_system) else float(value)


def from_si_mass(value: float, unit_system: str) -> float:
    """Kilograms in the user's unit (kg or lb)."""
    return value / KG_PER_LB if _imperial(unit_system) else float(value)


def to_si_length(value: float, unit_system: str) -> float:
    """A body measurement in the user's unit (cm or in) as centimetres."""
    return value * CM_PER_IN if _imperial(unit_system) else float(value)


def from_si_length(value: float, unit_system: str) -> float:
    """Centimetres in the user's unit (cm or in)."""
    return value / CM_PER_IN if _imperial(unit_system) else float(value)


def to_si_distance(value: float, unit_system: str) -> float:
    """A distance in the user's unit (km or mi) as metres."""
    return value * (M_PER_MI if _imperial(unit_system) else M_PER_KM)


def from_si_distance(value: float, unit_system: str) -> float:
    """Metres in the user's unit (km or mi)."""
    return value / (M_PER_MI if _imperial(unit_system) else M_PER_KM)


UNIT_LABELS = {
    "metric": {"mass": "kg", "length": "cm", "distance": "km", "percent": "%"},
    "imperial": {"mass": "lb", "length": "in", "distance": "mi", "percent": "%"},
}


def unit_label(kind: str, unit_system: str) -> str:
    """The unit a quantity of `kind` (mass, length, distance, percent) is shown in."""
    _imperial(unit_system)
    return UNIT_LABELS[unit_system][kind]


_TO_SI = {"mass": to_si_mass, "length": to_si_length, "distance": to_si_distance}
_FROM_SI = {"mass": from_si_mass, "length": from_si_length, "distance": from_si_distance}


def to_si(kind: str, value: float, unit_system: str) -> float:
    """A quantity of `kind` in the user's units as SI; percentages pass through."""
    return _TO_SI[kind](value, unit_system) if kind in _TO_SI else float(value)


def from_si(kind: str, value: float, unit_system: str) -> float:
    """An SI quantity of `kind` in the user's units; percentages pass through."""
    return _FROM_SI[kind](value, unit_system) if kind in _FROM_SI else float(value)

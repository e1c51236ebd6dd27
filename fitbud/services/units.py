"""Unit conversion between SI storage (kg, cm, m) and what a user reads and types (metric or imperial).

Everything is stored in SI; the API converts on the way in and out using the caller's
`User.unit_system`. Outbound values are rounded for display, inbound ones are kept exact.
"""

from __future__ import annotations

from typing import overload

METRIC = "metric"
IMPERIAL = "imperial"
UNIT_SYSTEMS = (METRIC, IMPERIAL)

# Exact by definition (international yard and pound agreement, 1959).
KG_PER_LB = 0.45359237
CM_PER_INCH = 2.54
M_PER_KM = 1000.0
M_PER_MI = 1609.344

DISPLAY_DECIMALS = 1


def _check(unit_system: str) -> None:
    if unit_system not in UNIT_SYSTEMS:
        raise ValueError(f"unit_system must be one of {UNIT_SYSTEMS}, not {unit_system!r}")


def mass_unit(unit_system: str) -> str:
    """The mass unit a user of `unit_system` reads: "kg" or "lb"."""
    _check(unit_system)
    return "kg" if unit_system == METRIC else "lb"


def length_unit(unit_system: str) -> str:
    """The length unit a user of `unit_system` reads: "cm" or "in"."""
    _check(unit_system)
    return "cm" if unit_system == METRIC else "in"


@overload
def to_si_mass(value: float, unit_system: str) -> float: ...
@overload
def to_si_mass(value: None, unit_system: str) -> None: ...
@overload
def to_si_mass(value: float | None, unit_system: str) -> float | None: ...
def to_si_mass(value: float | None, unit_system: str) -> float | None:
    """A mass typed in the user's unit (kg or lb), in kilograms."""
    _check(unit_system)
    if value is None:
        return None
    return float(value) if unit_system == METRIC else float(value) * KG_PER_LB


@overload
def from_si_mass(kg: float, unit_system: str, decimals: int | None = ...) -> float: ...
@overload
def from_si_mass(kg: None, unit_system: str, decimals: int | None = ...) -> None: ...
@overload
def from_si_mass(kg: float | None, unit_system: str, decimals: int | None = ...) -> float | None: ...
def from_si_mass(kg: float | None, unit_system: str, decimals: int | None = DISPLAY_DECIMALS) -> float | None:
    """Kilograms in the user's unit (kg or lb), rounded for display unless decimals is None."""
    _check(unit_system)
    if kg is None:
        return None
    value = kg if unit_system == METRIC else kg / KG_PER_LB
    return value if decimals is None else round(value, decimals)


@overload
def to_si_length(value: float, unit_system: str) -> float: ...
@overload
def to_si_length(value: None, unit_system: str) -> None: ...
@overload
def to_si_length(value: float | None, unit_system: str) -> float | None: ...
def to_si_length(value: float | None, unit_system: str) -> float | None:
    """A length typed in the user's unit (cm or in), in centimetres."""
    _check(unit_system)
    if value is None:
        return None
    return float(value) if unit_system == METRIC else float(value) * CM_PER_INCH


@overload
def from_si_length(cm: float, unit_system: str, decimals: int | None = ...) -> float: ...
@overload
def from_si_length(cm: None, unit_system: str, decimals: int | None = ...) -> None: ...
@overload
def from_si_length(cm: float | None, unit_system: str, decimals: int | None = ...) -> float | None: ...
def from_si_length(cm: float | None, unit_system: str, decimals: int | None = DISPLAY_DECIMALS) -> float | None:
    """Centimetres in the user's unit (cm or in), rounded for display unless decimals is None."""
    _check(unit_system)
    if cm is None:
        return None
    value = cm if unit_system == METRIC else cm / CM_PER_INCH
    return value if decimals is None else round(value, decimals)


def to_si_distance(value: float, unit_system: str) -> float:
    """A distance in the user's unit (km or mi) as metres."""
    _check(unit_system)
    return float(value) * (M_PER_KM if unit_system == METRIC else M_PER_MI)


def from_si_distance(value: float, unit_system: str) -> float:
    """Metres in the user's unit (km or mi)."""
    _check(unit_system)
    return float(value) / (M_PER_KM if unit_system == METRIC else M_PER_MI)


UNIT_LABELS = {
    METRIC: {"mass": "kg", "length": "cm", "distance": "km", "percent": "%"},
    IMPERIAL: {"mass": "lb", "length": "in", "distance": "mi", "percent": "%"},
}


def unit_label(kind: str, unit_system: str) -> str:
    """The unit a quantity of `kind` (mass, length, distance, percent) is shown in."""
    _check(unit_system)
    return UNIT_LABELS[unit_system][kind]


def to_si(kind: str, value: float, unit_system: str) -> float:
    """A quantity of `kind` in the user's units as SI; percentages pass through."""
    converters = {"mass": to_si_mass, "length": to_si_length, "distance": to_si_distance}
    return converters[kind](value, unit_system) if kind in converters else float(value)


def from_si(kind: str, value: float, unit_system: str) -> float:
    """An SI quantity of `kind` in the user's units, unrounded; percentages pass through."""
    if kind == "mass":
        return from_si_mass(value, unit_system, decimals=None)
    if kind == "length":
        return from_si_length(value, unit_system, decimals=None)
    if kind == "distance":
        return from_si_distance(value, unit_system)
    return float(value)

"""Unit conversion between SI storage (kg, cm) and what a user reads and types (metric or imperial).

Everything is stored in SI; the API converts on the way in and out using the caller's
`User.unit_system`. Outbound values are rounded for display, inbound ones are kept exact.
"""

from __future__ import annotations

METRIC = "metric"
IMPERIAL = "imperial"
UNIT_SYSTEMS = (METRIC, IMPERIAL)

# Exact by definition (international yard and pound agreement, 1959).
KG_PER_LB = 0.45359237
CM_PER_INCH = 2.54

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


def to_si_mass(value: float | None, unit_system: str) -> float | None:
    """A mass typed in the user's unit (kg or lb), in kilograms."""
    _check(unit_system)
    if value is None:
        return None
    return float(value) if unit_system == METRIC else float(value) * KG_PER_LB


def from_si_mass(kg: float | None, unit_system: str, decimals: int | None = DISPLAY_DECIMALS) -> float | None:
    """Kilograms in the user's unit (kg or lb), rounded for display unless decimals is None."""
    _check(unit_system)
    if kg is None:
        return None
    value = kg if unit_system == METRIC else kg / KG_PER_LB
    return value if decimals is None else round(value, decimals)


def to_si_length(value: float | None, unit_system: str) -> float | None:
    """A length typed in the user's unit (cm or in), in centimetres."""
    _check(unit_system)
    if value is None:
        return None
    return float(value) if unit_system == METRIC else float(value) * CM_PER_INCH


def from_si_length(cm: float | None, unit_system: str, decimals: int | None = DISPLAY_DECIMALS) -> float | None:
    """Centimetres in the user's unit (cm or in), rounded for display unless decimals is None."""
    _check(unit_system)
    if cm is None:
        return None
    value = cm if unit_system == METRIC else cm / CM_PER_INCH
    return value if decimals is None else round(value, decimals)

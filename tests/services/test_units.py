"""Unit conversion between the user's unit system and SI storage."""

import pytest

from fitbud.services.units import (
    from_si_distance,
    from_si_length,
    from_si_mass,
    to_si_distance,
    to_si_length,
    to_si_mass,
    unit_label,
)


def test_metric_passes_through():
    assert to_si_mass(80, "metric") == 80 and from_si_length(30, "metric") == 30


def test_pounds_to_kilograms():
    assert to_si_mass(100, "imperial") == pytest.approx(45.359237)


def test_inches_to_centimetres():
    assert to_si_length(10, "imperial") == pytest.approx(25.4)


def test_miles_and_kilometres_to_metres():
    assert to_si_distance(1, "imperial") == pytest.approx(1609.344)
    assert to_si_distance(5, "metric") == 5000


@pytest.mark.parametrize("value", [0.5, 177.3, 225.5, 400])
def test_imperial_round_trip(value):
    assert from_si_mass(to_si_mass(value, "imperial"), "imperial") == pytest.approx(value)
    assert from_si_length(to_si_length(value, "imperial"), "imperial") == pytest.approx(value)
    assert from_si_distance(to_si_distance(value, "imperial"), "imperial") == pytest.approx(value)


def test_unknown_unit_system_is_an_error():
    with pytest.raises(ValueError):
        to_si_mass(1, "cubits")


def test_labels():
    assert unit_label("mass", "imperial") == "lb" and unit_label("length", "metric") == "cm"

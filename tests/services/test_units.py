"""Unit conversion between SI storage and the user's unit system."""

from __future__ import annotations

import pytest

from fitbud.services.units import (
    from_si,
    from_si_length,
    from_si_mass,
    length_unit,
    mass_unit,
    to_si,
    to_si_distance,
    to_si_length,
    to_si_mass,
    unit_label,
)


def test_pounds_to_kilograms():
    assert to_si_mass(100, "imperial") == pytest.approx(45.359237)


def test_kilograms_to_pounds_rounded_for_display():
    assert from_si_mass(45.359237, "imperial") == 100.0
    assert from_si_mass(80, "imperial") == 176.4


def test_inches_to_centimetres_and_back():
    assert to_si_length(70, "imperial") == pytest.approx(177.8)
    assert from_si_length(177.8, "imperial") == 70.0


def test_metric_values_pass_through():
    assert to_si_mass(72.5, "metric") == 72.5 and from_si_length(181.25, "metric") == 181.2


def test_round_trip_keeps_precision_when_not_rounded():
    kg = to_si_mass(155.3, "imperial")
    assert from_si_mass(kg, "imperial", decimals=None) == pytest.approx(155.3)


def test_none_stays_none():
    assert to_si_mass(None, "imperial") is None and from_si_length(None, "metric") is None


def test_unit_labels():
    assert (mass_unit("metric"), length_unit("metric")) == ("kg", "cm")
    assert (mass_unit("imperial"), length_unit("imperial")) == ("lb", "in")


def test_unknown_unit_system_is_refused():
    with pytest.raises(ValueError, match="unit_system"):
        to_si_mass(1, "stones")


def test_miles_and_kilometres_to_metres():
    assert to_si_distance(1, "imperial") == pytest.approx(1609.344)
    assert to_si_distance(5, "metric") == 5000


@pytest.mark.parametrize("value", [0.5, 177.3, 225.5, 400])
def test_imperial_round_trip_through_generic_converters(value):
    for kind in ("mass", "length", "distance"):
        assert from_si(kind, to_si(kind, value, "imperial"), "imperial") == pytest.approx(value)


def test_labels_name_the_unit_of_each_kind():
    assert unit_label("mass", "imperial") == "lb"
    assert unit_label("length", "metric") == "cm"
    assert unit_label("distance", "imperial") == "mi"

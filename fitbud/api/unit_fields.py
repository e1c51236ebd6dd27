"""Marshmallow fields for measurements: SI inside, the caller's unit system (metric/imperial) outside."""

from __future__ import annotations

from collections.abc import Callable

import marshmallow as ma
from flask import has_request_context, request
from flask_jwt_extended import get_current_user
from marshmallow import fields

from fitbud.services.units import (
    METRIC,
    from_si_length,
    from_si_mass,
    length_unit,
    mass_unit,
    to_si_length,
    to_si_mass,
)

_CALLER_KEY = "fitbud.caller"


def current_caller():
    """The user of this request's verified token, or None; looked up once per request.

    Schemas ask for it once per dumped value (units), so it is kept in the WSGI environ, which
    lives exactly as long as the request (flask.g can outlive it while tests keep an app
    context pushed). The user object is kept, not its unit system, so a change made during the
    request still shows.
    """
    if not has_request_context():
        return None
    environ = request.environ
    user = environ.get(_CALLER_KEY)
    if user is None:
        try:
            user = get_current_user()
        except RuntimeError:  # no verified token (yet) in this request
            return None
        if user is not None:
            environ[_CALLER_KEY] = user
    return user


def caller_unit_system() -> str:
    """The logged-in user's unit system, metric when nobody is logged in."""
    return getattr(current_caller(), "unit_system", None) or METRIC


def units_of_caller() -> dict[str, str]:
    """The units the caller's measurements are given in, e.g. {"mass": "lb", "length": "in"}."""
    system = caller_unit_system()
    return {"system": system, "mass": mass_unit(system), "length": length_unit(system)}


class _Measurement(fields.Float):
    """A Float read and written in the caller's unit, stored in SI, with limits checked in SI."""

    to_si: Callable[[float, str], float | None]
    from_si: Callable[[float, str], float | None]
    unit_of: Callable[[str], str]

    def __init__(self, *, si_min: float, si_max: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.si_min = si_min
        self.si_max = si_max
        system_unit = self.unit_of(METRIC)
        description = (
            f"In the caller's unit system ({system_unit} for metric, {self.unit_of('imperial')} for imperial)."
        )
        self.metadata = {"description": description, **self.metadata}

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return type(self).from_si(value, caller_unit_system())

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        system = caller_unit_system()
        si_value = type(self).to_si(number, system)
        if not self.si_min <= si_value <= self.si_max:
            low = type(self).from_si(self.si_min, system)
            high = type(self).from_si(self.si_max, system)
            raise ma.ValidationError(f"Must be between {low:g} and {high:g} {self.unit_of(system)}.")
        return si_value


class Mass(_Measurement):
    """A mass: kg or lb for the caller, kg inside."""

    to_si = staticmethod(to_si_mass)
    from_si = staticmethod(from_si_mass)
    unit_of = staticmethod(mass_unit)


class Length(_Measurement):
    """A length: cm or in for the caller, cm inside."""

    to_si = staticmethod(to_si_length)
    from_si = staticmethod(from_si_length)
    unit_of = staticmethod(length_unit)

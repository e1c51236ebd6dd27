"""Reading HTML forms: numbers in the client's units, field errors shown beside each field.

Errors are a dict of field name -> messages, the same shape as the API's `errors`, so a service's
DomainError (which names the field it refuses) shows next to that field like a parse error does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from fitbud.errors import DomainError
from fitbud.models import User
from fitbud.services import idempotency
from fitbud.services.measures import Measure
from fitbud.services.units import to_si

T = TypeVar("T")
NOT_A_NUMBER = "Enter a number."
NOT_A_WHOLE_NUMBER = "Enter a whole number."
REQUIRED = "This field is required."


@dataclass
class Form:
    """A submitted form being read: its raw values (for redisplay) and the errors found."""

    values: Mapping[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Note a problem with field `name`."""
        self.errors.setdefault(name, []).append(message)

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        """A trimmed text field."""
        value = (self.values.get(name) or "").strip()
        if required and not value:
            self.add(name, REQUIRED)
        elif max_length is not None and len(value) > max_length:
            self.add(name, f"At most {max_length} characters.")
        return value

    def number(
        self,
        name: str,
        *,
        required: bool = False,
        integer: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | int | None:
        """A number typed as is (no unit conversion); None when left empty and not required."""
        raw = (self.values.get(name) or "").strip().replace(",", ".")
        if not raw:
            if required:
                self.add(name, REQUIRED)
            return None
        try:
            number: float | int = int(raw) if integer else float(raw)
        except ValueError:
            self.add(name, NOT_A_WHOLE_NUMBER if integer else NOT_A_NUMBER)
            return None
        if not math.isfinite(number):
            self.add(name, NOT_A_NUMBER)
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            low = _fmt(minimum) if minimum is not None else None
            high = _fmt(maximum) if maximum is not None else None
            if low is not None and high is not None:
                self.add(name, f"Must be between {low} and {high}.")
            elif low is not None:
                self.add(name, f"Must be at least {low}.")
            else:
                self.add(name, f"Must be at most {high}.")
            return None
        return number

    def quantity(self, name: str, measure: Measure, unit_system: str, *, required: bool = False) -> float | None:
        """A mass or length typed in the client's units, as SI; its plausible range is checked in those units."""
        number = self.number(name, required=required)
        if number is None:
            return None
        si_value = to_si(measure.kind, number, unit_system)
        problem = measure.problem(si_value, unit_system)
        if problem:
            self.add(name, problem)
            return None
        return si_value

    def day(self, name: str, *, required: bool = True) -> date | None:
        """A date field (YYYY-MM-DD, what <input type=date> sends)."""
        raw = (self.values.get(name) or "").strip()
        if not raw:
            if required:
                self.add(name, REQUIRED)
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.add(name, "Enter a date like 2026-05-31.")
            return None

    def take(self, error: DomainError, fields: Mapping[str, str] | None = None) -> None:
        """A service's refusal, shown beside the fields it names (`fields` maps service names to form names).

        What names no field of the form goes to the form's own message (the "" key).
        """
        fields = fields or {}
        named = False
        for path, messages in flatten(error.errors).items():
            if path in fields:
                for message in messages:
                    self.add(fields[path], message)
                named = True
        if not named:
            self.add("", error.message)

    @property
    def ok(self) -> bool:
        """Whether no problem was found."""
        return not self.errors


def flatten(errors: Mapping[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """{"exercises": {"0": {"reps": [...]}}} -> {"exercises.0.reps": [...]} (marshmallow's nesting)."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        elif isinstance(value, list | tuple):
            flat[path] = [str(item) for item in value]
        else:
            flat[path] = [str(value)]
    return flat


def _fmt(value: float) -> str:
    return f"{value:g}"


def run_once(
    user: User,
    key: str,
    action: str,
    payload: Mapping[str, Any],
    work: Callable[[], T],
    result: Callable[[T], dict[str, Any]],
) -> dict[str, Any]:
    """Do `work` once for this Idempotency-Key, through the API's idempotency store.

    A retry with the same key (a double tap, a resubmitted form) gets the first result back and
    changes nothing; the same key with a different payload is a 409 (ConflictError), like the API.
    The work, the key and its stored result commit together; a failed attempt stores nothing, so
    the form can be sent again.
    """
    key = idempotency.validate_key(key)
    canonical = json.dumps(payload, sort_keys=True, default=str).encode()
    fingerprint = idempotency.fingerprint("POST", action, canonical)
    bodies: list[dict[str, Any]] = []

    def answer(done: T) -> tuple[int, Any, int | None]:
        bodies.append(result(done))
        return 201, bodies[0], None

    outcome = idempotency.run_once(user.id, key, fingerprint, work, answer)
    if isinstance(outcome, idempotency.StoredResponse):
        return outcome.body
    return bodies[0]

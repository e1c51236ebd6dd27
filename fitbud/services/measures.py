"""What can be measured and logged, in which kind of unit, and the plausible range of each (SI)."""

from __future__ import annotations

from dataclasses import dataclass

from fitbud.services.units import from_si, unit_label


@dataclass(frozen=True)
class Measure:
    """A quantity: its kind of unit (mass, length, distance, percent) and plausible SI bounds."""

    kind: str
    minimum: float
    maximum: float

    def problem(self, si_value: float, unit_system: str) -> str | None:
        """Why `si_value` is implausible, phrased in the user's units; None when it is fine."""
        if self.minimum <= si_value <= self.maximum:
            return None
        low = _fmt(from_si(self.kind, self.minimum, unit_system))
        high = _fmt(from_si(self.kind, self.maximum, unit_system))
        return f"Must be between {low} and {high} {unit_label(self.kind, unit_system)}."


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# Body measurements a client may track over time (BodyMetric.metric), also check-in fields.
BODY_WEIGHT = Measure("mass", 20.0, 400.0)
BODY_FAT = Measure("percent", 2.0, 75.0)
CIRCUMFERENCES: dict[str, Measure] = {
    "waist": Measure("length", 40.0, 250.0),
    "chest": Measure("length", 40.0, 250.0),
    "hips": Measure("length", 40.0, 250.0),
    "arm": Measure("length", 10.0, 100.0),
    "thigh": Measure("length", 20.0, 150.0),
    "neck": Measure("length", 20.0, 80.0),
    "calf": Measure("length", 15.0, 80.0),
}
CHECK_IN_MEASUREMENTS = ("waist", "chest", "hips", "arm", "thigh")
BODY_METRICS: dict[str, Measure] = {"weight": BODY_WEIGHT, "body_fat": BODY_FAT, **CIRCUMFERENCES}

# What one set of an exercise can plausibly hold.
LIFTED_WEIGHT = Measure("mass", 0.0, 1000.0)
SET_DISTANCE = Measure("distance", 0.0, 500_000.0)
MAX_REPS = 1000
MAX_SET_SECONDS = 24 * 3600

"""Today's workout and meals shaped for the page: labels in the client's units, set rows, last time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fitbud.models import WorkoutSet
from fitbud.services.units import from_si_distance, from_si_mass, mass_unit


@dataclass
class SetRow:
    """One set to do: what to fill in by default and what was done last time."""

    number: int
    reps: int | None
    weight: float | None
    seconds: int | None
    last: str = ""


@dataclass
class ExerciseCard:
    """One exercise of today's workout."""

    index: int
    exercise_id: int
    name: str
    prescription: str
    load: str
    rest_seconds: int
    notes: str
    tempo: str
    group: str
    timed: bool
    details: dict[str, Any] | None
    last_date: date | None
    rows: list[SetRow] = field(default_factory=list)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def load_label(load: dict[str, Any] | None, unit_system: str) -> str:
    """A prescribed load in words: "80 kg" (in the client's units), "70% of 1RM", "RPE 8"."""
    if not load:
        return ""
    if load["type"] == "kg":
        return f"{_num(from_si_mass(load['value'], unit_system))} {mass_unit(unit_system)}"
    if load["type"] == "percent_1rm":
        return f"{_num(load['value'])}% of 1RM"
    return f"RPE {_num(load['value'])}"


def distance_label(metres: float, unit_system: str) -> str:
    """A distance target: "400 m" or "5 km" (metric), "0.25 mi" (imperial)."""
    if unit_system == "metric":
        return f"{_num(metres)} m" if metres < 1000 else f"{_num(from_si_distance(metres, unit_system))} km"
    return f"{from_si_distance(metres, unit_system):.2f} mi"


def prescription(item: dict[str, Any], unit_system: str = "metric") -> str:
    """ "4 × 5", "3 × 8-12", "3 × AMRAP (as many as you can)", "3 × 45 s", "4 × 400 m"."""
    # A time or distance target is the set's target (a timed item's reps are not shown).
    target = []
    if item.get("distance_m"):
        target.append(distance_label(item["distance_m"], unit_system))
    if item.get("duration_seconds"):
        target.append(f"{item['duration_seconds']} s")
    if not target and item.get("reps") == "AMRAP":
        target.append("AMRAP (as many as you can)")
    elif not target:
        target.append(str(item.get("reps", "")))
    return f"{item['sets']} × {' in '.join(target)}"


def set_summary(workout_set: WorkoutSet, unit_system: str) -> str:
    """A done set in words: "5 × 80 kg @ RPE 8", "45 s", "12 reps"."""
    # A hold or a run is told by its time or distance; its rep count (often a nominal 1) says nothing.
    if workout_set.reps is None or workout_set.duration_seconds or workout_set.distance_m:
        parts = []
        if workout_set.duration_seconds:
            parts.append(f"{workout_set.duration_seconds} s")
        if workout_set.distance_m:
            unit = "km" if unit_system == "metric" else "mi"
            parts.append(f"{_num(from_si_distance(workout_set.distance_m, unit_system))} {unit}")
        return ", ".join(parts)
    text = f"{workout_set.reps} reps"
    if workout_set.weight_kg:
        text = f"{workout_set.reps} × {_num(from_si_mass(workout_set.weight_kg, unit_system))} {mass_unit(unit_system)}"
    if workout_set.rpe is not None:
        text += f" @ RPE {_num(workout_set.rpe)}"
    return text


def _default_reps(reps: Any) -> int | None:
    if isinstance(reps, int):
        return reps
    if isinstance(reps, str) and "-" in reps:
        return int(reps.split("-", 1)[1])
    return None


def exercise_cards(
    workout: dict[str, Any], last: dict[int, tuple[date, list[WorkoutSet]]], unit_system: str
) -> list[ExerciseCard]:
    """One card per exercise of today's workout, its set rows filled with last time's weights."""
    cards = []
    for index, item in enumerate(workout.get("items", [])):
        exercise = item.get("exercise")
        last_date, last_sets = last.get(item["exercise_id"], (None, []))
        # A time target, or a distance alone: the client logs the seconds a set took.
        timed = bool(item.get("duration_seconds")) or (item.get("reps") is None and bool(item.get("distance_m")))
        kg_load = item.get("load") if (item.get("load") or {}).get("type") == "kg" else None
        card = ExerciseCard(
            index=index,
            exercise_id=item["exercise_id"],
            name=exercise["name"] if exercise else "An exercise no longer in the library",
            prescription=prescription(item, unit_system),
            load=load_label(item.get("load"), unit_system),
            rest_seconds=int(item.get("rest_seconds") or 0),
            notes=item.get("notes", ""),
            tempo=item.get("tempo", ""),
            group=item.get("group", ""),
            timed=timed,
            details=exercise,
            last_date=last_date,
        )
        for number in range(1, item["sets"] + 1):
            previous = last_sets[number - 1] if number <= len(last_sets) else None
            if previous is not None and previous.weight_kg:
                weight = from_si_mass(previous.weight_kg, unit_system)
            elif kg_load:
                weight = from_si_mass(kg_load["value"], unit_system)
            else:
                weight = None
            card.rows.append(
                SetRow(
                    number=number,
                    reps=None if timed else _default_reps(item.get("reps")),
                    weight=weight,
                    seconds=item.get("duration_seconds") if timed else None,
                    last=set_summary(previous, unit_system) if previous is not None else "",
                )
            )
        if exercise is not None:
            cards.append(card)
    return cards


MACROS = (("kcal", "Calories", "kcal"), ("protein_g", "Protein", "g"), ("carbs_g", "Carbs", "g"), ("fat_g", "Fat", "g"))


def macro_rows(totals: dict[str, float], targets: dict[str, float] | None) -> list[dict[str, Any]]:
    """Eaten against target for each macro, with the share (capped at 100%) for the bar."""
    rows = []
    for key, label, unit in MACROS:
        eaten = totals.get(key, 0.0)
        target = (targets or {}).get(key)
        share = min(100, round(100 * eaten / target)) if target else None
        rows.append({"key": key, "label": label, "unit": unit, "eaten": eaten, "target": target, "share": share})
    return rows

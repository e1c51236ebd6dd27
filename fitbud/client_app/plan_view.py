"""The client's plans laid out week by week and day by day, with dates, for the Plan page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from fitbud.client_app.today_view import load_label, prescription
from fitbud.models import Exercise, PlanAssignment


@dataclass
class PlanDay:
    """One day of a workout week: its date in the cycle shown, what it holds, whether it is today."""

    day: date
    name: str
    rest: bool
    items: list[str] = field(default_factory=list)
    today: bool = False


@dataclass
class PlanWeek:
    """One week of a workout plan."""

    number: int
    name: str
    days: list[PlanDay]
    current: bool = False


def cycle_start(assignment: PlanAssignment, today: date) -> date:
    """The first day of the repetition of the plan that `today` falls in (the start, before it begins)."""
    length = 7 * max(1, len(assignment.content.get("weeks", [])))
    if today <= assignment.start_date:
        return assignment.start_date
    return assignment.start_date + timedelta(days=((today - assignment.start_date).days // length) * length)


def _item_label(item: dict[str, Any], names: dict[int, str], unit_system: str) -> str:
    name = names.get(item["exercise_id"], "An exercise no longer in the library")
    load = load_label(item.get("load"), unit_system)
    return f"{name}: {prescription(item, unit_system)}" + (f" · {load}" if load else "")


def workout_weeks(
    assignment: PlanAssignment, exercises: list[Exercise], today: date, unit_system: str
) -> list[PlanWeek]:
    """Every week of the plan with the dates of the repetition `today` is in (or the first one)."""
    names = {exercise.id: exercise.name for exercise in exercises}
    first = cycle_start(assignment, today)
    weeks = []
    for number, week in enumerate(assignment.content.get("weeks", [])):
        days = []
        for index, day in enumerate(week.get("days", [])):
            when = first + timedelta(days=7 * number + index)
            rest = bool(day.get("rest"))
            days.append(
                PlanDay(
                    day=when,
                    name=day.get("name") or ("Rest" if rest else f"Day {index + 1}"),
                    rest=rest,
                    items=[] if rest else [_item_label(item, names, unit_system) for item in day.get("items", [])],
                    today=when == today,
                )
            )
        start = first + timedelta(days=7 * number)
        weeks.append(
            PlanWeek(
                number=number + 1,
                name=week.get("name") or f"Week {number + 1}",
                days=days,
                current=start <= today < start + timedelta(days=7),
            )
        )
    if weeks and not any(week.current for week in weeks):
        weeks[0].current = True  # before the plan starts: the first week is the one to read
    return weeks


def diet_days(assignment: PlanAssignment, today: date) -> list[dict[str, Any]]:
    """Each day of a diet with its meals and kcal, the one that applies today marked."""
    days = assignment.content.get("days", [])
    todays = (today - assignment.start_date).days % len(days) if days and today >= assignment.start_date else None
    shown = []
    for index, day in enumerate(days):
        meals = [
            {
                "time": meal.get("time", ""),
                "name": meal["name"],
                "kcal": round(sum(item.get("kcal", 0) for item in meal.get("items", []))),
                "foods": [item["food"] for item in meal.get("items", [])],
            }
            for meal in day.get("meals", [])
        ]
        shown.append(
            {"name": day["name"], "meals": meals, "kcal": sum(meal["kcal"] for meal in meals), "today": index == todays}
        )
    return shown

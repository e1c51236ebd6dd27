"""The plan editor's draft: content edited by path, structural edits, errors keyed by path, saving.

The editor's inputs carry the dotted path of the value they edit ("weeks.0.days.2.items.1.reps"),
the same path the plan service's 422 errors use (minus their "content." prefix), so a
validation error lands next to the field that caused it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from dashboards.forms import to_int
from fitbud.models import PlanKind, PlanTemplate, User
from fitbud.services import inputs, plans
from fitbud.services.plan_content import MACROS, diet_totals, link_foods_by_name

NUMBER_KEYS = {
    "sets",
    "duration_seconds",
    "distance_m",
    "rest_seconds",
    "value",
    "quantity",
    "kcal",
    "protein",
    "carbs",
    "fat",
    "exercise_id",
}
# Number fields the schema keeps as floats (the rest are whole numbers).
FLOAT_KEYS = ("value", "quantity", "distance_m")
REPS_DIGITS = re.compile(r"^\s*\d+\s*$")


def new_element(kind: PlanKind, list_path: str, length: int) -> dict[str, Any]:
    """A fresh element for the list at `list_path` that already holds `length` elements."""
    name = list_path.rsplit(".", 1)[-1]
    number = length + 1
    if kind is PlanKind.WORKOUT:
        if name == "weeks":
            return {"name": f"Week {number}", "days": [new_element(kind, "days", 0)]}
        if name == "days":
            return {"name": f"Day {number}", "rest": False, "items": [new_element(kind, "items", 0)]}
        return {"exercise_id": None, "sets": 3, "reps": "8-12", "rest_seconds": 90}
    if name == "days":
        return {"name": f"Day {number}", "meals": [new_element(kind, "meals", 0)]}
    if name == "meals":
        return {"name": f"Meal {number}", "time": "08:00", "items": [new_element(kind, "items", 0)]}
    return {"food": "", "quantity": 100, "unit": "g", "kcal": 0, "protein": 0, "carbs": 0, "fat": 0}


def new_content(kind: PlanKind) -> dict[str, Any]:
    """The content a new template starts from: one week with one day, or one diet day."""
    if kind is PlanKind.WORKOUT:
        return {"weeks": [new_element(kind, "weeks", 0)]}
    return {"days": [new_element(kind, "days", 0)]}


def _keys(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".") if part != ""]


def get_at(content: Any, path: str) -> Any:
    """The value at a dotted path, or None when any step is missing."""
    node = content
    for key in _keys(path):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _coerce(key: str, value: Any) -> Any:
    if isinstance(value, str) and value.strip() == "" and key not in ("food", "unit", "time"):
        return None
    if key == "reps" and isinstance(value, str) and REPS_DIGITS.match(value):
        return int(value)
    if key == "reps" and isinstance(value, str) and value.strip().upper() == "AMRAP":
        return "AMRAP"
    if key in NUMBER_KEYS and isinstance(value, float) and value.is_integer() and key not in FLOAT_KEYS:
        return int(value)
    if key == "rest":
        return bool(value)
    return value


def set_at(content: dict[str, Any], path: str, value: Any) -> None:
    """Write one edited value into the content, creating nested objects (a load) as needed.

    Blank optional values are removed so the schema reports "missing" rather than odd types;
    a load without a type is no load at all.
    """
    keys = _keys(path)
    node: Any = content
    for key in keys[:-1]:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return  # a stale input of an element removed since: ignore it
            node = node[key]
        else:
            if not isinstance(node, dict):
                return
            node = node.setdefault(key, {})
    last = keys[-1]
    if not isinstance(node, dict):
        return
    value = _coerce(str(last), value)
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _drop_empty_loads(node: Any) -> None:
    if isinstance(node, dict):
        load = node.get("load")
        if isinstance(load, dict) and not load.get("type"):
            node.pop("load")
        for child in node.values():
            _drop_empty_loads(child)
    elif isinstance(node, list):
        for child in node:
            _drop_empty_loads(child)


def _drop_empty_targets(content: dict[str, Any]) -> None:
    targets = content.get("targets")
    if isinstance(targets, dict) and not targets:
        content.pop("targets")


def merge(content: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A copy of `content` with every edited value (path -> value) written in."""
    merged = copy.deepcopy(content)
    for path, value in values.items():
        set_at(merged, path, value)
    _drop_empty_loads(merged)
    _drop_empty_targets(merged)
    return merged


def apply_action(content: dict[str, Any], kind: PlanKind, op: str, path: str) -> dict[str, Any]:
    """Add, remove or move an element, or turn a workout day into a rest day and back."""
    changed = copy.deepcopy(content)
    if op == "add":
        target = get_at(changed, path) if path else None
        if path and isinstance(target, list):
            target.append(new_element(kind, path, len(target)))
        return changed
    keys = _keys(path)
    if not keys or not isinstance(keys[-1], int):
        return changed
    parent = get_at(changed, ".".join(str(key) for key in keys[:-1]))
    index = keys[-1]
    if not isinstance(parent, list) or index >= len(parent):
        return changed
    if op == "remove":
        parent.pop(index)
    elif op == "up" and index > 0:
        parent[index - 1], parent[index] = parent[index], parent[index - 1]
    elif op == "down" and index < len(parent) - 1:
        parent[index + 1], parent[index] = parent[index], parent[index + 1]
    elif op == "rest" and isinstance(parent[index], dict):
        day = parent[index]
        day["rest"] = not day.get("rest", False)
        day["items"] = [] if day["rest"] else [new_element(kind, "items", 0)]
    return changed


def content_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A 422's field errors keyed by editor path: "content.weeks.0.name" -> "weeks.0.name"."""
    keyed: dict[str, list[str]] = {}
    for path, messages in errors.items():
        key = path.removeprefix("content").lstrip(".") if path.startswith("content") else f"meta.{path}"
        keyed.setdefault(key, []).extend(str(message) for message in messages)
    return keyed


def describe(path: str) -> str:
    """A path as a person reads it: "weeks.0.days.2.items.1.reps" -> "Week 1 › Day 3 › Item 2 › reps"."""
    words = {"weeks": "Week", "days": "Day", "items": "Item", "meals": "Meal"}
    keys = _keys(path)
    parts: list[str] = []
    index = 0
    while index < len(keys):
        key = keys[index]
        if key in words and index + 1 < len(keys) and isinstance(keys[index + 1], int):
            parts.append(f"{words[key]} {keys[index + 1] + 1}")
            index += 2
            continue
        parts.append(str(key).replace("_", " "))
        index += 1
    return " › ".join(parts) or "Plan"


# The editor's state ------------------------------------------------------------------------


def field_values(ids: list[dict[str, Any]], values: list[Any]) -> dict[str, Any]:
    """The editor inputs as {path: value}."""
    return {component_id["path"]: value for component_id, value in zip(ids, values, strict=False)}


def kind_of(draft: Any) -> PlanKind | None:
    """The kind of plan a draft edits, or None for a draft that is not one (a forged store)."""
    try:
        return PlanKind(draft["kind"])
    except (TypeError, KeyError, ValueError):
        return None


def split_tags(text: str | None) -> list[str]:
    """The tags field ("strength, beginner") as a list."""
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


def saved_state(plan: PlanTemplate | None, content: dict[str, Any]) -> dict[str, Any]:
    """What the editor compares its fields with to know whether there are unsaved edits."""
    meta = {"name": plan.name, "description": plan.description, "tags": ", ".join(plan.tags)} if plan else {}
    return {"content": content, "meta": {"name": "", "description": "", "tags": ""} | meta}


def draft_of(plan: PlanTemplate) -> dict[str, Any]:
    """The editor's draft store for a saved plan: its id, kind, version, content, and that baseline."""
    return {
        "plan_id": plan.id,
        "kind": plan.kind.value,
        "version": plan.version,
        "content": plan.content,
        "saved": saved_state(plan, plan.content),
        "dirty": False,
    }


def save_plan(trainer: User, draft: dict[str, Any], content: dict[str, Any], meta: dict[str, Any]) -> PlanTemplate:
    """Create or update through the API's input shape and the plans service (the API's rules)."""
    kind = kind_of(draft)
    plan_id = draft.get("plan_id")
    if kind is PlanKind.DIET:
        # Items named like a food of the table become references: the table gives their values.
        content = link_foods_by_name(copy.deepcopy(content), trainer.id)
    payload: dict[str, Any] = {
        "name": meta["name"] or "",
        "description": meta["description"] or "",
        "tags": meta["tags"],
        "content": content,
    }
    if plan_id is None:
        data = inputs.load(inputs.PlanCreateSchema, {**payload, "kind": kind.value if kind else None})
        return plans.create_plan(trainer, data)
    data = inputs.load(inputs.PlanUpdateSchema, {**payload, "version": draft.get("version")})
    return plans.update_plan(trainer, to_int(plan_id) or 0, data)



def macro_label(totals: dict[str, float]) -> str:
    """Totals as a short line: "520 kcal · P 40 g · C 55 g · F 12 g"."""
    return f"{totals['kcal']:g} kcal · P {totals['protein']:g} g · C {totals['carbs']:g} g · F {totals['fat']:g} g"


# A day's energy this far from the diet's kcal target gets a warning beside its totals.
ENERGY_TOLERANCE = 0.10


def energy_warning(day_kcal: float, targets: Any) -> str | None:
    """"12 % above the 2000 kcal target" when a day's energy is more than 10 % off it; None otherwise."""
    target = targets.get("kcal") if isinstance(targets, dict) else None
    if not isinstance(target, int | float) or isinstance(target, bool) or target <= 0:
        return None
    off = (day_kcal - target) / target
    if abs(off) <= ENERGY_TOLERANCE:
        return None
    return f"{abs(off) * 100:.0f} % {'above' if off > 0 else 'below'} the {target:g} kcal target"


def live_totals(content: dict[str, Any]) -> dict[str, Any]:
    """Per-day and per-meal totals of a possibly half-typed diet (blank or bad numbers count as 0)."""
    clean_days = []
    for day in content.get("days") or []:
        meals = []
        for meal in day.get("meals") or []:
            items = []
            for item in meal.get("items") or []:
                row = {}
                for macro in MACROS:
                    value = item.get(macro)
                    row[macro] = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
                items.append(row)
            meals.append({"items": items})
        clean_days.append({"name": day.get("name") or "", "meals": meals})
    return {"days": diet_totals({"days": clean_days})}


"""The plan editor's form: a field for every value of the content, with its error beside it.

Each input's id carries the dotted path of the value it edits (see draft.py), so the
callbacks read the whole form back as {path: value} and a 422 lands on the right field.
"""

from __future__ import annotations

import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.pages.plans.draft import describe
from fitbud.models import PlanKind, User
from fitbud.services.exercises import library_for
from fitbud.services.plan_content import MACROS

# The <datalist> of food names the diet items' Food fields suggest from (see layout.py).
FOOD_NAMES_ID = "pe-food-names"
LOAD_TYPES = [
    {"label": "No load", "value": ""},
    {"label": "kg", "value": "kg"},
    {"label": "% 1RM", "value": "percent_1rm"},
    {"label": "RPE", "value": "rpe"},
]


def dom_id(component_id: dict[str, Any]) -> str:
    """The DOM id Dash gives a pattern-matching id (sorted keys, compact JSON), for <label for>."""
    return json.dumps(dict(sorted(component_id.items())), separators=(",", ":"))


def exercise_options(trainer: User) -> list[dict[str, Any]]:
    """The trainer's library (built-ins and their own) as searchable picker options."""
    return [
        {"label": f"{exercise.name} ({exercise.equipment})", "value": exercise.id}
        for exercise in library_for(trainer).exercises
    ]


class _Renderer:
    """Builds the editor's form from content and errors, noting which errors found a field."""

    def __init__(self, kind: PlanKind, errors: dict[str, list[str]], exercises: list[dict[str, Any]]):
        self.kind = kind
        self.errors = errors
        self.exercises = exercises
        self.shown: set[str] = set()

    def feedback(self, path: str) -> list[Any]:
        messages = self.errors.get(path)
        if not messages:
            return []
        self.shown.add(path)
        return [html.Div(" ".join(messages), className="invalid-feedback d-block", **{"data-path": path})]

    def field(self, path: str, label: str, value: Any, kind: str = "text", width: int = 3, **props: Any) -> dbc.Col:
        component_id = {"type": "pe-f", "path": path}
        invalid = path in self.errors
        if kind == "exercise":
            control = dcc.Dropdown(
                id=component_id,
                options=self.exercises,
                value=value,
                placeholder="Search the exercise library",
                searchable=True,
                clearable=False,
                className="is-invalid" if invalid else "",
            )
        elif kind == "select":
            control = dbc.Select(id=component_id, value=value if value is not None else "", invalid=invalid, **props)
        else:
            control = dbc.Input(
                id=component_id,
                type=kind,
                value=value,
                invalid=invalid,
                size="sm",
                **props,
            )
        return dbc.Col(
            [dbc.Label(label, html_for=dom_id(component_id), className="small mb-0"), control, *self.feedback(path)],
            xs=12 if width >= 6 else 6,
            md=width,
        )

    def tools(self, path: str, noun: str, *, rest_toggle: bool | None = None) -> html.Div:
        buttons = [
            dbc.Button(
                "↑", id={"type": "pe-act", "op": "up", "path": path}, size="sm", color="light", title=f"Move {noun} up"
            ),
            dbc.Button(
                "↓",
                id={"type": "pe-act", "op": "down", "path": path},
                size="sm",
                color="light",
                title=f"Move {noun} down",
            ),
        ]
        if rest_toggle is not None:
            buttons.append(
                dbc.Button(
                    "Make training day" if rest_toggle else "Make rest day",
                    id={"type": "pe-act", "op": "rest", "path": path},
                    size="sm",
                    color="light",
                )
            )
        buttons.append(
            dbc.Button("Remove", id={"type": "pe-act", "op": "remove", "path": path}, size="sm", color="outline-danger")
        )
        return html.Div(buttons, className="d-flex gap-1 flex-wrap")

    def add_button(self, list_path: str, label: str) -> dbc.Button:
        return dbc.Button(
            label,
            id={"type": "pe-act", "op": "add", "path": list_path},
            size="sm",
            color="outline-primary",
            className="mt-2",
        )

    # Workout -------------------------------------------------------------------------

    def workout_item(self, path: str, item: dict[str, Any], number: int) -> html.Div:
        load = item.get("load") or {}
        reps = item.get("reps")
        return html.Div(
            [
                html.Div(
                    [
                        html.Span(f"Exercise {number}", className="fw-semibold small me-auto"),
                        self.tools(path, f"exercise {number}"),
                    ],
                    className="d-flex align-items-center mb-1 gap-2",
                ),
                dbc.Row(
                    [
                        self.field(f"{path}.exercise_id", "Exercise", item.get("exercise_id"), "exercise", 6),
                        self.field(f"{path}.sets", "Sets", item.get("sets"), "number", 1, min=1, max=20),
                        self.field(
                            f"{path}.reps",
                            "Reps",
                            "" if reps is None else str(reps),
                            "text",
                            2,
                            placeholder="8, 8-12, AMRAP",
                        ),
                        self.field(f"{path}.rest_seconds", "Rest (s)", item.get("rest_seconds"), "number", 1, min=0),
                        self.field(
                            f"{path}.group", "Superset", item.get("group"), "text", 2, placeholder="A, B1…", maxLength=2
                        ),
                        self.field(f"{path}.load.type", "Load", load.get("type", ""), "select", 2, options=LOAD_TYPES),
                        self.field(
                            f"{path}.load.value", "Load value", load.get("value"), "number", 2, min=0, step="any"
                        ),
                        self.field(
                            f"{path}.duration_seconds", "Time (s)", item.get("duration_seconds"), "number", 2, min=1
                        ),
                        self.field(
                            f"{path}.distance_m", "Distance (m)", item.get("distance_m"), "number", 2, min=1, step="any"
                        ),
                        self.field(f"{path}.notes", "Notes", item.get("notes"), "text", 4),
                    ],
                    className="g-2",
                ),
                *self.feedback(path),
            ],
            className="fb-plan-item border rounded p-2 mb-2 bg-white"
            + (" border-start border-4 border-warning" if item.get("group") else ""),
        )

    def workout_day(self, path: str, day: dict[str, Any]) -> dbc.Card:
        rest = bool(day.get("rest"))
        items = day.get("items") or []
        body: list[Any] = [
            dbc.Row([self.field(f"{path}.name", "Day name", day.get("name"), "text", 6)], className="g-2 mb-2")
        ]
        if rest:
            body.append(html.P("Rest day: no exercises.", className="text-muted small mb-0"))
        else:
            body += [self.workout_item(f"{path}.items.{i}", item, i + 1) for i, item in enumerate(items)]
            body.append(self.add_button(f"{path}.items", "Add exercise"))
        body += self.feedback(f"{path}.items") + self.feedback(path)
        title = day.get("name") or "Day"
        return dbc.Card(
            [
                dbc.CardHeader(
                    html.Div(
                        [
                            html.Span(title + (" (rest)" if rest else ""), className="me-auto"),
                            self.tools(path, title, rest_toggle=rest),
                        ],
                        className="d-flex flex-wrap align-items-center gap-2",
                    )
                ),
                dbc.CardBody(body),
            ],
            className="mb-2 fb-plan-day",
        )

    def workout(self, content: dict[str, Any]) -> list[Any]:
        weeks = content.get("weeks") or []
        blocks: list[Any] = []
        for w, week in enumerate(weeks):
            path = f"weeks.{w}"
            days = week.get("days") or []
            blocks.append(
                html.Section(
                    [
                        html.Div(
                            [
                                html.H2(week.get("name") or f"Week {w + 1}", className="h5 me-auto mb-0"),
                                self.tools(path, f"week {w + 1}"),
                            ],
                            className="d-flex flex-wrap align-items-center gap-2 mb-2",
                        ),
                        dbc.Row(
                            [self.field(f"{path}.name", "Week name", week.get("name"), "text", 6)], className="g-2 mb-2"
                        ),
                        *[self.workout_day(f"{path}.days.{d}", day) for d, day in enumerate(days)],
                        self.add_button(f"{path}.days", "Add day"),
                        *self.feedback(f"{path}.days"),
                        *self.feedback(path),
                    ],
                    className="fb-plan-week border rounded p-2 mb-3",
                )
            )
        blocks.append(self.add_button("weeks", "Add week"))
        blocks += self.feedback("weeks")
        return blocks

    # Diet ----------------------------------------------------------------------------

    def diet_item(self, path: str, item: dict[str, Any], number: int) -> html.Div:
        return html.Div(
            [
                html.Div(
                    [
                        html.Span(f"Food {number}", className="fw-semibold small me-auto"),
                        self.tools(path, f"food {number}"),
                    ],
                    className="d-flex align-items-center mb-1 gap-2",
                ),
                dbc.Row(
                    [
                        # Suggests the food table's names: an item named like one of them gets its values.
                        self.field(f"{path}.food", "Food", item.get("food"), "text", 4, list=FOOD_NAMES_ID),
                        self.field(f"{path}.quantity", "Qty", item.get("quantity"), "number", 1, min=0, step="any"),
                        self.field(f"{path}.unit", "Unit", item.get("unit"), "text", 1),
                        *[
                            self.field(
                                f"{path}.{macro}",
                                macro.capitalize() if macro != "kcal" else "kcal",
                                item.get(macro),
                                "number",
                                1 if macro != "kcal" else 2,
                                min=0,
                                step="any",
                            )
                            for macro in MACROS
                        ],
                    ],
                    className="g-2",
                ),
                html.Div(
                    "From the food table: energy and macros follow the quantity (g, oz or servings)."
                    if item.get("food_id") is not None
                    else None,
                    className="form-text",
                ),
                # Filled when the client picked under "Assign to a client" is allergic to this food.
                html.Div(
                    id={"type": "pe-allergy", "path": path}, className="text-danger small fw-semibold", role="status"
                ),
                *self.feedback(path),
            ],
            className="fb-plan-item border rounded p-2 mb-2 bg-white",
        )

    def meal(self, path: str, meal: dict[str, Any], day_index: int, meal_index: int) -> dbc.Card:
        items = meal.get("items") or []
        return dbc.Card(
            [
                dbc.CardHeader(
                    html.Div(
                        [
                            html.Span(meal.get("name") or "Meal", className="me-auto"),
                            html.Span(
                                id={"type": "pe-meal-total", "day": day_index, "meal": meal_index},
                                className="badge text-bg-light fb-macro-total",
                            ),
                            self.tools(path, meal.get("name") or "meal"),
                        ],
                        className="d-flex flex-wrap align-items-center gap-2",
                    )
                ),
                dbc.CardBody(
                    [
                        dbc.Row(
                            [
                                self.field(f"{path}.name", "Meal name", meal.get("name"), "text", 6),
                                self.field(f"{path}.time", "Time", meal.get("time"), "time", 3),
                            ],
                            className="g-2 mb-2",
                        ),
                        *[self.diet_item(f"{path}.items.{i}", item, i + 1) for i, item in enumerate(items)],
                        self.add_button(f"{path}.items", "Add food"),
                        *self.feedback(f"{path}.items"),
                        *self.feedback(path),
                    ]
                ),
            ],
            className="mb-2",
        )

    def diet(self, content: dict[str, Any]) -> list[Any]:
        targets = content.get("targets") or {}
        blocks: list[Any] = [
            html.Section(
                [
                    html.H2("Daily targets (optional)", className="h6"),
                    dbc.Row(
                        [
                            self.field(
                                f"targets.{macro}",
                                macro if macro == "kcal" else f"{macro} (g)",
                                targets.get(macro),
                                "number",
                                2,
                                min=0,
                                step="any",
                            )
                            for macro in MACROS
                        ],
                        className="g-2",
                    ),
                    *self.feedback("targets"),
                ],
                className="border rounded p-2 mb-3",
            )
        ]
        for d, day in enumerate(content.get("days") or []):
            path = f"days.{d}"
            blocks.append(
                html.Section(
                    [
                        html.Div(
                            [
                                html.H2(day.get("name") or f"Day {d + 1}", className="h5 me-auto mb-0"),
                                html.Span(
                                    id={"type": "pe-day-total", "day": d},
                                    className="badge text-bg-primary fb-macro-total",
                                    role="status",
                                ),
                                self.tools(path, f"day {d + 1}"),
                            ],
                            className="d-flex flex-wrap align-items-center gap-2 mb-2",
                        ),
                        dbc.Row(
                            [self.field(f"{path}.name", "Day name", day.get("name"), "text", 6)], className="g-2 mb-2"
                        ),
                        *[self.meal(f"{path}.meals.{m}", meal, d, m) for m, meal in enumerate(day.get("meals") or [])],
                        self.add_button(f"{path}.meals", "Add meal"),
                        *self.feedback(f"{path}.meals"),
                        *self.feedback(path),
                    ],
                    className="fb-plan-week border rounded p-2 mb-3",
                )
            )
        blocks.append(self.add_button("days", "Add day"))
        blocks += self.feedback("days")
        return blocks


def render_form(
    kind: PlanKind, content: dict[str, Any], errors: dict[str, list[str]], exercises: list[dict[str, Any]]
) -> list[Any]:
    """The content's form, with errors next to their fields and the unplaced ones listed on top."""
    renderer = _Renderer(kind, errors, exercises)
    blocks = renderer.workout(content) if kind is PlanKind.WORKOUT else renderer.diet(content)
    leftover = [path for path in errors if path not in renderer.shown and not path.startswith("meta.")]
    if leftover:
        items = [html.Li(f"{describe(path)}: {' '.join(errors[path])}") for path in leftover]
        blocks.insert(0, dbc.Alert([html.Strong("Please fix:"), html.Ul(items, className="mb-0")], color="danger"))
    return blocks


def meta_field(field_id: str, label: str, value: Any, errors: dict[str, list[str]], **props: Any) -> html.Div:
    """The name, description or tags input, with the error the save reported for it."""
    messages = errors.get(f"meta.{field_id.removeprefix('pe-')}")
    return html.Div(
        [
            dbc.Label(label, html_for=field_id),
            dbc.Input(id=field_id, value=value, invalid=bool(messages), **props),
            html.Div(" ".join(messages or []), className="invalid-feedback d-block", id=f"{field_id}-error"),
        ],
        className="mb-2",
    )

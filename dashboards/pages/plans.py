"""Plans: the trainer's template list, and the workout and diet template editor.

Saving goes through the plans service after the API's own input schemas, so the editor
applies exactly the API's rules; a 422's paths map onto the editor's fields.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import empty, page_title
from dashboards.page import Page
from dashboards.plan_form import apply_action, content_errors, describe, merge, new_content
from fitbud.auth.roles import Role
from fitbud.errors import DomainError, InvalidInputError, NotFoundError
from fitbud.models import PlanKind, PlanTemplate, User
from fitbud.services import assignments, inputs, plans
from fitbud.services.analytics import client_options
from fitbud.services.exercises import library_for
from fitbud.services.plan_content import MACROS, diet_totals

LIST_LIMIT = 200
LOAD_TYPES = [
    {"label": "No load", "value": ""},
    {"label": "kg", "value": "kg"},
    {"label": "% 1RM", "value": "percent_1rm"},
    {"label": "RPE", "value": "rpe"},
]


def _trainer() -> User | None:
    user = current_dashboard_user()
    return user if user is not None and user.role is Role.TRAINER else None


def dom_id(component_id: dict[str, Any]) -> str:
    """The DOM id Dash gives a pattern-matching id (sorted keys, compact JSON), for <label for>."""
    return json.dumps(dict(sorted(component_id.items())), separators=(",", ":"))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# The list ------------------------------------------------------------------------------


def list_layout() -> html.Div:
    """Search, kind filter, archived switch and the table of templates."""
    return html.Div(
        [
            page_title(
                "Plans",
                dbc.Button("New workout plan", href=PREFIX + "plans/new?kind=workout", color="primary", id="pl-new-w"),
                dbc.Button(
                    "New diet plan", href=PREFIX + "plans/new?kind=diet", color="outline-primary", id="pl-new-d"
                ),
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Search", html_for="pl-search"),
                            dbc.Input(id="pl-search", type="search", placeholder="Name or description", debounce=0.3),
                        ],
                        xs=12,
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Kind", html_for="pl-kind"),
                            dbc.Select(
                                id="pl-kind",
                                value="",
                                options=[
                                    {"label": "All", "value": ""},
                                    {"label": "Workout", "value": "workout"},
                                    {"label": "Diet", "value": "diet"},
                                ],
                            ),
                        ],
                        xs=6,
                        md=3,
                    ),
                    dbc.Col(
                        dbc.Switch(id="pl-archived", label="Show archived", value=False, className="mt-4"),
                        xs=6,
                        md=3,
                    ),
                ],
                className="g-2 mb-3",
            ),
            html.Div(id="pl-message", role="status"),
            dcc.Loading(html.Div(id="pl-list"), type="dot"),
        ]
    )


def _plan_table(rows: list[PlanTemplate], archived: bool) -> Any:
    if not rows:
        if archived:
            return empty("No archived plans.", "Archived plans appear here; restore one to edit it again.")
        return empty("No plans yet.", "Create a workout or diet plan with the buttons above.")
    body = []
    for plan in rows:
        toggle_label = "Restore" if archived else "Archive"
        body.append(
            html.Tr(
                [
                    html.Td(dcc.Link(plan.name, href=f"{PREFIX}plans/{plan.id}", className="fw-semibold")),
                    html.Td(dbc.Badge(plan.kind.value, color="info" if plan.kind is PlanKind.DIET else "primary")),
                    html.Td(", ".join(plan.tags) or "—", className="d-none d-md-table-cell"),
                    html.Td(f"v{plan.version}", className="d-none d-md-table-cell"),
                    html.Td(f"{plan.updated_at:%d %b %Y}", className="d-none d-md-table-cell"),
                    html.Td(
                        html.Div(
                            [
                                dbc.Button(
                                    "Duplicate",
                                    id={"type": "pl-dup", "id": plan.id},
                                    size="sm",
                                    color="outline-secondary",
                                ),
                                dbc.Button(
                                    toggle_label,
                                    id={"type": "pl-arch", "id": plan.id},
                                    size="sm",
                                    color="outline-danger" if not archived else "outline-success",
                                ),
                            ],
                            className="d-flex gap-1",
                        )
                    ),
                ]
            )
        )
    header = html.Thead(
        html.Tr(
            [
                html.Th("Name"),
                html.Th("Kind"),
                html.Th("Tags", className="d-none d-md-table-cell"),
                html.Th("Version", className="d-none d-md-table-cell"),
                html.Th("Updated", className="d-none d-md-table-cell"),
                html.Th("Actions"),
            ]
        )
    )
    return dbc.Table([header, html.Tbody(body)], hover=True, responsive=True, size="sm", className="fb-table bg-white")


# The editor ----------------------------------------------------------------------------


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
                            placeholder="8 or 8-12",
                        ),
                        self.field(f"{path}.rest_seconds", "Rest (s)", item.get("rest_seconds"), "number", 1, min=0),
                        self.field(
                            f"{path}.group", "Superset", item.get("group"), "text", 2, placeholder="A, B1…", maxLength=2
                        ),
                        self.field(f"{path}.load.type", "Load", load.get("type", ""), "select", 2, options=LOAD_TYPES),
                        self.field(
                            f"{path}.load.value", "Load value", load.get("value"), "number", 2, min=0, step="any"
                        ),
                        self.field(f"{path}.notes", "Notes", item.get("notes"), "text", 8),
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
                        self.field(f"{path}.food", "Food", item.get("food"), "text", 4),
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


def render_form(kind: PlanKind, content: dict[str, Any], errors: dict[str, list[str]], exercises) -> list[Any]:
    """The content's form, with errors next to their fields and the unplaced ones listed on top."""
    renderer = _Renderer(kind, errors, exercises)
    blocks = renderer.workout(content) if kind is PlanKind.WORKOUT else renderer.diet(content)
    leftover = [path for path in errors if path not in renderer.shown and not path.startswith("meta.")]
    if leftover:
        items = [html.Li(f"{describe(path)}: {' '.join(errors[path])}") for path in leftover]
        blocks.insert(0, dbc.Alert([html.Strong("Please fix:"), html.Ul(items, className="mb-0")], color="danger"))
    return blocks


def _meta_field(field_id: str, label: str, value: Any, errors: dict[str, list[str]], **props: Any) -> html.Div:
    messages = errors.get(f"meta.{field_id.removeprefix('pe-')}")
    return html.Div(
        [
            dbc.Label(label, html_for=field_id),
            dbc.Input(id=field_id, value=value, invalid=bool(messages), **props),
            html.Div(" ".join(messages or []), className="invalid-feedback d-block", id=f"{field_id}-error"),
        ],
        className="mb-2",
    )


def editor_layout(trainer: User | None, subpath: str, params: dict[str, str]) -> html.Div:
    """The editor of a template (`subpath` is its id) or of a new one ("new", kind from params)."""
    plan: PlanTemplate | None = None
    if trainer is not None and subpath != "new":
        plan_id = _int(subpath)
        try:
            plan = plans.get_plan(trainer, plan_id) if plan_id is not None else None
        except NotFoundError:
            plan = None
        if plan is None:
            return html.Div(
                [
                    page_title("Plan"),
                    empty("No such plan.", "Pick one of your plans from the list."),
                    dcc.Link("Back to plans", href=PREFIX + "plans"),
                ]
            )
    kind = plan.kind if plan else (PlanKind.DIET if params.get("kind") == "diet" else PlanKind.WORKOUT)
    content = plan.content if plan else new_content(kind)
    draft = {
        "plan_id": plan.id if plan else None,
        "kind": kind.value,
        "version": plan.version if plan else None,
        "content": content,
    }
    exercises = exercise_options(trainer) if trainer is not None and kind is PlanKind.WORKOUT else []
    title = plan.name if plan else f"New {kind.value} plan"
    archived = plan is not None and plan.archived_at is not None
    return html.Div(
        [
            dcc.Store(id="pe-draft", data=draft),
            page_title(title, dcc.Link("← All plans", href=PREFIX + "plans", className="btn btn-link")),
            dbc.Alert("This plan is archived: restore it from the list to edit it.", color="warning")
            if archived
            else None,
            dbc.Row(
                [
                    dbc.Col(
                        [
                            _meta_field("pe-name", "Name", plan.name if plan else "", {}, maxLength=120, required=True),
                            _meta_field("pe-description", "Description", plan.description if plan else "", {}),
                            _meta_field("pe-tags", "Tags (comma separated)", ", ".join(plan.tags) if plan else "", {}),
                        ],
                        xs=12,
                        lg=8,
                    ),
                    dbc.Col(_assign_card(trainer, plan), xs=12, lg=4),
                ],
                className="g-3",
            ),
            html.Div(id="pe-form", children=render_form(kind, content, {}, exercises)),
            html.Div(
                [
                    dbc.Button("Save plan", id="pe-save", color="primary", disabled=archived),
                    html.Div(id="pe-message", role="status", className="flex-grow-1"),
                ],
                className="fb-save-bar d-flex flex-wrap gap-2 align-items-center py-2",
            ),
        ]
    )


def _assign_card(trainer: User | None, plan: PlanTemplate | None) -> dbc.Card:
    options = client_options(trainer) if trainer is not None else []
    return dbc.Card(
        [
            dbc.CardHeader("Assign to a client"),
            dbc.CardBody(
                [
                    dbc.Label("Client", html_for="pe-assign-client"),
                    dbc.Select(id="pe-assign-client", options=options, placeholder="Pick a client"),
                    dbc.Label("Start date", html_for="pe-assign-start", className="mt-2"),
                    dbc.Input(id="pe-assign-start", type="date", value=date.today().isoformat()),
                    dbc.Button("Assign", id="pe-assign", color="success", className="mt-2"),
                    html.Div(
                        "Save the plan first." if plan is None else None,
                        id="pe-assign-message",
                        role="status",
                        className="mt-2 small",
                    ),
                ]
            ),
        ],
        className="fb-card shadow-sm",
    )


def layout(params: dict[str, str]) -> html.Div:
    """The list at /plans, the editor at /plans/<plan_id> and /plans/new."""
    if params.get("plan_id"):
        return editor_layout(_trainer(), params["plan_id"], params)
    return list_layout()


def every_component() -> html.Div:
    """The list and the editor together, for Dash's validation layout (every callback id exists)."""
    return html.Div([list_layout(), editor_layout(None, "new", {})])


# Callbacks -----------------------------------------------------------------------------


def field_values(ids: list[dict[str, Any]], values: list[Any]) -> dict[str, Any]:
    """The editor inputs as {path: value}."""
    return {component_id["path"]: value for component_id, value in zip(ids, values, strict=False)}


def _kind_of(draft: Any) -> PlanKind | None:
    try:
        return PlanKind(draft["kind"])
    except (TypeError, KeyError, ValueError):
        return None


def _tags(text: str | None) -> list[str]:
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


def save_plan(trainer: User, draft: dict[str, Any], content: dict[str, Any], meta: dict[str, Any]) -> PlanTemplate:
    """Create or update through the API's input schema and the plans service (same rules as the API)."""
    kind = _kind_of(draft)
    plan_id = draft.get("plan_id")
    payload: dict[str, Any] = {
        "name": meta["name"] or "",
        "description": meta["description"] or "",
        "tags": meta["tags"],
        "content": content,
    }
    if plan_id is None:
        data = inputs.load(inputs.PlanCreateSchema, {**payload, "kind": kind.value if kind else None})
    else:
        data = inputs.load(inputs.PlanUpdateSchema, {**payload, "version": draft.get("version")})
    if plan_id is None:
        return plans.create_plan(trainer, data)
    return plans.update_plan(trainer, _int(plan_id) or 0, data)


def macro_label(totals: dict[str, float]) -> str:
    """Totals as a short line: "520 kcal · P 40 g · C 55 g · F 12 g"."""
    return f"{totals['kcal']:g} kcal · P {totals['protein']:g} g · C {totals['carbs']:g} g · F {totals['fat']:g} g"


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


def register_callbacks(app: dash.Dash) -> None:
    """List actions, editor structure and save, live macro totals, and assignment."""

    @app.callback(
        Output("pl-list", "children"),
        Output("pl-message", "children"),
        Input("pl-search", "value"),
        Input("pl-kind", "value"),
        Input("pl-archived", "value"),
        Input({"type": "pl-dup", "id": ALL}, "n_clicks"),
        Input({"type": "pl-arch", "id": ALL}, "n_clicks"),
    )
    def plan_list(search, kind, archived, _dups, _archs):
        trainer = _trainer()
        if trainer is None:
            raise dash.exceptions.PreventUpdate
        archived = bool(archived)
        message = None
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and ctx.triggered and ctx.triggered[0]["value"]:
            try:
                plan_id = _int(trigger.get("id")) or 0
                if trigger["type"] == "pl-dup":
                    copy = plans.duplicate_plan(trainer, plan_id)
                    message = dbc.Alert(
                        ["Duplicated as ", dcc.Link(copy.name, href=f"{PREFIX}plans/{copy.id}"), "."],
                        color="success",
                        dismissable=True,
                    )
                else:
                    plan = plans.update_plan(trainer, plan_id, {"archived": not archived})
                    verb = "archived" if plan.archived_at is not None else "restored"
                    message = dbc.Alert(f"“{plan.name}” {verb}.", color="success", dismissable=True)
            except NotFoundError:
                message = dbc.Alert("No such plan.", color="danger", dismissable=True)
            except DomainError as error:
                message = dbc.Alert(error.message, color="danger", dismissable=True)
        rows = plans.find_plans(
            trainer,
            kind=PlanKind(kind) if kind in ("workout", "diet") else None,
            search=search or None,
            archived=archived,
            limit=LIST_LIMIT,
        )
        return _plan_table(rows, archived), message

    @app.callback(
        Output("pe-form", "children"),
        Output("pe-draft", "data"),
        Output("pe-message", "children"),
        Output("pe-name", "invalid"),
        Output("pe-name-error", "children"),
        Output("pe-tags", "invalid"),
        Output("pe-tags-error", "children"),
        Input({"type": "pe-act", "op": ALL, "path": ALL}, "n_clicks"),
        Input("pe-save", "n_clicks"),
        State({"type": "pe-f", "path": ALL}, "id"),
        State({"type": "pe-f", "path": ALL}, "value"),
        State("pe-draft", "data"),
        State("pe-name", "value"),
        State("pe-description", "value"),
        State("pe-tags", "value"),
        prevent_initial_call=True,
    )
    def edit(_actions, _save, ids, values, draft, name, description, tags):
        trainer = _trainer()
        kind = _kind_of(draft)
        if trainer is None or kind is None or not ctx.triggered or not ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        content = merge(draft.get("content") or {}, field_values(ids, values))
        exercises = exercise_options(trainer) if kind is PlanKind.WORKOUT else []
        trigger = ctx.triggered_id
        no_meta = (False, None, False, None)
        if isinstance(trigger, dict):
            content = apply_action(content, kind, str(trigger.get("op")), str(trigger.get("path")))
            return (render_form(kind, content, {}, exercises), {**draft, "content": content}, None, *no_meta)
        meta = {"name": name, "description": description, "tags": _tags(tags)}
        try:
            plan = save_plan(trainer, draft, content, meta)
        except InvalidInputError as error:
            errors = content_errors(error.errors or {})
            name_errors, tag_errors = errors.get("meta.name"), errors.get("meta.tags")
            tag_errors = tag_errors or [m for key, msgs in errors.items() if key.startswith("meta.tags.") for m in msgs]
            alert = dbc.Alert(error.message if not errors else "Please fix the highlighted fields.", color="danger")
            return (
                render_form(kind, content, errors, exercises),
                {**draft, "content": content},
                alert,
                bool(name_errors),
                " ".join(name_errors or []),
                bool(tag_errors),
                " ".join(tag_errors or []),
            )
        except NotFoundError:
            return dash.no_update, dash.no_update, dbc.Alert("No such plan.", color="danger"), *no_meta
        except DomainError as error:
            return dash.no_update, dash.no_update, dbc.Alert(error.message, color="danger"), *no_meta
        saved = {"plan_id": plan.id, "kind": plan.kind.value, "version": plan.version, "content": plan.content}
        note = dbc.Alert(
            [f"Saved “{plan.name}” (version {plan.version}). ", dcc.Link("Open it", href=f"{PREFIX}plans/{plan.id}")],
            color="success",
        )
        return render_form(kind, plan.content, {}, exercises), saved, note, *no_meta

    @app.callback(
        Output({"type": "pe-day-total", "day": ALL}, "children"),
        Output({"type": "pe-meal-total", "day": ALL, "meal": ALL}, "children"),
        Input({"type": "pe-f", "path": ALL}, "value"),
        State({"type": "pe-f", "path": ALL}, "id"),
        State("pe-draft", "data"),
    )
    def totals(values, ids, draft):
        if _trainer() is None or _kind_of(draft) is not PlanKind.DIET:
            raise dash.exceptions.PreventUpdate
        content = merge(draft.get("content") or {}, field_values(ids, values))
        days = live_totals(content)["days"]
        day_ids = ctx.outputs_list[0]
        meal_ids = ctx.outputs_list[1]
        day_labels = []
        for output in day_ids:
            index = output["id"]["day"]
            day_labels.append(f"Day: {macro_label(days[index]['totals'])}" if index < len(days) else "")
        meal_labels = []
        for output in meal_ids:
            d, m = output["id"]["day"], output["id"]["meal"]
            meals = days[d]["meals"] if d < len(days) else []
            meal_labels.append(macro_label(meals[m]) if m < len(meals) else "")
        return day_labels, meal_labels

    @app.callback(
        Output("pe-assign-message", "children"),
        Input("pe-assign", "n_clicks"),
        State("pe-assign-client", "value"),
        State("pe-assign-start", "value"),
        State("pe-draft", "data"),
        prevent_initial_call=True,
    )
    def assign(n_clicks, client_id, start, draft):
        trainer = _trainer()
        if trainer is None or not n_clicks:
            raise dash.exceptions.PreventUpdate
        plan_id = _int((draft or {}).get("plan_id"))
        if plan_id is None:
            return dbc.Alert("Save the plan first.", color="warning")
        client = _int(client_id)
        if client is None:
            return dbc.Alert("Pick a client.", color="danger")
        try:
            start_date = date.fromisoformat(start or "")
        except ValueError:
            return dbc.Alert("Give a start date.", color="danger")
        try:
            assignment = assignments.assign_plan(trainer, client, plan_id, start_date)
        except NotFoundError:
            return dbc.Alert("No such client.", color="danger")
        except DomainError as error:
            return dbc.Alert(error.message, color="danger")
        return dbc.Alert(
            f"Assigned “{assignment.name}” to {assignment.client.name} from {assignment.start_date:%d %b %Y}.",
            color="success",
        )


PAGE = Page(
    path="plans",
    name="Plans",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
    more_paths=("plans/<plan_id>",),
    validation_layout=every_component,
)

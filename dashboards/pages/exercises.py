"""Exercise library: browse, search and filter, read instructions; create, edit and delete custom exercises.

The API's rules hold because the page calls the same input shapes and service: a built-in is
read-only (no Edit or Delete, and the service refuses anyway), and an exercise that plans,
assignments or logs use cannot be deleted (the service's 409 names them).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards.components import card, empty, page_title, table
from dashboards.forms import SEARCH_DEBOUNCE_MS, done, error_outputs, error_values, field, problem, to_int
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.data.library import CATEGORIES, EQUIPMENT, LEVELS, MOVEMENT_PATTERNS, MUSCLES, TRACKING
from fitbud.errors import DomainError, NotFoundError
from fitbud.models import User
from fitbud.services import exercises, inputs

SHOWN_AT_MOST = 100
FIELDS = {
    "ex-f-name": "name",
    "ex-f-category": "category",
    "ex-f-pattern": "movement_pattern",
    "ex-f-primary": "primary_muscles",
    "ex-f-secondary": "secondary_muscles",
    "ex-f-equipment": "equipment",
    "ex-f-level": "level",
    "ex-f-tracking": "tracking",
    "ex-f-instructions": "instructions",
}
BLANK_FORM = {
    "ex-f-name": "",
    "ex-f-category": "strength",
    "ex-f-pattern": None,
    "ex-f-primary": [],
    "ex-f-secondary": [],
    "ex-f-equipment": "bodyweight",
    "ex-f-level": "beginner",
    "ex-f-tracking": "reps",
    "ex-f-instructions": "",
}


def label(value: str | None) -> str:
    """'front_delts' -> 'Front delts'."""
    return value.replace("_", " ").capitalize() if value else "—"


def options(values: tuple[str, ...], everything: str | None = None) -> list[dict[str, str]]:
    """Select options for a vocabulary, optionally led by an "any" choice (value "")."""
    found = [{"label": label(value), "value": value} for value in values]
    return ([{"label": everything, "value": ""}] if everything else []) + found


def _filter(control_id: str, text: str, choices: list[dict[str, str]]) -> dbc.Col:
    return dbc.Col(
        [dbc.Label(text, html_for=control_id), dbc.Select(id=control_id, options=choices, value="")], xs=6, md=2
    )


def _form() -> list[Any]:
    select = dbc.Select
    return [
        field("Name", dbc.Input(id="ex-f-name", maxLength=120), "ex-f-name"),
        dbc.Row(
            [
                dbc.Col(field("Category", select(id="ex-f-category", options=options(CATEGORIES)), "ex-f-category")),
                dbc.Col(
                    field(
                        "Movement pattern",
                        select(id="ex-f-pattern", options=options(MOVEMENT_PATTERNS)),
                        "ex-f-pattern",
                    )
                ),
            ]
        ),
        field(
            "Primary muscles",
            dcc.Dropdown(id="ex-f-primary", options=options(MUSCLES), multi=True),
            "ex-f-primary",
            "One to six.",
        ),
        field(
            "Secondary muscles",
            dcc.Dropdown(id="ex-f-secondary", options=options(MUSCLES), multi=True),
            "ex-f-secondary",
        ),
        dbc.Row(
            [
                dbc.Col(field("Equipment", select(id="ex-f-equipment", options=options(EQUIPMENT)), "ex-f-equipment")),
                dbc.Col(field("Level", select(id="ex-f-level", options=options(LEVELS)), "ex-f-level")),
                dbc.Col(
                    field(
                        "Measured in",
                        select(
                            id="ex-f-tracking",
                            options=[{"label": "Reps" if v == "reps" else "Seconds", "value": v} for v in TRACKING],
                        ),
                        "ex-f-tracking",
                    )
                ),
            ],
            className="g-2",
        ),
        field("Instructions", dbc.Textarea(id="ex-f-instructions", maxLength=2000, rows=4), "ex-f-instructions"),
    ]


def layout(params: dict[str, str]) -> html.Div:
    """Filters and the list on the left, the chosen exercise on the right, the form in a dialog."""
    filters = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Search", html_for="ex-search"),
                    dbc.Input(
                        id="ex-search", type="search", placeholder="Words in the name", debounce=SEARCH_DEBOUNCE_MS
                    ),
                ],
                xs=12,
                md=4,
            ),
            _filter("ex-muscle", "Muscle", options(MUSCLES, "Any muscle")),
            _filter("ex-equipment", "Equipment", options(EQUIPMENT, "Any equipment")),
            _filter("ex-pattern", "Pattern", options(MOVEMENT_PATTERNS, "Any pattern")),
            _filter(
                "ex-source",
                "Source",
                [
                    {"label": "All", "value": ""},
                    {"label": "Built-in", "value": "builtin"},
                    {"label": "Yours", "value": "custom"},
                ],
            ),
        ],
        className="g-2 mb-3",
    )
    dialog = dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Custom exercise", id="ex-form-title")),
            dbc.ModalBody([*_form(), html.Div(id="ex-form-message")]),
            dbc.ModalFooter(
                [
                    dbc.Button("Cancel", id="ex-form-cancel", color="secondary", outline=True),
                    dbc.Button("Save exercise", id="ex-form-save", color="primary"),
                ]
            ),
        ],
        id="ex-modal",
        is_open=False,
        size="lg",
    )
    return html.Div(
        [
            page_title("Exercise library", dbc.Button("New custom exercise", id="ex-new", color="primary")),
            filters,
            dcc.Store(id="ex-selected"),
            dcc.Store(id="ex-editing"),
            dcc.Store(id="ex-changed", data=0),
            html.Div(id="ex-message", role="status"),
            dcc.ConfirmDialog(id="ex-confirm-delete", message="Delete this custom exercise? This cannot be undone."),
            dbc.Row(
                [
                    dbc.Col(card("Exercises", dcc.Loading(html.Div(id="ex-list"), type="dot")), xs=12, lg=7),
                    dbc.Col(card("Exercise", _detail(None), "ex-detail"), xs=12, lg=5),
                ]
            ),
            dialog,
        ]
    )


def _detail(exercise: exercises.LibraryExercise | None) -> Any:
    if exercise is None:
        return empty("Pick an exercise from the list.", "Its muscles, equipment and instructions show here.")
    facts = [
        ("Category", label(exercise.category)),
        ("Pattern", label(exercise.movement_pattern)),
        ("Primary muscles", ", ".join(label(m) for m in exercise.primary_muscles) or "—"),
        ("Secondary muscles", ", ".join(label(m) for m in exercise.secondary_muscles) or "—"),
        ("Equipment", ", ".join(label(e) for e in (exercise.equipment, *exercise.extra_equipment))),
        ("Level", label(exercise.level)),
        ("Measured in", "seconds" if exercise.tracking == "time" else "reps"),
    ]
    actions: Any = html.P("Built-in exercises can't be changed; create a custom one instead.", className="small")
    if not exercise.is_builtin:
        actions = html.Div(
            [
                # Pattern ids: the buttons exist only while a custom exercise is shown.
                dbc.Button("Edit", id={"type": "ex-edit", "id": exercise.id}, color="primary", outline=True, size="sm"),
                dbc.Button(
                    "Delete", id={"type": "ex-delete", "id": exercise.id}, color="danger", outline=True, size="sm"
                ),
            ],
            className="d-flex gap-2",
        )
    return html.Div(
        [
            html.H2(exercise.name, className="fs-5", id="ex-detail-name"),
            dbc.Badge(
                "built-in" if exercise.is_builtin else "yours", color="secondary" if exercise.is_builtin else "info"
            ),
            html.Dl(
                [part for name, value in facts for part in (html.Dt(name), html.Dd(value))], className="mt-2 small"
            ),
            html.H3("Instructions", className="fs-6"),
            html.P(exercise.instructions or "No instructions yet.", className="fb-instructions"),
            actions,
        ]
    )


def exercise_rows(user: User, search: Any, muscle: Any, equipment: Any, pattern: Any, source: Any) -> list[Any]:
    """The library filtered as the page's controls say (unknown values are ignored)."""
    filters: dict[str, Any] = {"q": search.strip()[:100] if isinstance(search, str) else ""}
    for key, value, allowed in (
        ("muscle", muscle, MUSCLES),
        ("equipment", equipment, EQUIPMENT),
        ("movement_pattern", pattern, MOVEMENT_PATTERNS),
    ):
        if value in allowed:
            filters[key] = [value]
    if source in ("builtin", "custom"):
        filters["source"] = source
    return exercises.search(user, filters)


def form_payload(values: dict[str, Any]) -> dict[str, Any]:
    """The dialog's values in the API's input shape (blank choices left out, so the rules name them)."""
    payload = {
        "name": values["ex-f-name"] or "",
        "category": values["ex-f-category"],
        "movement_pattern": values["ex-f-pattern"],
        "primary_muscles": list(values["ex-f-primary"] or []),
        "secondary_muscles": list(values["ex-f-secondary"] or []),
        "equipment": values["ex-f-equipment"],
        "level": values["ex-f-level"],
        "tracking": values["ex-f-tracking"],
        "instructions": values["ex-f-instructions"] or "",
    }
    return {key: value for key, value in payload.items() if value is not None and value != ""} | {
        "name": payload["name"]
    }


def in_use(error: DomainError) -> html.Div:
    """A refusal with its reasons: an in-use exercise lists the plans that use it."""
    details = [
        html.Li(f"{label(key)}: {', '.join(str(item) for item in value)}")
        for key, value in (error.errors or {}).items()
        if key != "exercise_id"
    ]
    if not details:
        return problem(error)
    alert = dbc.Alert([error.message, html.Ul(details, className="mb-0")], color="danger", className="py-2 mb-2")
    return html.Div(alert, role="alert")


def register_callbacks(app: dash.Dash) -> None:
    """List, pick, create or edit in the dialog, delete after confirming."""

    @app.callback(
        Output("ex-list", "children"),
        inputs={
            "search": Input("ex-search", "value"),
            "muscle": Input("ex-muscle", "value"),
            "equipment": Input("ex-equipment", "value"),
            "pattern": Input("ex-pattern", "value"),
            "source": Input("ex-source", "value"),
            "_changed": Input("ex-changed", "data"),
        },
    )
    @page_callback(Role.TRAINER)
    def show_list(user: User, search: Any, muscle: Any, equipment: Any, pattern: Any, source: Any, _changed: Any):
        rows = exercise_rows(user, search, muscle, equipment, pattern, source)
        if not rows:
            return empty("No exercise matches.", "Clear a filter, or create a custom exercise.")
        cells = [
            (
                html.Button(
                    exercise.name,
                    id={"type": "ex-open", "id": exercise.id},
                    className="btn btn-link p-0 text-start fb-exercise-link",
                ),
                label(exercise.movement_pattern),
                ", ".join(label(m) for m in exercise.primary_muscles),
                label(exercise.equipment),
                "built-in" if exercise.is_builtin else "yours",
            )
            for exercise in rows[:SHOWN_AT_MOST]
        ]
        note = f"Showing {SHOWN_AT_MOST} of {len(rows)}: narrow the search." if len(rows) > SHOWN_AT_MOST else None
        return [table(cells, ["Name", "Pattern", "Primary muscles", "Equipment", "Source"], "ex-table"), note]

    @app.callback(
        Output("ex-selected", "data"),
        Input({"type": "ex-open", "id": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER)
    def pick(_user: User, clicks: list[Any]):
        if not ctx.triggered_id or not any(clicks):
            raise dash.exceptions.PreventUpdate
        return ctx.triggered_id["id"]

    @app.callback(
        Output("ex-detail", "children"),
        inputs={"selected": Input("ex-selected", "data"), "_changed": Input("ex-changed", "data")},
    )
    @page_callback(Role.TRAINER)
    def show_detail(user: User, selected: Any, _changed: Any):
        exercise_id = to_int(selected)
        if exercise_id is None:
            return _detail(None)
        try:
            return _detail(exercises.get_exercise(user, exercise_id))
        except NotFoundError:
            return _detail(None)

    @app.callback(
        output={
            "open": Output("ex-modal", "is_open"),
            "title": Output("ex-form-title", "children"),
            "editing": Output("ex-editing", "data"),
            "message": Output("ex-form-message", "children"),
            "values": [Output(control_id, "value") for control_id in FIELDS],
            **error_outputs(FIELDS),
        },
        inputs={
            "_new": Input("ex-new", "n_clicks"),
            "_edit": Input({"type": "ex-edit", "id": ALL}, "n_clicks"),
            "_cancel": Input("ex-form-cancel", "n_clicks"),
            "selected": State("ex-selected", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER)
    def open_form(user: User, _new: Any, _edit: Any, _cancel: Any, selected: Any):
        # Every opening starts from a clean form: nothing typed last time carries over.
        trigger = ctx.triggered_id
        if not ctx.triggered or not ctx.triggered[0]["value"]:
            raise dash.exceptions.PreventUpdate
        cleared = error_values({}, FIELDS)
        if trigger == "ex-form-cancel":
            closed = [dash.no_update] * len(FIELDS)
            return {
                "open": False,
                "title": dash.no_update,
                "editing": None,
                "message": None,
                "values": closed,
                **cleared,
            }
        if isinstance(trigger, dict):
            exercise = exercises.get_exercise(user, to_int(trigger.get("id")) or 0)
            values = {
                "ex-f-name": exercise.name,
                "ex-f-category": exercise.category,
                "ex-f-pattern": exercise.movement_pattern,
                "ex-f-primary": list(exercise.primary_muscles),
                "ex-f-secondary": list(exercise.secondary_muscles),
                "ex-f-equipment": exercise.equipment,
                "ex-f-level": exercise.level,
                "ex-f-tracking": exercise.tracking,
                "ex-f-instructions": exercise.instructions,
            }
            title, editing = f"Edit “{exercise.name}”", exercise.id
        else:
            values, title, editing = BLANK_FORM, "New custom exercise", None
        return {
            "open": True,
            "title": title,
            "editing": editing,
            "message": None,
            "values": [values[control_id] for control_id in FIELDS],
            **cleared,
        }

    @app.callback(
        output={
            "message": Output("ex-form-message", "children", allow_duplicate=True),
            "open": Output("ex-modal", "is_open", allow_duplicate=True),
            "changed": Output("ex-changed", "data"),
            "selected": Output("ex-selected", "data", allow_duplicate=True),
            "page_message": Output("ex-message", "children"),
            **{
                name: Output(out.component_id, out.component_property, allow_duplicate=True)
                for name, out in error_outputs(FIELDS).items()
            },
        },
        inputs={
            "_save": Input("ex-form-save", "n_clicks"),
            "values": [State(control_id, "value") for control_id in FIELDS],
            "editing": State("ex-editing", "data"),
            "changed": State("ex-changed", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="message", fields=FIELDS)
    def save(user: User, _save: Any, values: list[Any], editing: Any, changed: Any):
        payload = form_payload(dict(zip(FIELDS, values, strict=True)))
        exercise_id = to_int(editing)
        if exercise_id is None:
            saved = exercises.create_custom(user, inputs.load(inputs.ExerciseCreateSchema, payload))
            verb = "added to your library"
        else:
            saved = exercises.update_custom(user, exercise_id, inputs.load(inputs.ExerciseUpdateSchema, payload))
            verb = "saved"
        return {
            "message": None,
            "open": False,
            "changed": (changed or 0) + 1,
            "selected": saved.id,
            "page_message": done(f"“{saved.name}” {verb}."),
            **error_values({}, FIELDS),
        }

    @app.callback(
        Output("ex-confirm-delete", "displayed"),
        Input({"type": "ex-delete", "id": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER)
    def confirm_delete(_user: User, clicks: list[Any]):
        # The button is re-rendered with each exercise shown: a new one reports no clicks.
        if not any(clicks or []):
            raise dash.exceptions.PreventUpdate
        return True

    @app.callback(
        output={
            "message": Output("ex-message", "children", allow_duplicate=True),
            "changed": Output("ex-changed", "data", allow_duplicate=True),
            "selected": Output("ex-selected", "data", allow_duplicate=True),
        },
        inputs={
            "_confirmed": Input("ex-confirm-delete", "submit_n_clicks"),
            "selected": State("ex-selected", "data"),
            "changed": State("ex-changed", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="message", render=in_use)
    def delete(user: User, _confirmed: Any, selected: Any, changed: Any):
        exercise_id = to_int(selected)
        if exercise_id is None:
            raise dash.exceptions.PreventUpdate
        name = exercises.get_exercise(user, exercise_id).name
        exercises.delete_custom(user, exercise_id)
        return {"message": done(f"“{name}” deleted."), "changed": (changed or 0) + 1, "selected": None}


PAGE = Page(
    path="exercises",
    name="Exercises",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

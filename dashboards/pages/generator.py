"""Plan generator: the generator's inputs (a client's profile fills in what it knows), the draft with its
reasons, then save it as templates or save and open it in the plan editor.

The page loads the API's input shape and calls the same service as POST /plans/generate. The
browser keeps only the inputs and the seed: saving generates again with them (same inputs and
seed, same draft) and stores the server's own draft, never content sent back by the browser.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, empty, page_title, table
from dashboards.forms import done, error_outputs, error_values, field, to_int
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.data.library import EQUIPMENT, MOVEMENT_PATTERNS, MUSCLES
from fitbud.models import User
from fitbud.services import clients, inputs
from fitbud.services.analytics import client_options
from fitbud.services.exercises import library_for
from fitbud.services.plan_content import diet_totals
from fitbud.services.plan_generation import generate_plan
from fitbud.services.plan_generation.inputs import (
    ACTIVITY_LEVELS,
    EXPERIENCES,
    GOALS,
    SEXES,
    load_client_profile,
    match_injuries,
)

FIELDS = {
    "gen-client": "client_id",
    "gen-goal": "goal",
    "gen-experience": "experience",
    "gen-days": "days_per_week",
    "gen-minutes": "session_minutes",
    "gen-weeks": "weeks",
    "gen-meals": "meals_per_day",
    "gen-equipment": "equipment",
    "gen-avoid": "avoid",
    "gen-sex": "body.sex",
    "gen-age": "body.age",
    "gen-height": "body.height_cm",
    "gen-weight": "body.weight_kg",
    "gen-activity": "body.activity_level",
}
BODY = {"gen-sex": "sex", "gen-age": "age", "gen-height": "height_cm", "gen-weight": "weight_kg"}


def label(value: str) -> str:
    """'fat_loss' -> 'Fat loss'."""
    return value.replace("_", " ").capitalize()


def _choices(values: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    return [{"label": label(value), "value": value} for value in values]


def _select(control_id: str, text: str, choices: list[dict[str, Any]], value: Any = None, hint: str | None = None):
    return field(text, dbc.Select(id=control_id, options=choices, value=value), control_id, hint)


def _number(control_id: str, text: str, low: float, high: float, value: Any = None, hint: str | None = None):
    control = dbc.Input(id=control_id, type="number", min=low, max=high, value=value, inputmode="decimal")
    return field(text, control, control_id, hint)


def _form(trainer: User | None) -> list[Any]:
    clients_list = [{"label": "No client (just the inputs)", "value": ""}]
    clients_list += client_options(trainer) if trainer is not None else []
    counts = [{"label": str(n), "value": str(n)} for n in range(2, 7)]
    unknown = [{"label": "From the profile / unknown", "value": ""}]
    body = dbc.Row(
        [
            dbc.Col(_select("gen-sex", "Sex", unknown + _choices(SEXES), ""), xs=6, md=4),
            dbc.Col(_number("gen-age", "Age", 14, 100), xs=6, md=4),
            dbc.Col(_number("gen-height", "Height (cm)", 120, 230), xs=6, md=4),
            dbc.Col(_number("gen-weight", "Weight (kg)", 30, 300), xs=6, md=4),
            dbc.Col(
                _select(
                    "gen-activity",
                    "Activity",
                    [{"label": "From training days", "value": ""}] + _choices(ACTIVITY_LEVELS),
                    "",
                ),
                xs=12,
                md=8,
            ),
        ],
        className="g-2",
    )
    return [
        _select("gen-client", "Client", clients_list, "", "Their profile fills in body data and injuries."),
        html.Div(id="gen-profile", className="small mb-2"),
        dbc.Row(
            [
                dbc.Col(_select("gen-goal", "Goal", _choices(GOALS), "general_fitness"), xs=6, md=4),
                dbc.Col(_select("gen-experience", "Experience", _choices(EXPERIENCES), "beginner"), xs=6, md=4),
                dbc.Col(_select("gen-days", "Training days a week", counts, "3"), xs=6, md=4),
                dbc.Col(_number("gen-minutes", "Minutes a session", 20, 120, 60), xs=6, md=4),
                dbc.Col(_number("gen-weeks", "Weeks", 1, 12, 4), xs=6, md=4),
                dbc.Col(_select("gen-meals", "Meals a day", counts, "4"), xs=6, md=4),
            ],
            className="g-2",
        ),
        field(
            "Equipment available",
            dcc.Dropdown(id="gen-equipment", options=_choices(EQUIPMENT), multi=True, value=["dumbbell", "bench"]),
            "gen-equipment",
            "Bodyweight is always available.",
        ),
        field(
            "Spare these muscles or movements",
            dcc.Dropdown(id="gen-avoid", options=_choices(MUSCLES + MOVEMENT_PATTERNS), multi=True, value=[]),
            "gen-avoid",
            "The client's injuries add theirs.",
        ),
        html.Details([html.Summary("Body data for the diet (optional)"), body], className="mb-3"),
        html.Div(id="gen-message", role="status"),
        dbc.Button("Generate a draft", id="gen-generate", color="primary"),
    ]


def layout(params: dict[str, str]) -> html.Div:
    """The inputs beside the draft."""
    from_plans = dcc.Link("← All plans", href=PREFIX + "plans", className="btn btn-link")
    result = html.Div(
        empty("No draft yet.", "Fill in the inputs and generate one: nothing is saved until you say so."),
        id="gen-result",
    )
    actions = html.Div(
        [
            dbc.Button("Save as templates", id="gen-save", color="success", disabled=True),
            dbc.Button("Save and open in the editor", id="gen-open", color="primary", outline=True, disabled=True),
        ],
        className="d-flex flex-wrap gap-2 mt-2",
    )
    return html.Div(
        [
            page_title("Plan generator", from_plans),
            dcc.Store(id="gen-request"),
            dbc.Row(
                [
                    dbc.Col(card("What to draft", _form(_trainer_of_layout())), xs=12, lg=5),
                    dbc.Col(
                        card("Draft", [dcc.Loading(result, type="dot"), actions, html.Div(id="gen-saved")]), xs=12, lg=7
                    ),
                ]
            ),
        ]
    )


def _trainer_of_layout() -> User | None:
    # Layouts run outside the callback wrapper (and outside a request at start-up).
    user = current_dashboard_user()
    return user if user is not None and user.role is Role.TRAINER else None


def request_data(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values in the API's input shape (blank body values left to the profile)."""
    data: dict[str, Any] = {
        "goal": values["gen-goal"],
        "experience": values["gen-experience"],
        "days_per_week": to_int(values["gen-days"]),
        "session_minutes": to_int(values["gen-minutes"]),
        "weeks": to_int(values["gen-weeks"]),
        "meals_per_day": to_int(values["gen-meals"]),
        "equipment": list(values["gen-equipment"] or []),
        "avoid": list(values["gen-avoid"] or []),
    }
    client_id = to_int(values["gen-client"])
    if client_id is not None:
        data["client_id"] = client_id
    body = {key: values[control_id] for control_id, key in BODY.items() if values[control_id] not in (None, "")}
    if values["gen-activity"]:
        body["activity_level"] = values["gen-activity"]
    if body:
        data["body"] = body
    return {key: value for key, value in data.items() if value is not None}


def profile_note(trainer: User, client_id: int) -> Any:
    """What the generator will take from the client's profile."""
    profile = load_client_profile(trainer, client_id, date.today())
    body = profile.body
    known = [
        f"{name} {value:g}{unit}"
        for name, value, unit in (
            ("age", body.age, ""),
            ("height", body.height_cm, " cm"),
            ("weight", body.weight_kg, " kg"),
        )
        if value is not None
    ]
    if body.sex:
        known.insert(0, body.sex)
    parts = [f"From the profile: {', '.join(known)}." if known else "The profile has no body data: no diet draft."]
    for injury in match_injuries(profile.injuries):
        spared = ", ".join(label(a) for rule in injury.rules for a in rule.avoid) or "nothing matched: review it"
        parts.append(f"Injury “{injury.text}”: spares {spared}.")
    return [html.Div(part) for part in parts]


def _workout(trainer: User, workout: dict[str, Any], sessions: list[dict[str, Any]]) -> Any:
    names = {exercise.id: exercise.name for exercise in library_for(trainer).exercises}
    minutes = {(s["week"], s["day"]): s["estimated_minutes"] for s in sessions}
    first_week = workout["content"]["weeks"][0]
    rows = []
    for index, day in enumerate(first_week["days"]):
        if day.get("rest"):
            rows.append((day["name"], "Rest", "", ""))
            continue
        for position, item in enumerate(day["items"]):
            target = item.get("reps") or f"{item.get('duration_seconds')} s"
            rows.append(
                (
                    day["name"] if position == 0 else "",
                    names.get(item["exercise_id"], f"#{item['exercise_id']}"),
                    f"{item['sets']} × {target}",
                    f"~{minutes[(0, index)]} min" if position == 0 and (0, index) in minutes else "",
                )
            )
    weeks = len(workout["content"]["weeks"])
    return [
        html.H2(workout["name"], className="fs-6 fw-semibold", id="gen-workout-name"),
        html.P(f"{weeks} week(s); week 1:", className="small mb-1"),
        table(rows, ["Day", "Exercise", "Sets × target", "Session"], "gen-workout-table"),
    ]


def _diet(diet: dict[str, Any] | None) -> list[Any]:
    if diet is None:
        return []
    targets = diet["content"].get("targets") or {}
    day = diet_totals(diet["content"])[0]["totals"]
    text = (
        f"Targets: {targets.get('kcal', 0):g} kcal, protein {targets.get('protein', 0):g} g, "
        f"carbs {targets.get('carbs', 0):g} g, fat {targets.get('fat', 0):g} g. "
        f"Day 1 adds up to {day['kcal']:g} kcal."
    )
    return [html.H2(diet["name"], className="fs-6 fw-semibold mt-3"), html.P(text, className="small")]


def draft_view(trainer: User, result: dict[str, Any]) -> Any:
    """The draft: the workout's first week, the diet's targets, and every reason given."""
    reasons = html.Ul(
        [
            html.Li([dbc.Badge(label(e["topic"]), color="light", text_color="dark"), " ", e["message"]])
            for e in result["explanations"]
        ],
        className="fb-reasons small",
        id="gen-reasons",
    )
    return [
        *_workout(trainer, result["workout"], result["sessions"]),
        *_diet(result["diet"]),  # flat: Dash renders components in nested lists as raw objects
        html.H2("Why", className="fs-6 fw-semibold mt-3"),
        reasons,
    ]


def register_callbacks(app: dash.Dash) -> None:
    """Pick up a client's profile; generate; save (and open)."""

    @app.callback(
        output={"profile": Output("gen-profile", "children"), "goal": Output("gen-goal", "value")},
        inputs={"client_id": Input("gen-client", "value")},
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="profile")
    def pick_client(user: User, client_id: Any):
        found = to_int(client_id)
        if found is None:
            return {"profile": None, "goal": dash.no_update}
        client = clients.get_client(user, found)
        goal = next((g for g in client.goals if g in GOALS), None)
        return {"profile": profile_note(user, found), "goal": goal or dash.no_update}

    @app.callback(
        output={
            "result": Output("gen-result", "children"),
            "request": Output("gen-request", "data"),
            "message": Output("gen-message", "children"),
            "save": Output("gen-save", "disabled"),
            "open": Output("gen-open", "disabled"),
            "saved": Output("gen-saved", "children"),
            **error_outputs(FIELDS),
        },
        inputs={"_clicks": Input("gen-generate", "n_clicks"), "values": [State(c, "value") for c in FIELDS]},
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="message", fields=FIELDS)
    def generate(user: User, _clicks: Any, values: list[Any]):
        data = inputs.load(inputs.GenerateRequestSchema, request_data(dict(zip(FIELDS, values, strict=True))))
        result = generate_plan(user, data, save=False)
        return {
            "result": draft_view(user, result),
            "request": {**data, "seed": result["seed"]},
            "message": None,
            "save": False,
            "open": False,
            "saved": None,
            **error_values({}, FIELDS),
        }

    @app.callback(
        output={
            "saved": Output("gen-saved", "children", allow_duplicate=True),
            "save": Output("gen-save", "disabled", allow_duplicate=True),
            "open": Output("gen-open", "disabled", allow_duplicate=True),
            "url": Output("url", "pathname", allow_duplicate=True),
        },
        inputs={
            "_save": Input("gen-save", "n_clicks"),
            "_open": Input("gen-open", "n_clicks"),
            "request": State("gen-request", "data"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="saved")
    def save(user: User, _save: Any, _open: Any, request: Any):
        if not ctx.triggered or not ctx.triggered[0]["value"] or not isinstance(request, dict):
            raise dash.exceptions.PreventUpdate
        data = inputs.load(inputs.GenerateRequestSchema, request)
        saved = generate_plan(user, data, save=True)["saved"]
        workout_url = f"{PREFIX}plans/{saved['workout_plan_id']}"
        if ctx.triggered_id == "gen-open":
            return {"saved": dash.no_update, "save": True, "open": True, "url": workout_url}
        links = [dcc.Link("Open the workout in the editor", href=workout_url, id="gen-saved-workout")]
        if saved["diet_plan_id"]:
            links += [" · ", dcc.Link("the diet", href=f"{PREFIX}plans/{saved['diet_plan_id']}")]
        return {
            "saved": [done("Saved as your templates (marked generated)."), html.Div(links)],
            "save": True,
            "open": True,
            "url": dash.no_update,
        }


PAGE = Page(
    path="plans/generate",
    name="Plan generator",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
    in_nav=False,
)

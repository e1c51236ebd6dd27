"""Client detail: one client's profile: overview (goals, health, private notes), plan, progress, sessions, messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards.auth import PREFIX
from dashboards.client_components import (
    goal_label,
    progress_figures,
    progress_ids,
    progress_outputs,
    progress_problem,
    status_of,
    thread,
)
from dashboards.components import as_id, card, date_range, empty, local_time, page_title, parse_day, table
from dashboards.forms import done, error_outputs, error_values, field
from dashboards.page import Page
from dashboards.page_callback import page_callback
from dashboards.workout_review import register_comments, workout_card
from fitbud.auth.roles import Role
from fitbud.data.foods import ALLERGENS, DIETS
from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.models import ClientGoal, User, utcnow
from fitbud.models.client import HEALTH_KEYS
from fitbud.services import (
    analytics,
    assignments,
    billing,
    clients,
    dietary,
    imports,
    messaging,
    plans,
    scheduling,
    workout_review,
)
from fitbud.services.client_scope import trainer_client
from fitbud.services.local_time import local_today
from fitbud.services.units import from_si_distance, unit_label

PROGRESS_IDS = progress_ids("cp")
OVERVIEW_FIELDS = {
    "cp-goal-notes": "goal_notes",
    "cp-notes": "private_notes",
    "cp-other-allergies": "other_allergies",
    "cp-dislikes": "dislikes",
} | {f"cp-health-{key}": f"health.{key}" for key in HEALTH_KEYS}
ASSIGN_FIELDS = {"cp-assign-plan": "plan_id", "cp-assign-start": "start_date"}
SESSION_WINDOW = (timedelta(days=90), timedelta(days=180))
NOT_FOUND = "No such client."
THREAD_SIZE = 50
WORKOUTS_SHOWN = 20
IMPORTS_SHOWN = 20


def _overview_tab() -> html.Div:
    health = [
        dbc.Col(
            field(
                key.capitalize(),
                dbc.Textarea(id=f"cp-health-{key}", rows=2),
                f"cp-health-{key}",
                "One per line.",
            ),
            xs=12,
            md=6,
        )
        for key in HEALTH_KEYS
    ]
    return html.Div(
        [
            html.Fieldset(
                [
                    html.Legend("Goals", className="fs-6 fw-semibold"),
                    dbc.Checklist(
                        id="cp-goals",
                        options=[{"label": goal_label(goal.value), "value": goal.value} for goal in ClientGoal],
                        inline=True,
                        value=[],
                    ),
                ],
                className="mb-3",
            ),
            field("Goal notes", dbc.Textarea(id="cp-goal-notes", rows=2, maxLength=500), "cp-goal-notes"),
            html.H2("Health details", className="fs-6 fw-semibold"),
            dbc.Row(health),
            _dietary_fields(),
            field(
                "Private notes",
                dbc.Textarea(id="cp-notes", rows=3),
                "cp-notes",
                "Only you see these; they are encrypted at rest.",
            ),
            html.Div(id="cp-overview-feedback"),
            dbc.Button("Save", id="cp-overview-save", color="primary", n_clicks=0),
        ],
        className="pt-3",
    )


def _dietary_fields() -> html.Fieldset:
    """Allergies and dietary preferences: generated diets respect them, assigning a diet checks them."""
    return html.Fieldset(
        [
            html.Legend("Allergies and dietary preferences", className="fs-6 fw-semibold"),
            dbc.Label("Allergies", html_for="cp-allergies"),
            dbc.Checklist(
                id="cp-allergies",
                options=[{"label": dietary.label(allergen).capitalize(), "value": allergen} for allergen in ALLERGENS],
                inline=True,
                value=[],
            ),
            field(
                "Other allergies",
                dbc.Input(id="cp-other-allergies", maxLength=dietary.MAX_FREE_TEXT),
                "cp-other-allergies",
                'Comma-separated; one that names an allergen above ("walnuts") counts as it.',
            ),
            dbc.Label("Dietary preferences", html_for="cp-diets"),
            dbc.Checklist(
                id="cp-diets",
                options=[{"label": dietary.label(diet).capitalize(), "value": diet} for diet in DIETS],
                inline=True,
                value=[],
            ),
            field(
                "Dislikes",
                dbc.Input(id="cp-dislikes", maxLength=dietary.MAX_FREE_TEXT),
                "cp-dislikes",
                "Comma-separated; generated diets leave these foods out.",
            ),
        ],
        className="mb-3",
    )


def _plan_tab() -> html.Div:
    return html.Div(
        [
            dcc.Loading(html.Div(id="cp-plan-list", className="mb-3")),
            card(
                "Assign a template",
                [
                    dbc.Row(
                        [
                            dbc.Col(field("Template", dbc.Select(id="cp-assign-plan"), "cp-assign-plan"), xs=12, md=7),
                            dbc.Col(
                                field("Start date", dbc.Input(id="cp-assign-start", type="date"), "cp-assign-start"),
                                xs=12,
                                md=5,
                            ),
                        ]
                    ),
                    dbc.Checkbox(
                        id="cp-assign-ack",
                        label="Assign a diet even with foods the client is allergic to",
                        value=False,
                        className="mb-2 small",
                    ),
                    html.Div(id="cp-assign-feedback"),
                    dbc.Button("Assign", id="cp-assign-submit", color="primary", n_clicks=0),
                ],
            ),
        ],
        className="pt-3",
    )


def _progress_tab() -> html.Div:
    cards = [
        dbc.Col(card(title, None, output_id), xs=12, lg=6)
        for title, output_id in zip(
            [
                "Weight and 7-day average",
                "Measurements",
                "Weekly volume",
                "Plan adherence by day",
                "Calories against target",
                "Personal records",
            ],
            PROGRESS_IDS[1:],
            strict=True,
        )
    ]
    return html.Div(
        [
            html.Div(date_range("cp-range", analytics.DEFAULT_CLIENT_DAYS), className="fb-toolbar d-flex mb-2"),
            dbc.Row(id=PROGRESS_IDS[0], className="g-2"),
            dcc.Loading(dbc.Row(cards)),
        ],
        className="pt-3",
    )


def layout(params: dict[str, str]) -> html.Div:
    """The profile frame; each tab's content comes from callbacks scoped to the trainer."""
    return html.Div(
        [
            dcc.Store(id="cp-client", data=as_id(params.get("client_id"))),
            dcc.Store(id="cp-changed", data=0),
            html.A("← All clients", href=f"{PREFIX}clients", className="small"),
            html.Div(page_title("Client"), id="cp-header"),
            dbc.Tabs(
                [
                    dbc.Tab(_overview_tab(), label="Overview", tab_id="overview"),
                    dbc.Tab(_plan_tab(), label="Plan", tab_id="plan"),
                    dbc.Tab(_progress_tab(), label="Progress", tab_id="progress", id="cp-progress-tab"),
                    dbc.Tab(
                        dcc.Loading(html.Div(id="cp-workouts", className="pt-3")), label="Workouts", tab_id="workouts"
                    ),
                    dbc.Tab(html.Div(id="cp-sessions", className="pt-3"), label="Sessions", tab_id="sessions"),
                    dbc.Tab(html.Div(id="cp-imports", className="pt-3"), label="Imports", tab_id="imports"),
                    dbc.Tab(html.Div(id="cp-messages", className="pt-3"), label="Messages", tab_id="messages"),
                ],
                id="cp-tabs",
                active_tab="overview",
            ),
        ]
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()] if isinstance(text, str) else []


def _assignment_rows(user, client) -> Any:
    history = assignments.assignment_history(user, client.id)
    if not history:
        return empty("No plan assigned yet.", f"Assign a workout or diet template to {client.name} below.")
    today = local_today(client)
    rows = [
        (
            item.name,
            item.kind.value,
            dbc.Badge(item.status_on(today).value, color="success" if item.is_active_on(today) else "secondary"),
            f"{item.start_date:%d %b %Y}",
            f"{item.end_date:%d %b %Y}" if item.end_date else "—",
        )
        for item in history
    ]
    return table(rows, ["Plan", "Kind", "Status", "Starts", "Ends"], "cp-plan-table")


def _sessions(user, client) -> Any:
    now = utcnow()
    found = scheduling.client_sessions(user, client.id, now - SESSION_WINDOW[0], now + SESSION_WINDOW[1])
    if not found:
        return empty("No sessions in the last 3 months or the next 6.", "Book one from the schedule.")
    rows = [
        (
            local_time(item.starts_at, user),
            f"{item.duration_minutes} min",
            item.type.value.replace("_", " "),
            item.status.value.replace("_", " "),
            item.location or "—",
        )
        for item in found
    ]
    return table(rows, ["When", "Length", "Type", "Status", "Where"], "cp-sessions-table")


def _messages(user, client) -> Any:
    link = dbc.Button(
        f"Write to {client.name}", href=f"{PREFIX}messages?client_id={client.id}", color="primary", className="mb-3"
    )
    conversation = messaging.conversation_with_client(user, client.id)
    if conversation is None:
        return [link, empty("No messages yet.", "Start the conversation from the Messages page.")]
    newest = messaging.list_messages(user, conversation.id, limit=THREAD_SIZE).items
    return [link, html.Div(thread(user, newest), className="fb-thread")]


def _missing_client() -> dict[str, Any]:
    """What the tabs show for an id that is not one of the trainer's clients."""
    nothing = empty(NOT_FOUND, "Pick one of your clients from the Clients page.")
    return {
        "header": page_title(NOT_FOUND),
        "goals": [],
        "allergies": [],
        "diets": [],
        **dict.fromkeys(OVERVIEW_FIELDS, ""),
        "sessions": nothing,
        "messages": nothing,
        "plan_options": [],
        "assign_start": None,
    }


def _distance(metres: float | None, unit_system: str) -> str:
    if not metres:
        return "—"
    return f"{from_si_distance(metres, unit_system):.1f} {unit_label('distance', unit_system)}"


def register_callbacks(app: dash.Dash) -> None:
    """Load each tab for the trainer's own client; save the overview; assign a template."""

    @app.callback(
        output={
            "header": Output("cp-header", "children"),
            "goals": Output("cp-goals", "value"),
            "allergies": Output("cp-allergies", "value"),
            "diets": Output("cp-diets", "value"),
            **{control_id: Output(control_id, "value") for control_id in OVERVIEW_FIELDS},
            "sessions": Output("cp-sessions", "children"),
            "messages": Output("cp-messages", "children"),
            "plan_options": Output("cp-assign-plan", "options"),
            "assign_start": Output("cp-assign-start", "value"),
        },
        inputs={"client_id": Input("cp-client", "data")},
    )
    @page_callback(Role.TRAINER, alert="header")
    def load(user: User, client_id: Any):
        try:
            # Scoped to the trainer: another trainer's id (or junk) is simply not found.
            client = clients.get_client(user, client_id)
        except NotFoundError:
            return _missing_client()
        status, colour = status_of(client)
        plan = billing.client_billing(user, client.id)
        paying = f"{plan.package.name}: " if plan.package is not None else ""
        header = page_title(
            client.name,
            html.Div(
                [
                    dbc.Badge(status, color=colour),
                    html.Span(f" {client.email}"),
                    html.Div(f"Subscription: {paying}{plan.message}", id="cp-billing", className="small fb-wrap"),
                    html.A(
                        "Check-ins",
                        href=f"{PREFIX}check-ins?client_id={client.id}&view=all",
                        id="cp-check-ins-link",
                        className="small",
                    ),
                    " · ",
                    dcc.Link(
                        "Archive or invitation",
                        href=f"{PREFIX}clients/{client.id}/account",
                        id="cp-account-link",
                        className="small",
                    ),
                ]
            ),
        )
        health = clients.health_of(client)
        details = dietary.dietary_of(client)
        values = {
            "cp-goal-notes": client.goal_notes or "",
            "cp-notes": client.private_notes or "",
            "cp-other-allergies": details["other_allergies"],
            "cp-dislikes": details["dislikes"],
        } | {f"cp-health-{key}": "\n".join(health[key]) for key in HEALTH_KEYS}
        templates = plans.find_plans(user, sort="name", limit=None)
        options = [{"label": f"{plan.name} ({plan.kind.value})", "value": str(plan.id)} for plan in templates]
        return {
            "header": header,
            "goals": list(client.goals),
            "allergies": details["allergies"],
            "diets": details["dietary_preferences"],
            **{control_id: values[control_id] for control_id in OVERVIEW_FIELDS},
            "sessions": _sessions(user, client),
            "messages": _messages(user, client),
            "plan_options": options,
            "assign_start": local_today(client).isoformat(),
        }

    @app.callback(Output("cp-plan-list", "children"), Input("cp-client", "data"), Input("cp-changed", "data"))
    @page_callback(Role.TRAINER, alert="cp-plan-list", render=lambda error: empty(error.message))
    def plan_list(user: User, client_id: Any, _changed: Any):
        client = trainer_client(user, client_id)
        return _assignment_rows(user, client)

    @app.callback(
        output={"feedback": Output("cp-overview-feedback", "children"), **error_outputs(OVERVIEW_FIELDS)},
        inputs={
            "_clicks": Input("cp-overview-save", "n_clicks"),
            "client_id": State("cp-client", "data"),
            "goals": State("cp-goals", "value"),
            "allergies": State("cp-allergies", "value"),
            "diets": State("cp-diets", "value"),
            "texts": [State(control_id, "value") for control_id in OVERVIEW_FIELDS],
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="feedback", fields=OVERVIEW_FIELDS)
    def save_overview(
        user: User, _clicks: Any, client_id: Any, goals: Any, allergies: Any, diets: Any, texts: list[Any]
    ):
        text = dict(zip(OVERVIEW_FIELDS, texts, strict=True))
        goal_notes = text["cp-goal-notes"] if isinstance(text["cp-goal-notes"], str) else ""
        if len(goal_notes.strip()) > 500:
            raise InvalidInputError("Please correct the fields below.", {"goal_notes": ["At most 500 characters."]})
        valid_goals = {goal.value for goal in ClientGoal}
        goals = [goal for goal in goals if goal in valid_goals] if isinstance(goals, list) else []
        errors = {
            name: [f"At most {dietary.MAX_FREE_TEXT} characters."]
            for name in ("other_allergies", "dislikes")
            if len(_text(text[f"cp-{name.replace('_', '-')}"])) > dietary.MAX_FREE_TEXT
        }
        if errors:
            raise InvalidInputError("Please correct the fields below.", errors)
        data = {
            "goals": goals,
            "allergies": [value for value in allergies if value in ALLERGENS] if isinstance(allergies, list) else [],
            "dietary_preferences": [value for value in diets if value in DIETS] if isinstance(diets, list) else [],
            "other_allergies": _text(text["cp-other-allergies"]),
            "dislikes": _text(text["cp-dislikes"]),
            "goal_notes": goal_notes,
            "private_notes": text["cp-notes"] if isinstance(text["cp-notes"], str) else None,
            "health": {key: _lines(text[f"cp-health-{key}"]) for key in HEALTH_KEYS},
        }
        client = trainer_client(user, client_id)
        clients.update_client(user, client.id, data)
        return {"feedback": done("Saved."), **error_values({}, OVERVIEW_FIELDS)}

    @app.callback(
        output={
            "feedback": Output("cp-assign-feedback", "children"),
            **error_outputs(ASSIGN_FIELDS),
            "changed": Output("cp-changed", "data"),
        },
        inputs={
            "_clicks": Input("cp-assign-submit", "n_clicks"),
            "client_id": State("cp-client", "data"),
            "plan_id": State("cp-assign-plan", "value"),
            "start": State("cp-assign-start", "value"),
            "changed": State("cp-changed", "data"),
            "acknowledge": State("cp-assign-ack", "value"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="feedback", fields=ASSIGN_FIELDS)
    def assign(
        user: User, _clicks: Any, client_id: Any, plan_id: Any, start: Any, changed: Any, acknowledge: Any = False
    ):
        errors: dict[str, list[str]] = {}
        plan = as_id(plan_id)
        start_day = parse_day(start)
        if plan is None:
            errors["plan_id"] = ["Pick a template."]
        if start_day is None:
            errors["start_date"] = ["Pick a start date."]
        if errors:
            return {"feedback": None, **error_values(errors, ASSIGN_FIELDS), "changed": dash.no_update}
        client = trainer_client(user, client_id)
        # A diet with foods the client is allergic to is refused (the alert names them) unless ticked.
        assignment = assignments.assign_plan(
            user, client.id, plan, start_day, acknowledge_allergens=acknowledge is True
        )
        message = done(f"{assignment.name} starts on {assignment.start_date:%d %b %Y}.")
        bumped = (changed if isinstance(changed, int) else 0) + 1
        return {"feedback": message, **error_values({}, ASSIGN_FIELDS), "changed": bumped}

    @app.callback(Output("cp-workouts", "children"), Input("cp-tabs", "active_tab"), State("cp-client", "data"))
    @page_callback(Role.TRAINER, alert="cp-workouts", render=lambda error: empty(error.message))
    def workouts(user: User, tab: Any, client_id: Any):
        if tab != "workouts":
            raise dash.exceptions.PreventUpdate  # drawn when the tab opens
        client = trainer_client(user, client_id)
        found = workout_review.client_workouts(user, client.id, WORKOUTS_SHOWN)
        if not found:
            return empty(f"{client.name} has not logged a workout yet.", "Workouts they log in the app appear here.")
        more = (
            f"The {WORKOUTS_SHOWN} newest; older ones are on the Recent activity page."
            if len(found) == WORKOUTS_SHOWN
            else None
        )
        return [*[workout_card(user, review, "cp") for review in found], html.P(more, className="text-muted small")]

    @app.callback(Output("cp-imports", "children"), Input("cp-tabs", "active_tab"), State("cp-client", "data"))
    @page_callback(Role.TRAINER, alert="cp-imports", render=lambda error: empty(error.message))
    def imported(user: User, tab: Any, client_id: Any):
        if tab != "imports":
            raise dash.exceptions.PreventUpdate  # drawn when the tab opens
        client = trainer_client(user, client_id)
        found = imports.recent_for_trainer(user, client.id, IMPORTS_SHOWN)
        if not found:
            return empty(
                f"{client.name} has not imported anything yet.",
                "Clients bring in Apple Health, FIT, GPX, Strong and Hevy files from the app's Import page.",
            )
        activities = [
            [
                local_time(activity.started_at, user),
                activity.sport.replace("_", " ").capitalize(),
                f"{round(activity.duration_seconds / 60)} min",
                _distance(activity.distance_m, user.unit_system),
                str(activity.avg_heart_rate or "—"),
                activity.source,
            ]
            for activity in imports.recent_activities_for_trainer(user, client.id, IMPORTS_SHOWN)
        ]
        rows = [
            [
                local_time(item.created_at, user),
                imports.source_label(item),
                item.file_name,
                item.status.value.replace("_", " "),
                str(item.found),
                str(item.added),
                str(item.already_there),
                ", ".join(item.unmatched) or "—",
            ]
            for item in found
        ]
        header = ["When", "Source", "File", "Status", "Found", "Added", "Already there", "Unmatched exercises"]
        parts: list[Any] = [html.H5("Imports"), table(rows, header, table_id="cp-imports-table")]
        if activities:
            parts += [
                html.H5("Latest activities", className="mt-3"),
                table(activities, ["Start", "Sport", "Duration", "Distance", "Avg HR", "Source"], "cp-activities"),
            ]
        return parts

    register_comments(app, "cp")

    @app.callback(
        output=progress_outputs("cp"),
        inputs={
            "tab": Input("cp-tabs", "active_tab"),
            "start_date": Input("cp-range", "start_date"),
            "end_date": Input("cp-range", "end_date"),
            "client_id": State("cp-client", "data"),
        },
    )
    @page_callback(
        Role.TRAINER,
        alert="summary",
        render=progress_problem("Pick one of your clients from the Clients page."),
        others=None,
    )
    def progress(user: User, tab: Any, start_date: Any, end_date: Any, client_id: Any):
        if tab != "progress":
            raise dash.exceptions.PreventUpdate  # charts are drawn when their tab opens
        found = analytics.progress_for(user, client_id, parse_day(start_date), parse_day(end_date))
        return progress_figures(found, user.unit_system)


PAGE = Page(
    path="clients/<client_id>",
    name="Client profile",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
    in_nav=False,
)

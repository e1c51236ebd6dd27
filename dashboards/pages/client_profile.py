"""A client's profile: overview (goals, health, private notes), plan, progress, sessions, messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, date_range, empty, page_title, parse_day, table
from dashboards.forms import done, error_outputs, error_values, field, problem
from dashboards.pages.client import OUTPUTS as PROGRESS_OUTPUTS
from dashboards.pages.client import progress_figures
from dashboards.pages.clients import goal_label, local_time, status_of
from dashboards.pages.messages import as_id, conversation_of_client, thread_view
from dashboards.router import Page
from fitbud.auth.roles import Role
from fitbud.errors import DomainError, NotFoundError
from fitbud.extensions import db
from fitbud.models import ClientGoal, utcnow
from fitbud.models.client import HEALTH_KEYS
from fitbud.services import analytics, assignments, clients, plans, scheduling

PROGRESS_IDS = [output.replace("cl-", "cp-", 1) for output in PROGRESS_OUTPUTS]
OVERVIEW_FIELDS = {"cp-goal-notes": "goal_notes", "cp-notes": "private_notes"} | {
    f"cp-health-{key}": f"health.{key}" for key in HEALTH_KEYS
}
ASSIGN_FIELDS = {"cp-assign-plan": "plan_id", "cp-assign-start": "start_date"}
SESSION_WINDOW = (timedelta(days=90), timedelta(days=180))
NOT_FOUND = "No such client."


def _client_id(params: dict[str, str]) -> int | None:
    return as_id(params.get("path", "").rpartition("/")[2])


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
            dcc.Store(id="cp-client", data=_client_id(params)),
            dcc.Store(id="cp-changed", data=0),
            html.A("← All clients", href=f"{PREFIX}clients", className="small"),
            html.Div(page_title("Client"), id="cp-header"),
            dbc.Tabs(
                [
                    dbc.Tab(_overview_tab(), label="Overview", tab_id="overview"),
                    dbc.Tab(_plan_tab(), label="Plan", tab_id="plan"),
                    dbc.Tab(_progress_tab(), label="Progress", tab_id="progress", id="cp-progress-tab"),
                    dbc.Tab(html.Div(id="cp-sessions", className="pt-3"), label="Sessions", tab_id="sessions"),
                    dbc.Tab(html.Div(id="cp-messages", className="pt-3"), label="Messages", tab_id="messages"),
                ],
                id="cp-tabs",
                active_tab="overview",
            ),
        ]
    )


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()] if isinstance(text, str) else []


def _trainer():
    user = current_dashboard_user()
    if user is None or user.role is not Role.TRAINER:
        raise dash.exceptions.PreventUpdate
    return user


def _assignment_rows(user, client) -> Any:
    history = list(db.session.execute(assignments.list_assignments(user, client.id)).scalars())
    if not history:
        return empty("No plan assigned yet.", f"Assign a workout or diet template to {client.name} below.")
    today = assignments.client_today(client)
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
    statement = scheduling.list_sessions(user, now - SESSION_WINDOW[0], now + SESSION_WINDOW[1], client_id=client.id)
    found = list(db.session.execute(statement).scalars())
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
    conversation = conversation_of_client(user, client.id)
    if conversation is None:
        return [link, empty("No messages yet.", "Start the conversation from the Messages page.")]
    return [link, html.Div(thread_view(user, conversation.id), className="fb-thread")]


def register_callbacks(app: dash.Dash) -> None:
    """Load each tab for the trainer's own client; save the overview; assign a template."""

    @app.callback(
        Output("cp-header", "children"),
        Output("cp-goals", "value"),
        *[Output(control_id, "value") for control_id in OVERVIEW_FIELDS],
        Output("cp-sessions", "children"),
        Output("cp-messages", "children"),
        Output("cp-assign-plan", "options"),
        Output("cp-assign-start", "value"),
        Input("cp-client", "data"),
    )
    def load(client_id: Any):
        user = _trainer()
        try:
            # Scoped to the trainer: another trainer's id (or junk) is simply not found.
            client = clients.get_client(user, analytics.get_trainers_client(user, client_id).id)
        except NotFoundError:
            nothing = empty(NOT_FOUND, "Pick one of your clients from the Clients page.")
            return [page_title(NOT_FOUND), [], *[""] * len(OVERVIEW_FIELDS), nothing, nothing, [], None]
        status, colour = status_of(client)
        header = page_title(client.name, html.Div([dbc.Badge(status, color=colour), html.Span(f" {client.email}")]))
        health = clients.health_of(client)
        values = {
            "cp-goal-notes": client.goal_notes or "",
            "cp-notes": client.private_notes or "",
        } | {f"cp-health-{key}": "\n".join(health[key]) for key in HEALTH_KEYS}
        templates = db.session.execute(plans.list_plans(user, sort="name")).scalars()
        options = [{"label": f"{plan.name} ({plan.kind.value})", "value": str(plan.id)} for plan in templates]
        return [
            header,
            list(client.goals),
            *[values[control_id] for control_id in OVERVIEW_FIELDS],
            _sessions(user, client),
            _messages(user, client),
            options,
            assignments.client_today(client).isoformat(),
        ]

    @app.callback(Output("cp-plan-list", "children"), Input("cp-client", "data"), Input("cp-changed", "data"))
    def plan_list(client_id: Any, _changed: Any):
        user = _trainer()
        try:
            client = analytics.get_trainers_client(user, client_id)
        except NotFoundError:
            return empty(NOT_FOUND)
        return _assignment_rows(user, client)

    @app.callback(
        Output("cp-overview-feedback", "children"),
        *error_outputs(list(OVERVIEW_FIELDS)),
        Input("cp-overview-save", "n_clicks"),
        State("cp-client", "data"),
        State("cp-goals", "value"),
        *[State(control_id, "value") for control_id in OVERVIEW_FIELDS],
        prevent_initial_call=True,
    )
    def save_overview(_clicks: Any, client_id: Any, goals: Any, *texts: Any):
        user = _trainer()
        text = dict(zip(OVERVIEW_FIELDS, texts, strict=True))
        goal_notes = text["cp-goal-notes"] if isinstance(text["cp-goal-notes"], str) else ""
        errors: dict[str, list[str]] = {}
        if len(goal_notes.strip()) > 500:
            errors["goal_notes"] = ["At most 500 characters."]
        valid_goals = {goal.value for goal in ClientGoal}
        goals = [goal for goal in goals if goal in valid_goals] if isinstance(goals, list) else []
        if errors:
            return [problem(DomainError("Please correct the fields below.")), *error_values(errors, OVERVIEW_FIELDS)]
        data = {
            "goals": goals,
            "goal_notes": goal_notes,
            "private_notes": text["cp-notes"] if isinstance(text["cp-notes"], str) else None,
            "health": {key: _lines(text[f"cp-health-{key}"]) for key in HEALTH_KEYS},
        }
        try:
            client = analytics.get_trainers_client(user, client_id)
            clients.update_client(user, client.id, data)
        except DomainError as error:
            return [problem(error), *error_values(error.errors, OVERVIEW_FIELDS)]
        return [done("Saved."), *error_values({}, OVERVIEW_FIELDS)]

    @app.callback(
        Output("cp-assign-feedback", "children"),
        *error_outputs(list(ASSIGN_FIELDS)),
        Output("cp-changed", "data"),
        Input("cp-assign-submit", "n_clicks"),
        State("cp-client", "data"),
        State("cp-assign-plan", "value"),
        State("cp-assign-start", "value"),
        State("cp-changed", "data"),
        prevent_initial_call=True,
    )
    def assign(_clicks: Any, client_id: Any, plan_id: Any, start: Any, changed: Any):
        user = _trainer()
        errors: dict[str, list[str]] = {}
        plan = as_id(plan_id)
        start_day = parse_day(start)
        if plan is None:
            errors["plan_id"] = ["Pick a template."]
        if start_day is None:
            errors["start_date"] = ["Pick a start date."]
        if errors:
            return [None, *error_values(errors, ASSIGN_FIELDS), dash.no_update]
        try:
            client = analytics.get_trainers_client(user, client_id)
            assignment = assignments.assign_plan(user, client.id, plan, start_day)
        except DomainError as error:
            return [problem(error), *error_values(error.errors, ASSIGN_FIELDS), dash.no_update]
        message = done(f"{assignment.name} starts on {assignment.start_date:%d %b %Y}.")
        return [message, *error_values({}, ASSIGN_FIELDS), (changed if isinstance(changed, int) else 0) + 1]

    @app.callback(
        *[Output(output_id, "children") for output_id in PROGRESS_IDS],
        Input("cp-tabs", "active_tab"),
        Input("cp-range", "start_date"),
        Input("cp-range", "end_date"),
        State("cp-client", "data"),
    )
    def progress(tab: Any, start_date: Any, end_date: Any, client_id: Any):
        user = _trainer()
        if tab != "progress":
            raise dash.exceptions.PreventUpdate  # charts are drawn when their tab opens
        blank = [None] * (len(PROGRESS_IDS) - 1)
        try:
            found = analytics.progress_for(user, client_id, parse_day(start_date), parse_day(end_date))
        except NotFoundError:
            return [dbc.Col(empty(NOT_FOUND, "Pick one of your clients from the Clients page."))] + blank
        except DomainError as error:
            return [dbc.Col(empty(error.message, "Pick a start date before the end date."))] + blank
        return progress_figures(found)


PAGE = Page(
    path="clients/*",
    name="Client profile",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
    in_nav=False,
)

"""The plans page's components: the template list at /plans, the editor at /plans/<id> and /plans/new."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import empty, page_title
from dashboards.forms import SEARCH_DEBOUNCE_MS, to_int
from dashboards.pages.plans.draft import draft_of, new_content, saved_state
from dashboards.pages.plans.forms import FOOD_NAMES_ID, exercise_options, meta_field, render_form
from fitbud.auth.roles import Role
from fitbud.data.foods import MACROS as FOOD_MACROS
from fitbud.errors import NotFoundError
from fitbud.models import PlanKind, PlanTemplate, User
from fitbud.services import foods, plans
from fitbud.services.analytics import client_options


def _trainer() -> User | None:
    # Layouts run outside the callback wrapper (and outside a request at start-up).
    user = current_dashboard_user()
    return user if user is not None and user.role is Role.TRAINER else None


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
                dbc.Button(
                    "Generate a draft", href=PREFIX + "plans/generate", color="outline-primary", id="pl-generate"
                ),
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Search", html_for="pl-search"),
                            dbc.Input(
                                id="pl-search",
                                type="search",
                                placeholder="Name or description",
                                debounce=SEARCH_DEBOUNCE_MS,
                            ),
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
            dcc.Store(id="pl-changed", data=0),
            html.Div(id="pl-message", role="status"),
            dcc.Loading(html.Div(id="pl-list"), type="dot"),
        ]
    )


def plan_table(rows: list[PlanTemplate], archived: bool) -> Any:
    """The templates with their Duplicate and Archive (or Restore) buttons, or what to do when there are none."""
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


def editor_layout(trainer: User | None, plan_ref: str, params: dict[str, str]) -> html.Div:
    """The editor of a template (`plan_ref` is its id) or of a new one ("new", kind from params)."""
    plan: PlanTemplate | None = None
    if trainer is not None and plan_ref != "new":
        plan_id = to_int(plan_ref)
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
    draft = (
        draft_of(plan)
        if plan
        else {
            "plan_id": None,
            "kind": kind.value,
            "version": None,
            "content": content,
            "saved": saved_state(None, content),
            "dirty": False,
        }
    )
    exercises = exercise_options(trainer) if trainer is not None and kind is PlanKind.WORKOUT else []
    title = plan.name if plan else f"New {kind.value} plan"
    archived = plan is not None and plan.archived_at is not None
    return html.Div(
        [
            dcc.Store(id="pe-draft", data=draft),
            # Whether the fields differ from the saved plan (computed in the browser, see callbacks.py).
            dcc.Store(id="pe-dirty", data=False),
            dcc.Store(id="pe-url-synced"),
            # Each diet item's last quantity, so a new one scales its macros (a food's basis).
            dcc.Store(id="pe-quantities", data={}),
            page_title(
                html.Span(title, id="pe-title"),
                dcc.Link("← All plans", href=PREFIX + "plans", className="btn btn-link"),
            ),
            dbc.Alert("This plan is archived: restore it from the list to edit it.", color="warning")
            if archived
            else None,
            dbc.Row(
                [
                    dbc.Col(
                        [
                            meta_field("pe-name", "Name", plan.name if plan else "", {}, maxLength=120, required=True),
                            meta_field("pe-description", "Description", plan.description if plan else "", {}),
                            meta_field("pe-tags", "Tags (comma separated)", ", ".join(plan.tags) if plan else "", {}),
                        ],
                        xs=12,
                        lg=8,
                    ),
                    dbc.Col(_assign_card(trainer, plan), xs=12, lg=4),
                ],
                className="g-3",
            ),
            html.Div(id="pe-form", children=render_form(kind, content, {}, exercises)),
            # One list of the food table's names for every diet item's Food field to suggest from.
            html.Datalist(
                id=FOOD_NAMES_ID,
                children=[
                    html.Option(
                        value=food.name,
                        **{
                            "data-per100g": ",".join(f"{getattr(food, macro):g}" for macro in FOOD_MACROS),
                            "data-serving-g": f"{food.serving_g:g}",
                        },
                    )
                    for food in foods.food_suggestions(trainer.id)
                ]
                if trainer is not None and kind is PlanKind.DIET
                else [],
            ),
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
                    html.Div(id="pe-allergy-summary", className="text-danger small mt-2", role="status"),
                    dbc.Checkbox(
                        id="pe-assign-ack",
                        label="Assign even with foods the client is allergic to",
                        value=False,
                        className="mt-2 small",
                    ),
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

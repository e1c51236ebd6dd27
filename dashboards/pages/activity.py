"""Recent activity: the feed across the trainer's clients, filtered by client and kind; workouts open for review."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html

from dashboards.auth import PREFIX
from dashboards.components import as_id, empty, local_time, page_title
from dashboards.page import Page
from dashboards.page_callback import page_callback
from dashboards.workout_review import register_comments, workout_card
from fitbud.auth.roles import Role
from fitbud.models import ActivityType, User
from fitbud.services import clients, feed, workout_review

EVERYTHING = "all"
PAGE_SIZE = 20
TYPE_LABELS = {
    ActivityType.WORKOUT_LOGGED: "Workouts",
    ActivityType.MEAL_LOGGED: "Meals",
    ActivityType.CHECK_IN_SUBMITTED: "Check-ins",
    ActivityType.RECORD_SET: "Records",
    ActivityType.STREAK_MILESTONE: "Streaks",
    ActivityType.SESSION_MISSED: "Missed sessions",
    ActivityType.MESSAGE_RECEIVED: "Messages",
    ActivityType.DATA_IMPORTED: "Imports",
}


def layout(params: dict[str, str]) -> html.Div:
    """Filters and the feed; the entries arrive from the callback."""
    kind = params.get("type") if params.get("type") in {t.value for t in ActivityType} else EVERYTHING
    return html.Div(
        [
            page_title("Recent activity"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Client", html_for="act-client"),
                            dbc.Select(
                                id="act-client",
                                options=[{"label": "All clients", "value": EVERYTHING}],
                                value=str(as_id(params.get("client_id")) or EVERYTHING),
                            ),
                        ],
                        xs=12,
                        md=6,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Kind", html_for="act-type"),
                            dbc.Select(
                                id="act-type",
                                options=[{"label": "Everything", "value": EVERYTHING}]
                                + [{"label": label, "value": kind.value} for kind, label in TYPE_LABELS.items()],
                                value=kind,
                            ),
                        ],
                        xs=12,
                        md=6,
                    ),
                ],
                className="mb-2 g-2",
            ),
            # The cursors of the pages shown so far (the last is the page on screen) and the next one's.
            dcc.Store(id="act-cursors", data={"stack": [None], "next": None}),
            dcc.Loading(html.Div(id="act-list")),
            html.Div(
                [
                    dbc.Button("Newer", id="act-newer", color="secondary", outline=True, size="sm", n_clicks=0),
                    dbc.Button("Older", id="act-older", color="secondary", outline=True, size="sm", n_clicks=0),
                ],
                className="d-flex gap-2 mt-2",
            ),
        ]
    )


def _entry(user: User, entry: feed.FeedEntry, reviews: dict[int, workout_review.WorkoutReview]) -> Any:
    event = entry.event
    review = reviews.get(event.workout_log_id or 0) if event.type is ActivityType.WORKOUT_LOGGED else None
    if review is not None:  # a record set on the same workout stays a line: one card per workout
        return workout_card(user, review, "act", show_client=True)
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(local_time(event.occurred_at, user), className="text-muted small"),
                html.A(entry.client_name, href=f"{PREFIX}clients/{event.client_id}", className="fw-semibold"),
                html.Span(f" · {event.summary.removeprefix(entry.client_name).lstrip()}"),
            ],
            className="py-2 fb-wrap",
        ),
        className="fb-card shadow-sm mb-2",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Page through the filtered feed; comment on the workouts in it."""

    @app.callback(
        output={
            "list": Output("act-list", "children"),
            "cursors": Output("act-cursors", "data"),
            "clients": Output("act-client", "options"),
            "newer": Output("act-newer", "disabled"),
            "older": Output("act-older", "disabled"),
        },
        inputs={
            "client": Input("act-client", "value"),
            "kind": Input("act-type", "value"),
            "_newer": Input("act-newer", "n_clicks"),
            "_older": Input("act-older", "n_clicks"),
            "paging": State("act-cursors", "data"),
        },
    )
    @page_callback(Role.TRAINER, alert="list")
    def show(user: User, client: Any, kind: Any, _newer: Any, _older: Any, paging: Any):
        paging = paging if isinstance(paging, dict) else {}
        stack = paging.get("stack")
        cursors = [as_id(c) for c in stack] if isinstance(stack, list) and stack else [None]
        if ctx.triggered_id == "act-older" and as_id(paging.get("next")) is not None:
            cursors.append(as_id(paging.get("next")))
        elif ctx.triggered_id == "act-newer" and len(cursors) > 1:
            cursors.pop()
        elif ctx.triggered_id not in ("act-older", "act-newer"):
            cursors = [None]
        event_type = ActivityType(kind) if kind in {t.value for t in ActivityType} else None
        found = feed.feed_page(user, cursors[-1], PAGE_SIZE, as_id(client), event_type)
        # Workout events name their workout (and go with it), so each opens for review.
        workout_ids = [
            entry.event.workout_log_id
            for entry in found.items
            if entry.event.type is ActivityType.WORKOUT_LOGGED and entry.event.workout_log_id is not None
        ]
        reviews = workout_review.workouts_by_id(user, workout_ids)
        options = [{"label": "All clients", "value": EVERYTHING}] + [
            {"label": row.name, "value": str(row.id)} for row in clients.client_rows(user)
        ]
        if found.items:
            listing: Any = [_entry(user, entry, reviews) for entry in found.items]
        else:
            listing = empty(
                "Nothing here yet.",
                "Workouts, meals, check-ins and messages from your clients appear here as they come.",
            )
        return {
            "list": listing,
            "cursors": {"stack": cursors, "next": found.next_before},
            "clients": options,
            "newer": len(cursors) <= 1,
            "older": found.next_before is None,
        }

    register_comments(app, "act")


PAGE = Page(
    path="activity",
    name="Activity",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

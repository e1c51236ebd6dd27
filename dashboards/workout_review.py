"""A logged workout as the trainer reviews it (sets done against planned, loads, RPE, notes) and comments on it.

Drawn by the client profile's Workouts tab and the Recent activity page. Each page passes its own
id prefix, so each registers its own comment callback and neither depends on the other.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, ctx, html

from dashboards.auth import PREFIX
from dashboards.components import as_id, local_time
from dashboards.forms import done
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.models import User, WorkoutComment, WorkoutSet
from fitbud.services import workout_comments
from fitbud.services.units import from_si_distance, from_si_mass, mass_unit, unit_label
from fitbud.services.workout_review import WorkoutReview


def _set_text(workout_set: WorkoutSet, units: str) -> str:
    parts = []
    if workout_set.reps is not None:
        text = f"{workout_set.reps}"
        if workout_set.weight_kg:
            text += f" × {from_si_mass(workout_set.weight_kg, units):g} {mass_unit(units)}"
        parts.append(text)
    if workout_set.duration_seconds is not None:
        parts.append(f"{workout_set.duration_seconds} s")
    if workout_set.distance_m is not None:
        shown = round(from_si_distance(workout_set.distance_m, units), 2)
        parts.append(f"{shown:g} {unit_label('distance', units)}")
    if workout_set.rpe is not None:
        parts.append(f"RPE {workout_set.rpe:g}")
    return " ".join(parts) or "—"


def _comment(user: User, comment: WorkoutComment) -> html.Blockquote:
    return html.Blockquote(
        [html.Span(f"You, {local_time(comment.created_at, user)}: ", className="text-muted"), comment.body],
        className="fb-reply mb-2",
    )


def workout_card(user: User, review: WorkoutReview, prefix: str, show_client: bool = False) -> dbc.Card:
    """One workout: what was done against the plan, the client's notes, the comments and a comment box."""
    log = review.log
    units = user.unit_system
    key = str(log.id)
    planned = f" of {log.sets_planned} planned" if log.sets_planned is not None else ""
    facts = [f"{log.sets_done} set{'' if log.sets_done == 1 else 's'}{planned}"]
    if log.duration_minutes:
        facts.append(f"{log.duration_minutes} min")
    if log.perceived_effort:
        facts.append(f"effort {log.perceived_effort}/10")
    if log.total_volume_kg:
        facts.append(f"volume {from_si_mass(log.total_volume_kg, units):,.0f} {mass_unit(units)}")
    title: list[Any] = [html.Span(f"{log.performed_on:%a %d %b %Y}", className="fw-semibold")]
    if show_client:
        title = [
            html.A(review.client_name, href=f"{PREFIX}clients/{review.client_id}", className="fw-semibold"),
            " · ",
            *title,
        ]
    rows = [
        html.Tr(
            [
                html.Td(exercise.name),
                html.Td(exercise.planned or "—"),
                html.Td(html.Ul([html.Li(_set_text(s, units)) for s in exercise.sets], className="list-unstyled mb-0")),
            ]
        )
        for exercise in review.exercises
    ]
    table: Any = (
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th("Exercise"), html.Th("Planned"), html.Th("Done")])),
                html.Tbody(rows),
            ],
            size="sm",
            className="fb-table fb-fit mb-2",
        )
        if rows
        else html.P("No sets recorded.", className="text-muted small")
    )
    notes = html.P(["Client's notes: ", html.Em(log.notes)], className="mb-2 fb-wrap") if log.notes else None
    return dbc.Card(
        [
            dbc.CardHeader(html.Div([*title, html.Span(" · " + ", ".join(facts))], className="fb-wrap")),
            dbc.CardBody(
                [
                    table,
                    notes,
                    html.Div(
                        [_comment(user, c) for c in review.comments], id={"type": f"{prefix}-wr-comments", "key": key}
                    ),
                    html.Label(
                        [
                            html.Span("Comment for the client", className="form-label d-block"),
                            dbc.Textarea(
                                id={"type": f"{prefix}-wr-text", "key": key},
                                rows=2,
                                maxLength=workout_comments.MAX_BODY_LENGTH,
                            ),
                            dbc.FormFeedback(id={"type": f"{prefix}-wr-text-error", "key": key}, type="invalid"),
                        ],
                        className="d-block",
                    ),
                    html.Div(id={"type": f"{prefix}-wr-feedback", "key": key}, className="mt-2"),
                    dbc.Button(
                        "Add comment",
                        id={"type": f"{prefix}-wr-send", "key": key},
                        color="primary",
                        size="sm",
                        className="mt-2",
                        n_clicks=0,
                    ),
                ]
            ),
        ],
        className="fb-card shadow-sm mb-3 fb-workout",
        id=f"{prefix}-workout-{log.id}",
    )


def register_comments(app: dash.Dash, prefix: str) -> None:
    """The comment box of the workout cards a page draws with `prefix`."""

    @app.callback(
        output={
            "feedback": Output({"type": f"{prefix}-wr-feedback", "key": MATCH}, "children"),
            "invalid": Output({"type": f"{prefix}-wr-text", "key": MATCH}, "invalid"),
            "error": Output({"type": f"{prefix}-wr-text-error", "key": MATCH}, "children"),
            "text": Output({"type": f"{prefix}-wr-text", "key": MATCH}, "value"),
            "comments": Output({"type": f"{prefix}-wr-comments", "key": MATCH}, "children"),
        },
        inputs={
            "_clicks": Input({"type": f"{prefix}-wr-send", "key": MATCH}, "n_clicks"),
            "text": State({"type": f"{prefix}-wr-text", "key": MATCH}, "value"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="feedback")
    def comment(user: User, _clicks: Any, text: Any):
        log_id = as_id((ctx.triggered_id or {}).get("key"))
        body = text.strip() if isinstance(text, str) else ""
        if not body:
            return {
                "feedback": None,
                "invalid": True,
                "error": "Comment: write something to send.",
                "text": dash.no_update,
                "comments": dash.no_update,
            }
        workout_comments.add_comment(user, log_id or 0, body)
        everything = workout_comments.comments_for(user, [log_id or 0]).get(log_id or 0, [])
        return {
            "feedback": done("Comment added; the client sees it with the workout."),
            "invalid": False,
            "error": "",
            "text": "",
            "comments": [_comment(user, c) for c in everything],
        }

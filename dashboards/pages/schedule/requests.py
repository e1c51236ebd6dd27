"""The scheduler's session requests (accept, or decline with a reason) and days off (add, remove)."""

from __future__ import annotations

from datetime import time
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html

from dashboards.auth import PREFIX
from dashboards.components import card, empty, local_time
from dashboards.forms import done, error_outputs, error_values, field
from dashboards.page_callback import page_callback
from dashboards.pages.schedule.forms import to_day
from dashboards.pages.schedule.views import TYPE_LABELS
from fitbud.auth.roles import Role
from fitbud.errors import InvalidInputError
from fitbud.models import RequestStatus, SessionRequest, TrainerDayOff, User
from fitbud.services import availability
from fitbud.services.local_time import local_today

SHOWN = {"pending": "Waiting for you", "accepted": "Accepted", "declined": "Declined", "all": "All"}
REASON_MAX = 500
DAY_OFF_FIELDS = {
    "sc-do-date": "on_date",
    "sc-do-start": "start_time",
    "sc-do-end": "end_time",
    "sc-do-reason": "reason",
}
KEEP = dash.no_update


def requests_card() -> dbc.Card:
    """Pending requests first; the status filter lists decided ones too."""
    return card(
        "Session requests",
        [
            html.Div(
                [
                    dbc.Label("Show", html_for="sc-rq-status"),
                    dbc.Select(
                        id="sc-rq-status",
                        options=[{"label": label, "value": key} for key, label in SHOWN.items()],
                        value="pending",
                    ),
                ],
                className="mb-2",
            ),
            html.Div(id="sc-rq-message", role="status"),
            html.Div(id="sc-rq-list"),
        ],
    )


def days_off_card() -> dbc.Card:
    """Add a day off (or part of one) and remove the ones coming up."""
    return card(
        "Days off",
        [
            dbc.Row(
                [
                    dbc.Col(field("Date", dbc.Input(id="sc-do-date", type="date"), "sc-do-date"), xs=12, md=4),
                    dbc.Col(
                        field("From", dbc.Input(id="sc-do-start", type="time"), "sc-do-start", "Empty: all day"),
                        xs=6,
                        md=4,
                    ),
                    dbc.Col(field("To", dbc.Input(id="sc-do-end", type="time"), "sc-do-end"), xs=6, md=4),
                ],
                className="g-2",
            ),
            field("Reason (only you see it)", dbc.Input(id="sc-do-reason", maxLength=200), "sc-do-reason"),
            dbc.Button("Add day off", id="sc-do-add", color="outline-primary", n_clicks=0),
            html.Div(id="sc-do-message", role="status", className="mt-2"),
            html.Div(id="sc-do-list", className="mt-2"),
        ],
    )


def _request_item(trainer: User, request: SessionRequest) -> html.Li:
    when = local_time(request.starts_at, trainer)
    facts = f"{when} · {request.duration_minutes} min · {TYPE_LABELS.get(request.type, request.type.value)}"
    body: list[Any] = [
        html.A(request.client.name, href=f"{PREFIX}clients/{request.client_id}", className="fw-semibold"),
        html.Div(facts, className="small"),
    ]
    if request.note:
        body.append(html.Div(["Note: ", html.Em(request.note)], className="small fb-wrap"))
    if request.status is RequestStatus.PENDING:
        body += [
            html.Label(
                [
                    html.Span("Reason, if you decline", className="form-label d-block small mb-0 mt-1"),
                    dbc.Input(id={"type": "sc-rq-reason", "id": request.id}, maxLength=REASON_MAX, size="sm"),
                ],
                className="d-block",
            ),
            html.Div(
                [
                    dbc.Button("Accept", id={"type": "sc-rq-accept", "id": request.id}, color="success", size="sm"),
                    dbc.Button(
                        "Decline", id={"type": "sc-rq-decline", "id": request.id}, color="outline-danger", size="sm"
                    ),
                ],
                className="d-flex gap-2 mt-1",
            ),
        ]
    else:
        colour = "success" if request.status is RequestStatus.ACCEPTED else "secondary"
        badge = dbc.Badge(request.status.value, color=colour, className="me-1")
        reason = f" — {request.decline_reason}" if request.decline_reason else ""
        body.append(html.Div([badge, html.Span(reason, className="small")], className="fb-wrap"))
    return html.Li(body, className="fb-request py-2", id=f"sc-rq-{request.id}")


def _request_list(trainer: User, shown: Any) -> Any:
    status = RequestStatus(shown) if shown in {s.value for s in RequestStatus} else None
    found = availability.requests_for(trainer, status)
    if not found:
        if status is RequestStatus.PENDING:
            return empty("No requests waiting.", "Clients ask for free slots from their app; their requests show here.")
        return empty("No requests here.")
    return html.Ul([_request_item(trainer, r) for r in found], className="list-unstyled mb-0 fb-requests")


def _day_off_list(trainer: User) -> Any:
    found = availability.days_off_from(trainer, local_today(trainer))
    if not found:
        return empty("No days off coming up.", "Days off close your free slots to clients' requests.")

    def text(day_off: TrainerDayOff) -> str:
        hours = "all day" if day_off.whole_day else f"{day_off.start_time:%H:%M}–{day_off.end_time:%H:%M}"
        reason = f" · {day_off.reason}" if day_off.reason else ""
        return f"{day_off.on_date:%a %d %b %Y}, {hours}{reason}"

    return html.Ul(
        [
            html.Li(
                [
                    html.Span(text(day_off), className="me-2"),
                    dbc.Button(
                        "Remove",
                        id={"type": "sc-do-del", "id": day_off.id},
                        size="sm",
                        color="link",
                        className="p-0",
                        title=f"Remove the day off on {day_off.on_date:%d %b %Y}",
                    ),
                ],
                className="fb-wrap",
            )
            for day_off in found
        ],
        className="list-unstyled mb-0 fb-days-off",
    )


def _clock(value: Any, field_name: str) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(str(value)[:5])
    except ValueError:
        raise InvalidInputError(
            f"{field_name.replace('_', ' ').capitalize()}: not a time.", {field_name: ["Give a time such as 07:30."]}
        ) from None


def _day_off_data(day: Any, start: Any, end: Any, reason: Any) -> dict[str, Any]:
    on_date = to_day(day)
    if on_date is None:
        raise InvalidInputError("Date: pick the day off.", {"on_date": ["Pick a date."]})
    text = reason.strip() if isinstance(reason, str) else ""
    if len(text) > 200:
        raise InvalidInputError("Reason: at most 200 characters.", {"reason": ["At most 200 characters."]})
    return {
        "on_date": on_date,
        "start_time": _clock(start, "start_time"),
        "end_time": _clock(end, "end_time"),
        "reason": text,
    }


def _first_click() -> bool:
    return bool(ctx.triggered and ctx.triggered[0]["value"])


def register_requests_and_days_off(app: dash.Dash) -> None:
    """Accept or decline requests (the calendar redraws after an accept); add and remove days off."""

    @app.callback(
        output={
            "list": Output("sc-rq-list", "children"),
            "message": Output("sc-rq-message", "children"),
            "changed": Output("sc-changed", "data", allow_duplicate=True),
            "reasons": Output({"type": "sc-rq-reason", "id": ALL}, "invalid"),
        },
        inputs={
            "shown": Input("sc-rq-status", "value"),
            "_accept": Input({"type": "sc-rq-accept", "id": ALL}, "n_clicks"),
            "_decline": Input({"type": "sc-rq-decline", "id": ALL}, "n_clicks"),
            "reasons": State({"type": "sc-rq-reason", "id": ALL}, "value"),
            "changed": State("sc-changed", "data"),
        },
        prevent_initial_call="initial_duplicate",
    )
    @page_callback(Role.TRAINER, alert="message")
    def act(user: User, shown: Any, _accept: Any, _decline: Any, reasons: list[Any], changed: Any):
        trigger = ctx.triggered_id
        reason_ids = [item["id"]["id"] for item in ctx.args_grouping.get("reasons", [])]
        no_marks = [False] * len(reason_ids)
        if not isinstance(trigger, dict) or not _first_click():
            return {"list": _request_list(user, shown), "message": None, "changed": KEEP, "reasons": no_marks}
        request_id = trigger.get("id")
        if trigger.get("type") == "sc-rq-accept":
            accepted = availability.accept_request(user, request_id, {})
            message = done(f"Booked {accepted.client.name} at {local_time(accepted.starts_at, user)}; they were told.")
        else:
            reason = dict(zip(reason_ids, reasons, strict=True)).get(request_id)
            text = reason.strip() if isinstance(reason, str) else ""
            if not text:
                marks = [rid == request_id for rid in reason_ids]
                problem = html.Div(
                    dbc.Alert("Reason: say why you decline, so the client can pick another time.", color="danger"),
                    role="alert",
                )
                return {"list": KEEP, "message": problem, "changed": KEEP, "reasons": marks}
            declined = availability.decline_request(user, request_id, text[:REASON_MAX])
            message = done(f"Declined {declined.client.name}'s request; they were told why.")
        bumped = (changed if isinstance(changed, int) else 0) + 1
        return {"list": _request_list(user, shown), "message": message, "changed": bumped, "reasons": no_marks}

    @app.callback(
        output={
            "list": Output("sc-do-list", "children"),
            "message": Output("sc-do-message", "children"),
            **error_outputs(DAY_OFF_FIELDS),
        },
        inputs={
            "_add": Input("sc-do-add", "n_clicks"),
            "_remove": Input({"type": "sc-do-del", "id": ALL}, "n_clicks"),
            "day": State("sc-do-date", "value"),
            "start": State("sc-do-start", "value"),
            "end": State("sc-do-end", "value"),
            "reason": State("sc-do-reason", "value"),
        },
    )
    @page_callback(Role.TRAINER, alert="message", fields=DAY_OFF_FIELDS)
    def days_off(user: User, _add: Any, _remove: Any, day: Any, start: Any, end: Any, reason: Any):
        trigger = ctx.triggered_id
        message = None
        if trigger == "sc-do-add" and _first_click():
            added = availability.add_day_off(user, _day_off_data(day, start, end, reason))
            message = done(f"Day off added on {added.on_date:%a %d %b %Y}.")
        elif isinstance(trigger, dict) and _first_click():
            availability.delete_day_off(user, trigger.get("id") or 0)
            message = done("Day off removed.")
        return {"list": _day_off_list(user), "message": message, **error_values({}, DAY_OFF_FIELDS)}

"""Check-ins inbox: unanswered first, each beside the client's check-in before it; reply inline."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, ctx, dcc, html

from dashboards.auth import PREFIX
from dashboards.components import as_id, empty, local_time, number, page_title
from dashboards.forms import done
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.models import CheckIn, User
from fitbud.services import check_ins
from fitbud.services.units import from_si_length, from_si_mass, length_unit, mass_unit

ALL_CLIENTS = "all"
VIEWS = {"unanswered": "To answer", "answered": "Answered", "all": "All"}
RATINGS = (("sleep_hours", "Sleep (h)"), ("stress", "Stress (1-5)"), ("energy", "Energy (1-5)"))
RATINGS += (("adherence", "Adherence (1-5)"),)


def layout(params: dict[str, str]) -> html.Div:
    """Filters (which check-ins, whose), the list, and a pager; the list arrives from the callback."""
    view = params.get("view") if params.get("view") in VIEWS else "unanswered"
    client = str(as_id(params.get("client_id")) or ALL_CLIENTS)
    return html.Div(
        [
            page_title("Check-ins"),
            dbc.Row(
                [
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend("Show", className="form-label fs-6 mb-1"),
                                dbc.RadioItems(
                                    id="ci-view",
                                    options=[{"label": label, "value": key} for key, label in VIEWS.items()],
                                    value=view,
                                    inline=True,
                                ),
                            ]
                        ),
                        xs=12,
                        md=6,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Client", html_for="ci-client"),
                            dbc.Select(
                                id="ci-client", options=[{"label": "All clients", "value": ALL_CLIENTS}], value=client
                            ),
                        ],
                        xs=12,
                        md=6,
                    ),
                ],
                className="mb-2 g-2",
            ),
            dcc.Store(id="ci-page", data=1),
            html.Div(id="ci-count", className="text-muted small mb-2", role="status"),
            dcc.Loading(html.Div(id="ci-list", className="fb-inbox")),
            html.Div(
                [
                    dbc.Button("Newer", id="ci-prev", color="secondary", outline=True, size="sm", n_clicks=0),
                    dbc.Button("Older", id="ci-next", color="secondary", outline=True, size="sm", n_clicks=0),
                ],
                className="d-flex gap-2 mt-2",
            ),
        ]
    )


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "—"
    if isinstance(now, int) and isinstance(before, int):
        return f"{now - before:+d}"
    return f"{now - before:+.1f}"


def _row(label: str, now: float | None, before: float | None, has_previous: bool) -> tuple[str, str, str, str]:
    return (label, number(now), number(before) if has_previous else "—", _change(now, before))


def _figures(user: User, check_in: CheckIn, previous: CheckIn | None) -> dbc.Table:
    """This check-in's numbers beside the client's previous check-in's, in the trainer's units."""
    units = user.unit_system
    had = previous is not None
    rows = [
        _row(
            f"Weight ({mass_unit(units)})",
            from_si_mass(check_in.weight_kg, units),
            from_si_mass(previous.weight_kg, units) if previous else None,
            had,
        ),
        _row("Body fat (%)", check_in.body_fat_pct, previous.body_fat_pct if previous else None, had),
    ]
    now_measures = check_in.measurements_cm or {}
    before_measures = (previous.measurements_cm or {}) if previous else {}
    for name in sorted(set(now_measures) | set(before_measures)):
        label = f"{name.replace('_', ' ').capitalize()} ({length_unit(units)})"
        now, before = now_measures.get(name), before_measures.get(name)
        rows.append(_row(label, from_si_length(now, units), from_si_length(before, units), had))
    for field, label in RATINGS:
        rows.append(_row(label, getattr(check_in, field), getattr(previous, field) if previous else None, had))
    before_label = f"Previous ({previous.submitted_on:%d %b})" if previous else "Previous"
    header = html.Tr([html.Th("Measure"), html.Th("Now"), html.Th(before_label), html.Th("Change")])
    # Four short columns fit a phone: no scrolling region (it would need keyboard access).
    return dbc.Table(
        [html.Thead(header), html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])],
        size="sm",
        className="fb-table fb-fit mb-2",
    )


def _answers(check_in: CheckIn) -> Any:
    answers = check_in.answers or {}
    if not answers:
        return html.P("No written answers.", className="text-muted small")
    items: list[Any] = []
    for question, answer in answers.items():
        items += [html.Dt(question.replace("_", " ").capitalize()), html.Dd(answer or "—", className="mb-1")]
    return html.Dl(items, className="fb-answers mb-2")


def _reply_shown(user: User, check_in: CheckIn) -> Any:
    if check_in.replied_at is None:
        return None
    return html.Blockquote(
        [
            html.Span(f"Your reply, {local_time(check_in.replied_at, user)}: ", className="text-muted"),
            check_in.trainer_comment,
        ],
        className="fb-reply mb-2",
    )


def _card(user: User, item: check_ins.InboxItem) -> dbc.Card:
    check_in = item.check_in
    key = f"{check_in.client_id}-{check_in.id}"
    answered = check_in.replied_at is not None
    text_id = {"type": "ci-text", "key": key}
    return dbc.Card(
        [
            dbc.CardHeader(
                html.Div(
                    [
                        html.A(item.client_name, href=f"{PREFIX}clients/{check_in.client_id}", className="fw-semibold"),
                        html.Span(f" checked in on {check_in.submitted_on:%a %d %b %Y} "),
                        dbc.Badge(
                            "Answered" if answered else "To answer",
                            color="secondary" if answered else "warning",
                            text_color=None if answered else "dark",
                        ),
                    ],
                    className="fb-wrap",
                )
            ),
            dbc.CardBody(
                [
                    dbc.Row(
                        [
                            dbc.Col(_figures(user, check_in, item.previous), xs=12, lg=6),
                            dbc.Col(_answers(check_in), xs=12, lg=6),
                        ]
                    ),
                    html.Div(_reply_shown(user, check_in), id={"type": "ci-reply", "key": key}),
                    html.Label(
                        [
                            html.Span(
                                "Change your reply" if answered else "Your reply", className="form-label d-block"
                            ),
                            dbc.Textarea(id=text_id, rows=2, maxLength=check_ins.MAX_REPLY_LENGTH),
                            dbc.FormFeedback(id={"type": "ci-text-error", "key": key}, type="invalid"),
                        ],
                        className="d-block",
                    ),
                    html.Div(id={"type": "ci-feedback", "key": key}, className="mt-2"),
                    dbc.Button(
                        "Send reply",
                        id={"type": "ci-send", "key": key},
                        color="primary",
                        size="sm",
                        className="mt-2",
                        n_clicks=0,
                    ),
                ]
            ),
        ],
        className="fb-card shadow-sm mb-3",
        id=f"ci-card-{check_in.id}",
    )


def register_callbacks(app: dash.Dash) -> None:
    """List the check-ins a view and client ask for; send a reply from a card."""

    @app.callback(
        output={
            "list": Output("ci-list", "children"),
            "count": Output("ci-count", "children"),
            "page": Output("ci-page", "data"),
            "clients": Output("ci-client", "options"),
            "prev": Output("ci-prev", "disabled"),
            "next": Output("ci-next", "disabled"),
        },
        inputs={
            "view": Input("ci-view", "value"),
            "client": Input("ci-client", "value"),
            "_prev": Input("ci-prev", "n_clicks"),
            "_next": Input("ci-next", "n_clicks"),
            "page": State("ci-page", "data"),
        },
    )
    @page_callback(Role.TRAINER, alert="list")
    def show(user: User, view: Any, client: Any, _prev: Any, _next: Any, page: Any):
        view = view if view in VIEWS else "unanswered"
        page = page if isinstance(page, int) and page > 0 else 1
        if ctx.triggered_id == "ci-next":
            page += 1
        elif ctx.triggered_id == "ci-prev":
            page = max(page - 1, 1)
        else:
            page = 1
        found = check_ins.inbox(user, view, as_id(client), page)
        options = [{"label": "All clients", "value": ALL_CLIENTS}] + [
            {"label": name, "value": str(client_id)} for client_id, name in check_ins.clients_with_check_ins(user)
        ]
        last_page = max((found.total + check_ins.INBOX_PAGE - 1) // check_ins.INBOX_PAGE, 1)
        if not found.items:
            message = (
                empty("No check-ins to answer.", "New check-ins from your clients appear here first.")
                if view == "unanswered"
                else empty(
                    "No check-ins here yet.", "Clients send check-ins from their app; pick another view or client."
                )
            )
            listing: Any = message
        else:
            listing = [_card(user, item) for item in found.items]
        noun = {"unanswered": "to answer", "answered": "answered", "all": "in all"}[view]
        return {
            "list": listing,
            "count": f"{found.total} check-in{'' if found.total == 1 else 's'} {noun} · page {page} of {last_page}",
            "page": page,
            "clients": options,
            "prev": page <= 1,
            "next": page >= last_page,
        }

    @app.callback(
        output={
            "feedback": Output({"type": "ci-feedback", "key": MATCH}, "children"),
            "invalid": Output({"type": "ci-text", "key": MATCH}, "invalid"),
            "error": Output({"type": "ci-text-error", "key": MATCH}, "children"),
            "text": Output({"type": "ci-text", "key": MATCH}, "value"),
            "reply": Output({"type": "ci-reply", "key": MATCH}, "children"),
        },
        inputs={
            "_clicks": Input({"type": "ci-send", "key": MATCH}, "n_clicks"),
            "text": State({"type": "ci-text", "key": MATCH}, "value"),
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="feedback")
    def send(user: User, _clicks: Any, text: Any):
        key = str((ctx.triggered_id or {}).get("key", ""))
        client_id, _, check_in_id = key.partition("-")
        comment = text.strip() if isinstance(text, str) else ""
        if not comment:
            return {
                "feedback": None,
                "invalid": True,
                "error": "Reply: write something to send.",
                "text": dash.no_update,
                "reply": dash.no_update,
            }
        check_in = check_ins.reply(user, as_id(client_id) or 0, as_id(check_in_id) or 0, comment)
        return {
            "feedback": done("Reply sent."),
            "invalid": False,
            "error": "",
            "text": "",
            "reply": _reply_shown(user, check_in),
        }


PAGE = Page(
    path="check-ins",
    name="Check-ins",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)

"""Building blocks shared by the dashboard pages: cards, KPI tiles, charts, empty states, pickers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from fitbud.models import User
from fitbud.services.local_time import zone_of

GRAPH_CONFIG = {"responsive": True, "displaylogo": False, "displayModeBar": False}


def user_menu(name: str, prefix: str) -> list[dbc.NavItem]:
    """The top bar's right side: the user's name (their profile) and Log out."""
    return [
        dbc.NavItem(dbc.NavLink(name, href=prefix + "profile", id="nav-profile")),
        dbc.NavItem(dbc.NavLink("Log out", href="/logout", external_link=True, id="nav-logout")),
    ]


def page_title(text: Any, *extra: Any) -> html.Div:
    """A page heading with optional controls on its right (they wrap under it on phones)."""
    return html.Div(
        [html.H1(text, className="fb-page-title me-auto"), *extra],
        className="d-flex flex-wrap align-items-end fb-toolbar mb-2",
    )


def card(title: str, body: Any, body_id: str | None = None) -> dbc.Card:
    """A titled card; `body_id` makes its body a callback output."""
    body_props = {"id": body_id} if body_id else {}
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(body, **body_props)], className="fb-card shadow-sm")


def kpi(label: str, value: Any, note: str | None = None, kpi_id: str | None = None) -> dbc.Col:
    """One headline number."""
    body = [html.Div(label, className="fb-kpi-label"), html.Div(value, className="fb-kpi-value")]
    if note:
        body.append(html.Div(note, className="fb-kpi-note"))
    props = {"id": kpi_id} if kpi_id else {}
    return dbc.Col(
        dbc.Card(dbc.CardBody(body), className="fb-kpi shadow-sm h-100", **props), xs=6, md=4, xl=True, className="mb-3"
    )


def empty(message: str, hint: str | None = None) -> dbc.Alert:
    """What to show instead of a chart with no data: what is missing and what to do about it."""
    children: list[Any] = [html.Strong(message)]
    if hint:
        children += [html.Br(), html.Span(hint)]
    return dbc.Alert(children, color="light", className="fb-empty")


def graph(figure: go.Figure, graph_id: str) -> dcc.Graph:
    """A responsive Plotly chart."""
    return dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, className="fb-graph")


def date_range(range_id: str, days: int, today: date | None = None) -> html.Div:
    """A labelled date-range picker defaulting to the last `days` days."""
    today = today or date.today()
    return html.Div(
        [
            dbc.Label("Period", html_for=range_id),
            dcc.DatePickerRange(
                id=range_id,
                start_date=(today - timedelta(days=days - 1)).isoformat(),
                end_date=today.isoformat(),
                display_format="D MMM YYYY",
                first_day_of_week=1,
                number_of_months_shown=1,
                minimum_nights=0,
            ),
        ]
    )


def table(rows: Sequence[Sequence[Any]], header: Sequence[str], table_id: str | None = None) -> dbc.Table:
    """A compact, horizontally scrollable table."""
    props = {"id": table_id} if table_id else {}
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(name) for name in header])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        striped=True,
        hover=True,
        responsive=True,
        size="sm",
        className="fb-table mb-0",
        **props,
    )


def parse_day(value: Any) -> date | None:
    """A date from a picker value ('YYYY-MM-DD' or an ISO datetime), or None."""
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def as_id(value: Any) -> int | None:
    """A positive integer id from a URL or callback value; None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def local_time(moment: datetime | None, user: User) -> str:
    """A timestamp in the user's timezone, or an em dash."""
    if moment is None:
        return "—"
    return f"{moment.astimezone(zone_of(user)):%d %b %Y %H:%M}"


def number(value: Any, digits: int = 1, suffix: str = "") -> str:
    """A figure for display; an em dash when missing."""
    if value is None:
        return "—"
    if isinstance(value, float) and value != value:
        return "—"
    if isinstance(value, int) or digits == 0:
        return f"{int(round(value)):,}{suffix}"
    return f"{value:,.{digits}f}{suffix}"

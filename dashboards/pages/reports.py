"""Reports: start a report, watch its progress, download it."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards.auth import current_dashboard_user
from dashboards.components import card, empty, page_title, table
from dashboards.forms import to_int
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.errors import DomainError
from fitbud.models import ReportStatus, ReportType, User
from fitbud.services import analytics, clients, reports
from fitbud.services.local_time import local_today

TYPE_LABELS = {
    ReportType.TRAINER_MONTHLY: "Monthly report (per-client summary)",
    ReportType.CLIENT_EXPORT: "Client progress export (CSV files in a zip)",
    ReportType.PLATFORM: "Platform report",
}
# Which of the form's fields each report type uses; the others are hidden.
FIELDS_BY_TYPE = {
    ReportType.TRAINER_MONTHLY: ("month", "format"),
    ReportType.CLIENT_EXPORT: ("client",),
    ReportType.PLATFORM: ("weeks",),
}
FIELD_NAMES = ("month", "format", "client", "weeks")
FORMAT_LABELS = {"xlsx": "Excel", "csv": "CSV", "zip": "CSV files (zip)"}
STATUS_COLOURS = {"queued": "secondary", "started": "info", "finished": "success", "failed": "danger"}
POLL_MS = 1500
ROLES = frozenset({Role.TRAINER, Role.ADMIN})


def _months(today: date, count: int = 12) -> list[dict[str, str]]:
    options = []
    year, month = today.year, today.month
    for _ in range(count):
        options.append({"label": date(year, month, 1).strftime("%B %Y"), "value": f"{year:04d}-{month:02d}"})
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return options


def layout(params: dict[str, str]) -> html.Div:
    """The form on top, the list of the user's reports below."""
    user = current_dashboard_user()
    role = user.role if user is not None else None
    types = [kind for kind in ReportType if role in reports.ROLES_BY_TYPE[kind]]
    today = local_today(user) if user is not None else date.today()
    months = _months(today)
    form = dbc.Form(
        [
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Report", html_for="rp-type"),
                            dbc.Select(
                                id="rp-type",
                                options=[{"label": TYPE_LABELS[t], "value": t.value} for t in types],
                                value=types[0].value if types else None,
                            ),
                        ],
                        xs=12,
                        md=6,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Month", html_for="rp-month"),
                            dbc.Select(id="rp-month", options=months, value=months[1]["value"]),
                        ],
                        xs=6,
                        md=3,
                        id="rp-month-col",
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Format", html_for="rp-format"),
                            dbc.Select(
                                id="rp-format",
                                options=[
                                    {"label": "Excel (with charts)", "value": "xlsx"},
                                    {"label": "CSV", "value": "csv"},
                                ],
                                value="xlsx",
                            ),
                        ],
                        xs=6,
                        md=3,
                        id="rp-format-col",
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Client", html_for="rp-client"),
                            dcc.Dropdown(id="rp-client", placeholder="Client to export"),
                        ],
                        xs=12,
                        md=6,
                        id="rp-client-col",
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Weeks", html_for="rp-weeks"),
                            dbc.Select(
                                id="rp-weeks",
                                options=[{"label": f"Last {n} weeks", "value": str(n)} for n in (4, 12, 26, 52)],
                                value="12",
                            ),
                        ],
                        xs=6,
                        md=3,
                        id="rp-weeks-col",
                    ),
                ],
                className="g-2",
            ),
            dbc.Button("Start report", id="rp-start", color="primary", className="mt-3", n_clicks=0),
            html.Div(id="rp-message", className="mt-2"),
        ]
    )
    return html.Div(
        [
            page_title("Reports"),
            card("New report", form),
            card("Your reports", None, "rp-list"),
            dcc.Interval(id="rp-poll", interval=POLL_MS, disabled=False),
            dcc.Store(id="rp-started"),
        ]
    )


def _row(report, names: dict[int, str]) -> tuple[Any, ...]:
    status = report.status.value
    if report.status is ReportStatus.FINISHED:
        action = html.A(
            "Download",
            href=f"/api/v1/reports/{report.id}/download",
            className="btn btn-sm btn-success",
            id=f"rp-download-{report.id}",
        )
    elif report.status is ReportStatus.FAILED:
        action = html.Small(report.error or "Failed", className="text-danger")
    else:
        action = dbc.Progress(
            value=max(report.progress, 5),
            label=f"{report.progress}%",
            striped=True,
            animated=True,
            style={"minWidth": "8rem"},
        )
    return (
        f"{report.created_at:%d %b %H:%M}",
        TYPE_LABELS[report.type].split(" (")[0],
        subject_of(report, names),
        FORMAT_LABELS[format_of(report)],
        dbc.Badge(status, color=STATUS_COLOURS[status]),
        action,
    )


def subject_of(report: Any, names: dict[int, str]) -> str:
    """What a report is about: its month, its client by name, or its weeks."""
    params = report.params
    if "month" in params:
        return date.fromisoformat(f"{params['month']}-01").strftime("%B %Y")
    if "client_id" in params:
        return names.get(params["client_id"], "a client no longer yours")
    return f"last {params.get('weeks', 12)} weeks"


def format_of(report: Any) -> str:
    """The file a report makes: monthly reports as chosen, client exports a zip of CSVs, platform Excel."""
    if report.type is ReportType.CLIENT_EXPORT:
        return "zip"
    return str(report.params.get("format", "xlsx"))


def _report_problem(error: DomainError) -> Any:
    """A refused report request: the reason and each field's complaint, in one alert."""
    details = "; ".join(message for messages in error.errors.values() for message in messages)
    return dbc.Alert(f"{error.message} {details}".strip(), color="danger")


def register_callbacks(app: dash.Dash) -> None:
    """Start reports, and poll the list while any is still running."""

    @app.callback(Output("rp-client", "options"), Input("url", "pathname"))
    @page_callback(*ROLES)
    def load_clients(user: User, _pathname: str | None):
        # Admins export no client (platform reports only): their picker stays empty.
        return analytics.client_options(user) if user.role is Role.TRAINER else []

    @app.callback(
        output={"message": Output("rp-message", "children"), "started": Output("rp-started", "data")},
        inputs={
            "n_clicks": Input("rp-start", "n_clicks"),
            "kind": State("rp-type", "value"),
            "month": State("rp-month", "value"),
            "file_format": State("rp-format", "value"),
            "client_id": State("rp-client", "value"),
            "weeks": State("rp-weeks", "value"),
        },
        prevent_initial_call=True,
    )
    @page_callback(*ROLES, alert="message", render=_report_problem, others=None)
    def start(
        user: User,
        n_clicks: int,
        kind: str | None,
        month: str | None,
        file_format: str | None,
        client_id: Any,
        weeks: Any,
    ):
        if not n_clicks:
            raise dash.exceptions.PreventUpdate
        try:
            report_type = ReportType(kind)
        except ValueError:
            return {"message": dbc.Alert("Pick a report type.", color="warning"), "started": None}
        params: dict[str, Any] = {}
        if report_type is ReportType.TRAINER_MONTHLY:
            params = {"month": month, "format": file_format or "xlsx"}
        elif report_type is ReportType.CLIENT_EXPORT:
            if client_id is None:
                return {"message": dbc.Alert("Pick the client to export.", color="warning"), "started": None}
            params = {"client_id": client_id}
        elif report_type is ReportType.PLATFORM:
            params = {"weeks": to_int(weeks) or 12}
        report = reports.start_report(user, report_type, params)
        started = dbc.Alert(f"Report #{report.id} started.", color="success", duration=4000)
        return {"message": started, "started": report.id}

    @app.callback(
        output={"list": Output("rp-list", "children"), "poll_off": Output("rp-poll", "disabled")},
        inputs={"_ticks": Input("rp-poll", "n_intervals"), "_started": Input("rp-started", "data")},
    )
    @page_callback(*ROLES)
    def refresh(user: User, _ticks: int | None, _started: Any):
        items = reports.recent_reports(user, limit=15)
        if not items:
            return {"list": empty("No reports yet.", "Pick a report above and press Start report."), "poll_off": True}
        running = [item for item in items if item.status in (ReportStatus.QUEUED, ReportStatus.STARTED)]
        for item in running:
            reports.get_report(user, item.id)  # notices jobs that died without saying so
        wanted = [item.params["client_id"] for item in items if "client_id" in item.params]
        names = clients.client_names(user, wanted) if user.role is Role.TRAINER else {}
        rows = [_row(item, names) for item in items]
        header = ["Requested", "Report", "For", "Format", "Status", ""]
        return {"list": table(rows, header, "rp-table"), "poll_off": not running}

    @app.callback(
        [Output(f"rp-{name}-col", "style") for name in FIELD_NAMES],
        Input("rp-type", "value"),
    )
    @page_callback(*ROLES)
    def applicable_fields(_user: User, kind: Any):
        try:
            used = FIELDS_BY_TYPE[ReportType(kind)]
        except ValueError:
            used = ()
        return [None if name in used else {"display": "none"} for name in FIELD_NAMES]


PAGE = Page(
    path="reports",
    name="Reports",
    roles=ROLES,
    layout=layout,
    register_callbacks=register_callbacks,
)

"""The documents each report type produces: monthly trainer report, client export, platform report."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from fitbud.analytics import frames
from fitbud.analytics.admin import platform_stats
from fitbud.analytics.monthly import month_bounds, monthly_summary
from fitbud.analytics.queries import read_frame
from fitbud.errors import NotFoundError
from fitbud.extensions import db
from fitbud.models import (
    ActivityLog,
    BodyMetric,
    CheckIn,
    Client,
    DailyMetric,
    Exercise,
    MealLog,
    TrainingSession,
    WorkoutLog,
    WorkoutSet,
)

Progress = Callable[[int], None]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
# A spreadsheet reads a cell that starts with one of these as a formula (or, for tab and CR, may
# shift it into one): user text such as a note or a name must never become a live formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML 1.0 cannot hold (openpyxl refuses to write them); tab, LF and CR stay.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HEADER_FONT = Font(bold=True, color="FFFFFF")


@dataclass(frozen=True)
class ReportFile:
    """A finished document."""

    file_name: str
    content_type: str
    content: bytes


def _write_sheet(workbook: Workbook, title: str, frame: pd.DataFrame, first: bool = False) -> Any:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append([str(column) for column in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_cell(value) for value in row])
    for index, column in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 40)
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def safe_text(text: str) -> str:
    """User text made inert for a spreadsheet: no control characters, no leading formula trigger.

    OWASP's advice for CSV injection: a cell starting with =, +, -, @, tab or CR gets a leading
    apostrophe, which spreadsheets show as text and never evaluate. Applied to every string cell
    of every report (CSV and XLSX alike), so a workout note or a name reads as typed.
    """
    text = _CONTROL_CHARACTERS.sub("", text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, datetime):
        # Excel has no timezones: write UTC wall time.
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, list | dict):
        return safe_text(json.dumps(value))
    if isinstance(value, str):
        return safe_text(value)
    return value


def _xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def trainer_monthly(owner_id: int, params: dict[str, Any], progress: Progress) -> ReportFile:
    """Per-client summary of one month for the trainer who asked, as CSV or XLSX with charts."""
    month = params["month"]
    first, last = month_bounds(month)
    today = datetime.now(UTC).date()
    summary = monthly_summary(owner_id, first, last, progress=lambda pct: progress(int(pct * 0.8)), today=today)
    progress(85)
    if params.get("format", "xlsx") == "csv":
        return ReportFile(f"fitbud-monthly-{month}.csv", CSV, _csv(summary))

    workbook = Workbook()
    sheet = _write_sheet(workbook, "Clients", summary, first=True)
    sheet.sheet_properties.tabColor = "1F4E79"
    totals = pd.DataFrame(
        {
            "status": ["completed", "no show", "cancelled", "scheduled"],
            "sessions": [
                int(summary[column].sum())
                for column in ("sessions_completed", "sessions_no_show", "sessions_cancelled", "sessions_scheduled")
            ],
        }
    )
    histogram = frames.adherence_histogram(summary.rename(columns={"adherence_pct": "adherence"})[["adherence"]])
    charts = workbook.create_sheet("Charts")
    charts.append(["Sessions", "Count"])
    for row in totals.itertuples(index=False):
        charts.append(list(row))
    charts.append([])
    charts.append(["Adherence", "Clients"])
    for row in histogram.itertuples(index=False):
        charts.append([row.bucket, int(row.clients)])

    sessions_chart = BarChart()
    sessions_chart.title = f"Sessions in {month}"
    sessions_chart.y_axis.title = "Sessions"
    sessions_chart.add_data(Reference(charts, min_col=2, min_row=1, max_row=5), titles_from_data=True)
    sessions_chart.set_categories(Reference(charts, min_col=1, min_row=2, max_row=5))
    sessions_chart.legend = None
    charts.add_chart(sessions_chart, "D2")

    adherence_chart = BarChart()
    adherence_chart.title = "Clients by adherence"
    adherence_chart.y_axis.title = "Clients"
    adherence_chart.add_data(Reference(charts, min_col=2, min_row=7, max_row=12), titles_from_data=True)
    adherence_chart.set_categories(Reference(charts, min_col=1, min_row=8, max_row=12))
    adherence_chart.legend = None
    charts.add_chart(adherence_chart, "D18")

    about = workbook.create_sheet("About")
    for line in (
        [f"Fitbud monthly report for {month} ({first.isoformat()} to {last.isoformat()}, UTC days)."],
        ["adherence_pct: planned workouts done, counting at most the planned number each week."],
        ["weight_*: first and last weigh-in of the month (body metric, else check-in)."],
        ["records: exercises where the month's heaviest set beat every earlier one."],
        [f"Generated {datetime.now(UTC).isoformat(timespec='seconds')}"],
    ):
        about.append(line)
    about.column_dimensions["A"].width = 100
    return ReportFile(f"fitbud-monthly-{month}.xlsx", XLSX, _xlsx_bytes(workbook))


def _client_tables(client_id: int) -> dict[str, pd.DataFrame]:
    def table(columns: list, names: list[str], *where: Any, order: Any = None) -> pd.DataFrame:
        statement = select(*columns).where(*where)
        if order is not None:
            statement = statement.order_by(order)
        return read_frame(statement, names)

    return {
        "workouts": table(
            [
                WorkoutLog.id,
                WorkoutLog.performed_on,
                WorkoutLog.duration_minutes,
                WorkoutLog.perceived_effort,
                WorkoutLog.total_volume_kg,
                WorkoutLog.sets_done,
                WorkoutLog.sets_planned,
                WorkoutLog.notes,
            ],
            [
                "workout_id",
                "performed_on",
                "duration_minutes",
                "perceived_effort",
                "total_volume_kg",
                "sets_done",
                "sets_planned",
                "notes",
            ],
            WorkoutLog.client_id == client_id,
            order=WorkoutLog.performed_on,
        ),
        "workout_sets": read_frame(
            select(
                WorkoutSet.workout_log_id,
                WorkoutLog.performed_on,
                Exercise.name,
                WorkoutSet.set_number,
                WorkoutSet.reps,
                WorkoutSet.weight_kg,
                WorkoutSet.rpe,
                WorkoutSet.duration_seconds,
                WorkoutSet.distance_m,
            )
            .join(WorkoutLog, WorkoutLog.id == WorkoutSet.workout_log_id)
            .join(Exercise, Exercise.id == WorkoutSet.exercise_id)
            .where(WorkoutLog.client_id == client_id)
            .order_by(
                WorkoutLog.performed_on, WorkoutSet.workout_log_id, WorkoutSet.exercise_order, WorkoutSet.set_number
            ),
            [
                "workout_id",
                "performed_on",
                "exercise",
                "set_number",
                "reps",
                "weight_kg",
                "rpe",
                "duration_seconds",
                "distance_m",
            ],
        ),
        "meals": table(
            [
                MealLog.eaten_on,
                MealLog.meal_name,
                MealLog.kcal,
                MealLog.protein_g,
                MealLog.carbs_g,
                MealLog.fat_g,
                MealLog.items,
                MealLog.notes,
            ],
            ["eaten_on", "meal", "kcal", "protein_g", "carbs_g", "fat_g", "items", "notes"],
            MealLog.client_id == client_id,
            order=MealLog.eaten_on,
        ),
        "check_ins": table(
            [
                CheckIn.submitted_on,
                CheckIn.weight_kg,
                CheckIn.body_fat_pct,
                CheckIn.measurements_cm,
                CheckIn.sleep_hours,
                CheckIn.stress,
                CheckIn.energy,
                CheckIn.adherence,
                CheckIn.answers,
                CheckIn.trainer_comment,
                CheckIn.replied_at,
            ],
            [
                "submitted_on",
                "weight_kg",
                "body_fat_pct",
                "measurements_cm",
                "sleep_hours",
                "stress",
                "energy",
                "adherence",
                "answers",
                "trainer_comment",
                "replied_at",
            ],
            CheckIn.client_id == client_id,
            order=CheckIn.submitted_on,
        ),
        "body_metrics": table(
            [BodyMetric.measured_on, BodyMetric.metric, BodyMetric.value],
            ["measured_on", "metric", "value"],
            BodyMetric.client_id == client_id,
            order=BodyMetric.measured_on,
        ),
        "activities": table(
            [
                ActivityLog.performed_on,
                ActivityLog.started_at,
                ActivityLog.sport,
                ActivityLog.duration_seconds,
                ActivityLog.distance_m,
                ActivityLog.energy_kcal,
                ActivityLog.avg_heart_rate,
                ActivityLog.max_heart_rate,
                ActivityLog.elevation_gain_m,
                ActivityLog.source,
            ],
            [
                "performed_on",
                "started_at",
                "sport",
                "duration_seconds",
                "distance_m",
                "energy_kcal",
                "avg_heart_rate",
                "max_heart_rate",
                "elevation_gain_m",
                "source",
            ],
            ActivityLog.client_id == client_id,
            order=ActivityLog.started_at,
        ),
        "daily_metrics": table(
            [DailyMetric.day, DailyMetric.metric, DailyMetric.value],
            ["day", "metric", "value"],
            DailyMetric.client_id == client_id,
            order=DailyMetric.day,
        ),
        "sessions": table(
            [
                TrainingSession.starts_at,
                TrainingSession.ends_at,
                TrainingSession.type,
                TrainingSession.status,
                TrainingSession.location,
                TrainingSession.notes,
            ],
            ["starts_at", "ends_at", "type", "status", "location", "notes"],
            TrainingSession.client_id == client_id,
            order=TrainingSession.starts_at,
        ),
    }


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        value = json.dumps(value)
    elif isinstance(value, datetime):
        return value.isoformat()
    value = getattr(value, "value", value)  # an enum member: its stored value
    return safe_text(value) if isinstance(value, str) else value


def _csv(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV, every text cell made inert (`safe_text`)."""
    frame = frame.copy()
    for column in frame.columns:
        frame[column] = [_csv_value(v) for v in frame[column]]
    return frame.to_csv(index=False).encode("utf-8")


def client_export(owner_id: int, params: dict[str, Any], progress: Progress) -> ReportFile:
    """Everything one client logged, one CSV per kind, in a zip."""
    client = _export_client(params["client_id"])
    progress(10)
    tables = _client_tables(client.id)
    progress(70)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        profile = pd.DataFrame(
            [
                {
                    "client_id": client.id,
                    "name": client.name,
                    "email": client.email,
                    "timezone": client.timezone,
                    "created_at": client.created_at.isoformat(),
                    "archived_at": client.archived_at.isoformat() if client.archived_at else None,
                }
            ]
        )
        archive.writestr("client.csv", _csv(profile))
        for name, frame in tables.items():
            archive.writestr(f"{name}.csv", _csv(frame))
    progress(95)
    today = datetime.now(UTC).date().isoformat()
    return ReportFile(f"fitbud-client-{client.id}-export-{today}.zip", ZIP, buffer.getvalue())


def _export_client(client_id: int) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        raise NotFoundError("The client no longer exists.")
    return client


def platform(owner_id: int, params: dict[str, Any], progress: Progress) -> ReportFile:
    """The platform's figures for admins as an XLSX with weekly charts."""
    weeks = int(params.get("weeks", 12))
    today = datetime.now(UTC).date()
    stats = platform_stats(today, weeks, top_trainers=10_000)
    progress(60)
    workbook = Workbook()
    _write_sheet(workbook, "Totals", pd.DataFrame([stats.totals]), first=True)
    signups = _write_sheet(workbook, "Sign-ups", stats.signups)
    active = _write_sheet(workbook, "Active clients", stats.weekly_active_clients)
    _write_sheet(workbook, "Trainers", stats.trainers)
    _write_sheet(workbook, "Reports", pd.DataFrame([stats.reports_by_status]))
    rows = len(stats.signups) + 1

    signup_chart = LineChart()
    signup_chart.title = "Sign-ups per week"
    signup_chart.add_data(Reference(signups, min_col=2, max_col=4, min_row=1, max_row=rows), titles_from_data=True)
    signup_chart.set_categories(Reference(signups, min_col=1, min_row=2, max_row=rows))
    signups.add_chart(signup_chart, "F2")

    active_chart = BarChart()
    active_chart.title = "Clients logging per week"
    active_chart.add_data(Reference(active, min_col=2, min_row=1, max_row=rows), titles_from_data=True)
    active_chart.set_categories(Reference(active, min_col=1, min_row=2, max_row=rows))
    active_chart.legend = None
    active.add_chart(active_chart, "D2")
    progress(90)
    return ReportFile(f"fitbud-platform-{today.isoformat()}.xlsx", XLSX, _xlsx_bytes(workbook))


BUILDERS: dict[str, Callable[[int, dict[str, Any], Progress], ReportFile]] = {
    "trainer_monthly": trainer_monthly,
    "client_export": client_export,
    "platform": platform,
}


def default_month(today: date) -> str:
    """The month a monthly report covers by default: the last complete one."""
    last_month = today.replace(day=1) - timedelta(days=1)
    return f"{last_month.year:04d}-{last_month.month:02d}"

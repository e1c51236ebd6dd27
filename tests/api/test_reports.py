"""POST/GET /api/v1/reports: start, follow and download reports (jobs inline, as without Redis)."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from fitbud.extensions import db
from fitbud.models import Report, ReportStatus, ReportType
from fitbud.reports import documents
from tests.factories import ActivityLogFactory, DailyMetricFactory
from tests.helpers import assert_error, bearer
from tests.reports_support import sheet_rows

URL = "/api/v1/reports"

pytestmark = pytest.mark.usefixtures("inline_jobs")


def start(http, user, type_, params=None):
    body = {"type": type_} if params is None else {"type": type_, "params": params}
    return http.post(URL, json=body, headers=bearer(user))


def test_monthly_report_runs_and_downloads_as_xlsx_with_charts(http, world):
    response = start(http, world.trainer, "trainer_monthly", {"month": "2026-02"})
    assert response.status_code == 202
    report = response.get_json()
    assert report["status"] == "finished" and report["progress"] == 100 and report["error"] is None
    assert report["download_url"] == f"{URL}/{report['id']}/download"
    download = http.get(report["download_url"], headers=bearer(world.trainer))
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="fitbud-monthly-2026-02.xlsx"'
    rows = sheet_rows(download.data, "Clients")
    header, body = rows[0], {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[:4] == ["client_id", "client", "email", "status"]
    # Dan joined in March: not in February's report; Cat was archived on 02-20: still in it.
    assert sorted(body) == ["Ana", "Ben", "Cat"]
    ana = body["Ana"]
    assert (ana["workouts"], ana["volume_kg"], ana["meals"], ana["planned_workouts"], ana["adherence_pct"]) == (
        2,
        2200.0,
        1,
        8,
        25.0,
    )
    assert (ana["weight_start_kg"], ana["weight_change_kg"], ana["records"]) == (80.0, 0.0, 0)
    assert body["Cat"]["status"] == "archived" and body["Cat"]["check_ins"] == 1
    assert body["Ben"]["adherence_pct"] is None
    assert len(load_workbook(io.BytesIO(download.data))["Charts"]._charts) == 2


def test_monthly_report_as_csv_counts_sessions_and_records(http, world):
    report = start(http, world.trainer, "trainer_monthly", {"month": "2026-03", "format": "csv"}).get_json()
    download = http.get(report["download_url"], headers=bearer(world.trainer))
    assert download.mimetype == "text/csv"
    rows = {row["client"]: row for row in csv.DictReader(io.StringIO(download.data.decode()))}
    assert sorted(rows) == ["Ana", "Ben", "Dan"]
    ana = rows["Ana"]
    assert (ana["sessions_completed"], ana["sessions_scheduled"], ana["workouts"], ana["volume_kg"]) == (
        "2",
        "3",
        "5",
        "4800.0",
    )
    # Adherence up to yesterday (03-17): planned 03-02 04 09 11 16, matched 1 + 2 + 1 = 4 of 5.
    assert (ana["planned_workouts"], ana["adherence_pct"]) == ("5", "80.0")
    assert (ana["weight_start_kg"], ana["weight_end_kg"], ana["weight_change_kg"], ana["records"]) == (
        "79.6",
        "78.6",
        "-1.0",
        "1",
    )
    assert rows["Ben"]["sessions_no_show"] == "1" and rows["Ben"]["check_ins"] == "2"
    assert (rows["Dan"]["sessions_cancelled"], rows["Dan"]["adherence_pct"]) == ("1", "60.0")


def test_monthly_report_defaults_to_last_month(http, world):
    report = start(http, world.trainer, "trainer_monthly").get_json()
    assert report["params"] == {"month": "2026-02", "format": "xlsx"}


def test_client_export_zips_every_log_as_csv(http, world):
    report = start(http, world.trainer, "client_export", {"client_id": world.ana.id}).get_json()
    assert report["status"] == "finished"
    download = http.get(report["download_url"], headers=bearer(world.trainer))
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert sorted(archive.namelist()) == [
        "activities.csv",
        "body_metrics.csv",
        "check_ins.csv",
        "client.csv",
        "daily_metrics.csv",
        "meals.csv",
        "sessions.csv",
        "workout_sets.csv",
        "workouts.csv",
    ]
    workouts = list(csv.DictReader(io.StringIO(archive.read("workouts.csv").decode())))
    assert [row["performed_on"] for row in workouts][:2] == ["2026-02-23", "2026-02-25"] and len(workouts) == 7
    sessions = list(csv.DictReader(io.StringIO(archive.read("sessions.csv").decode())))
    assert sessions[0]["status"] == "completed" and sessions[0]["starts_at"] == "2026-03-10T10:00:00+00:00"


def test_client_export_holds_imported_activities_and_daily_metrics(http, world):
    ActivityLogFactory(client=world.ana, sport="cycling", distance_m=15000.0, source="fit")
    DailyMetricFactory(client=world.ana, metric="steps", value=9123.0)
    report = start(http, world.trainer, "client_export", {"client_id": world.ana.id}).get_json()
    archive = zipfile.ZipFile(io.BytesIO(http.get(report["download_url"], headers=bearer(world.trainer)).data))
    activities = list(csv.DictReader(io.StringIO(archive.read("activities.csv").decode())))
    daily = list(csv.DictReader(io.StringIO(archive.read("daily_metrics.csv").decode())))
    assert [(row["sport"], row["distance_m"], row["source"]) for row in activities] == [("cycling", "15000.0", "fit")]
    assert [(row["metric"], row["value"]) for row in daily] == [("steps", "9123.0")]


def test_platform_report_for_admins(http, world):
    report = start(http, world.admin, "platform", {"weeks": 4}).get_json()
    assert report["status"] == "finished"
    download = http.get(report["download_url"], headers=bearer(world.admin))
    rows = sheet_rows(download.data, "Active clients")
    assert rows == [["week", "clients"], ["2026-02-23", 2], ["2026-03-02", 3], ["2026-03-09", 3], ["2026-03-16", 3]]
    assert sheet_rows(download.data, "Totals")[1][:2] == [2, 2]


def test_a_failing_report_records_a_readable_reason(http, world, monkeypatch):
    def broken(owner_id, params, progress):
        progress(40)
        raise ValueError("month has no data")

    monkeypatch.setitem(documents.BUILDERS, "trainer_monthly", broken)
    response = start(http, world.trainer, "trainer_monthly", {"month": "2026-02"})
    assert response.status_code == 202
    report = response.get_json()
    assert report["status"] == "failed" and report["progress"] == 40
    assert report["error"] == "Unexpected error (ValueError): month has no data"
    assert report["download_url"] is None
    assert_error(http.get(f"{URL}/{report['id']}/download", headers=bearer(world.trainer)), 409, "status")


def test_get_report_shows_status_to_its_owner_and_admins(http, world):
    report = start(http, world.trainer, "trainer_monthly", {"month": "2026-02"}).get_json()
    for user in (world.trainer, world.admin):
        response = http.get(f"{URL}/{report['id']}", headers=bearer(user))
        assert response.status_code == 200 and response.get_json()["status"] == "finished"


def test_someone_elses_report_is_not_found(http, world):
    report = start(http, world.trainer, "trainer_monthly", {"month": "2026-02"}).get_json()
    assert_error(http.get(f"{URL}/{report['id']}", headers=bearer(world.other)), 404, message="No such report")
    assert_error(http.get(f"{URL}/{report['id']}/download", headers=bearer(world.other)), 404, message="No such report")


def test_unknown_report_id_is_not_found(http, world):
    assert_error(http.get(f"{URL}/999999", headers=bearer(world.trainer)), 404, message="No such report")


def test_unfinished_report_cannot_be_downloaded(http, world):
    report = Report(
        owner_id=world.trainer.id, type=ReportType.TRAINER_MONTHLY, status=ReportStatus.STARTED, progress=30
    )
    db.session.add(report)
    db.session.commit()
    response = http.get(f"{URL}/{report.id}/download", headers=bearer(world.trainer))
    assert_error(response, 409, "status")
    assert response.get_json()["errors"] == {"status": ["started"]}


def test_list_shows_own_reports_newest_first(http, world):
    first = start(http, world.trainer, "trainer_monthly", {"month": "2026-01"}).get_json()
    second = start(http, world.trainer, "trainer_monthly", {"month": "2026-02"}).get_json()
    start(http, world.admin, "platform")
    listed = http.get(URL, headers=bearer(world.trainer)).get_json()
    assert [item["id"] for item in listed] == [second["id"], first["id"]]
    assert len(http.get(URL, headers=bearer(world.admin)).get_json()) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "type"),  # missing field
        ({"type": "weekly"}, "type"),  # unknown type
        ({"type": "trainer_monthly", "params": "2026-02"}, "params"),  # wrong type
        ({"type": "trainer_monthly", "params": {"month": 202602}}, "params.month"),
        ({"type": "trainer_monthly", "params": {"month": "2026-13"}}, "params.month"),  # out of range
        ({"type": "trainer_monthly", "params": {"month": "2027-01"}}, "params.month"),  # the future
        ({"type": "trainer_monthly", "params": {"format": "pdf"}}, "params.format"),
        ({"type": "trainer_monthly", "params": {"colour": "blue"}}, "params.colour"),  # unknown param
        ({"type": "trainer_monthly", "extra": 1}, "extra"),  # unknown field
        ({"type": "client_export", "params": {}}, "params.client_id"),
        ({"type": "client_export", "params": {"client_id": "1"}}, "params.client_id"),
    ],
)
def test_bad_report_requests_are_422(http, world, body, field):
    response = http.post(URL, json=body, headers=bearer(world.trainer))
    # Schema errors come under their location ("json"); the service names nested params by path.
    assert_error(response, 422, field)


def test_exporting_another_trainers_client_is_not_found(http, world):
    assert_error(
        start(http, world.trainer, "client_export", {"client_id": world.xia.id}), 404, message="No such client"
    )


def test_platform_report_is_for_admins(http, world):
    assert_error(start(http, world.trainer, "platform"), 403, "type")


def test_monthly_report_is_for_trainers(http, world):
    assert_error(start(http, world.admin, "trainer_monthly"), 403, "type")


def test_reports_need_a_token(http, world):
    assert_error(http.post(URL, json={"type": "platform"}), 401, message="Authentication required")
    assert_error(http.get(URL), 401, message="Authentication required")

"""The Import page: upload, the result (progress while a job runs), undo, and refusals shown on the page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import ActivityLog, DataImport, Exercise, ImportStatus
from tests.client_app.helpers import csrf
from tests.factories import ActivityLogFactory, DataImportFactory, ExerciseFactory
from tests.helpers import assert_page_error

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


@pytest.fixture(autouse=True)
def _uploads(app, tmp_path):
    app.config["IMPORT_UPLOAD_DIR"] = str(tmp_path / "uploads")


def _upload(http, name: str, content: bytes | None = None, **form):
    data = {"csrf_token": csrf(http), "file": (io.BytesIO(content or (DATA / name).read_bytes()), name), **form}
    return http.post("/app/import", data=data, content_type="multipart/form-data")


def _activities(client_id: int) -> int:
    statement = select(func.count()).select_from(ActivityLog).where(ActivityLog.client_id == client_id)
    return db.session.execute(statement).scalar_one()


def test_the_page_offers_the_upload_and_is_in_the_navigation(app_http):
    html = app_http.get("/app/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert 'href="/app/import"' in html  # the navigation's Import section


def test_an_upload_leads_to_its_result(app_http, client_record):
    response = _upload(app_http, "run.fit")
    assert response.status_code == 303
    result = app_http.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 added, 0 already there" in result and "Activities" in result
    assert _activities(client_record.id) == 1


def test_a_second_upload_of_the_same_file_adds_nothing(app_http, client_record):
    _upload(app_http, "run.fit")
    result = app_http.get(_upload(app_http, "run.fit").headers["Location"]).get_data(as_text=True)
    assert "0 added, 1 already there" in result
    assert _activities(client_record.id) == 1


def test_a_file_that_cannot_be_read_is_shown_on_the_page_and_writes_nothing(app_http, client_record):
    broken = (DATA / "run.fit").read_bytes()[:-40]
    response = _upload(app_http, "run.fit", broken)
    assert_page_error(response, 422, text="Nothing was imported")
    assert _activities(client_record.id) == 0


def test_an_upload_without_a_file_is_refused_on_the_page(app_http):
    response = app_http.post("/app/import", data={"csrf_token": csrf(app_http)}, content_type="multipart/form-data")
    assert_page_error(response, 422, text="Choose a file")


def test_an_upload_without_the_csrf_value_is_refused(app_http):
    data = {"file": (io.BytesIO((DATA / "run.fit").read_bytes()), "run.fit")}
    response = app_http.post("/app/import", data=data, content_type="multipart/form-data")
    assert_page_error(response, 403, text="expired")


def test_undo_from_the_result_page_removes_what_was_added(app_http, client_record):
    location = _upload(app_http, "run.fit").headers["Location"]
    response = app_http.post(f"{location}/undo", data={"csrf_token": csrf(app_http)})
    assert response.status_code == 303
    assert "Undone" in app_http.get(location).get_data(as_text=True)
    assert _activities(client_record.id) == 0


def test_unmatched_exercise_names_are_listed_with_what_to_do(app_http):
    result = app_http.get(_upload(app_http, "strong.csv").headers["Location"]).get_data(as_text=True)
    assert "Cable Crossover Deluxe" in result and "Which are they?" in result


def test_a_running_import_polls_its_progress(app_http, client_record):
    running = DataImportFactory(client=client_record, status=ImportStatus.RUNNING, progress=40, format=None)
    html = app_http.get(f"/app/import/{running.id}").get_data(as_text=True)
    assert "40 %" in html and f'hx-get="/app/import/{running.id}/status"' in html
    running.status, running.progress = ImportStatus.FINISHED, 100
    db.session.commit()
    box = app_http.get(f"/app/import/{running.id}/status").get_data(as_text=True)
    assert "hx-get" not in box and "added" in box


def test_another_clients_import_is_not_found(app_http):
    stranger = DataImportFactory()
    assert_page_error(app_http.get(f"/app/import/{stranger.id}"), 404, text="No such import")
    assert db.session.get(DataImport, stranger.id) is not None


def test_imported_activities_show_on_the_progress_page(app_http, client_record):
    ActivityLogFactory(
        client=client_record, sport="running", duration_seconds=1800, distance_m=5000.0, avg_heart_rate=150
    )
    html = app_http.get("/app/progress").get_data(as_text=True)
    assert "Running · 30 min · 5.0 km · 150 bpm" in html
    assert "1 activity, 30 min, 5.0 km in the last 3 months." in html


def test_the_progress_page_points_to_the_import_page_without_activities(app_http):
    html = app_http.get("/app/progress").get_data(as_text=True)
    assert 'href="/app/import">import</a>' in html


def test_unmatched_names_are_mapped_on_the_page_and_the_next_import_uses_them(app_http, client_record, trainer):
    fly = ExerciseFactory(owner_id=trainer.id, name="Cable Fly")
    squat, deadlift = (
        db.session.execute(select(Exercise.id).where(Exercise.owner_id.is_(None), Exercise.name == name)).scalar_one()
        for name in ("Barbell Back Squat", "Conventional Deadlift")
    )
    location = _upload(app_http, "strong.csv").headers["Location"]
    page = app_http.get(location).get_data(as_text=True)
    assert "Cable Fly" in page  # the trainer's own exercise is offered
    names = {"name-0": str(fly.id), "name-1": str(squat), "name-2": str(deadlift), "csrf_token": csrf(app_http)}
    saved = app_http.post(f"{location}/names", data=names)
    assert saved.status_code == 303
    assert "Saved." in app_http.get(saved.headers["Location"]).get_data(as_text=True)
    again = app_http.get(_upload(app_http, "strong.csv").headers["Location"]).get_data(as_text=True)
    assert "2 added, 0 already there." in again


def test_mapping_no_name_is_refused_on_the_page(app_http):
    location = _upload(app_http, "strong.csv").headers["Location"]
    response = app_http.post(f"{location}/names", data={"csrf_token": csrf(app_http)})
    assert_page_error(response, 422, text="Choose an exercise")


def test_an_upload_larger_than_the_form_body_limit_is_accepted(app, app_http):
    app.config["MAX_CONTENT_LENGTH"] = 1000  # the guard's CSRF check reads the form first
    assert _upload(app_http, "apple_health_export.zip").status_code == 303

"""POST /me/imports and friends: every format, nothing twice, nothing on a bad file, undo, and who sees what."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import (
    ActivityEvent,
    ActivityLog,
    BodyMetric,
    DailyMetric,
    DataImport,
    Exercise,
    ImportedRow,
    ImportStatus,
    User,
    WorkoutLog,
    utcnow,
)
from fitbud.services.periodic import run_periodic
from tests.data.imports.make_samples import apple_health_lines, write_apple_health_export
from tests.factories import BodyMetricFactory, ClientFactory, DataImportFactory, ExerciseFactory
from tests.helpers import assert_error, bearer

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
IMPORTS = "/api/v1/me/imports"


@pytest.fixture(autouse=True)
def _uploads(app, tmp_path):
    """Uploads wait in this test's own folder."""
    app.config["IMPORT_UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def _upload(http, headers, content: bytes, name: str, **form):
    data = {"file": (io.BytesIO(content), name), **form}
    return http.post(IMPORTS, data=data, headers=headers, content_type="multipart/form-data")


def _sample(http, headers, name: str, **form):
    return _upload(http, headers, (DATA / name).read_bytes(), name, **form)


def _count(model, client_id: int) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(model.client_id == client_id)).scalar_one()


def _apple_zip(first_day: date, days: int) -> bytes:
    buffer = io.BytesIO()
    write_apple_health_export(buffer, apple_health_lines(days, first_day))
    return buffer.getvalue()


def test_a_fit_activity_is_imported_with_its_laps(http, client_headers, client_record):
    response = _sample(http, client_headers, "run.fit")
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["status"], body["format"], body["found"], body["added"]) == ("finished", "fit", 1, 1)
    assert body["counts"]["activities"] == {"found": 1, "added": 1, "already_there": 0}
    run = db.session.execute(select(ActivityLog).where(ActivityLog.client_id == client_record.id)).scalar_one()
    assert (run.sport, run.duration_seconds, run.distance_m, len(run.laps)) == ("running", 870, 3000.0, 3)


def test_a_gpx_track_is_imported_as_an_activity(http, client_headers, client_record):
    response = _sample(http, client_headers, "morning_walk.gpx")
    assert response.status_code == 201, response.json
    assert (response.json["format"], response.json["added"]) == ("gpx", 1)
    assert _count(ActivityLog, client_record.id) == 1


def test_an_apple_health_export_brings_workouts_body_and_daily_metrics(http, client_headers, client_record):
    response = _sample(http, client_headers, "apple_health_export.zip")
    assert response.status_code == 201, response.json
    counts = response.json["counts"]
    assert counts["activities"]["added"] == 14
    assert counts["body_metrics"]["added"] == 52  # 40 weigh-ins, 6 body fat, 6 waist
    assert counts["daily_metrics"]["added"] == 80  # steps and resting heart rate, 40 days each
    assert (_count(ActivityLog, client_record.id), _count(BodyMetric, client_record.id)) == (14, 52)
    assert _count(DailyMetric, client_record.id) == 80


def test_reimporting_the_same_file_adds_nothing(http, client_headers, client_record):
    assert _sample(http, client_headers, "apple_health_export.zip").status_code == 201
    again = _sample(http, client_headers, "apple_health_export.zip")
    assert again.status_code == 201
    assert (again.json["added"], again.json["already_there"]) == (0, again.json["found"])
    assert _count(ActivityLog, client_record.id) == 14 and _count(BodyMetric, client_record.id) == 52


def test_an_overlapping_export_adds_only_the_new_days(http, client_headers, client_record):
    assert _upload(http, client_headers, _apple_zip(date(2026, 1, 1), 10), "export.zip").status_code == 201
    later = _upload(http, client_headers, _apple_zip(date(2026, 1, 1), 20), "export.zip")
    assert later.status_code == 201
    # The second export repeats the first ten days: only the next ten are new.
    assert later.json["counts"]["daily_metrics"] == {"found": 40, "added": 20, "already_there": 20}
    assert _count(DailyMetric, client_record.id) == 40


def test_a_reading_entered_by_hand_is_kept_and_counted_as_already_there(http, client_headers, client_record):
    BodyMetricFactory(client=client_record, metric="weight", measured_on=date(2026, 1, 1), value=70.0)
    response = _sample(http, client_headers, "apple_health_export.zip")
    assert response.json["counts"]["body_metrics"]["already_there"] == 1
    kept = db.session.execute(
        select(BodyMetric.value).where(
            BodyMetric.client_id == client_record.id,
            BodyMetric.metric == "weight",
            BodyMetric.measured_on == date(2026, 1, 1),
        )
    ).scalar_one()
    assert kept == 70.0


def test_a_truncated_fit_file_writes_nothing_and_names_the_record(http, client_headers, client_record):
    response = _upload(http, client_headers, (DATA / "run.fit").read_bytes()[:-40], "run.fit")
    body = assert_error(response, 422, "file")
    assert body["errors"]["file"][0].startswith("record ")
    assert _count(ActivityLog, client_record.id) == 0
    failed = db.session.execute(select(DataImport)).scalar_one()
    assert (failed.status.value, failed.error_location.startswith("record ")) == ("failed", True)


def test_a_bad_csv_row_writes_nothing_and_names_the_line(http, client_headers, client_record):
    text = (DATA / "hevy.csv").read_text().replace(",85,5,", ",85,five,")
    response = _upload(http, client_headers, text.encode(), "hevy.csv", skip_unmatched="true")
    body = assert_error(response, 422, "file")
    assert body["errors"]["file"][0].startswith("line 6:")
    assert _count(WorkoutLog, client_record.id) == 0


def test_a_broken_apple_export_writes_nothing(http, client_headers, client_record):
    good = _apple_zip(date(2026, 1, 1), 5)
    broken = good.replace(b"PK\x01\x02", b"XX\x01\x02")  # the zip's central directory is unreadable
    assert_error(_upload(http, client_headers, broken, "export.zip"), 422, "file")
    assert _count(BodyMetric, client_record.id) == 0 and _count(DailyMetric, client_record.id) == 0


def test_a_file_of_no_known_format_is_refused(http, client_headers):
    assert_error(_upload(http, client_headers, b"hello, world\n", "notes.txt"), 422, "file")


def test_an_empty_file_is_refused(http, client_headers):
    assert_error(_upload(http, client_headers, b"", "empty.fit"), 422, "file")


def test_a_file_over_the_size_limit_is_refused(app, http, client_headers, _uploads):
    app.config["IMPORT_MAX_BYTES"] = 100
    assert_error(_sample(http, client_headers, "morning_walk.gpx"), 413, message="bytes")
    assert not any(_uploads.iterdir())


def test_a_body_that_is_not_multipart_is_refused(http, client_headers):
    response = http.post(IMPORTS, data=b"abc", headers={**client_headers, "Content-Type": "application/octet-stream"})
    assert_error(response, 415, message="multipart")


def test_a_multipart_body_without_a_file_is_refused(http, client_headers):
    response = http.post(IMPORTS, data={"other": "x"}, headers=client_headers, content_type="multipart/form-data")
    assert_error(response, 422, "file")


def test_a_skip_flag_that_is_not_a_boolean_is_refused(http, client_headers):
    assert_error(_sample(http, client_headers, "run.fit", skip_unmatched="perhaps"), 422, "skip_unmatched")


def test_a_trainer_cannot_upload_for_themselves(http, trainer_headers):
    assert_error(_sample(http, trainer_headers, "run.fit"), 403, "role")


def test_undo_removes_exactly_what_the_import_added(http, client_headers, client_record):
    BodyMetricFactory(client=client_record, metric="weight", measured_on=date(2026, 1, 1), value=70.0)
    first = _sample(http, client_headers, "apple_health_export.zip").json
    response = http.post(f"{IMPORTS}/{first['id']}/undo", headers=client_headers)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "undone"
    assert _count(ActivityLog, client_record.id) == 0 and _count(DailyMetric, client_record.id) == 0
    assert _count(BodyMetric, client_record.id) == 1  # the one entered by hand
    assert db.session.execute(select(func.count()).select_from(ImportedRow)).scalar_one() == 0
    assert not db.session.execute(select(ActivityEvent).where(ActivityEvent.client_id == client_record.id)).all()


def test_after_undo_the_same_file_can_be_imported_again(http, client_headers, client_record):
    first = _sample(http, client_headers, "run.fit").json
    http.post(f"{IMPORTS}/{first['id']}/undo", headers=client_headers)
    assert _sample(http, client_headers, "run.fit").json["added"] == 1


def test_an_import_is_undone_once(http, client_headers):
    first = _sample(http, client_headers, "run.fit").json
    http.post(f"{IMPORTS}/{first['id']}/undo", headers=client_headers)
    assert_error(http.post(f"{IMPORTS}/{first['id']}/undo", headers=client_headers), 409, "status")


def test_a_strength_csv_with_unknown_exercises_waits_for_names_and_writes_nothing(http, client_headers, client_record):
    response = _sample(http, client_headers, "strong.csv")
    assert response.status_code == 201, response.json
    assert response.json["status"] == "needs_mapping"
    assert response.json["unmatched"] == {"Cable Crossover Deluxe": 1, "Squat (Barbell)": 2, "Deadlift (Barbell)": 1}
    assert _count(WorkoutLog, client_record.id) == 0


def test_mapped_names_are_remembered_for_the_next_import(http, client_headers, client_record, trainer):
    crossover = ExerciseFactory(owner_id=trainer.id, name="Cable Fly")
    names = {"Cable Crossover Deluxe": crossover.id}
    built_in = select(Exercise.name, Exercise.id).where(
        Exercise.owner_id.is_(None), Exercise.name.in_(("Barbell Back Squat", "Conventional Deadlift"))
    )
    library = dict(db.session.execute(built_in).all())
    names["Squat (Barbell)"] = library["Barbell Back Squat"]
    names["Deadlift (Barbell)"] = library["Conventional Deadlift"]
    mappings = [{"name": name, "exercise_id": exercise_id} for name, exercise_id in names.items()]
    saved = http.put("/api/v1/me/exercise-mappings", json={"mappings": mappings}, headers=client_headers)
    assert saved.status_code == 200, saved.json
    response = _sample(http, client_headers, "strong.csv")
    assert (response.json["status"], response.json["counts"]["workouts"]["added"]) == ("finished", 2)
    push = db.session.execute(
        select(WorkoutLog).where(WorkoutLog.client_id == client_record.id, WorkoutLog.performed_on == date(2026, 2, 2))
    ).scalar_one()
    assert (push.sets_done, push.duration_minutes, push.total_volume_kg) == (
        4,
        65,
        60 * 8 + 62.5 * 6 + 40 * 8 + 15 * 12,
    )


def test_skipping_unmatched_exercises_imports_the_rest(http, client_headers, client_record):
    response = _sample(http, client_headers, "hevy.csv", skip_unmatched="true")
    assert response.status_code == 201, response.json
    # Lower A is all squats, which the library does not name that way: it is skipped, not "already there".
    assert response.json["counts"]["workouts"] == {"found": 2, "added": 1, "already_there": 0}
    assert response.json["unmatched"] == {"Squat (Barbell)": 2}


def test_a_mapping_to_an_exercise_outside_the_library_is_refused(http, client_headers, other_trainer):
    foreign = ExerciseFactory(owner_id=other_trainer.id, name="Secret Lift")
    body = {"mappings": [{"name": "My lift", "exercise_id": foreign.id}]}
    response = http.put("/api/v1/me/exercise-mappings", json=body, headers=client_headers)
    assert_error(response, 422, "mappings.0.exercise_id")


def test_the_trainer_maps_a_clients_names_and_lists_them(http, trainer_headers, client_record, trainer):
    lift = ExerciseFactory(owner_id=trainer.id, name="Cable Fly")
    url = f"/api/v1/clients/{client_record.id}/exercise-mappings"
    body = {"mappings": [{"name": "Cable  Crossover-Deluxe", "exercise_id": lift.id}]}
    assert http.put(url, json=body, headers=trainer_headers).status_code == 200
    listed = http.get(url, headers=trainer_headers).json
    assert listed == [{"name": "cable crossover deluxe", "exercise_id": lift.id}]


def test_a_large_file_goes_through_the_job(app, http, client_headers, client_record, _uploads):
    app.config["IMPORT_INLINE_MAX_BYTES"] = 10  # every sample is "large"; without Redis the job runs inline
    response = _sample(http, client_headers, "ride.fit")
    assert response.status_code == 201, response.json
    record = db.session.get(DataImport, response.json["id"])
    assert (record.status.value, record.progress, record.job_id is not None) == ("finished", 100, True)
    assert not any(_uploads.iterdir())  # the upload is deleted once read


def test_the_client_lists_and_reads_their_imports(http, client_headers):
    first = _sample(http, client_headers, "run.fit").json
    second = _sample(http, client_headers, "ride.fit").json
    listed = http.get(IMPORTS, headers=client_headers)
    assert [item["id"] for item in listed.json] == [second["id"], first["id"]]
    assert "X-Pagination" in listed.headers
    assert http.get(f"{IMPORTS}/{first['id']}", headers=client_headers).json["file_name"] == "run.fit"


def test_another_clients_import_is_not_found(http, client_headers, trainer):
    first = _sample(http, client_headers, "run.fit").json
    stranger = ClientFactory(trainer=trainer, with_login=True)
    stranger_headers = bearer(db.session.get(User, stranger.user_id))
    assert_error(http.get(f"{IMPORTS}/{first['id']}", headers=stranger_headers), 404, message="No such import")
    assert_error(http.post(f"{IMPORTS}/{first['id']}/undo", headers=stranger_headers), 404, message="No such import")


def test_the_trainer_sees_their_clients_imports_with_their_source(http, client_headers, trainer_headers, client_record):
    first = _sample(http, client_headers, "morning_walk.gpx").json
    listed = http.get(f"/api/v1/clients/{client_record.id}/imports", headers=trainer_headers)
    assert listed.status_code == 200
    assert [(item["id"], item["format"], item["file_name"]) for item in listed.json] == [
        (first["id"], "gpx", "morning_walk.gpx")
    ]
    detail = http.get(f"/api/v1/clients/{client_record.id}/imports/{first['id']}", headers=trainer_headers)
    assert detail.json["added"] == 1


def test_another_trainers_client_imports_are_not_found(http, client_headers, other_trainer_headers, client_record):
    first = _sample(http, client_headers, "run.fit").json
    url = f"/api/v1/clients/{client_record.id}/imports"
    assert_error(http.get(url, headers=other_trainer_headers), 404, message="No such client")
    assert_error(http.get(f"{url}/{first['id']}", headers=other_trainer_headers), 404, message="No such client")


def test_an_import_shows_in_the_trainers_feed(http, client_headers, trainer_headers):
    _sample(http, client_headers, "run.fit")
    feed = http.get("/api/v1/feed", headers=trainer_headers).json
    items = feed["items"] if isinstance(feed, dict) else feed
    assert any(item["type"] == "data_imported" and "1 activity" in item["summary"] for item in items)


def test_imported_activities_show_in_the_clients_progress(http, client_headers):
    _sample(http, client_headers, "run.fit")
    progress = http.get("/api/v1/me/progress?from=2026-02-09&to=2026-02-15", headers=client_headers).json
    assert progress["weekly_activity"] == [
        {"week_start": "2026-02-09", "activities": 1, "minutes": 14, "distance": 3.0}
    ]


def test_imported_steps_and_resting_heart_rate_show_in_the_trainers_progress(
    http, client_headers, trainer_headers, client_record
):
    _sample(http, client_headers, "apple_health_export.zip")
    url = f"/api/v1/clients/{client_record.id}/progress?from=2026-01-01&to=2026-01-07"
    progress = http.get(url, headers=trainer_headers).json
    assert len(progress["daily_steps"]) == 7 and len(progress["resting_heart_rate"]) == 7
    assert progress["weekly_activity"][0]["activities"] == 2  # 1 and 4 January


def test_the_trainer_lists_a_clients_activities_in_their_units(http, client_headers, trainer_headers, client_record):
    _sample(http, client_headers, "ride.fit")
    listed = http.get(f"/api/v1/clients/{client_record.id}/activities", headers=trainer_headers).json
    assert [(item["sport"], item["distance"], item["source"]) for item in listed] == [("cycling", 15.0, "fit")]


def test_another_trainers_client_activities_are_not_found(http, other_trainer_headers, client_record):
    response = http.get(f"/api/v1/clients/{client_record.id}/activities", headers=other_trainer_headers)
    assert_error(response, 404, message="No such client")


def test_the_client_lists_their_activities_by_date(http, client_headers):
    _sample(http, client_headers, "run.fit")
    _sample(http, client_headers, "ride.fit")
    listed = http.get("/api/v1/me/activities?from=2026-02-11", headers=client_headers).json
    assert [item["sport"] for item in listed] == ["cycling"]


def test_an_import_whose_job_died_is_failed_by_the_periodic_pass(app, client_record, _uploads):
    _uploads.mkdir(parents=True, exist_ok=True)
    upload = _uploads / "left-behind.upload"
    upload.write_bytes(b"...")
    long_ago = utcnow() - timedelta(seconds=app.config["IMPORT_JOB_TIMEOUT"] + 600)
    stuck = DataImportFactory(
        client=client_record, status=ImportStatus.RUNNING, upload_path=str(upload), updated_at=long_ago
    )
    recent = DataImportFactory(client=client_record, status=ImportStatus.RUNNING)
    assert run_periodic().imports_stopped == 1
    db.session.expire_all()
    assert (db.session.get(DataImport, stuck.id).status, db.session.get(DataImport, recent.id).status) == (
        ImportStatus.FAILED,
        ImportStatus.RUNNING,
    )
    assert not upload.exists()


def test_a_small_zip_holding_a_large_export_goes_to_the_job(app, http, client_headers, _uploads):
    export = _apple_zip(date(2026, 1, 1), 30)
    app.config["IMPORT_INLINE_MAX_BYTES"] = len(export) * 2  # the zip is small; what it unpacks to is not
    response = _upload(http, client_headers, export, "export.zip")
    record = db.session.get(DataImport, response.json["id"])
    assert record.job_id is not None and record.status.value == "finished"


def test_an_unexpected_failure_writes_nothing_and_says_so(app, http, client_headers, client_record, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("fitbud.services.imports._write_per_day", broken)  # after activities were inserted
    assert_error(_sample(http, client_headers, "apple_health_export.zip"), 500, message="unexpected error")
    record = db.session.execute(select(DataImport)).scalar_one()
    assert (record.status.value, record.error.startswith("The import failed on our side")) == ("failed", True)
    assert _count(ActivityLog, client_record.id) == 0


def test_an_upload_larger_than_the_json_body_limit_is_accepted(app, http, client_headers):
    app.config["MAX_CONTENT_LENGTH"] = 1000  # the sample export is a few kilobytes; IMPORT_MAX_BYTES rules here
    response = _sample(http, client_headers, "apple_health_export.zip")
    assert response.status_code == 201, response.json

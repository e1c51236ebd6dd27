"""The file readers: each sample format read into records, and each kind of damage named by where it is."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fitbud.services import importers
from fitbud.services.importers import ParseError
from tests.data.imports.make_samples import APPLE_EPILOG, APPLE_PROLOG, _record, fit_activity

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def _read(name: str, **options):
    path = str(DATA / name)
    return importers.parse(path, importers.detect(path), **options)


def _write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


def _apple_zip(tmp_path: Path, body: str) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("apple_health_export/export.xml", APPLE_PROLOG + body + APPLE_EPILOG)
    return _write(tmp_path, "export.zip", buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("apple_health_export.zip", "apple_health"),
        ("run.fit", "fit"),
        ("morning_walk.gpx", "gpx"),
        ("strong.csv", "strong"),
        ("hevy.csv", "hevy"),
    ],
)
def test_the_format_is_told_from_the_content(name, expected):
    assert importers.detect(str(DATA / name)) == expected


def test_an_unknown_file_is_refused_by_detection(tmp_path):
    with pytest.raises(ParseError, match="not a file we can import"):
        importers.detect(_write(tmp_path, "notes.txt", "just some notes\n"))


def test_apple_health_export_gives_workouts_body_readings_and_daily_metrics():
    parsed = _read("apple_health_export.zip")
    assert len(parsed.activities) == 14  # a run every third day of 40
    run = parsed.activities[0]
    assert (run.sport, run.performed_on, run.avg_heart_rate) == ("running", date(2026, 1, 1), 146)
    assert run.distance_m == 4350.0 and run.elevation_gain_m == 39.1
    assert {reading.metric for reading in parsed.body} == {"weight", "body_fat", "waist"}
    assert sum(reading.metric == "weight" for reading in parsed.body) == 40
    assert {reading.metric for reading in parsed.daily} == {"steps", "resting_heart_rate"}


def test_apple_steps_of_two_devices_are_not_added_together(tmp_path):
    morning = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    body = (
        _record("HKQuantityTypeIdentifierStepCount", "count", 4000, morning, "Phone")
        + _record("HKQuantityTypeIdentifierStepCount", "count", 1000, morning, "Phone")
        + _record("HKQuantityTypeIdentifierStepCount", "count", 4800, morning, "Watch")
    )
    parsed = importers.parse(_apple_zip(tmp_path, body), "apple_health")
    assert [(reading.metric, reading.value) for reading in parsed.daily] == [("steps", 5000.0)]


def test_apple_body_mass_in_pounds_is_stored_in_kilograms(tmp_path):
    body = _record("HKQuantityTypeIdentifierBodyMass", "lb", 176.37, datetime(2026, 1, 5, 7, tzinfo=UTC))
    parsed = importers.parse(_apple_zip(tmp_path, body), "apple_health")
    assert parsed.body[0].value == pytest.approx(80.0, abs=0.01)


def test_an_implausible_apple_reading_is_skipped_and_counted(tmp_path):
    body = _record("HKQuantityTypeIdentifierBodyMass", "kg", 3, datetime(2026, 1, 5, 7, tzinfo=UTC))
    parsed = importers.parse(_apple_zip(tmp_path, body), "apple_health")
    assert (parsed.body, parsed.skipped) == ([], 1)


def test_a_bad_apple_value_names_its_record(tmp_path):
    moment = datetime(2026, 1, 5, 7, tzinfo=UTC)
    body = _record("HKQuantityTypeIdentifierBodyMass", "kg", 70, moment) + _record(
        "HKQuantityTypeIdentifierBodyMass", "kg", "heavy", moment
    )
    with pytest.raises(ParseError) as raised:
        importers.parse(_apple_zip(tmp_path, body), "apple_health")
    # ExportDate and Me come first: the second reading is the fourth element.
    assert raised.value.location == "record 4 (Record)"


def test_broken_apple_xml_names_its_line(tmp_path):
    with pytest.raises(ParseError) as raised:
        importers.parse(_apple_zip(tmp_path, ' <Record type="x"\n'), "apple_health")
    assert raised.value.location.startswith("line ")


def test_a_zip_without_export_xml_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/cat.jpg", b"\xff\xd8")
    with pytest.raises(ParseError, match="no export.xml"):
        importers.parse(_write(tmp_path, "export.zip", buffer.getvalue()), "apple_health")


def test_a_fit_activity_gives_its_session_and_laps():
    (run,) = _read("run.fit", timezone=ZoneInfo("Europe/London")).activities
    assert (run.sport, run.duration_seconds, run.distance_m) == ("running", 870, 3000.0)
    assert (run.avg_heart_rate, run.max_heart_rate, run.energy_kcal) == (157, 178, 145.0)
    assert [lap["distance_m"] for lap in run.laps] == [1000.0, 1000.0, 1000.0]


def test_a_fit_activity_day_is_the_clients_local_day(tmp_path):
    late = datetime(2026, 2, 10, 23, 30, tzinfo=UTC)
    path = _write(tmp_path, "late.fit", fit_activity("running", late, [(600, 2000.0, 150, 160)], serial=5))
    (run,) = importers.parse(path, "fit", timezone=ZoneInfo("Asia/Tokyo")).activities
    assert run.performed_on == date(2026, 2, 11)


def test_a_truncated_fit_file_is_refused_naming_the_record(tmp_path):
    data = (DATA / "run.fit").read_bytes()
    with pytest.raises(ParseError) as raised:
        importers.parse(_write(tmp_path, "cut.fit", data[:-40]), "fit")
    assert raised.value.location.startswith("record ")


def test_a_fit_file_with_a_wrong_checksum_is_refused(tmp_path):
    data = bytearray((DATA / "run.fit").read_bytes())
    data[-1] ^= 0xFF
    with pytest.raises(ParseError, match="damaged"):
        importers.parse(_write(tmp_path, "bad.fit", bytes(data)), "fit")


def test_a_gpx_track_gives_start_duration_distance_and_climb():
    (walk,) = _read("morning_walk.gpx").activities
    assert (walk.sport, walk.started_at, walk.duration_seconds) == (
        "walking",
        datetime(2026, 2, 14, 8, 0, tzinfo=UTC),
        1790,
    )
    assert 2000 < (walk.distance_m or 0) < 2700 and walk.elevation_gain_m == pytest.approx(15.0, abs=0.5)


def test_a_gpx_track_without_times_is_refused_naming_the_track(tmp_path):
    gpx = (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        '<trkpt lat="51.5" lon="-0.1"/><trkpt lat="51.6" lon="-0.1"/></trkseg></trk></gpx>'
    )
    with pytest.raises(ParseError) as raised:
        importers.parse(_write(tmp_path, "x.gpx", gpx), "gpx")
    assert raised.value.location == "track 1"


def test_broken_gpx_xml_is_refused(tmp_path):
    with pytest.raises(ParseError, match="cannot be read"):
        importers.parse(_write(tmp_path, "x.gpx", '<gpx version="1.1"><trk><trkseg>'), "gpx")


def test_a_strong_csv_groups_sets_into_workouts_and_skips_rest_timers():
    push, legs = _read("strong.csv").workouts
    assert (push.name, push.performed_on, push.duration_minutes, push.notes) == (
        "Push day",
        date(2026, 2, 2),
        65,
        "Felt strong",
    )
    assert [(s.exercise_name, s.reps, s.weight_kg) for s in push.sets][:2] == [
        ("Bench Press (Barbell)", 8, 60.0),
        ("Bench Press (Barbell)", 6, 62.5),
    ]
    assert len(push.sets) == 4 and len(legs.sets) == 3
    assert push.sets[0].distance_m is None  # Strong's 0 in an unused column


def test_an_old_strong_csv_is_read_in_the_clients_units():
    (push, _legs) = _read("strong.csv", unit_system="imperial").workouts
    assert push.sets[0].weight_kg == pytest.approx(27.216, abs=0.001)  # 60 lb


def test_a_hevy_csv_gives_workouts_with_duration():
    upper, lower = _read("hevy.csv").workouts
    assert (upper.name, upper.duration_minutes, len(upper.sets)) == ("Upper A", 62, 3)
    assert upper.sets[2].weight_kg is None and lower.notes == "Quick one"


def test_a_bad_strength_row_names_its_line(tmp_path):
    text = (DATA / "strong.csv").read_text().replace(",62.5,6,", ",62.5,six,")
    with pytest.raises(ParseError) as raised:
        importers.parse(_write(tmp_path, "s.csv", text), "strong")
    assert raised.value.location == "line 3"


def test_an_out_of_range_weight_names_its_line(tmp_path):
    text = (DATA / "hevy.csv").read_text().replace(",85,5,", ",8500,5,")
    with pytest.raises(ParseError) as raised:
        importers.parse(_write(tmp_path, "h.csv", text), "hevy")
    assert (raised.value.location, "out of range" in raised.value.message) == ("line 6", True)


def test_a_semicolon_strong_export_with_unit_columns_is_read_in_its_units(tmp_path):
    text = (
        "Date;Workout Name;Duration;Exercise Name;Set Order;Weight;Weight Unit;Reps;Distance;Distance Unit;Seconds;"
        "Notes;Workout Notes;RPE\n"
        "2026-03-01 09:00:00;Row;30m;Rowing (Machine);1;0;lbs;0;2;km;600;;;\n"
        "2026-03-01 09:00:00;Row;30m;Deadlift (Barbell);1;225;lbs;5;0;km;0;;;\n"
    )
    (workout,) = importers.parse(_write(tmp_path, "strong.csv", text), "strong").workouts
    rowing, deadlift = workout.sets
    assert (rowing.distance_m, rowing.duration_seconds, rowing.weight_kg) == (2000.0, 600, None)
    assert deadlift.weight_kg == pytest.approx(102.058, abs=0.001)


def test_a_hevy_export_in_pounds_and_miles_is_converted(tmp_path):
    text = (
        "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
        "weight_lbs,reps,distance_miles,duration_seconds,rpe\n"
        'Run,"1 Mar 2026, 07:00","1 Mar 2026, 07:30",,Running,,,0,normal,,,3.1,1800,\n'
    )
    (workout,) = importers.parse(_write(tmp_path, "hevy.csv", text), "hevy").workouts
    assert workout.sets[0].distance_m == pytest.approx(4988.97, abs=0.01)
    assert importers.detect(_write(tmp_path, "again.csv", text)) == "hevy"

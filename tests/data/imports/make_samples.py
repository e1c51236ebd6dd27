"""Write the import tests' sample files: `python tests/data/imports/make_samples.py` (output is committed).

- apple_health_export.zip: a small Apple Health export (a few hundred records, a few workouts),
  built like the phone builds it: apple_health_export/export.xml with the HealthData root.
  `write_apple_health_export` also serves bench/imports.py for its 500,000-record export.
- run.fit and ride.fit: FIT activity files built from the FIT protocol's documented structure
  (a 14-byte header, definition and data messages, a CRC-16 footer): fitdecode only decodes.
- morning_walk.gpx: a GPX 1.1 track with times and elevations.
- strong.csv and hevy.csv: the two strength apps' export headers and rows.
"""

from __future__ import annotations

import math
import random
import struct
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent

# --- FIT -------------------------------------------------------------------------------------------
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
# Base types: (type byte, struct format).
ENUM, UINT8, UINT16, UINT32, UINT32Z = (0x00, "B"), (0x02, "B"), (0x84, "H"), (0x86, "I"), (0x8C, "I")
_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
# Global message numbers and the fields we write: (field number, base type).
FILE_ID = (0, [(0, ENUM), (1, UINT16), (2, UINT16), (3, UINT32Z), (4, UINT32)])
LAP = (19, [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32), (15, UINT8), (16, UINT8)])
SESSION = (
    18,
    [
        (253, UINT32), (2, UINT32), (5, ENUM), (7, UINT32), (8, UINT32), (9, UINT32),
        (11, UINT16), (16, UINT8), (17, UINT8), (22, UINT16),
    ],
)  # fmt: skip
SPORTS = {"running": 1, "cycling": 2}


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT protocol's CRC-16 (its documented nibble-table algorithm)."""
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


def _fit_time(moment: datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


def _definition(local: int, message: tuple[int, list]) -> bytes:
    number, fields = message
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
    for field_number, (base_type, fmt) in fields:
        out += struct.pack("<BBB", field_number, struct.calcsize(fmt), base_type)
    return out


def _data(local: int, message: tuple[int, list], values: Iterable[int]) -> bytes:
    _number, fields = message
    out = struct.pack("<B", local)
    for (_field, (_type, fmt)), value in zip(fields, values, strict=True):
        out += struct.pack("<" + fmt, value)
    return out


def fit_activity(sport: str, start: datetime, laps: list[tuple[int, float, int, int]], *, serial: int) -> bytes:
    """A FIT activity file: one session made of `laps` (seconds, metres, avg hr, max hr)."""
    body = _definition(0, FILE_ID) + _data(0, FILE_ID, [4, 1, 3122, serial, _fit_time(start)])
    body += _definition(1, LAP)
    moment = start
    for seconds, metres, average, maximum in laps:
        end = moment + timedelta(seconds=seconds)
        body += _data(
            1,
            LAP,
            [_fit_time(end), _fit_time(moment), seconds * 1000, seconds * 1000, round(metres * 100), average, maximum],
        )
        moment = end
    total_seconds = sum(lap[0] for lap in laps)
    total_metres = sum(lap[1] for lap in laps)
    average = round(sum(lap[2] * lap[0] for lap in laps) / total_seconds)
    maximum = max(lap[3] for lap in laps)
    body += _definition(2, SESSION)
    body += _data(
        2,
        SESSION,
        [
            _fit_time(moment), _fit_time(start), SPORTS[sport], total_seconds * 1000, total_seconds * 1000,
            round(total_metres * 100), round(total_seconds / 6), average, maximum, 42,
        ],
    )  # fmt: skip
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    return header + body + struct.pack("<H", fit_crc(header + body))


# --- Apple Health ---------------------------------------------------------------------------------
APPLE_PROLOG = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate value CDATA #REQUIRED>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-03-01 09:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-04-02"
     HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
"""
APPLE_EPILOG = "</HealthData>\n"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def _record(kind: str, unit: str, value: float | int, start: datetime, source: str = "Ana's iPhone") -> str:
    end = _stamp(start + timedelta(minutes=1))
    return (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="17.2" unit="{unit}" '
        f'creationDate="{end}" startDate="{_stamp(start)}" endDate="{end}" value="{value}"/>\n'
    )


def _workout(kind: str, start: datetime, minutes: float, km: float, kcal: float, hr: tuple[int, int]) -> str:
    end = start + timedelta(minutes=minutes)
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{minutes}" durationUnit="min" '
        f'sourceName="Ana\'s Apple Watch" sourceVersion="10.2" creationDate="{_stamp(end)}" '
        f'startDate="{_stamp(start)}" endDate="{_stamp(end)}">\n'
        f'  <MetadataEntry key="HKElevationAscended" value="{round(km * 900)} cm"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="{_stamp(start)}" '
        f'endDate="{_stamp(end)}" sum="{km}" unit="km"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="{_stamp(start)}" '
        f'endDate="{_stamp(end)}" sum="{kcal}" unit="kcal"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{_stamp(start)}" '
        f'endDate="{_stamp(end)}" average="{hr[0]}" minimum="90" maximum="{hr[1]}" unit="count/min"/>\n'
        " </Workout>\n"
    )


def apple_health_lines(days: int, first_day: date, *, records_per_day: int = 8, seed: int = 7) -> Iterator[str]:
    """export.xml, line by line: per day a weigh-in, resting heart rate, step samples from two devices,
    heart rate samples (ignored by the importer, as in a real export), and every third day a run."""
    rng = random.Random(seed)
    # A fixed offset (not the machine's zone), so the file is the same wherever it is generated.
    zone = timezone(timedelta(hours=1))
    yield APPLE_PROLOG
    weight = 72.0
    for index in range(days):
        day = first_day + timedelta(days=index)
        morning = datetime(day.year, day.month, day.day, 7, 0, tzinfo=zone)
        weight += rng.uniform(-0.3, 0.25)
        yield _record("HKQuantityTypeIdentifierBodyMass", "kg", round(weight, 1), morning)
        yield _record("HKQuantityTypeIdentifierRestingHeartRate", "count/min", rng.randint(52, 60), morning)
        if index % 7 == 0:
            yield _record("HKQuantityTypeIdentifierBodyFatPercentage", "%", round(rng.uniform(0.22, 0.25), 3), morning)
            yield _record("HKQuantityTypeIdentifierWaistCircumference", "cm", round(rng.uniform(74, 78), 1), morning)
        # Steps: samples from the phone and (the same walks) from the watch.
        extra = max(records_per_day - 4, 0)
        for sample in range(extra):
            moment = morning + timedelta(hours=1 + sample * 12 / max(extra, 1))
            if sample % 3 == 2:
                yield _record(
                    "HKQuantityTypeIdentifierHeartRate", "count/min", rng.randint(60, 120), moment, "Ana's Apple Watch"
                )
            else:
                source = "Ana's iPhone" if sample % 3 == 0 else "Ana's Apple Watch"
                yield _record("HKQuantityTypeIdentifierStepCount", "count", rng.randint(200, 1500), moment, source)
        if index % 3 == 0:
            start = morning + timedelta(hours=11)
            km = round(rng.uniform(4, 10), 2)
            yield _workout(
                "Running",
                start,
                round(km * 5.6, 1),
                km,
                round(km * 62, 1),
                (rng.randint(140, 155), rng.randint(165, 180)),
            )
    yield APPLE_EPILOG


def write_apple_health_export(target: Path | IO[bytes], lines: Iterable[str]) -> None:
    """Zip `lines` as apple_health_export/export.xml, streaming (the bench's export is large)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("apple_health_export/export.xml", "w", force_zip64=True) as member:
            for line in lines:
                member.write(line.encode())
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")


# --- GPX and CSVs ---------------------------------------------------------------------------------
def gpx_track(start: datetime, points: int) -> str:
    """A walk north-east from Hyde Park, a point every 10 s, climbing then descending."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="Fitbud sample" xmlns="http://www.topografix.com/GPX/1/1">',
        "<trk><name>Morning walk</name><type>walking</type><trkseg>",
    ]
    for index in range(points):
        moment = (start + timedelta(seconds=10 * index)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat, lon = 51.5073 + index * 0.0001, -0.1657 + index * 0.0001
        elevation = 20 + 15 * math.sin(math.pi * index / points)
        lines.append(f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{elevation:.1f}</ele><time>{moment}</time></trkpt>')
    lines += ["</trkseg></trk>", "</gpx>", ""]
    return "\n".join(lines)


STRONG_CSV = """Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
2026-02-02 18:04:32,Push day,1h 5m,Bench Press (Barbell),1,60,8,0,0,,Felt strong,
2026-02-02 18:04:32,Push day,1h 5m,Bench Press (Barbell),2,62.5,6,0,0,,Felt strong,8
2026-02-02 18:04:32,Push day,1h 5m,Bench Press (Barbell),Rest Timer,0,0,0,90,,Felt strong,
2026-02-02 18:04:32,Push day,1h 5m,Overhead Press (Barbell),1,40,8,0,0,,Felt strong,
2026-02-02 18:04:32,Push day,1h 5m,Cable Crossover Deluxe,1,15,12,0,0,,Felt strong,
2026-02-04 07:30:00,Legs,50m,Squat (Barbell),1,80,5,0,0,,,
2026-02-04 07:30:00,Legs,50m,Squat (Barbell),2,80,5,0,0,,,
2026-02-04 07:30:00,Legs,50m,Deadlift (Barbell),1,100,5,0,0,,,9
"""
HEVY_HEADER = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
    "weight_kg,reps,distance_km,duration_seconds,rpe\n"
)
HEVY_CSV = HEVY_HEADER + """Upper A,"9 Feb 2026, 18:00","9 Feb 2026, 19:02",,Bench Press (Barbell),,,0,normal,60,8,,,
Upper A,"9 Feb 2026, 18:00","9 Feb 2026, 19:02",,Bench Press (Barbell),,,1,normal,60,8,,,8
Upper A,"9 Feb 2026, 18:00","9 Feb 2026, 19:02",,Pull Up,,,0,normal,,10,,,
Lower A,"11 Feb 2026, 07:15","11 Feb 2026, 08:00",Quick one,Squat (Barbell),,,0,warmup,40,10,,,
Lower A,"11 Feb 2026, 07:15","11 Feb 2026, 08:00",Quick one,Squat (Barbell),,,1,normal,85,5,,,
"""


def main() -> None:
    """Write every sample file next to this script."""
    write_apple_health_export(HERE / "apple_health_export.zip", apple_health_lines(40, date(2026, 1, 1)))
    run_start = datetime(2026, 2, 10, 6, 30, tzinfo=UTC)
    (HERE / "run.fit").write_bytes(
        fit_activity(
            "running",
            run_start,
            [(300, 1000.0, 150, 162), (290, 1000.0, 158, 170), (280, 1000.0, 165, 178)],
            serial=1001,
        )
    )
    ride_start = datetime(2026, 2, 12, 17, 0, tzinfo=UTC)
    (HERE / "ride.fit").write_bytes(fit_activity("cycling", ride_start, [(1800, 15000.0, 135, 160)], serial=1002))
    (HERE / "morning_walk.gpx").write_text(gpx_track(datetime(2026, 2, 14, 8, 0, tzinfo=UTC), 180))
    (HERE / "strong.csv").write_text(STRONG_CSV)
    (HERE / "hevy.csv").write_text(HEVY_CSV)


if __name__ == "__main__":
    main()

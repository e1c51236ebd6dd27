"""Apple Health's export.zip: body mass, body fat, waist, resting heart rate, steps per day and workouts.

export.xml can be hundreds of megabytes, so it is streamed: read out of the zip as it is
decompressed (never extracted whole), parsed with ElementTree's iterparse, and every top-level
element is dropped from the tree once read. What is kept grows with the number of days and
workouts, not records: readings fold into one value per metric and day as they stream by.

ElementTree (expat) fetches no external entities, and the expat Python ships since 3.11 refuses
entity-expansion bombs, so a hostile export.xml cannot make the parse reach out or explode.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import IO, Any
from xml.etree import ElementTree

from fitbud.services.importers.records import (
    ActivityRecord,
    BodyReading,
    DailyReading,
    ParsedFile,
    ParseError,
    Progress,
    no_progress,
)
from fitbud.services.importers.units import (
    DISTANCE_TO_M,
    DURATION_TO_S,
    ENERGY_TO_KCAL,
    LENGTH_TO_CM,
    MASS_TO_KG,
    convert,
    number,
    sport_name,
)
from fitbud.services.measures import BODY_METRICS

FORMAT = "apple_health"
WORKOUT_PREFIX = "HKWorkoutActivityType"
BODY_MASS = "HKQuantityTypeIdentifierBodyMass"
BODY_FAT = "HKQuantityTypeIdentifierBodyFatPercentage"
WAIST = "HKQuantityTypeIdentifierWaistCircumference"
RESTING_HEART_RATE = "HKQuantityTypeIdentifierRestingHeartRate"
STEPS = "HKQuantityTypeIdentifierStepCount"
HEART_RATE = "HKQuantityTypeIdentifierHeartRate"
ENERGY_TYPES = ("HKQuantityTypeIdentifierActiveEnergyBurned",)
DISTANCE_PREFIX = "HKQuantityTypeIdentifierDistance"
ELEVATION_KEY = "HKElevationAscended"
# Progress is reported every this many top-level elements (a callback per record would cost more than the parse).
PROGRESS_EVERY = 20_000


class _CountingReader:
    """A file object that remembers how many bytes were read through it (for progress)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.read_bytes += len(chunk)
        return chunk


def _export_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """export.xml in the zip (its folder name varies with the language; the clinical CDA file is not it)."""
    candidates = [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith(".xml")
        and "cda" not in info.filename.lower().rsplit("/", 1)[-1]
        and "workout-routes" not in info.filename.lower()
    ]
    if not candidates:
        raise ParseError("The zip holds no export.xml: is this Apple Health's export.zip?", "file")
    exact = [info for info in candidates if info.filename.lower().rsplit("/", 1)[-1] == "export.xml"]
    return (exact or sorted(candidates, key=lambda info: -info.file_size))[0]


def _timestamp(raw: str | None, what: str, location: str) -> datetime:
    """Apple's "2024-01-05 08:03:12 +0100"."""
    try:
        return datetime.strptime(raw or "", "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        raise ParseError(f"{what} {raw!r} is not a date like 2024-01-05 08:03:12 +0100.", location) from None


def _day(raw: str | None, location: str) -> date:
    """The calendar day a record's start was written in (its own offset: where the phone was)."""
    try:
        return date.fromisoformat((raw or "")[:10])
    except ValueError:
        raise ParseError(f"startDate {raw!r} is not a date like 2024-01-05 08:03:12 +0100.", location) from None


class _Readings:
    """Folds the stream of readings into one value per metric and day."""

    def __init__(self) -> None:
        # (metric, day) -> (when, value): the day's latest body reading wins (the morning weigh-in is
        # usually the only one; a second is a correction).
        self.body: dict[tuple[str, date], tuple[str, float]] = {}
        # day -> source -> steps. An iPhone and a Watch both count the same steps; adding them would
        # double a day, so a day's steps are its busiest source's total (Health's own display dedupes
        # by source priority to much the same effect).
        self.steps: dict[date, dict[str, float]] = {}
        # day -> [sum, count] of resting heart rate readings: the day's mean.
        self.resting: dict[date, list[float]] = {}
        self.skipped = 0

    def record(self, attributes: dict[str, str], location: str) -> None:
        kind = attributes.get("type", "")
        if kind not in (BODY_MASS, BODY_FAT, WAIST, RESTING_HEART_RATE, STEPS):
            return
        value = number(attributes.get("value"), f"{kind} value", location)
        if value is None:
            raise ParseError(f"{kind} has no value.", location)
        unit = attributes.get("unit")
        start = attributes.get("startDate")
        day = _day(start, location)
        if kind == STEPS:
            per_source = self.steps.setdefault(day, {})
            source = attributes.get("sourceName", "")
            per_source[source] = per_source.get(source, 0.0) + value
        elif kind == RESTING_HEART_RATE:
            total = self.resting.setdefault(day, [0.0, 0])
            total[0] += value
            total[1] += 1
        else:
            metric, si = self._body(kind, value, unit, location)
            if BODY_METRICS[metric].problem(si, "metric") is not None:
                # A child on the scale, a bad sensor: skipped and counted, rather than refusing years of data.
                self.skipped += 1
                return
            key = (metric, day)
            if key not in self.body or self.body[key][0] <= (start or ""):
                self.body[key] = (start or "", si)

    @staticmethod
    def _body(kind: str, value: float, unit: str | None, location: str) -> tuple[str, float]:
        if kind == BODY_MASS:
            return "weight", convert(value, unit, MASS_TO_KG, "Body mass", location)
        if kind == BODY_FAT:
            # Health stores a fraction with unit "%": 0.21 is 21 %.
            return "body_fat", value * 100 if value <= 1 else value
        return "waist", convert(value, unit, LENGTH_TO_CM, "Waist circumference", location)

    def into(self, parsed: ParsedFile) -> None:
        parsed.body = [
            BodyReading(metric, day, round(value, 3)) for (metric, day), (_w, value) in sorted(self.body.items())
        ]
        parsed.daily = [
            DailyReading("steps", day, float(round(max(sources.values()))))
            for day, sources in sorted(self.steps.items())
        ]
        parsed.daily += [
            DailyReading("resting_heart_rate", day, round(total / count, 1))
            for day, (total, count) in sorted(self.resting.items())
        ]


def _workout(element: ElementTree.Element, location: str) -> ActivityRecord:
    attributes = element.attrib
    sport = sport_name(attributes.get("workoutActivityType"), WORKOUT_PREFIX)
    started_at = _timestamp(attributes.get("startDate"), "Workout startDate", location)
    ended_at = _timestamp(attributes.get("endDate"), "Workout endDate", location)
    duration = number(attributes.get("duration"), "Workout duration", location)
    if duration is not None:
        seconds = convert(duration, attributes.get("durationUnit", "min"), DURATION_TO_S, "Workout duration", location)
    else:
        seconds = (ended_at - started_at).total_seconds()
    if seconds < 0:
        raise ParseError("The workout ends before it starts.", location)
    distance = number(attributes.get("totalDistance"), "totalDistance", location)
    if distance is not None:
        distance = convert(distance, attributes.get("totalDistanceUnit"), DISTANCE_TO_M, "totalDistance", location)
    energy = number(attributes.get("totalEnergyBurned"), "totalEnergyBurned", location)
    if energy is not None:
        energy = convert(energy, attributes.get("totalEnergyBurnedUnit"), ENERGY_TO_KCAL, "Energy", location)
    average = maximum = elevation = None
    # Exports since iOS 16 move distance, energy and heart rate into WorkoutStatistics children.
    for child in element:
        if child.tag == "WorkoutStatistics":
            kind = child.get("type", "")
            if kind.startswith(DISTANCE_PREFIX) and distance is None:
                total = number(child.get("sum"), f"{kind} sum", location)
                if total is not None:
                    distance = convert(total, child.get("unit"), DISTANCE_TO_M, kind, location)
            elif kind in ENERGY_TYPES and energy is None:
                total = number(child.get("sum"), f"{kind} sum", location)
                if total is not None:
                    energy = convert(total, child.get("unit"), ENERGY_TO_KCAL, kind, location)
            elif kind == HEART_RATE:
                average = number(child.get("average"), "Heart rate average", location)
                maximum = number(child.get("maximum"), "Heart rate maximum", location)
        elif child.tag == "MetadataEntry" and child.get("key") == ELEVATION_KEY:
            raw = (child.get("value") or "").split()
            if len(raw) == 2:
                gain = number(raw[0], "Elevation ascended", location)
                if gain is not None:
                    elevation = convert(gain, raw[1], DISTANCE_TO_M, "Elevation ascended", location)
    return ActivityRecord(
        source_id=f"{sport}:{started_at.astimezone(UTC).isoformat()}",
        sport=sport,
        started_at=started_at,
        performed_on=started_at.date(),
        duration_seconds=round(seconds),
        distance_m=round(distance, 1) if distance is not None else None,
        energy_kcal=round(energy, 1) if energy is not None else None,
        avg_heart_rate=round(average) if average is not None else None,
        max_heart_rate=round(maximum) if maximum is not None else None,
        elevation_gain_m=round(elevation, 1) if elevation is not None else None,
    )


def _top_level(stream: _CountingReader) -> Iterator[tuple[int, ElementTree.Element]]:
    """Each element directly under <HealthData>, numbered from 1, dropped from the tree after the caller is done."""
    depth = 0
    root: ElementTree.Element | None = None
    count = 0
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        if event == "start":
            if root is None:
                root = element
            depth += 1
            continue
        depth -= 1
        if depth == 1:
            count += 1
            yield count, element
            # The root keeps every child it has parsed: empty it, or the whole file piles up.
            element.clear()
            assert root is not None
            root.clear()


def parse(path: str, on_progress: Progress = no_progress, **_options: Any) -> ParsedFile:
    """Read an Apple Health export.zip at `path` (streamed), or raise ParseError naming the record."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ParseError("The file is not a readable zip archive.", "file") from None
    parsed = ParsedFile(FORMAT)
    readings = _Readings()
    with archive:
        member = _export_member(archive)
        total = max(member.file_size, 1)
        try:
            with archive.open(member) as raw:
                stream = _CountingReader(raw)
                for count, element in _top_level(stream):
                    location = f"record {count} ({element.tag})"
                    if element.tag == "Record":
                        readings.record(element.attrib, location)
                    elif element.tag == "Workout":
                        parsed.activities.append(_workout(element, location))
                    if count % PROGRESS_EVERY == 0:
                        on_progress(min(stream.read_bytes / total, 1.0))
        except ElementTree.ParseError as error:
            line, column = error.position
            raise ParseError(
                f"export.xml is not well-formed XML ({error.msg}).", f"line {line}, column {column}"
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise ParseError(f"The zip archive is damaged ({error}).", "file") from None
    readings.into(parsed)
    parsed.skipped = readings.skipped
    on_progress(1.0)
    return parsed

"""FIT activity files (Garmin, Wahoo, Coros, Zwift...), read with fitdecode: one activity per session, with its laps."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

import fitdecode

from fitbud.services.importers.records import ActivityRecord, ParsedFile, ParseError, Progress, no_progress
from fitbud.services.importers.units import sport_name

FORMAT = "fit"
# file_id.type of an activity; courses, workouts and settings files hold no activity.
ACTIVITY_FILE = "activity"


def _value(frame: fitdecode.FitDataMessage, name: str) -> Any:
    return frame.get_value(name, fallback=None) if frame.has_field(name) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _heart_rate(value: Any) -> int | None:
    number = _number(value)
    return round(number) if number is not None and 0 < number < 255 else None


def _lap(frame: fitdecode.FitDataMessage) -> dict[str, Any] | None:
    start = _aware(_value(frame, "start_time"))
    if start is None:
        return None
    seconds = _number(_value(frame, "total_timer_time")) or _number(_value(frame, "total_elapsed_time")) or 0.0
    distance = _number(_value(frame, "total_distance"))
    return {
        "start": start.isoformat(),
        "duration_seconds": round(seconds),
        "distance_m": round(distance, 1) if distance is not None else None,
        "avg_heart_rate": _heart_rate(_value(frame, "avg_heart_rate")),
        "max_heart_rate": _heart_rate(_value(frame, "max_heart_rate")),
    }


def _activity(
    session: fitdecode.FitDataMessage, laps: list[dict[str, Any]], zone: tzinfo, location: str
) -> ActivityRecord:
    start = _aware(_value(session, "start_time"))
    if start is None:
        raise ParseError("The session has no start_time.", location)
    elapsed = _number(_value(session, "total_elapsed_time"))
    moving = _number(_value(session, "total_timer_time"))
    seconds = moving if moving is not None else elapsed
    if seconds is None or seconds < 0:
        raise ParseError("The session has no duration (total_timer_time).", location)
    end = start.timestamp() + (elapsed if elapsed is not None else seconds)
    sport = sport_name(str(_value(session, "sport") or "generic"))
    distance = _number(_value(session, "total_distance"))
    energy = _number(_value(session, "total_calories"))
    ascent = _number(_value(session, "total_ascent"))
    return ActivityRecord(
        source_id=f"{sport}:{start.astimezone(UTC).isoformat()}",
        sport=sport,
        started_at=start,
        performed_on=start.astimezone(zone).date(),
        duration_seconds=round(seconds),
        distance_m=round(distance, 1) if distance is not None else None,
        energy_kcal=energy,
        avg_heart_rate=_heart_rate(_value(session, "avg_heart_rate")),
        max_heart_rate=_heart_rate(_value(session, "max_heart_rate")),
        elevation_gain_m=ascent,
        laps=tuple(lap for lap in laps if start.timestamp() <= datetime.fromisoformat(lap["start"]).timestamp() <= end),
    )


def parse(path: str, on_progress: Progress = no_progress, *, timezone: tzinfo = UTC, **_options: Any) -> ParsedFile:
    """Read a FIT file: every session becomes an activity; a damaged file raises ParseError naming the record.

    `timezone` (the client's) gives each activity its calendar day: FIT times are UTC.
    """
    sessions: list[tuple[int, fitdecode.FitDataMessage]] = []
    laps: list[dict[str, Any]] = []
    count = 0
    try:
        with fitdecode.FitReader(
            path, check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.RAISE
        ) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                count += 1
                if frame.name == "file_id":
                    kind = _value(frame, "type")
                    if kind is not None and kind != ACTIVITY_FILE:
                        raise ParseError(
                            f"This FIT file is a {kind} file, not an activity.", f"record {count} (file_id)"
                        )
                elif frame.name == "session":
                    sessions.append((count, frame))
                elif frame.name == "lap":
                    lap = _lap(frame)
                    if lap is not None:
                        laps.append(lap)
    except fitdecode.FitError as error:
        raise ParseError(f"The FIT file is damaged: {error}", f"record {count + 1}") from None
    except (ValueError, TypeError, KeyError) as error:
        # fitdecode decodes field values with the FIT profile; a value that does not fit it lands here.
        raise ParseError(f"The FIT file holds a value that cannot be read ({error}).", f"record {count + 1}") from None
    if not sessions:
        raise ParseError("The FIT file holds no activity session.", "file")
    parsed = ParsedFile(FORMAT)
    for number, session in sessions:
        parsed.activities.append(_activity(session, laps, timezone, f"record {number} (session)"))
    on_progress(1.0)
    return parsed

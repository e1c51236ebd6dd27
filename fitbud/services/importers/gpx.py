"""GPX tracks, read with gpxpy: one activity per track, with its start, duration, distance and elevation gain."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

import gpxpy
import gpxpy.gpx

from fitbud.services.importers.records import ActivityRecord, ParsedFile, ParseError, Progress, no_progress
from fitbud.services.importers.units import sport_name

FORMAT = "gpx"


def _aware(moment: datetime) -> datetime:
    """GPX times are UTC ("Z"); one written without a zone is taken as UTC too."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _activity(track: gpxpy.gpx.GPXTrack, zone: tzinfo, location: str) -> ActivityRecord | None:
    if not any(segment.points for segment in track.segments):
        return None
    bounds = track.get_time_bounds()
    if bounds.start_time is None or bounds.end_time is None:
        raise ParseError("The track's points have no times, so it has no start or duration.", location)
    start, end = _aware(bounds.start_time), _aware(bounds.end_time)
    sport = sport_name(track.type) if track.type and not track.type.isdigit() else "other"
    distance = track.length_3d() or track.length_2d()
    climb = track.get_uphill_downhill().uphill
    return ActivityRecord(
        source_id=f"{sport}:{start.astimezone(UTC).isoformat()}",
        sport=sport,
        started_at=start,
        performed_on=start.astimezone(zone).date(),
        duration_seconds=round((end - start).total_seconds()),
        distance_m=round(distance, 1) if distance else None,
        elevation_gain_m=round(climb, 1) if climb else None,
    )


def parse(path: str, on_progress: Progress = no_progress, *, timezone: tzinfo = UTC, **_options: Any) -> ParsedFile:
    """Read a GPX file's tracks; bad XML or a track without times raises ParseError naming it."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = gpxpy.parse(handle)
    except UnicodeDecodeError:
        raise ParseError("The GPX file is not UTF-8 text.", "file") from None
    except gpxpy.gpx.GPXException as error:
        # gpxpy's message carries the XML parser's line and column.
        raise ParseError(f"The GPX file cannot be read: {error}", "file") from None
    parsed = ParsedFile(FORMAT)
    for number, track in enumerate(document.tracks, start=1):
        activity = _activity(track, timezone, f"track {number}")
        if activity is not None:
            parsed.activities.append(activity)
    if not parsed.activities:
        raise ParseError("The GPX file holds no track with points.", "file")
    on_progress(1.0)
    return parsed

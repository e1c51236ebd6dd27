"""Readers for other apps' and devices' files: each turns a file into records (importers/records.py).

`detect` tells a file's format from its first bytes (never from its name alone); `parse` reads it.
Libraries: fitdecode (FIT), gpxpy (GPX), ElementTree's iterparse (Apple Health), csv (Strong, Hevy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fitbud.services.importers import apple_health, fit, gpx, strength_csv
from fitbud.services.importers.records import ParsedFile, ParseError, Progress, no_progress

__all__ = ["FORMATS", "ParseError", "ParsedFile", "detect", "parse"]

# How many bytes `detect` looks at: a CSV header, an XML prolog and the start of <gpx ...>.
HEAD_BYTES = 4096
PARSERS: dict[str, Callable[..., ParsedFile]] = {
    apple_health.FORMAT: apple_health.parse,
    fit.FORMAT: fit.parse,
    gpx.FORMAT: gpx.parse,
    strength_csv.STRONG: strength_csv.parse,
    strength_csv.HEVY: strength_csv.parse,
}
FORMATS = tuple(PARSERS)
UNKNOWN = (
    "This is not a file we can import: send Apple Health's export.zip, a .fit or .gpx activity, "
    "or a Strong or Hevy CSV export."
)


def detect(path: str) -> str:
    """The format of the file at `path`, from its content; ParseError when it is none we read."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return apple_health.FORMAT
    # A FIT file's header: its size (12 or 14) first, ".FIT" at bytes 8 to 11.
    if len(head) >= 12 and head[0] in (12, 14) and head[8:12] == b".FIT":
        return fit.FORMAT
    if b"<gpx" in head.lower():
        return gpx.FORMAT
    kind = strength_csv.sniff(head)
    if kind is not None:
        return kind
    raise ParseError(UNKNOWN, "file")


def parse(path: str, format: str, on_progress: Progress = no_progress, **options: Any) -> ParsedFile:
    """Read the file at `path` as `format` (options: timezone for FIT and GPX days, unit_system for old Strong CSVs)."""
    return PARSERS[format](path, on_progress, **options)

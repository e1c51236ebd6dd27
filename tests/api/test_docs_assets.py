"""The vendored API docs viewers are pinned: each file matches the version and hash NOTICE.md records."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

VENDORED = Path(__file__).resolve().parents[2] / "fitbud" / "static" / "openapi"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| (?P<package>[\w-]+) \| (?P<version>\d+\.\d+\.\d+) \| `(?P<sha256>[0-9a-f]{64})` \|",
    re.M,
)


def _recorded() -> list[dict[str, str]]:
    return [match.groupdict() for match in ROW.finditer((VENDORED / "NOTICE.md").read_text())]


def test_notice_records_every_vendored_script_and_stylesheet():
    served = {str(path.relative_to(VENDORED)) for path in VENDORED.rglob("*") if path.suffix in (".js", ".css")}

    assert {row["file"] for row in _recorded()} == served
    pinned = {(row["package"], row["version"]) for row in _recorded()}
    assert pinned == {("swagger-ui-dist", "5.36.0"), ("redoc", "2.5.4")}


@pytest.mark.parametrize("row", _recorded(), ids=lambda row: row["file"])
def test_each_vendored_file_is_the_one_recorded(row):
    content = (VENDORED / row["file"]).read_bytes()

    assert hashlib.sha256(content).hexdigest() == row["sha256"]


@pytest.mark.parametrize("package", ["swagger-ui-dist", "redoc"])
def test_each_package_carries_its_recorded_version(package):
    rows = [row for row in _recorded() if row["package"] == package]

    assert any(row["version"].encode() in (VENDORED / row["file"]).read_bytes() for row in rows)


@pytest.mark.parametrize("page, asset_names", [("/api/docs", 3), ("/api/redoc", 1)])
def test_the_docs_pages_name_the_pinned_files_and_nothing_from_elsewhere(http, page, asset_names):
    html = http.get(page).get_data(as_text=True)
    recorded = {f"/static/openapi/{row['file']}" for row in _recorded()}
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert len(assets) == asset_names and set(assets) <= recorded
    assert not re.search(r"https?://", html)

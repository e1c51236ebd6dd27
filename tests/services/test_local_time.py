"""One home for a timezone name's zone (UTC when unknown) and for "today" where a person is."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from fitbud.services.local_time import local_today, zone_named, zone_of


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", None, "../etc/passwd"])
def test_a_missing_or_unknown_name_is_utc(name):
    assert zone_named(name).key == "UTC"


def test_a_known_name_is_its_zone():
    assert zone_named("Europe/Berlin").key == "Europe/Berlin"


def test_a_person_with_an_unknown_zone_lives_in_utc():
    assert zone_of(SimpleNamespace(timezone="Nowhere/Special")).key == "UTC"


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [("Pacific/Auckland", date(2026, 1, 11)), ("America/Los_Angeles", date(2026, 1, 10)), ("UTC", date(2026, 1, 10))],
)
def test_today_is_the_persons_calendar_date(timezone, expected):
    now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    assert local_today(SimpleNamespace(timezone=timezone), now) == expected

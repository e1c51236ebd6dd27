"""Fixtures for analytics tests (API, dashboards, reports too): the hand-checked world on its day."""

from datetime import UTC, datetime

import pytest

from tests.analytics.world import build_world


@pytest.fixture
def on_world_day(time_machine):
    """The clock at noon UTC on the world's today (Wed 2026-03-18), still ticking."""
    time_machine.move_to(datetime(2026, 3, 18, 12, 0, tzinfo=UTC), tick=True)


@pytest.fixture
def world(app, on_world_day):
    """The data set of tests/analytics/world.py."""
    return build_world()

"""Weeks are truncated in one place (analytics.sql.period_start): a date's Monday, on SQLite and PostgreSQL alike."""

from datetime import date, timedelta

import pytest
from sqlalchemy import Date, literal, select

from fitbud.analytics.queries import truncate
from fitbud.extensions import db


def _monday_of(day: date) -> str:
    return db.session.execute(select(truncate(literal(day, Date()), "week"))).scalar_one()


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_a_week_maps_to_its_monday(app, offset):
    monday = date(2026, 3, 2)
    assert _monday_of(monday + timedelta(days=offset)) == monday.isoformat()


def test_week_across_a_year_boundary(app):
    assert _monday_of(date(2027, 1, 1)) == "2026-12-28"

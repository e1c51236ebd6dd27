"""week_start() groups dates by ISO week (Monday) in SQLite and PostgreSQL alike."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.services.sql_dates import week_start


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_a_week_maps_to_its_monday(app, offset):
    monday = date(2026, 3, 2)
    day = monday + timedelta(days=offset)
    assert db.session.execute(select(week_start(day))).scalar_one() == monday


def test_week_across_a_year_boundary(app):
    assert db.session.execute(select(week_start(date(2027, 1, 1)))).scalar_one() == date(2026, 12, 28)

"""The demo seed gives the dashboards a history, once."""

from sqlalchemy import func, select

from fitbud.demo import seed_demo
from fitbud.extensions import db
from fitbud.models import BodyMetric, TrainingSession, WorkoutLog
from fitbud.services.analytics import overview_for


def _counts():
    return tuple(
        db.session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in (WorkoutLog, BodyMetric, TrainingSession)
    )


def test_demo_history_fills_the_overview_and_is_seeded_once(demo_world):
    world = demo_world
    first = _counts()
    assert all(first)
    overview = overview_for(world.trainer)
    assert overview.kpis["active_clients"] == 5 and overview.kpis["average_adherence"] is not None
    assert "Diego Alvarez" in overview.attention["name"].tolist()  # quiet for 11 days
    seed_demo()
    assert _counts() == first

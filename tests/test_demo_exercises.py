"""The demo's exercise step: custom exercises and a generated draft, created once."""

from sqlalchemy import func, select

from fitbud.demo import seed_demo
from fitbud.extensions import db
from fitbud.models import Exercise, PlanTemplate


def _counts() -> tuple[int, int]:
    customs = db.session.execute(
        select(func.count()).select_from(Exercise).where(Exercise.owner_id.is_not(None))
    ).scalar_one()
    drafts = db.session.execute(
        select(func.count()).select_from(PlanTemplate).where(PlanTemplate.source == "generated")
    ).scalar_one()
    return customs, drafts


def test_seed_demo_adds_exercise_data_once(demo_world):
    assert _counts() == (2, 1)
    seed_demo()
    assert _counts() == (2, 1)

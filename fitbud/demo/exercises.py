"""Demo exercise data: the demo trainer's custom exercises and one generated plan draft."""

from __future__ import annotations

from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import Exercise, PlanTemplate
from fitbud.services.exercises import create_custom
from fitbud.services.plan_generation import generate_plan

CUSTOM_EXERCISES = (
    {
        "name": "Tempo Goblet Squat (3 s down)", "category": "strength", "movement_pattern": "squat",
        "primary_muscles": ["quadriceps", "glutes"], "secondary_muscles": ["adductors", "abs"],
        "equipment": "kettlebell", "level": "beginner",
        "instructions": "Goblet squat with a slow three-second descent and a one-second pause at the bottom.",
    },
    {
        "name": "Landmine Row", "category": "strength", "movement_pattern": "horizontal_pull",
        "primary_muscles": ["upper_back", "lats"], "secondary_muscles": ["biceps", "rear_delts"],
        "equipment": "barbell", "level": "intermediate", "unilateral": True,
        "instructions": "Straddle an anchored barbell, hinge, and row the sleeve to the hip with one hand.",
    },
)
DRAFT_REQUEST = {
    "goal": "general_fitness", "experience": "beginner", "days_per_week": 3, "session_minutes": 45,
    "equipment": ["dumbbell", "kettlebell", "bench", "band"], "avoid": [], "seed": 2026,
}


def seed_exercises(world) -> None:
    """Two custom exercises and a saved rule-based draft for the demo trainer (each created once)."""
    trainer = world.trainer
    existing = set(db.session.execute(select(Exercise.name).where(Exercise.owner_id == trainer.id)).scalars())
    for exercise in CUSTOM_EXERCISES:
        if exercise["name"] not in existing:
            create_custom(trainer, dict(exercise))
    has_draft = db.session.execute(
        select(PlanTemplate.id).where(PlanTemplate.trainer_id == trainer.id, PlanTemplate.source == "generated")
    ).first()
    if has_draft is None:
        generate_plan(trainer, DRAFT_REQUEST, save=True)

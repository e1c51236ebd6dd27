"""seed-demo gives the demo trainer templates, fills the clients' profiles and assigns them plans."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from fitbud.demo.accounts import DEMO_TRAINER_EMAIL, seed_accounts
from fitbud.demo.plans import EXERCISES, seed_plans
from fitbud.extensions import db
from fitbud.models import Client, Exercise, PlanAssignment, PlanKind, PlanTemplate, User
from fitbud.services.exercises import unknown_exercise_ids
from fitbud.services.local_time import local_today
from fitbud.services.plan_content import exercise_ids


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in (PlanTemplate, PlanAssignment, Exercise, Client)
    )


def _seed_plans() -> None:
    # The plans step needs only the accounts; tests/test_cli.py runs the whole demo twice.
    seed_plans(seed_accounts())


def test_seed_gives_the_trainer_templates_and_every_client_a_workout_and_a_diet(app):
    _seed_plans()
    trainer = db.session.execute(select(User).where(User.email == DEMO_TRAINER_EMAIL)).scalar_one()
    templates = db.session.execute(select(PlanTemplate).where(PlanTemplate.trainer_id == trainer.id)).scalars().all()
    names = {template.name for template in templates}
    assert {"4-Week Strength Block", "3-Day Full Body", "Lean Cut 2,000 kcal"} <= names
    strength = next(t for t in templates if t.name == "4-Week Strength Block")
    assert len(strength.content["weeks"]) == 4
    clients = db.session.execute(select(Client).where(Client.trainer_id == trainer.id)).scalars().all()
    for client in clients:
        kinds = db.session.execute(
            select(PlanAssignment.kind).where(PlanAssignment.client_id == client.id)
        ).scalars().all()
        assert sorted(kinds) == [PlanKind.DIET, PlanKind.WORKOUT]


def test_seed_fills_profiles_with_an_injury(app):
    _seed_plans()
    clients = db.session.execute(
        select(Client).options(undefer(Client.health_details), undefer(Client.private_notes))
    ).scalars().all()
    assert all(client.goals and client.height_cm and client.starting_weight_kg for client in clients)
    assert any(client.health_details["injuries"] for client in clients)


def test_seeded_assignments_are_active_today(app):
    _seed_plans()
    for assignment in db.session.execute(select(PlanAssignment)).scalars():
        client = db.session.get(Client, assignment.client_id)
        assert assignment.is_active_on(local_today(client))


def test_seed_uses_builtin_exercises_or_falls_back_to_custom_ones(app):
    _seed_plans()
    trainer = db.session.execute(select(User).where(User.email == DEMO_TRAINER_EMAIL)).scalar_one()
    for spec in EXERCISES.values():
        builtin = db.session.execute(
            select(Exercise).where(Exercise.slug == spec.slug, Exercise.owner_id.is_(None))
        ).scalar_one_or_none()
        custom = db.session.execute(
            select(Exercise).where(Exercise.owner_id == trainer.id, Exercise.name == spec.name)
        ).scalar_one_or_none()
        assert (builtin is None) != (custom is None), spec.slug
    workouts = db.session.execute(select(PlanTemplate).where(PlanTemplate.kind == PlanKind.WORKOUT)).scalars()
    for template in workouts:
        assert unknown_exercise_ids(trainer.id, exercise_ids(template.content)) == set()

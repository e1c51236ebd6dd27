"""The demo's progress history: six plausible months per client, plan-following, idempotent, repeatable."""

from datetime import timedelta

from sqlalchemy import delete, func, select

from fitbud.demo.accounts import seed_accounts
from fitbud.demo.progress import HISTORY_DAYS, PROFILES, seed_progress
from fitbud.extensions import db
from fitbud.models import ActivityEvent, BodyMetric, CheckIn, Client, MealLog, WorkoutLog, WorkoutSet
from fitbud.services.local_time import local_today
from tests.factories import ExerciseFactory, PlanAssignmentFactory


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in (WorkoutLog, WorkoutSet, MealLog, CheckIn, BodyMetric, ActivityEvent)
    }


def test_every_client_gets_six_months_trending_to_goal_and_running_twice_adds_nothing(demo_world):
    world = demo_world  # the whole demo, as seed-demo leaves it (progress follows the plans it assigns)
    for client in world.clients:
        today = local_today(client)
        first, count = db.session.execute(
            select(func.min(WorkoutLog.performed_on), func.count()).where(WorkoutLog.client_id == client.id)
        ).one()
        assert first <= today - timedelta(days=HISTORY_DAYS - 7)
        weeks = HISTORY_DAYS / 7
        assert 2 * weeks <= count <= 3 * weeks  # three a week, minus missed sessions
        weights = list(
            db.session.execute(
                select(BodyMetric.value)
                .where(BodyMetric.client_id == client.id, BodyMetric.metric == "weight")
                .order_by(BodyMetric.measured_on)
            ).scalars()
        )
        profile = PROFILES[client.email]
        early, late = sum(weights[:10]) / 10, sum(weights[-10:]) / 10
        assert abs(late - profile.goal_kg) < abs(early - profile.goal_kg)
        assert db.session.execute(select(func.count()).where(CheckIn.client_id == client.id)).scalar_one() >= 18
        assert db.session.get(Client, client.id).last_activity_at is not None
    before = _counts()
    assert before["activity_events"] > 0 and before["meal_logs"] > 0
    seed_progress(seed_accounts())
    assert _counts() == before


def test_workouts_follow_the_active_assignment(app):
    world = seed_accounts()
    ava = world.clients[0]
    exercise = ExerciseFactory(owner=world.trainer)
    train = {"name": "Train", "items": [{"exercise_id": exercise.id, "sets": 4, "reps": "5-8"}]}
    content = {"weeks": [{"days": [train, {"name": "Rest", "rest": True}, train]}]}
    start = local_today(ava) - timedelta(days=28)
    assignment = PlanAssignmentFactory(client=ava, content=content, start_date=start)
    seed_progress(world)
    logs = list(db.session.execute(select(WorkoutLog).where(WorkoutLog.client_id == ava.id)).scalars())
    assert logs and all((log.performed_on - start).days % 7 in (0, 2) for log in logs)
    linked = [log for log in logs if log.assignment_id == assignment.id]
    assert linked and all(log.performed_on >= start and log.sets_planned == 4 for log in linked)
    assert all(log.assignment_id is None for log in logs if log.performed_on < start)


def test_reseeding_a_client_reproduces_the_same_history(demo_world):
    world = demo_world
    ava = world.clients[0]

    def signature():
        return db.session.execute(
            select(WorkoutLog.performed_on, WorkoutLog.total_volume_kg)
            .where(WorkoutLog.client_id == ava.id)
            .order_by(WorkoutLog.performed_on)
        ).all()

    first = signature()
    for model in (WorkoutLog, MealLog, CheckIn, BodyMetric):
        db.session.execute(delete(model).where(model.client_id == ava.id))
    db.session.commit()
    seed_progress(world)
    assert signature() == first

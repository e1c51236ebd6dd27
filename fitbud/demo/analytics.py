"""Demo history for the dashboards: four months of workouts, meals, weigh-ins, check-ins and sessions.

Only clients with no workout logged get a history, so running the seed twice changes nothing,
and a domain that seeds richer logs of its own (earlier in seed_demo) is left alone.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from fitbud.demo.accounts import DemoWorld
from fitbud.extensions import db
from fitbud.models import (
    BodyMetric,
    CheckIn,
    Client,
    Exercise,
    MealLog,
    PlanAssignment,
    PlanKind,
    SessionStatus,
    SessionType,
    TrainingSession,
    WorkoutLog,
    WorkoutSet,
)

HISTORY_DAYS = 120
# Per demo client: how reliably they train, their start weight and weekly change, and whether
# they went quiet recently (so the attention list has someone on it).
PROFILES = [
    {"adherence": 0.92, "weight": 68.0, "weekly": -0.25, "quiet_days": 0, "months_ago": 7},
    {"adherence": 0.7, "weight": 92.0, "weekly": -0.5, "quiet_days": 0, "months_ago": 5},
    {"adherence": 0.8, "weight": 61.0, "weekly": 0.1, "quiet_days": 0, "months_ago": 4},
    {"adherence": 0.45, "weight": 84.0, "weekly": -0.1, "quiet_days": 11, "months_ago": 2},
    {"adherence": 0.85, "weight": 73.0, "weekly": -0.3, "quiet_days": 0, "months_ago": 1},
]
# (built-in slug, name of the custom stand-in when the library is not loaded, starting load kg)
LIFTS = [
    ("barbell-back-squat", "Back squat", 60.0),
    ("barbell-bench-press", "Bench press", 45.0),
    ("conventional-deadlift", "Deadlift", 80.0),
    ("overhead-press", "Overhead press", 30.0),
]


def _exercises(trainer_id: int) -> list[Exercise]:
    found = []
    for slug, name, _start in LIFTS:
        exercise = db.session.execute(
            select(Exercise).where(Exercise.slug == slug, Exercise.owner_id.is_(None))
        ).scalar_one_or_none() or db.session.execute(
            select(Exercise).where(Exercise.owner_id == trainer_id, Exercise.name == name)
        ).scalar_one_or_none()
        if exercise is None:
            exercise = Exercise(
                owner_id=trainer_id,
                name=name,
                category="strength",
                equipment="barbell",
                primary_muscles=[],
                secondary_muscles=[],
            )
            db.session.add(exercise)
        found.append(exercise)
    db.session.flush()
    return found


def _workout_plan(exercises: list[Exercise]) -> dict:
    def day(name: str, picks: list[Exercise]) -> dict:
        return {"name": name, "items": [{"exercise_id": e.id, "sets": 3, "reps": "5-8"} for e in picks]}

    rest = {"name": "Rest", "rest": True}
    squat, bench, deadlift, press = exercises
    return {
        "weeks": [
            {
                "name": "Strength",
                "days": [
                    day("Lower", [squat, deadlift]),
                    rest,
                    day("Upper", [bench, press]),
                    rest,
                    day("Full body", [squat, bench]),
                ],
            }
        ]
    }


DIET = {
    "days": [
        {
            "name": "Every day",
            "meals": [
                {
                    "name": "Breakfast",
                    "time": "08:00",
                    "items": [
                        {"food": "Oats", "quantity": 80, "unit": "g", "kcal": 300, "protein": 10, "carbs": 54, "fat": 6}
                    ],
                },
                {
                    "name": "Lunch",
                    "time": "13:00",
                    "items": [
                        {
                            "food": "Chicken and rice",
                            "quantity": 400,
                            "unit": "g",
                            "kcal": 750,
                            "protein": 55,
                            "carbs": 90,
                            "fat": 15,
                        }
                    ],
                },
                {
                    "name": "Dinner",
                    "time": "19:00",
                    "items": [
                        {
                            "food": "Salmon and potatoes",
                            "quantity": 450,
                            "unit": "g",
                            "kcal": 850,
                            "protein": 45,
                            "carbs": 70,
                            "fat": 35,
                        }
                    ],
                },
            ],
        }
    ],
    "targets": {"kcal": 2000, "protein": 140, "carbs": 220, "fat": 60},
}


def _history(client: Client, trainer_id: int, profile: dict, exercises: list[Exercise], today: date) -> None:
    rng = random.Random(client.email)
    start = today - timedelta(days=HISTORY_DAYS)
    start -= timedelta(days=start.weekday())  # plans start on a Monday
    content = _workout_plan(exercises)
    db.session.add_all(
        [
            PlanAssignment(
                client_id=client.id,
                trainer_id=trainer_id,
                kind=PlanKind.WORKOUT,
                name="Strength basics",
                plan_version=1,
                content=content,
                start_date=start,
            ),
            PlanAssignment(
                client_id=client.id,
                trainer_id=trainer_id,
                kind=PlanKind.DIET,
                name="Balanced 2000",
                plan_version=1,
                content=DIET,
                start_date=start,
            ),
        ]
    )
    last_logged = today - timedelta(days=profile["quiet_days"] or 1)
    training_offsets = {
        0: [exercises[0], exercises[2]],
        2: [exercises[1], exercises[3]],
        4: [exercises[0], exercises[1]],
    }
    loads = {exercise.id: base for exercise, (_slug, _name, base) in zip(exercises, LIFTS, strict=True)}
    weight = profile["weight"]
    day = start
    while day <= last_logged:
        offset = (day - start).days % 7
        if offset in training_offsets and rng.random() < profile["adherence"]:
            log = WorkoutLog(
                client_id=client.id,
                performed_on=day,
                duration_minutes=rng.randint(45, 75),
                perceived_effort=rng.randint(6, 9),
                sets_planned=6,
            )
            volume, sets = 0.0, []
            for order, exercise in enumerate(training_offsets[offset]):
                loads[exercise.id] += rng.choice([0.0, 1.25, 2.5])
                for number in range(1, 4):
                    reps = rng.randint(5, 8)
                    sets.append(
                        WorkoutSet(
                            exercise_id=exercise.id,
                            exercise_order=order,
                            set_number=number,
                            reps=reps,
                            weight_kg=loads[exercise.id],
                        )
                    )
                    volume += reps * loads[exercise.id]
            log.sets, log.total_volume_kg, log.sets_done = sets, round(volume, 1), len(sets)
            db.session.add(log)
        weight += profile["weekly"] / 7 + rng.gauss(0, 0.25) * 0.3
        if rng.random() < 0.8:
            db.session.add(BodyMetric(client_id=client.id, measured_on=day, metric="weight", value=round(weight, 1)))
        if offset == 6:
            db.session.add(
                BodyMetric(
                    client_id=client.id,
                    measured_on=day,
                    metric="waist",
                    value=round(80 + (weight - profile["weight"]) * 0.8 + rng.gauss(0, 0.3), 1),
                )
            )
            replied = day < today - timedelta(days=7)
            db.session.add(
                CheckIn(
                    client_id=client.id,
                    submitted_on=day,
                    weight_kg=round(weight, 1),
                    sleep_hours=round(rng.uniform(6, 8.5), 1),
                    stress=rng.randint(2, 7),
                    energy=rng.randint(4, 9),
                    adherence=rng.randint(5, 10),
                    answers={"wins": "Kept to the plan most days."},
                    trainer_comment="Great week, keep going." if replied else None,
                    replied_at=datetime.combine(day + timedelta(days=1), time(9), tzinfo=UTC) if replied else None,
                )
            )
        for meal, share in (("Breakfast", 0.25), ("Lunch", 0.35), ("Dinner", 0.4)):
            if rng.random() < 0.85:
                kcal = round(2000 * share * rng.uniform(0.8, 1.25))
                db.session.add(
                    MealLog(
                        client_id=client.id,
                        eaten_on=day,
                        meal_name=meal,
                        kcal=kcal,
                        protein_g=round(kcal * 0.07),
                        carbs_g=round(kcal * 0.11),
                        fat_g=round(kcal * 0.03),
                    )
                )
        day += timedelta(days=1)

    session_day = start + timedelta(days=1)
    while session_day <= today + timedelta(days=14):
        starts = datetime.combine(session_day, time(7 + client.id % 10), tzinfo=UTC)
        if session_day > today:
            status = SessionStatus.SCHEDULED
        elif session_day > last_logged:
            status = SessionStatus.NO_SHOW
        else:
            status = rng.choices([SessionStatus.COMPLETED, SessionStatus.NO_SHOW, SessionStatus.CANCELLED], [8, 1, 1])[
                0
            ]
        db.session.add(
            TrainingSession(
                trainer_id=trainer_id,
                client_id=client.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                duration_minutes=60,
                type=SessionType.IN_PERSON,
                status=status,
            )
        )
        session_day += timedelta(days=7)
    # Spread sign-ups over the last months so the growth chart has a shape.
    client.created_at = datetime.combine(today - timedelta(days=30 * profile["months_ago"]), time(10), tzinfo=UTC)


def seed_analytics(world: DemoWorld) -> None:
    """Give each demo client without workouts four months of history; commit."""
    today = datetime.now(UTC).date()
    exercises: list[Exercise] | None = None
    for client, profile in zip(world.clients, PROFILES, strict=False):
        has_logs = db.session.execute(
            select(func.count(WorkoutLog.id)).where(WorkoutLog.client_id == client.id)
        ).scalar_one()
        if has_logs:
            continue
        exercises = exercises or _exercises(world.trainer.id)
        _history(client, world.trainer.id, profile, exercises, today)
    db.session.commit()

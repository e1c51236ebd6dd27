"""A small hand-checked data set: every figure the analytics tests assert is worked out below.

Today is Wednesday 2026-03-18 (UTC). Trainer "T" has four clients:
  Ana  created 2026-01-10; workout plan from Mon 2026-02-02: Mon and Wed (Tue rest).
       Workouts 02-23 02-25 03-03 03-09 03-10 03-11 03-16; weights 80.0 79.6 79.0 (03-14 check-in
       78.8) 78.6; waist 90.0 -> 88.5; one check-in unanswered (03-14), one answered (03-07);
       diet from 03-01 targeting 2000 kcal; meals 02-28 2500, 03-15 900+1200, 03-16 1800.
  Ben  created 2026-02-15, no plan; weigh-in 03-05, two unanswered check-ins (03-01, 03-08),
       a no-show on 03-17: quiet for 10 days.
  Cat  created 2025-12-05, archived 2026-02-20 (churned in February), an unanswered check-in.
  Dan  created 2026-03-02; plan from 03-02: Mon and Thu; workouts 03-02 03-09 03-16.
Trainer "O" has one client, Xia, who logs on the same days and must never show up for T.

Adherence over 02-23..03-17 (today excluded): Ana planned 7 (2+2+2+1 per week), did 2,1,3,1
days -> matched 2+1+2+1 = 6 -> 85.7 %; Dan planned 5 (03-02 03-05 03-09 03-12 03-16), did 3
-> 60.0 %; average of exact ratios (6/7 + 3/5)/2 = 72.857 -> 72.9 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

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
    User,
    WorkoutLog,
    WorkoutSet,
)
from tests.factories import AdminFactory, TrainerFactory

TODAY = date(2026, 3, 18)
FIRST = date(2026, 2, 23)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """An aware UTC datetime on `day`."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def d(text: str) -> date:
    """A date from 'MM-DD' in 2026 (or a full ISO date)."""
    return date.fromisoformat(text if len(text) > 5 else f"2026-{text}")


@dataclass
class World:
    """The objects tests refer to."""

    trainer: User
    other: User
    admin: User
    ana: Client
    ben: Client
    cat: Client
    dan: Client
    xia: Client
    squat: Exercise
    bench: Exercise


def _workout(client: Client, day: str, volume: float, sets: int, lifts: list[tuple[Exercise, int, float]] = ()) -> None:
    log = WorkoutLog(
        client_id=client.id, performed_on=d(day), total_volume_kg=volume, sets_done=sets, duration_minutes=60
    )
    db.session.add(log)
    db.session.flush()
    for order, (exercise, reps, weight) in enumerate(lifts):
        db.session.add(
            WorkoutSet(
                workout_log_id=log.id,
                exercise_id=exercise.id,
                exercise_order=order,
                set_number=order + 1,
                reps=reps,
                weight_kg=weight,
            )
        )


def _session(trainer: User, client: Client, starts: datetime, status: SessionStatus) -> None:
    db.session.add(
        TrainingSession(
            trainer_id=trainer.id,
            client_id=client.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            duration_minutes=60,
            type=SessionType.IN_PERSON,
            status=status,
        )
    )


def _plan(client: Client, start: str, days: list[bool], exercise: Exercise) -> None:
    content = {
        "weeks": [
            {
                "days": [
                    {"name": "Train", "items": [{"exercise_id": exercise.id, "sets": 3, "reps": 5}]}
                    if train
                    else {"name": "Rest", "rest": True}
                    for train in days
                ]
            }
        ]
    }
    db.session.add(
        PlanAssignment(
            client_id=client.id,
            trainer_id=client.trainer_id,
            kind=PlanKind.WORKOUT,
            name="Strength",
            plan_version=1,
            content=content,
            start_date=d(start),
        )
    )


def build_world() -> World:
    """Create the data set described in the module docstring and commit it."""
    trainer = TrainerFactory(name="Trainer T", created_at=at(d("2025-11-03")), last_login_at=at(d("03-17")))
    other = TrainerFactory(name="Trainer O", created_at=at(d("03-03")), last_login_at=at(d("02-01")))
    admin = AdminFactory(created_at=at(d("2025-10-01")), last_login_at=at(d("03-18"), 8))

    def client(owner: User, name: str, created: str, archived: str | None = None) -> Client:
        record = Client(
            trainer_id=owner.id,
            email=f"{name.lower()}@example.com",
            name=name,
            created_at=at(d(created)),
            archived_at=at(d(archived)) if archived else None,
            is_active=archived is None,
        )
        db.session.add(record)
        return record

    ana = client(trainer, "Ana", "01-10")
    ben = client(trainer, "Ben", "02-15")
    cat = client(trainer, "Cat", "2025-12-05", archived="02-20")
    dan = client(trainer, "Dan", "03-02")
    xia = client(other, "Xia", "03-01")
    squat = Exercise(owner_id=trainer.id, name="Squat", category="strength", equipment="barbell")
    bench = Exercise(owner_id=trainer.id, name="Bench press", category="strength", equipment="barbell")
    db.session.add_all([squat, bench])
    db.session.flush()

    _plan(ana, "02-02", [True, False, True], squat)
    _plan(dan, "03-02", [True, False, False, True], squat)
    _plan(xia, "02-02", [True, True, True, True, True, True, True], squat)
    db.session.add(
        PlanAssignment(
            client_id=ana.id,
            trainer_id=trainer.id,
            kind=PlanKind.DIET,
            name="Cut",
            plan_version=1,
            start_date=d("03-01"),
            content={
                "days": [
                    {
                        "name": "Day",
                        "meals": [
                            {
                                "name": "All",
                                "time": "12:00",
                                "items": [
                                    {
                                        "food": "Food",
                                        "quantity": 1,
                                        "unit": "g",
                                        "kcal": 1500,
                                        "protein": 1,
                                        "carbs": 1,
                                        "fat": 1,
                                    }
                                ],
                            }
                        ],
                    }
                ],
                "targets": {"kcal": 2000},
            },
        )
    )

    _workout(ana, "02-23", 1000, 10, [(squat, 5, 100.0), (squat, 5, 100.0), (squat, 3, 105.0)])
    _workout(ana, "02-25", 1200, 12, [(bench, 8, 80.0)])
    _workout(ana, "03-03", 900, 9)
    _workout(ana, "03-09", 1000, 10, [(squat, 2, 110.0)])
    _workout(ana, "03-10", 500, 5)
    _workout(ana, "03-11", 1100, 11)
    _workout(ana, "03-16", 1300, 13, [(squat, 5, 110.0)])
    for day in ("03-02", "03-09", "03-16"):
        _workout(dan, day, 700, 7)
    for day in ("02-23", "03-03", "03-10", "03-16", "03-17"):
        _workout(xia, day, 5000, 50, [(squat, 1, 200.0)])

    for day, kg in (("02-23", 80.0), ("03-02", 79.6), ("03-09", 79.0), ("03-16", 78.6)):
        db.session.add(BodyMetric(client_id=ana.id, measured_on=d(day), metric="weight", value=kg))
    db.session.add(BodyMetric(client_id=ana.id, measured_on=d("02-23"), metric="waist", value=90.0))
    db.session.add(BodyMetric(client_id=ana.id, measured_on=d("03-16"), metric="waist", value=88.5))
    db.session.add(BodyMetric(client_id=ben.id, measured_on=d("03-05"), metric="weight", value=95.0))
    db.session.add(BodyMetric(client_id=xia.id, measured_on=d("03-16"), metric="weight", value=60.0))

    db.session.add(CheckIn(client_id=ana.id, submitted_on=d("03-14"), weight_kg=78.8))
    db.session.add(
        CheckIn(client_id=ana.id, submitted_on=d("03-07"), replied_at=at(d("03-08")), trainer_comment="Good")
    )
    db.session.add(CheckIn(client_id=ben.id, submitted_on=d("03-01")))
    db.session.add(CheckIn(client_id=ben.id, submitted_on=d("03-08")))
    db.session.add(CheckIn(client_id=cat.id, submitted_on=d("02-10")))
    db.session.add(CheckIn(client_id=xia.id, submitted_on=d("03-15")))

    for day, kcal in (("02-28", 2500.0), ("03-15", 900.0), ("03-15", 1200.0), ("03-16", 1800.0)):
        db.session.add(MealLog(client_id=ana.id, eaten_on=d(day), meal_name="Meal", kcal=kcal))
    db.session.add(MealLog(client_id=xia.id, eaten_on=d("03-10"), meal_name="Meal", kcal=3000.0))

    # This week runs Mon 03-16 00:00 to Mon 03-23 00:00 UTC.
    _session(trainer, ana, at(d("03-10"), 10), SessionStatus.COMPLETED)  # last week
    _session(trainer, ana, at(d("03-16"), 10), SessionStatus.COMPLETED)
    _session(trainer, ben, at(d("03-17"), 9), SessionStatus.NO_SHOW)
    _session(trainer, dan, at(d("03-18"), 7), SessionStatus.CANCELLED)
    _session(trainer, ana, at(d("03-19"), 10), SessionStatus.SCHEDULED)
    _session(trainer, dan, at(d("03-20"), 10), SessionStatus.SCHEDULED)
    _session(trainer, ana, at(d("03-22"), 23, 30), SessionStatus.SCHEDULED)
    _session(trainer, ana, at(d("03-23"), 0, 30), SessionStatus.SCHEDULED)  # next week
    _session(other, xia, at(d("03-17"), 9), SessionStatus.NO_SHOW)
    db.session.commit()
    return World(trainer, other, admin, ana, ben, cat, dan, xia, squat, bench)

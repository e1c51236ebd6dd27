"""Demo history: about six months of workouts, meals, weigh-ins and check-ins for each demo client.

Deterministic (one seeded random generator per client) and idempotent (a client who already
has any log is left alone). Workouts follow the client's active workout assignment when the
plans step gave them one, else three sessions a week; meals follow the active diet, else
quick entries around a calorie target. Rows are written in bulk, one commit per client.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, insert, or_, select

from fitbud.extensions import db
from fitbud.models import (
    ActivityEvent,
    ActivityType,
    BodyMetric,
    CheckIn,
    Client,
    Exercise,
    MealLog,
    PlanAssignment,
    PlanKind,
    WorkoutLog,
    WorkoutSet,
)
from fitbud.services.exercises import visible_to
from fitbud.services.local_time import local_today, zone_of
from fitbud.services.plan_content import diet_day_on, workout_day_on

HISTORY_DAYS = 182
# The trainer's feed gets the events of the most recent days only; older history is quiet.
FEED_DAYS = 10


@dataclass(frozen=True)
class Profile:
    """Where a demo client starts and is heading, and how diligent they are."""

    start_kg: float
    goal_kg: float
    body_fat: tuple[float, float]
    waist_cm: tuple[float, float]
    kcal: float
    strength: float
    diligence: float


PROFILES = {
    "ava@fitbud.demo": Profile(74.0, 66.0, (31.0, 26.0), (84.0, 76.0), 1800, 0.7, 0.92),
    "ben@fitbud.demo": Profile(97.0, 87.0, (27.0, 21.0), (102.0, 93.0), 2300, 1.2, 0.75),
    "chloe@fitbud.demo": Profile(56.5, 60.0, (22.0, 22.5), (67.0, 68.0), 2250, 0.65, 0.88),
    "diego@fitbud.demo": Profile(88.0, 81.0, (24.0, 19.0), (95.0, 88.0), 2200, 1.1, 0.82),
    "emma@fitbud.demo": Profile(69.0, 63.5, (29.0, 25.0), (80.0, 74.0), 1750, 0.75, 0.9),
}

# Preferred library exercises (by slug) for clients without a plan, with a starting load in kg
# for a client of strength 1.0; the trainer's own copies are made only if the library is empty.
STARTER_EXERCISES = [
    ("barbell-back-squat", "Barbell Back Squat", 70.0),
    ("barbell-bench-press", "Barbell Bench Press", 55.0),
    ("conventional-deadlift", "Conventional Deadlift", 90.0),
    ("overhead-press", "Overhead Press", 35.0),
    ("barbell-bent-over-row", "Barbell Bent-Over Row", 50.0),
    ("barbell-reverse-lunge", "Barbell Reverse Lunge", 40.0),
]
LOAD_BY_KEYWORD = [
    ("deadlift", 90.0), ("squat", 70.0), ("bench", 55.0), ("row", 50.0), ("lunge", 40.0),
    ("press", 35.0), ("curl", 12.0), ("raise", 8.0),
]
MEAL_SPLIT = [("Breakfast", 0.25), ("Lunch", 0.35), ("Dinner", 0.3), ("Snack", 0.1)]
CHECK_IN_ANSWERS = [
    ("wins", ["Hit all my sessions", "Slept better this week", "More energy at work", "Stuck to my meals"]),
    ("struggles", ["Busy week at work", "Weekend eating out", "Sore knees", "Low motivation midweek"]),
]


def seed_progress(world: Any) -> None:
    """Give every demo client a plausible history; clients who already have logs are skipped."""
    events: list[ActivityEvent] = []
    for client in world.clients:
        if _has_history(client.id):
            continue
        events.extend(_seed_client(client))
        db.session.commit()
    # Feed events go in last, oldest first, so their ids (the feed's order) follow time across clients.
    events.sort(key=lambda event: event.occurred_at)
    db.session.add_all(events)
    db.session.commit()


def _has_history(client_id: int) -> bool:
    return db.session.execute(
        select(
            or_(
                exists().where(WorkoutLog.client_id == client_id),
                exists().where(MealLog.client_id == client_id),
                exists().where(BodyMetric.client_id == client_id),
                exists().where(CheckIn.client_id == client_id),
            )
        )
    ).scalar_one()


def _profile(client: Client, rng: random.Random) -> Profile:
    if client.email in PROFILES:
        return PROFILES[client.email]
    start = rng.uniform(60, 100)
    return Profile(start, start - rng.uniform(3, 8), (28.0, 24.0), (90.0, 84.0), 2000, 1.0, 0.85)


def _active(client_id: int, kind: PlanKind, today: date) -> PlanAssignment | None:
    return db.session.execute(
        select(PlanAssignment)
        .where(
            PlanAssignment.client_id == client_id,
            PlanAssignment.kind == kind,
            PlanAssignment.start_date <= today,
            or_(PlanAssignment.end_date.is_(None), PlanAssignment.end_date >= today),
        )
        .order_by(PlanAssignment.start_date.desc(), PlanAssignment.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _pattern_start(start: date, first_day: date, cycle_days: int) -> date:
    """A plan's start moved back by whole cycles to on or before `first_day`, so the history
    before the plan began follows the same pattern, aligned with the plan's real days."""
    cycles = math.ceil(max((start - first_day).days, 0) / cycle_days)
    return start - timedelta(days=cycles * cycle_days)


def _evening(client: Client, day: date, hour: int = 19) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone_of(client)).astimezone(UTC)


def _seed_client(client: Client) -> list[ActivityEvent]:
    rng = random.Random(f"fitbud-demo-progress:{client.email}")
    profile = _profile(client, rng)
    today = local_today(client)
    days = [today - timedelta(days=n) for n in range(HISTORY_DAYS, 0, -1)]
    weights = _weights(profile, days, rng)
    workouts = _workouts(client, profile, days, today, rng)
    meals = _meals(client, profile, days, today, rng)
    check_ins = _check_ins(client, profile, days, weights, rng)
    db.session.add_all([*workouts, *meals, *check_ins])
    db.session.execute(insert(BodyMetric), _body_metrics(client, profile, days, weights, rng))
    db.session.flush()
    logged = [w.performed_on for w in workouts] + [m.eaten_on for m in meals] + [c.submitted_on for c in check_ins]
    client.last_activity_at = _evening(client, max(logged, default=days[-1]), 21)
    return _feed_events(client, workouts, meals, check_ins, today)


def _weights(profile: Profile, days: list[date], rng: random.Random) -> dict[date, float]:
    """A daily weight drifting three quarters of the way to the goal, with water-weight noise."""
    weights = {}
    for index, day in enumerate(days):
        progress = index / max(len(days) - 1, 1)
        # Faster at first, then flattening: how weight change usually goes.
        trend = profile.start_kg + (profile.goal_kg - profile.start_kg) * 0.75 * (1 - (1 - progress) ** 1.6)
        weekend = 0.4 if day.weekday() in (5, 6) else 0.0
        weights[day] = round(trend + weekend + rng.gauss(0, 0.35), 1)
    return weights


def _between(start: float, end: float, fraction: float) -> float:
    return start + (end - start) * fraction


def _body_metrics(
    client: Client, profile: Profile, days: list[date], weights: dict[date, float], rng: random.Random
) -> list[dict[str, Any]]:
    rows = []
    for index, day in enumerate(days):
        if rng.random() < profile.diligence * 0.85:
            rows.append({"client_id": client.id, "measured_on": day, "metric": "weight", "value": weights[day]})
        if day.weekday() == 0:
            fraction = index / len(days)
            waist = _between(*profile.waist_cm, fraction) + rng.gauss(0, 0.4)
            rows.append({"client_id": client.id, "measured_on": day, "metric": "waist", "value": round(waist, 1)})
    return rows


def _check_ins(
    client: Client, profile: Profile, days: list[date], weights: dict[date, float], rng: random.Random
) -> list[CheckIn]:
    check_ins = []
    weekday = client.id % 7
    for index, day in enumerate(days):
        if day.weekday() != weekday or rng.random() > profile.diligence + 0.05:
            continue
        fraction = index / len(days)
        waist = _between(*profile.waist_cm, fraction)
        check_in = CheckIn(
            client_id=client.id,
            submitted_on=day,
            weight_kg=weights[day],
            body_fat_pct=round(_between(*profile.body_fat, fraction) + rng.gauss(0, 0.5), 1),
            measurements_cm={
                "waist": round(waist + rng.gauss(0, 0.5), 1),
                "hips": round(waist * 1.15 + rng.gauss(0, 0.5), 1),
                "chest": round(waist * 1.12 + rng.gauss(0, 0.5), 1),
                "arm": round(waist * 0.37 + rng.gauss(0, 0.3), 1),
                "thigh": round(waist * 0.66 + rng.gauss(0, 0.4), 1),
            },
            sleep_hours=round(rng.uniform(5.5, 8.5) * 2) / 2,
            stress=rng.randint(1, 4),
            energy=rng.randint(2, 5),
            adherence=max(1, min(5, round(profile.diligence * 5 + rng.gauss(0, 0.7)))),
            answers={key: rng.choice(options) for key, options in CHECK_IN_ANSWERS},
        )
        if rng.random() < 0.85:
            check_in.trainer_comment = rng.choice(
                ["Great work this week!", "Nice consistency, keep it up.", "Let's talk about weekends on our call.",
                 "Progress is right on track.", "Good job: prioritise sleep this week."]
            )
            check_in.replied_at = _evening(client, day + timedelta(days=1), 9)
        check_ins.append(check_in)
    return check_ins


# Workouts -------------------------------------------------------------------------------------


def _starter_exercises(client: Client) -> list[Exercise]:
    """Library exercises for a client without a plan (the trainer's own copies if the library is empty)."""
    slugs = [slug for slug, _name, _load in STARTER_EXERCISES]
    found = {
        exercise.slug: exercise
        for exercise in db.session.execute(select(Exercise).where(Exercise.slug.in_(slugs))).scalars()
    }
    if len(found) >= 4:
        return [found[slug] for slug in slugs if slug in found]
    names = [name for _slug, name, _load in STARTER_EXERCISES]
    copies = {
        exercise.name: exercise
        for exercise in db.session.execute(
            select(Exercise).where(Exercise.owner_id == client.trainer_id, Exercise.name.in_(names))
        ).scalars()
    }
    if len(copies) == len(names):
        # An earlier run made them: reuse them so seeding again picks the same exercises.
        return [copies[name] for name in names]
    library = list(
        db.session.execute(
            select(Exercise)
            .where(visible_to(client.trainer_id), Exercise.category == "strength", Exercise.equipment != "bodyweight")
            .order_by(Exercise.id)
            .limit(6)
        ).scalars()
    )
    if len(library) >= 4:
        return library
    exercises = []
    for name in names:
        exercise = copies.get(name)
        if exercise is None:
            exercise = Exercise(
                owner_id=client.trainer_id, name=name, category="strength", equipment="barbell",
                primary_muscles=[], secondary_muscles=[], level="intermediate",
            )
            db.session.add(exercise)
        exercises.append(exercise)
    db.session.flush()
    return exercises


def _base_load(exercise: Exercise, profile: Profile) -> float | None:
    """A plausible starting load (kg) for the exercise, None for bodyweight work."""
    if exercise.equipment in ("bodyweight", "pull_up_bar", "dip_bars", "suspension_trainer"):
        return None
    name = exercise.name.lower()
    load = next((kg for keyword, kg in LOAD_BY_KEYWORD if keyword in name), 25.0)
    if exercise.equipment in ("dumbbell", "kettlebell"):
        load *= 0.35
    return load * profile.strength


def _plates(kg: float) -> float:
    return max(2.5, round(kg / 2.5) * 2.5)


def _reps_for(item: dict[str, Any], rng: random.Random) -> int:
    reps = item.get("reps", 10)
    if isinstance(reps, str):
        low, high = (int(part) for part in reps.split("-"))
        return rng.randint(low, high)
    return int(reps)


def _sets_for(item: dict[str, Any], exercise: Exercise | None, profile: Profile, progress: float,
              rng: random.Random) -> list[WorkoutSet]:
    sets = []
    count = item["sets"] - (1 if rng.random() < 0.1 and item["sets"] > 1 else 0)
    load = item.get("load") or {}
    base = load["value"] if load.get("type") == "kg" else (_base_load(exercise, profile) if exercise else None)
    for number in range(1, count + 1):
        if "reps" not in item and item.get("duration_seconds"):
            duration = int(item["duration_seconds"] * rng.uniform(0.9, 1.1))
            is_cardio = exercise is not None and exercise.category == "cardio"
            # About 10 km/h, give or take.
            distance = round(duration * 10_000 / 3600 * rng.uniform(0.9, 1.1)) if is_cardio else None
            sets.append(WorkoutSet(exercise_id=item["exercise_id"], set_number=number,
                                   duration_seconds=duration, distance_m=distance))
            continue
        weight = None
        if base is not None:
            # About 20% stronger over six months, with the odd heavier or lighter day.
            weight = _plates(base * (1 + 0.2 * progress) * rng.uniform(0.95, 1.04))
        sets.append(
            WorkoutSet(
                exercise_id=item["exercise_id"], set_number=number, reps=_reps_for(item, rng), weight_kg=weight,
                rpe=round(rng.uniform(6.5, 9.0) * 2) / 2 if weight else None,
            )
        )
    return sets


def _workouts(client: Client, profile: Profile, days: list[date], today: date, rng: random.Random) -> list[WorkoutLog]:
    assignment = _active(client.id, PlanKind.WORKOUT, today)
    if assignment is not None and assignment.content.get("weeks"):
        content = assignment.content
        pattern_start = _pattern_start(assignment.start_date, days[0], 7 * len(content["weeks"]))
        item_ids = {
            item["exercise_id"] for week in content["weeks"] for d in week["days"] for item in d.get("items", [])
        }
    else:
        content, assignment, pattern_start = None, None, days[0]
        starters = _starter_exercises(client)
        item_ids = {exercise.id for exercise in starters}
        half = max(len(starters) // 2, 2)
        templates = [starters[:half + 1], starters[half - 1:]]
    exercises = {
        exercise.id: exercise
        for exercise in db.session.execute(select(Exercise).where(Exercise.id.in_(item_ids))).scalars()
    }
    logs = []
    for index, day in enumerate(days):
        progress = index / len(days)
        if content is not None:
            plan_day = workout_day_on(content, pattern_start, day)
            if plan_day is None or plan_day.get("rest"):
                continue
            items = plan_day["items"]
        else:
            if day.weekday() not in (0, 2, 4):
                continue
            template = templates[len(logs) % 2]
            items = [{"exercise_id": exercise.id, "sets": 3, "reps": "6-10"} for exercise in template]
        if rng.random() > profile.diligence:
            continue  # a missed session
        log = WorkoutLog(
            client_id=client.id, performed_on=day, duration_minutes=rng.randint(40, 75),
            perceived_effort=rng.randint(6, 9), notes="",
        )
        sets = []
        for order, item in enumerate(items):
            for workout_set in _sets_for(item, exercises.get(item["exercise_id"]), profile, progress, rng):
                workout_set.exercise_order = order
                sets.append(workout_set)
        log.sets = sets
        log.sets_done = len(sets)
        log.total_volume_kg = round(sum((s.reps or 0) * (s.weight_kg or 0.0) for s in sets), 1)
        linked = assignment is not None and day >= assignment.start_date
        if linked:
            offset = (day - assignment.start_date).days
            log.assignment_id = assignment.id
            log.plan_week_index = (offset // 7) % len(content["weeks"])
            log.plan_day_index = offset % 7
            log.sets_planned = sum(item["sets"] for item in items)
        logs.append(log)
    return logs


# Meals ----------------------------------------------------------------------------------------


def _meal(client: Client, day: date, name: str, items: list[dict[str, Any]] | None = None,
          kcal: float = 0.0, macros: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> MealLog:
    if items:
        kcal = sum(item["kcal"] for item in items)
        macros = tuple(sum(item[key] for item in items) for key in ("protein_g", "carbs_g", "fat_g"))
    return MealLog(
        client_id=client.id, eaten_on=day, meal_name=name, items=items or [], kcal=round(kcal, 1),
        protein_g=round(macros[0], 1), carbs_g=round(macros[1], 1), fat_g=round(macros[2], 1), notes="",
    )


def _meals(client: Client, profile: Profile, days: list[date], today: date, rng: random.Random) -> list[MealLog]:
    diet = _active(client.id, PlanKind.DIET, today)
    if diet is not None and diet.content.get("days"):
        diet_start = _pattern_start(diet.start_date, days[0], len(diet.content["days"]))
    else:
        diet = None
    meals = []
    for day in days:
        if rng.random() > profile.diligence * 0.95:
            continue  # a day without food logging
        plan_day = diet_day_on(diet.content, diet_start, day) if diet is not None else None
        if plan_day is not None:
            for planned in plan_day["meals"]:
                if rng.random() < 0.08:
                    continue
                scale = rng.uniform(0.85, 1.15)
                items = [
                    {"food": item["food"], "quantity": round(item["quantity"] * scale, 1), "unit": item["unit"],
                     "kcal": round(item["kcal"] * scale, 1), "protein_g": round(item["protein"] * scale, 1),
                     "carbs_g": round(item["carbs"] * scale, 1), "fat_g": round(item["fat"] * scale, 1)}
                    for item in planned["items"]
                ]
                meals.append(_meal(client, day, planned["name"], items))
            continue
        day_kcal = profile.kcal * rng.uniform(0.85, 1.2) + (250 if day.weekday() in (5, 6) else 0)
        for name, share in MEAL_SPLIT:
            if name == "Snack" and rng.random() < 0.5:
                continue
            kcal = day_kcal * share * rng.uniform(0.85, 1.15)
            macros = (kcal * 0.3 / 4, kcal * 0.42 / 4, kcal * 0.28 / 9)
            meals.append(_meal(client, day, name, kcal=kcal, macros=macros))
    return meals


# Feed -----------------------------------------------------------------------------------------


def _feed_events(client: Client, workouts: list[WorkoutLog], meals: list[MealLog], check_ins: list[CheckIn],
                 today: date) -> list[ActivityEvent]:
    since = today - timedelta(days=FEED_DAYS)

    def event(kind: ActivityType, day: date, hour: int, summary: str, payload: dict[str, Any]) -> ActivityEvent:
        return ActivityEvent(
            trainer_id=client.trainer_id, client_id=client.id, type=kind, workout_log_id=payload.get("workout_log_id"),
            occurred_at=_evening(client, day, hour), summary=summary, payload=payload,
        )

    events = []
    for log in workouts:
        if log.performed_on >= since:
            planned = f" of {log.sets_planned}" if log.sets_planned is not None else ""
            events.append(event(
                ActivityType.WORKOUT_LOGGED, log.performed_on, 18,
                f"{client.name} logged a workout: {log.sets_done}{planned} sets",
                {"workout_log_id": log.id, "performed_on": log.performed_on.isoformat(), "sets_done": log.sets_done,
                 "sets_planned": log.sets_planned, "total_volume_kg": log.total_volume_kg},
            ))
    for meal in meals:
        if meal.eaten_on >= today - timedelta(days=2):
            events.append(event(
                ActivityType.MEAL_LOGGED, meal.eaten_on, 20,
                f"{client.name} logged {meal.meal_name} ({round(meal.kcal)} kcal)",
                {"meal_log_id": meal.id, "eaten_on": meal.eaten_on.isoformat(), "kcal": meal.kcal},
            ))
    for check_in in check_ins:
        if check_in.submitted_on >= since:
            events.append(event(
                ActivityType.CHECK_IN_SUBMITTED, check_in.submitted_on, 8, f"{client.name} submitted a check-in",
                {"check_in_id": check_in.id, "submitted_on": check_in.submitted_on.isoformat()},
            ))
    return events

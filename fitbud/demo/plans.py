"""The demo trainer's plan templates, the demo clients' profiles, and the plans assigned to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import Client, Exercise, PlanAssignment, PlanKind, PlanTemplate, Sex, User
from fitbud.services.assignments import assign_plan
from fitbud.services.exercises import visible_to
from fitbud.services.local_time import local_today
from fitbud.services.plan_content import validate_content


@dataclass(frozen=True)
class DemoExercise:
    """An exercise the demo plans use: the built-in slug to look for, and how to make it if absent."""

    slug: str
    name: str
    category: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    equipment: str
    instructions: str


EXERCISES = {
    "squat": DemoExercise(
        "barbell-back-squat", "Barbell Back Squat", "strength", ("quadriceps", "glutes"),
        ("hamstrings", "lower_back"), "barbell",
        "Bar on the upper back, brace, sit down between the heels to below parallel, drive up.",
    ),
    "bench": DemoExercise(
        "barbell-bench-press", "Barbell Bench Press", "strength", ("chest",), ("triceps", "front_delts"),
        "barbell", "Shoulder blades pinned, lower the bar to the lower chest, press back over the shoulders.",
    ),
    "deadlift": DemoExercise(
        "conventional-deadlift", "Conventional Deadlift", "strength", ("hamstrings", "glutes", "lower_back"),
        ("quadriceps", "traps"), "barbell", "Bar over mid-foot, hinge to grip, push the floor away, lock out tall.",
    ),
    "press": DemoExercise(
        "overhead-press", "Overhead Press", "strength", ("front_delts",), ("triceps", "upper_back"),
        "barbell", "Squeeze glutes, press the bar in a straight line overhead, head through at the top.",
    ),
    "row": DemoExercise(
        "barbell-bent-over-row", "Barbell Bent-Over Row", "strength", ("lats", "upper_back"),
        ("biceps", "rear_delts"), "barbell", "Hinge to 45 degrees, pull the bar to the belly, lower under control.",
    ),
    "pull_up": DemoExercise(
        "pull-up", "Pull-Up", "strength", ("lats",), ("biceps", "upper_back"), "pull_up_bar",
        "From a dead hang, pull until the chin clears the bar, lower all the way.",
    ),
    "rdl": DemoExercise(
        "romanian-deadlift", "Romanian Deadlift", "strength", ("hamstrings", "glutes"), ("lower_back",),
        "barbell", "Soft knees, push the hips back with the bar close to the legs, stand up by squeezing glutes.",
    ),
    "goblet_squat": DemoExercise(
        "goblet-squat", "Goblet Squat", "strength", ("quadriceps", "glutes"), ("abs",), "dumbbell",
        "Hold a dumbbell at the chest, elbows inside the knees at the bottom, stand tall.",
    ),
    "push_up": DemoExercise(
        "push-up", "Push-Up", "strength", ("chest",), ("triceps", "front_delts", "abs"), "bodyweight",
        "Body in one line, lower the chest to a fist's height from the floor, press away.",
    ),
    "db_row": DemoExercise(
        "one-arm-dumbbell-row", "One-Arm Dumbbell Row", "strength", ("lats",), ("upper_back", "biceps"),
        "dumbbell", "Hand and knee on a bench, pull the dumbbell to the hip, pause, lower slowly.",
    ),
    "lunge": DemoExercise(
        "dumbbell-walking-lunge", "Dumbbell Walking Lunge", "strength", ("quadriceps", "glutes"),
        ("hamstrings", "adductors"), "dumbbell",
        "Long steps, back knee close to the floor, push through the front heel.",
    ),
    "hip_thrust": DemoExercise(
        "barbell-hip-thrust", "Barbell Hip Thrust", "strength", ("glutes",), ("hamstrings",), "barbell",
        "Upper back on a bench, bar over the hips, drive the hips up until the body is flat, chin tucked.",
    ),
    "swing": DemoExercise(
        "kettlebell-swing", "Kettlebell Swing", "power", ("glutes", "hamstrings"), ("lower_back", "abs"),
        "kettlebell", "Hike the bell back, snap the hips forward, let it float to chest height.",
    ),
    "plank": DemoExercise(
        "plank", "Plank", "core", ("abs",), ("obliques", "front_delts"), "bodyweight",
        "Forearms under the shoulders, ribs down, squeeze glutes, hold a straight line.",
    ),
}


def _exercise(trainer: User, spec: DemoExercise) -> Exercise:
    """The built-in exercise with this slug, else one of the trainer's by name, else a new custom one."""
    found = db.session.execute(
        select(Exercise).where(Exercise.slug == spec.slug, Exercise.owner_id.is_(None))
    ).scalar_one_or_none()
    if found is None:
        found = db.session.execute(
            select(Exercise)
            .where(visible_to(trainer.id), func.lower(Exercise.name) == spec.name.lower())
            .order_by(Exercise.owner_id.is_(None).desc(), Exercise.id)
            .limit(1)
        ).scalar_one_or_none()
    if found is None:
        # The built-in library is not loaded in this database: seeding must still work.
        found = Exercise(
            owner_id=trainer.id,
            name=spec.name,
            category=spec.category,
            primary_muscles=list(spec.primary),
            secondary_muscles=list(spec.secondary),
            equipment=spec.equipment,
            level="intermediate",
            instructions=spec.instructions,
        )
        db.session.add(found)
        db.session.flush()
    return found


def _item(exercise_id: int, sets: int, reps: int | str, **extra: Any) -> dict[str, Any]:
    return {"exercise_id": exercise_id, "sets": sets, "reps": reps, **extra}


def _rest(name: str = "Rest") -> dict[str, Any]:
    return {"name": name, "rest": True}


def strength_block(ids: dict[str, int]) -> dict[str, Any]:
    """Four weeks of three barbell days, loads climbing by %1RM, the last week a deload."""
    weeks = []
    for week, (percent, reps) in enumerate([(70, 5), (75, 5), (80, 3), (60, 5)], start=1):
        load = {"type": "percent_1rm", "value": percent}
        weeks.append({
            "name": "Deload" if week == 4 else f"Week {week}",
            "days": [
                {"name": "Squat and bench", "items": [
                    _item(ids["squat"], 4, reps, load=load, rest_seconds=180),
                    _item(ids["bench"], 4, reps, load=load, rest_seconds=150),
                    _item(ids["row"], 3, "8-10", load={"type": "rpe", "value": 8}, rest_seconds=90),
                ]},
                _rest(),
                {"name": "Deadlift and press", "items": [
                    _item(ids["deadlift"], 3, reps, load=load, rest_seconds=210),
                    _item(ids["press"], 4, reps, load=load, rest_seconds=150),
                    _item(ids["pull_up"], 3, "6-10", rest_seconds=120),
                ]},
                _rest(),
                {"name": "Volume day", "items": [
                    _item(ids["squat"], 3, 8, load={"type": "percent_1rm", "value": percent - 10}, rest_seconds=150),
                    _item(ids["bench"], 3, 8, load={"type": "percent_1rm", "value": percent - 10}, rest_seconds=120),
                    _item(ids["rdl"], 3, "8-10", load={"type": "rpe", "value": 7}, rest_seconds=120),
                    _item(ids["plank"], 3, 1, duration_seconds=45, rest_seconds=60),
                ]},
            ],
        })
    return {"weeks": weeks}


def full_body(ids: dict[str, int]) -> dict[str, Any]:
    """Three full-body days a week with supersets; the weekend is left free."""
    return {"weeks": [{"name": "Every week", "days": [
        {"name": "Full body A", "items": [
            _item(ids["goblet_squat"], 3, "10-12", group="A", rest_seconds=0, tempo="3-1-1-0"),
            _item(ids["push_up"], 3, "8-15", group="A", rest_seconds=90),
            _item(ids["db_row"], 3, "10-12", rest_seconds=90, notes="Each arm."),
            _item(ids["plank"], 3, 1, duration_seconds=40, rest_seconds=45),
        ]},
        _rest(),
        {"name": "Full body B", "items": [
            _item(ids["rdl"], 3, "8-10", load={"type": "rpe", "value": 7}, rest_seconds=120),
            _item(ids["lunge"], 3, "10-12", rest_seconds=90, notes="Steps per leg."),
            _item(ids["hip_thrust"], 3, "10-12", rest_seconds=90),
        ]},
        _rest(),
        {"name": "Full body C", "items": [
            _item(ids["swing"], 5, 15, rest_seconds=60),
            _item(ids["pull_up"], 3, "5-8", group="B", rest_seconds=0),
            _item(ids["push_up"], 3, "8-15", group="B", rest_seconds=90),
            _item(ids["lunge"], 2, 12, rest_seconds=90),
        ]},
    ]}]}


def _food(food: str, quantity: float, unit: str, kcal: float, protein: float, carbs: float, fat: float):
    return {"food": food, "quantity": quantity, "unit": unit, "kcal": kcal, "protein": protein,
            "carbs": carbs, "fat": fat}


def lean_cut() -> dict[str, Any]:
    """Two alternating high-protein days around 2,000 kcal."""
    return {
        "targets": {"kcal": 2000, "protein": 160, "carbs": 190, "fat": 65},
        "days": [
            {"name": "Day A", "meals": [
                {"name": "Breakfast", "time": "07:30", "items": [
                    _food("Rolled oats", 70, "g", 265, 9, 45, 5), _food("Greek yogurt 0%", 200, "g", 118, 20, 8, 0),
                    _food("Blueberries", 100, "g", 57, 1, 14, 0)]},
                {"name": "Lunch", "time": "12:30", "items": [
                    _food("Chicken breast", 180, "g", 297, 56, 0, 6),
                    _food("Basmati rice (cooked)", 200, "g", 260, 5, 56, 1),
                    _food("Mixed salad with olive oil", 1, "bowl", 160, 2, 8, 13)]},
                {"name": "Snack", "time": "16:00", "items": [
                    _food("Whey protein", 30, "g", 120, 24, 3, 2), _food("Apple", 1, "medium", 95, 0, 25, 0)]},
                {"name": "Dinner", "time": "19:30", "items": [
                    _food("Salmon fillet", 150, "g", 312, 31, 0, 20), _food("Sweet potato", 250, "g", 215, 4, 50, 0),
                    _food("Broccoli", 150, "g", 51, 4, 10, 1)]},
            ]},
            {"name": "Day B", "meals": [
                {"name": "Breakfast", "time": "07:30", "items": [
                    _food("Eggs", 3, "large", 216, 19, 1, 15), _food("Wholegrain toast", 2, "slices", 220, 10, 38, 3)]},
                {"name": "Lunch", "time": "12:30", "items": [
                    _food("Tuna (in water)", 150, "g", 174, 39, 0, 1),
                    _food("Wholewheat pasta (cooked)", 200, "g", 298, 12, 60, 2),
                    _food("Cherry tomatoes", 150, "g", 27, 1, 6, 0)]},
                {"name": "Snack", "time": "16:00", "items": [
                    _food("Cottage cheese", 200, "g", 196, 24, 8, 8), _food("Almonds", 20, "g", 116, 4, 4, 10)]},
                {"name": "Dinner", "time": "19:30", "items": [
                    _food("Lean beef mince (5%)", 180, "g", 245, 38, 0, 9), _food("Potatoes", 250, "g", 193, 5, 43, 0),
                    _food("Green beans", 150, "g", 47, 3, 10, 0)]},
            ]},
        ],
    }


def muscle_gain() -> dict[str, Any]:
    """One repeating day of about 2,800 kcal for gaining lean mass."""
    return {"days": [{"name": "Training day", "meals": [
        {"name": "Breakfast", "time": "08:00", "items": [
            _food("Rolled oats", 100, "g", 379, 13, 64, 7), _food("Whole milk", 300, "ml", 183, 10, 14, 10),
            _food("Banana", 1, "large", 121, 1, 31, 0), _food("Peanut butter", 30, "g", 176, 8, 6, 15)]},
        {"name": "Lunch", "time": "13:00", "items": [
            _food("Chicken thighs", 200, "g", 418, 48, 0, 25), _food("Jasmine rice (cooked)", 300, "g", 390, 8, 85, 1),
            _food("Avocado", 0.5, "fruit", 120, 1, 6, 11)]},
        {"name": "Pre-workout", "time": "16:30", "items": [
            _food("Bagel", 1, "whole", 277, 11, 55, 2), _food("Honey", 20, "g", 61, 0, 16, 0)]},
        {"name": "Dinner", "time": "20:00", "items": [
            _food("Sirloin steak", 200, "g", 412, 54, 0, 21), _food("Pasta (cooked)", 250, "g", 393, 14, 77, 2),
            _food("Spinach", 100, "g", 23, 3, 4, 0)]},
    ]}]}


PROFILES = {
    "ava@fitbud.demo": {
        "goals": ["fat_loss", "general_fitness"], "goal_notes": "Lose 6 kg before the summer and keep it off.",
        "date_of_birth": date(1992, 5, 14), "sex": Sex.FEMALE, "height_cm": 168.0, "starting_weight_kg": 72.4,
        "tags": ["online", "morning"], "private_notes": "Responds well to weekly targets; busy on Mondays.",
        "health_details": {"injuries": [], "conditions": [], "medications": [], "allergies": []},
    },
    "ben@fitbud.demo": {
        "goals": ["strength", "muscle_gain"], "goal_notes": "First 200 kg deadlift.",
        "date_of_birth": date(1988, 11, 2), "sex": Sex.MALE, "height_cm": 182.0, "starting_weight_kg": 86.0,
        "tags": ["in-person"], "private_notes": "Competitive; keep an eye on form when he pushes for PRs.",
        "health_details": {
            "injuries": ["Lower back strain (2023): no heavy good mornings"],
            "conditions": [], "medications": [], "allergies": [],
        },
    },
    "chloe@fitbud.demo": {
        "goals": ["endurance", "general_fitness"], "goal_notes": "Half marathon in October.",
        "date_of_birth": date(1995, 2, 20), "sex": Sex.FEMALE, "height_cm": 164.0, "starting_weight_kg": 58.5,
        "tags": ["online"], "private_notes": "Runs on her own on weekends.",
        "health_details": {"injuries": [], "conditions": [], "medications": [], "allergies": ["Peanuts"]},
        "dietary_details": {"allergies": ["peanuts"], "other_allergies": "", "dietary_preferences": [],
                            "dislikes": "mushrooms"},
    },
    "diego@fitbud.demo": {
        "goals": ["muscle_gain"], "goal_notes": "Gain 5 kg of lean mass.",
        "date_of_birth": date(1990, 7, 9), "sex": Sex.MALE, "height_cm": 175.0, "starting_weight_kg": 70.2,
        "tags": ["in-person", "evening"], "private_notes": "Struggles to eat enough on work days.",
        "health_details": {"injuries": [], "conditions": [], "medications": [], "allergies": []},
    },
    "emma@fitbud.demo": {
        "goals": ["mobility", "rehabilitation"], "goal_notes": "Back to tennis without knee pain.",
        "date_of_birth": date(1985, 3, 30), "sex": Sex.FEMALE, "height_cm": 171.0, "starting_weight_kg": 66.0,
        "tags": ["online"], "private_notes": "Physio cleared her for full training in January.",
        "health_details": {
            "injuries": ["Left knee ACL reconstruction (2022)"], "conditions": ["Mild asthma"],
            "medications": ["Salbutamol inhaler as needed"], "allergies": [],
        },
    },
}

TEMPLATES = [
    ("4-Week Strength Block", PlanKind.WORKOUT, "Three barbell days a week, loads by %1RM, deload in week 4.",
     ["strength", "barbell", "intermediate"], strength_block),
    ("3-Day Full Body", PlanKind.WORKOUT, "Full-body sessions on Monday, Wednesday and Friday with supersets.",
     ["full-body", "beginner", "dumbbell"], full_body),
    ("Lean Cut 2,000 kcal", PlanKind.DIET, "Two alternating high-protein days for steady fat loss.",
     ["cut", "high-protein"], lean_cut),
    ("Lean Gain 2,800 kcal", PlanKind.DIET, "A calorie surplus built around training days.",
     ["bulk"], muscle_gain),
]


def _templates(trainer: User) -> dict[str, PlanTemplate]:
    ids = {key: _exercise(trainer, spec).id for key, spec in EXERCISES.items()}
    templates = {}
    for name, kind, description, tags, build in TEMPLATES:
        template = db.session.execute(
            select(PlanTemplate).where(PlanTemplate.trainer_id == trainer.id, PlanTemplate.name == name)
        ).scalar_one_or_none()
        if template is None:
            content = build(ids) if kind is PlanKind.WORKOUT else build()
            template = PlanTemplate(
                trainer_id=trainer.id, kind=kind, name=name, description=description, tags=tags,
                content=validate_content(kind, content, trainer.id), version=1,
            )
            db.session.add(template)
        templates[name] = template
    db.session.commit()
    return templates


def _fill_profile(client: Client) -> None:
    profile = PROFILES.get(client.email)
    if profile is None or client.goals:
        return
    for field, value in profile.items():
        setattr(client, field, value)


def _assign_once(trainer: User, client: Client, template: PlanTemplate, start: date) -> None:
    already = db.session.execute(
        select(PlanAssignment.id).where(PlanAssignment.client_id == client.id, PlanAssignment.kind == template.kind)
    ).first()
    if already is None:
        assign_plan(trainer, client.id, template.id, start)


def seed_plans(world) -> dict[str, PlanTemplate]:
    """Give the demo trainer four templates, fill the clients' profiles, assign each a workout and a diet."""
    trainer: User = world.trainer
    templates = _templates(trainer)
    clients = list(world.clients)
    for client in clients:
        _fill_profile(client)
    db.session.commit()
    workouts = [templates["4-Week Strength Block"], templates["3-Day Full Body"]]
    diets = [templates["Lean Cut 2,000 kcal"], templates["Lean Gain 2,800 kcal"]]
    for index, client in enumerate(clients):
        # Staggered starts, so the demo shows clients at different points of their plans; the
        # fifth day of a week is a training day in both workout plans, so Ava (the demo login)
        # opens the client app on a workout, not a rest day.
        start = local_today(client) - timedelta(days=7 * index + 4)
        _assign_once(trainer, client, workouts[index % 2], start)
        _assign_once(trainer, client, diets[index % 2], start)
    return templates

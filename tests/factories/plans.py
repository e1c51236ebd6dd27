"""Factories for exercises, plan templates and assignments."""

from __future__ import annotations

from datetime import date

import factory

from fitbud.models import Exercise, Food, PlanAssignment, PlanKind, PlanTemplate
from tests.factories.accounts import ClientFactory, TrainerFactory
from tests.factories.base import BaseFactory


class ExerciseFactory(BaseFactory):
    """A custom exercise owned by a trainer (pass owner=None for a built-in one)."""

    class Meta:
        model = Exercise
        exclude = ("owner",)

    owner = None
    owner_id = factory.LazyAttribute(lambda o: o.owner.id if o.owner is not None else None)
    slug = factory.LazyAttribute(lambda o: None if o.owner is not None else f"test-exercise-{o.name.lower()}")
    name = factory.Sequence(lambda n: f"Exercise{n}")
    category = "strength"
    primary_muscles = factory.LazyFunction(lambda: ["quadriceps"])
    secondary_muscles = factory.LazyFunction(lambda: ["glutes"])
    equipment = "barbell"
    level = "beginner"
    instructions = "Keep a neutral spine."


class FoodFactory(BaseFactory):
    """A trainer's own food (pass owner=None for a built-in one); macros per 100 g."""

    class Meta:
        model = Food
        exclude = ("owner",)

    owner = factory.SubFactory(TrainerFactory)
    owner_id = factory.LazyAttribute(lambda o: o.owner.id if o.owner is not None else None)
    slug = factory.LazyAttribute(lambda o: None if o.owner is not None else f"test-food-{o.name.lower()}")
    name = factory.Sequence(lambda n: f"Food{n}")
    category = "prepared"
    kcal = 200.0
    protein_g = 10.0
    carbs_g = 20.0
    fat_g = 8.0
    serving_g = 150.0
    serving = "1 portion"
    allergens = factory.LazyFunction(list)
    diets = factory.LazyFunction(lambda: ["vegetarian", "halal", "kosher", "lactose_free", "gluten_free"])


def workout_content(exercise_ids: list[int], weeks: int = 1) -> dict:
    """A valid workout content: per week, a training day with the exercises and a rest day."""
    return {
        "weeks": [
            {
                "name": f"Week {w + 1}",
                "days": [
                    {
                        "name": "Full body",
                        "items": [
                            {"exercise_id": exercise_id, "sets": 3, "reps": "8-12", "rest_seconds": 90}
                            for exercise_id in exercise_ids
                        ],
                    },
                    {"name": "Rest", "rest": True},
                ],
            }
            for w in range(weeks)
        ]
    }


def diet_content() -> dict:
    """A valid one-day diet content of two meals."""
    return {
        "days": [
            {
                "name": "Everyday",
                "meals": [
                    {
                        "name": "Breakfast",
                        "time": "08:00",
                        "items": [
                            {"food": "Oats", "quantity": 80, "unit": "g", "kcal": 300,
                             "protein": 10, "carbs": 54, "fat": 6},
                        ],
                    },
                    {
                        "name": "Dinner",
                        "time": "19:00",
                        "items": [
                            {"food": "Chicken breast", "quantity": 200, "unit": "g", "kcal": 330,
                             "protein": 62, "carbs": 0, "fat": 7},
                        ],
                    },
                ],
            }
        ]
    }


class PlanTemplateFactory(BaseFactory):
    """A workout template (pass kind=PlanKind.DIET and content=diet_content() for a diet)."""

    class Meta:
        model = PlanTemplate
        exclude = ("trainer",)

    trainer = factory.SubFactory(TrainerFactory)
    trainer_id = factory.SelfAttribute("trainer.id")
    kind = PlanKind.WORKOUT
    name = factory.Sequence(lambda n: f"Plan {n}")
    description = ""
    tags = factory.LazyFunction(list)
    content = factory.LazyFunction(lambda: {"weeks": [{"days": [{"name": "Rest", "rest": True}]}]})
    version = 1


class PlanAssignmentFactory(BaseFactory):
    """An active assignment of a template's snapshot to a client."""

    class Meta:
        model = PlanAssignment
        exclude = ("client", "plan")

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    trainer_id = factory.LazyAttribute(lambda o: o.client.trainer_id)
    plan = None
    plan_id = factory.LazyAttribute(lambda o: o.plan.id if o.plan is not None else None)
    kind = factory.LazyAttribute(lambda o: o.plan.kind if o.plan is not None else PlanKind.WORKOUT)
    name = factory.LazyAttribute(lambda o: o.plan.name if o.plan is not None else "Assigned plan")
    plan_version = factory.LazyAttribute(lambda o: o.plan.version if o.plan is not None else 1)
    content = factory.LazyAttribute(lambda o: o.plan.content if o.plan is not None else {"weeks": []})
    start_date = factory.LazyFunction(date.today)
    end_date = None

"""Factories for what clients log (workouts, meals, check-ins, body metrics) and feed events."""

from __future__ import annotations

from datetime import date

import factory

from fitbud.models import ActivityEvent, ActivityType, BodyMetric, CheckIn, MealLog, WorkoutLog, WorkoutSet, utcnow
from tests.factories.accounts import ClientFactory
from tests.factories.base import BaseFactory


class WorkoutLogFactory(BaseFactory):
    """A workout log without sets (add WorkoutSetFactory rows, or pass totals directly)."""

    class Meta:
        model = WorkoutLog
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    performed_on = factory.LazyFunction(date.today)
    notes = ""
    total_volume_kg = 0.0
    sets_done = 0


class WorkoutSetFactory(BaseFactory):
    """One set of an exercise in a workout log."""

    class Meta:
        model = WorkoutSet
        exclude = ("workout_log", "exercise")

    workout_log = factory.SubFactory(WorkoutLogFactory)
    workout_log_id = factory.SelfAttribute("workout_log.id")
    exercise = None
    exercise_id = factory.LazyAttribute(lambda o: o.exercise.id)
    exercise_order = 0
    set_number = factory.Sequence(lambda n: n + 1)
    reps = 5
    weight_kg = 100.0


class MealLogFactory(BaseFactory):
    """A quick-entry meal."""

    class Meta:
        model = MealLog
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    eaten_on = factory.LazyFunction(date.today)
    meal_name = "Lunch"
    items = factory.LazyFunction(list)
    kcal = 600.0
    protein_g = 40.0
    carbs_g = 60.0
    fat_g = 20.0
    notes = ""


class CheckInFactory(BaseFactory):
    """A check-in with a weight and a few ratings."""

    class Meta:
        model = CheckIn
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    submitted_on = factory.LazyFunction(date.today)
    weight_kg = 80.0
    measurements_cm = factory.LazyFunction(dict)
    stress = 3
    energy = 4
    adherence = 4
    answers = factory.LazyFunction(dict)


class BodyMetricFactory(BaseFactory):
    """A weight reading (pass metric= and value= for others, in SI)."""

    class Meta:
        model = BodyMetric
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    measured_on = factory.LazyFunction(date.today)
    metric = "weight"
    value = 80.0


class ActivityEventFactory(BaseFactory):
    """A feed event for a client's trainer."""

    class Meta:
        model = ActivityEvent
        exclude = ("client",)

    client = factory.SubFactory(ClientFactory)
    client_id = factory.SelfAttribute("client.id")
    trainer_id = factory.SelfAttribute("client.trainer_id")
    type = ActivityType.WORKOUT_LOGGED
    occurred_at = factory.LazyFunction(utcnow)
    summary = factory.Sequence(lambda n: f"Event {n}")
    payload = factory.LazyFunction(dict)

"""The shared pieces other domains build on: plan content rules, factories, idempotency keys."""

from datetime import date

import pytest

from fitbud.errors import ConflictError, InvalidInputError
from fitbud.models import PlanKind
from fitbud.services import idempotency
from fitbud.services.plan_content import diet_totals, validate_content, workout_day_on
from tests.factories import ExerciseFactory, PlanAssignmentFactory, PlanTemplateFactory, diet_content, workout_content


def test_workout_content_with_own_exercises_is_valid(trainer):
    exercise = ExerciseFactory(owner=trainer)
    cleaned = validate_content(PlanKind.WORKOUT, workout_content([exercise.id]), trainer.id)
    assert cleaned["weeks"][0]["days"][0]["items"][0]["reps"] == "8-12"


def test_other_trainers_exercise_is_reported_with_its_path(trainer, other_trainer):
    foreign = ExerciseFactory(owner=other_trainer)
    with pytest.raises(InvalidInputError) as raised:
        validate_content(PlanKind.WORKOUT, workout_content([foreign.id]), trainer.id)
    assert "content.weeks.0.days.0.items.0.exercise_id" in raised.value.errors


def test_bad_reps_range_is_reported_with_its_path(trainer):
    exercise = ExerciseFactory(owner=trainer)
    content = workout_content([exercise.id])
    content["weeks"][0]["days"][0]["items"][0]["reps"] = "12-8"
    with pytest.raises(InvalidInputError) as raised:
        validate_content(PlanKind.WORKOUT, content, trainer.id)
    assert list(raised.value.errors) == ["content.weeks.0.days.0.items.0.reps"]


def test_diet_totals_sum_meals_and_days():
    totals = diet_totals(diet_content())
    assert totals[0]["totals"] == {"kcal": 630.0, "protein": 72.0, "carbs": 54.0, "fat": 13.0}
    assert totals[0]["meals"][0]["kcal"] == 300.0


def test_workout_days_fall_on_calendar_offsets_and_cycle():
    content = workout_content([1], weeks=1)
    start = date(2026, 1, 5)
    assert workout_day_on(content, start, date(2026, 1, 5))["name"] == "Full body"
    assert workout_day_on(content, start, date(2026, 1, 6))["rest"] is True
    assert workout_day_on(content, start, date(2026, 1, 7)) is None
    assert workout_day_on(content, start, date(2026, 1, 12))["name"] == "Full body"
    assert workout_day_on(content, start, date(2026, 1, 4)) is None  # before the start


def test_assignment_factory_snapshots_its_plan(trainer, client_record):
    plan = PlanTemplateFactory(trainer=trainer, kind=PlanKind.DIET, content=diet_content())
    assignment = PlanAssignmentFactory(client=client_record, plan=plan)
    assert assignment.kind is PlanKind.DIET and assignment.content == plan.content


def test_idempotency_key_replays_and_refuses_other_bodies(trainer):
    first = idempotency.fingerprint("POST", "/x", b'{"a": 1, "b": 2}')
    runs = []

    def work():
        runs.append(1)
        return {"id": 7}

    assert idempotency.run_once(trainer.id, "k1", first, work, lambda body: (201, body, None)) == {"id": 7}
    same = idempotency.fingerprint("POST", "/x", b'{"b": 2, "a": 1}')
    assert idempotency.run_once(trainer.id, "k1", same, work, lambda body: (201, body, None)).body == {"id": 7}
    assert runs == [1]
    with pytest.raises(ConflictError):
        idempotency.run_once(
            trainer.id, "k1", idempotency.fingerprint("POST", "/x", b'{"a": 2}'), work, lambda body: (201, body, None)
        )

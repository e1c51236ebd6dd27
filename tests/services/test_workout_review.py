"""Workout review: sets done beside the plan day's prescription, comments, scoped to the trainer."""

from __future__ import annotations

from datetime import date, timedelta

from fitbud.models import PlanKind
from fitbud.services import workout_comments, workout_review
from tests.factories import ClientFactory, ExerciseFactory, PlanAssignmentFactory, WorkoutLogFactory, WorkoutSetFactory


def test_a_linked_workout_shows_the_plan_days_prescription_beside_the_sets(trainer):
    client = ClientFactory(trainer=trainer)
    squat = ExerciseFactory(owner=trainer, name="Back Squat")
    content = {
        "weeks": [
            {
                "days": [
                    {
                        "name": "A",
                        "items": [
                            {"exercise_id": squat.id, "sets": 3, "reps": 5, "load": {"type": "kg", "value": 100}},
                        ],
                    }
                ]
            }
        ]
    }
    assignment = PlanAssignmentFactory(
        client=client, kind=PlanKind.WORKOUT, content=content, start_date=date.today() - timedelta(days=3)
    )
    log = WorkoutLogFactory(
        client=client, assignment_id=assignment.id, plan_week_index=0, plan_day_index=0, sets_done=2, sets_planned=3
    )
    WorkoutSetFactory.create_batch(2, workout_log=log, exercise=squat, reps=5, weight_kg=100.0)
    workout_comments.add_comment(trainer, log.id, "Third set next time")

    (review,) = workout_review.client_workouts(trainer, client.id)

    (exercise,) = review.exercises
    assert exercise.name == "Back Squat" and exercise.planned == "3 × 5 @ 100 kg" and exercise.planned_sets == 3
    assert [s.reps for s in exercise.sets] == [5, 5]
    assert [c.body for c in review.comments] == ["Third set next time"]


def test_newest_first_and_nothing_for_another_trainer(trainer, other_trainer):
    client = ClientFactory(trainer=trainer)
    old = WorkoutLogFactory(client=client, performed_on=date.today() - timedelta(days=5))
    new = WorkoutLogFactory(client=client, performed_on=date.today())

    assert [r.log.id for r in workout_review.client_workouts(trainer, client.id)] == [new.id, old.id]
    assert workout_review.client_workouts(other_trainer, client.id) == []
    assert workout_review.workouts_by_id(other_trainer, [new.id, old.id]) == {}
    assert set(workout_review.workouts_by_id(trainer, [new.id])) == {new.id}

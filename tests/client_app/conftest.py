"""Fixtures of the client app tests: a client with a workout day today, a diet and a login."""

from __future__ import annotations

from datetime import date

import pytest

from fitbud.extensions import db
from fitbud.models import PlanKind, User
from tests.client_app.helpers import login
from tests.factories import ExerciseFactory, PlanAssignmentFactory, diet_content


@pytest.fixture
def exercises(trainer):
    """Two of the trainer's exercises: a barbell lift and a timed hold."""
    lift = ExerciseFactory(owner=trainer, name="Back Squat", equipment="barbell", instructions="Sit between your hips.")
    hold = ExerciseFactory(owner=trainer, name="Plank", equipment="body only", primary_muscles=["abdominals"])
    return lift, hold


@pytest.fixture
def workout_day(client_record, exercises):
    """A workout assignment whose first day (a training day) is today."""
    lift, hold = exercises
    content = {
        "weeks": [
            {
                "days": [
                    {
                        "name": "Legs and core",
                        "items": [
                            {
                                "exercise_id": lift.id,
                                "sets": 2,
                                "reps": 5,
                                "load": {"type": "kg", "value": 100},
                                "rest_seconds": 120,
                                "notes": "Brace before each rep.",
                            },
                            {"exercise_id": hold.id, "sets": 1, "reps": 1, "duration_seconds": 45, "rest_seconds": 60},
                        ],
                    },
                    {"name": "Rest", "rest": True},
                ]
            }
        ]
    }
    return PlanAssignmentFactory(
        client=client_record, kind=PlanKind.WORKOUT, name="Strength", content=content, start_date=date.today()
    )


@pytest.fixture
def diet_day(client_record):
    """A diet assignment with targets, started today."""
    content = diet_content()
    content["targets"] = {"kcal": 2000, "protein": 150, "carbs": 200, "fat": 60}
    return PlanAssignmentFactory(
        client=client_record, kind=PlanKind.DIET, name="Lean", content=content, start_date=date.today()
    )


@pytest.fixture
def app_http(http, client_user):
    """The test client, logged in as `client_user` through the login form."""
    response = login(http, client_user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/app/"
    return http


@pytest.fixture
def client_login(client_user) -> User:
    """The client's login, reloaded (the commit expired it)."""
    return db.session.get(User, client_user.id)

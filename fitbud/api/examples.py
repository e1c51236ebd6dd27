"""Example request bodies shown in the OpenAPI document (and tried first by schemathesis), and the
answers whose every field is always sent.

Keyed by the components schema name; fitbud/ext/smorest.py attaches each to its schema.
tests/api/test_openapi_examples.py checks every example against its schema, so none goes stale.
"""

from __future__ import annotations

from typing import Any

REQUEST_EXAMPLES: dict[str, dict[str, Any]] = {
    "Register": {"email": "sam@example.com", "name": "Sam Trainer", "password": "lift-heavy-2026"},
    "Login": {"email": "sam@example.com", "password": "lift-heavy-2026"},
    "AcceptInvitation": {"token": "the-token-from-the-invitation-link", "password": "squat-deep-2026"},
    "UserUpdate": {"name": "Sam Rivera", "timezone": "Europe/London", "unit_system": "metric"},
    "ClientCreate": {
        "email": "ava@example.com",
        "name": "Ava Jones",
        "goals": ["fat_loss", "strength"],
        "timezone": "Europe/London",
        "tags": ["online"],
    },
    "ClientUpdate": {"tags": ["online", "mornings"], "private_notes": "Prefers early sessions."},
    "PlanDuplicate": {"name": "Strength block B"},
    "AssignmentCreate": {"plan_id": 12, "start_date": "2026-12-14"},
    "WorkoutLogCreate": {
        "performed_on": "2026-12-07",
        "duration_minutes": 55,
        "perceived_effort": 7,
        "exercises": [{"exercise_id": 1, "sets": [{"reps": 5, "weight": 100}, {"reps": 5, "weight": 100}]}],
    },
    "MealLogCreate": {
        "eaten_on": "2026-12-07",
        "meal_name": "Lunch",
        "kcal": 650,
        "protein_g": 45,
        "carbs_g": 70,
        "fat_g": 18,
    },
    "CheckInCreate": {
        "submitted_on": "2026-12-07",
        "weight": 72.5,
        "measurements": {"waist": 81, "hips": 98},
        "sleep_hours": 7.5,
        "energy": 4,
        "stress": 2,
        "adherence": 4,
        "answers": {"wins": "Hit every session"},
    },
    "CheckInReply": {"comment": "Great week: keep the protein up."},
    "BodyMetricCreate": {"measured_on": "2026-12-07", "metric": "weight", "value": 72.5},
    "WorkoutCommentCreate": {"body": "Nice bar speed on the last set."},
    "SessionCreate": {
        "client_id": 3,
        "starts_at": "2026-12-10T07:00:00+00:00",
        "duration_minutes": 60,
        "type": "in_person",
        "location": "Studio 2",
    },
    "SessionRequestCreate": {"starts_at": "2026-12-10T07:00:00+00:00", "duration_minutes": 60, "note": "Legs?"},
    "SessionStatusChange": {"status": "completed"},
    "ConversationCreate": {"client_id": 3},
    "MessageCreate": {"body": "Running 10 minutes late."},
    "ReadMarker": {"up_to_message_id": 42},
    "ReportCreate": {"type": "client_export", "params": {"client_id": 3}},
}


# Answers dumped from a stored object: every field is always there (null where the document says
# nullable), so SDKs may type them as present. tests/api/test_openapi_examples.py checks real answers.
ALWAYS_COMPLETE_ANSWERS = frozenset(
    {"User", "ClientListItem", "ClientProfile", "CheckIn", "Message", "Conversation", "TokenPair"}
)

# Rules a whole body obeys that its fields cannot say: an update must change something.
SCHEMA_RULES: dict[str, dict[str, object]] = {
    "ExerciseUpdate": {"minProperties": 1, "description": "Changes to a custom exercise; `{}` is a 422."},
    "FoodUpdate": {"minProperties": 1, "description": "Changes to one of your foods; `{}` is a 422."},
    "PackageUpdate": {"minProperties": 1, "description": "Changes to a package; `{}` is a 422."},
    "SessionUpdate": {
        "description": "Move or edit a session; `scope` this_and_following also changes later ones of its "
        "series. A body changing nothing (only `scope` and `allow_overlap`, or `{}`) is a 422."
    },
}

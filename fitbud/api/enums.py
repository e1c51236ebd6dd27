"""The sets of values the API shares across operations, each declared once in the document.

fitbud/ext/smorest.py turns every inline enum with exactly these values into a reference to the
named components schema, so generated SDKs get one `Sex` or `SessionStatus` type, not one per
field. Names are part of v1: never rename one.
"""

from __future__ import annotations

import enum

from fitbud.auth.roles import Role
from fitbud.data import foods, library
from fitbud.models import (
    ActivityType,
    BillingInterval,
    ClientGoal,
    PaymentStatus,
    PlanKind,
    ReportType,
    RequestStatus,
    SessionStatus,
    SessionType,
    Sex,
)
from fitbud.services.measures import BODY_METRICS
from fitbud.services.scheduling import SCOPES
from fitbud.services.units import UNIT_SYSTEMS


def _values(choices: type[enum.StrEnum]) -> list[str]:
    return [member.value for member in choices]


SHARED_ENUMS: dict[str, list[str]] = {
    # accounts and clients
    "Role": _values(Role),
    "UnitSystem": list(UNIT_SYSTEMS),
    "Sex": _values(Sex),
    "ClientGoal": _values(ClientGoal),
    # the exercise library and the food table
    "Muscle": list(library.MUSCLES),
    "Equipment": list(library.EQUIPMENT),
    "ExerciseCategory": list(library.CATEGORIES),
    "MovementPattern": list(library.MOVEMENT_PATTERNS),
    "MuscleOrMovementPattern": list(library.MUSCLES + library.MOVEMENT_PATTERNS),
    "ExperienceLevel": list(library.LEVELS),
    "ExerciseTracking": list(library.TRACKING),
    "Allergen": list(foods.ALLERGENS),
    "Diet": list(foods.DIETS),
    "FoodCategory": list(foods.CATEGORIES),
    # plans and progress
    "PlanKind": _values(PlanKind),
    "BodyMetricName": list(BODY_METRICS),
    "FeedEventType": _values(ActivityType),
    # scheduling
    "SessionType": _values(SessionType),
    "SessionStatus": _values(SessionStatus),
    "SessionRequestStatus": _values(RequestStatus),
    "SeriesScope": list(SCOPES),
    # reports and billing
    "ReportType": _values(ReportType),
    "BillingInterval": _values(BillingInterval),
    "PaymentStatus": _values(PaymentStatus),
}

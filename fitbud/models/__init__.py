"""Every model, imported here so Alembic's autogenerate and the app see the whole schema."""

from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from fitbud.models.client import Client
from fitbud.models.exercise import Exercise
from fitbud.models.idempotency import IdempotencyKey
from fitbud.models.plan import PlanAssignment, PlanKind, PlanTemplate
from fitbud.models.progress import (
    ActivityEvent,
    ActivityType,
    BodyMetric,
    CheckIn,
    MealLog,
    WorkoutLog,
    WorkoutSet,
)
from fitbud.models.reports import Report, ReportStatus, ReportType
from fitbud.models.scheduling import SessionStatus, SessionType, TrainingSession
from fitbud.models.user import AuthSession, User, enum_column

__all__ = [
    "ActivityEvent",
    "ActivityType",
    "BodyMetric",
    "CheckIn",
    "MealLog",
    "Report",
    "ReportStatus",
    "ReportType",
    "SessionStatus",
    "SessionType",
    "TrainingSession",
    "WorkoutLog",
    "WorkoutSet",
    "AuthSession",
    "Base",
    "Client",
    "Exercise",
    "IdempotencyKey",
    "PlanAssignment",
    "PlanKind",
    "PlanTemplate",
    "TimestampMixin",
    "UTCDateTime",
    "User",
    "enum_column",
    "utcnow",
]

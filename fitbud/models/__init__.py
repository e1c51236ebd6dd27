"""Every model, imported here so Alembic's autogenerate and the app see the whole schema."""

from fitbud.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from fitbud.models.billing import (
    BillingCustomer,
    BillingInterval,
    BillingPackage,
    Payment,
    PaymentStatus,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
)
from fitbud.models.cache_state import CacheState
from fitbud.models.client import Client, ClientGoal, ClientInvitation, Sex
from fitbud.models.exercise import Exercise
from fitbud.models.food import Food
from fitbud.models.idempotency import IdempotencyKey
from fitbud.models.imports import (
    ActivityLog,
    DailyMetric,
    DataImport,
    ExerciseNameMapping,
    ImportedRow,
    ImportFormat,
    ImportStatus,
)
from fitbud.models.messaging import Conversation, Message
from fitbud.models.outbox import OutboxMessage
from fitbud.models.plan import AssignmentStatus, PlanAssignment, PlanKind, PlanTemplate
from fitbud.models.progress import (
    ActivityEvent,
    ActivityType,
    BodyMetric,
    CheckIn,
    MealLog,
    WorkoutComment,
    WorkoutLog,
    WorkoutSet,
)
from fitbud.models.reports import Report, ReportStatus, ReportType
from fitbud.models.scheduling import (
    CalendarFeed,
    RequestStatus,
    SessionReminder,
    SessionRequest,
    SessionSeries,
    SessionStatus,
    SessionType,
    TrainerDayOff,
    TrainingSession,
    WorkingHours,
)
from fitbud.models.user import AccountToken, AccountTokenPurpose, AuthSession, User, enum_column

__all__ = [
    "AccountToken",
    "AccountTokenPurpose",
    "ActivityLog",
    "DailyMetric",
    "DataImport",
    "ExerciseNameMapping",
    "ImportedRow",
    "ImportFormat",
    "ImportStatus",
    "CacheState",
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
    "CalendarFeed",
    "Conversation",
    "Message",
    "RequestStatus",
    "SessionReminder",
    "SessionRequest",
    "SessionSeries",
    "TrainerDayOff",
    "WorkingHours",
    "WorkoutComment",
    "WorkoutLog",
    "WorkoutSet",
    "AuthSession",
    "Base",
    "BillingCustomer",
    "BillingInterval",
    "BillingPackage",
    "AssignmentStatus",
    "Client",
    "ClientGoal",
    "ClientInvitation",
    "Sex",
    "Exercise",
    "Food",
    "IdempotencyKey",
    "OutboxMessage",
    "Payment",
    "PaymentStatus",
    "PlanAssignment",
    "PlanKind",
    "PlanTemplate",
    "StripeEvent",
    "Subscription",
    "SubscriptionStatus",
    "TimestampMixin",
    "UTCDateTime",
    "User",
    "enum_column",
    "utcnow",
]

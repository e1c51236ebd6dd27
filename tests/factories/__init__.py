"""factory_boy factories, one module per domain, re-exported here."""

from tests.factories.accounts import (
    AdminFactory,
    ClientFactory,
    ClientUserFactory,
    TrainerFactory,
    UserFactory,
)
from tests.factories.messaging import ConversationFactory, MessageFactory
from tests.factories.plans import (
    ExerciseFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    diet_content,
    workout_content,
)
from tests.factories.scheduling import (
    SessionRequestFactory,
    TrainerDayOffFactory,
    TrainingSessionFactory,
    WorkingHoursFactory,
)

__all__ = [
    "ConversationFactory",
    "MessageFactory",
    "SessionRequestFactory",
    "TrainerDayOffFactory",
    "TrainingSessionFactory",
    "WorkingHoursFactory",
    "ExerciseFactory",
    "PlanAssignmentFactory",
    "PlanTemplateFactory",
    "diet_content",
    "workout_content",
    "AdminFactory",
    "ClientFactory",
    "ClientUserFactory",
    "TrainerFactory",
    "UserFactory",
]

"""factory_boy factories, one module per domain, re-exported here."""

from tests.factories.accounts import (
    AdminFactory,
    ClientFactory,
    ClientUserFactory,
    TrainerFactory,
    UnverifiedTrainerFactory,
    UserFactory,
)
from tests.factories.billing import (
    BillingCustomerFactory,
    BillingPackageFactory,
    PaymentFactory,
    SubscriptionFactory,
)
from tests.factories.imports import (
    ActivityLogFactory,
    DailyMetricFactory,
    DataImportFactory,
    ExerciseNameMappingFactory,
)
from tests.factories.messaging import (
    ConversationFactory,
    MessageFactory,
)
from tests.factories.plans import (
    ExerciseFactory,
    FoodFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    diet_content,
    workout_content,
)
from tests.factories.progress import (
    ActivityEventFactory,
    BodyMetricFactory,
    CheckInFactory,
    MealLogFactory,
    WorkoutLogFactory,
    WorkoutSetFactory,
)
from tests.factories.scheduling import (
    SessionRequestFactory,
    TrainerDayOffFactory,
    TrainingSessionFactory,
    WorkingHoursFactory,
)

__all__ = [
    "ActivityEventFactory",
    "ActivityLogFactory",
    "DailyMetricFactory",
    "DataImportFactory",
    "ExerciseNameMappingFactory",
    "AdminFactory",
    "BillingCustomerFactory",
    "BillingPackageFactory",
    "BodyMetricFactory",
    "CheckInFactory",
    "ClientFactory",
    "ClientUserFactory",
    "ConversationFactory",
    "ExerciseFactory",
    "FoodFactory",
    "MealLogFactory",
    "MessageFactory",
    "PaymentFactory",
    "PlanAssignmentFactory",
    "PlanTemplateFactory",
    "SessionRequestFactory",
    "SubscriptionFactory",
    "TrainerDayOffFactory",
    "TrainerFactory",
    "UnverifiedTrainerFactory",
    "TrainingSessionFactory",
    "UserFactory",
    "WorkingHoursFactory",
    "WorkoutLogFactory",
    "WorkoutSetFactory",
    "diet_content",
    "workout_content",
]

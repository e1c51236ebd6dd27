"""factory_boy factories, one module per domain, re-exported here."""

from tests.factories.accounts import (
    AdminFactory,
    ClientFactory,
    ClientUserFactory,
    TrainerFactory,
    UserFactory,
)
from tests.factories.billing import (
    BillingCustomerFactory,
    BillingPackageFactory,
    PaymentFactory,
    SubscriptionFactory,
)
from tests.factories.plans import (
    ExerciseFactory,
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

__all__ = [
    "ActivityEventFactory",
    "BodyMetricFactory",
    "CheckInFactory",
    "MealLogFactory",
    "WorkoutLogFactory",
    "WorkoutSetFactory",
    "ExerciseFactory",
    "PlanAssignmentFactory",
    "PlanTemplateFactory",
    "diet_content",
    "workout_content",
    "AdminFactory",
    "BillingCustomerFactory",
    "BillingPackageFactory",
    "ClientFactory",
    "ClientUserFactory",
    "PaymentFactory",
    "SubscriptionFactory",
    "TrainerFactory",
    "UserFactory",
]

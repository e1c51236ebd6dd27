"""Every main list endpoint runs the same few SQL statements (auth included) at 5 rows and at 50."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from fitbud.models import utcnow
from tests.factories import (
    ActivityEventFactory,
    ClientFactory,
    ConversationFactory,
    ExerciseFactory,
    PaymentFactory,
    PlanTemplateFactory,
    TrainingSessionFactory,
    WorkoutLogFactory,
    WorkoutSetFactory,
)
from tests.helpers import assert_same_statement_count
from tests.stripe_fake import install_fake_stripe

WEEK_START = (utcnow() + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
FROM = WEEK_START.isoformat().replace("+00:00", "Z")
TO = (WEEK_START + timedelta(days=7)).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class ListEndpoint:
    """A list URL (one page holds 50 rows) and how to add `n` rows it shows for `trainer`."""

    name: str
    url: Callable[[object], str]
    make_rows: Callable[[object, object, int], None]


def _clients(trainer, _client, n):
    ClientFactory.create_batch(n, trainer=trainer, with_login=True)


def _plans(trainer, _client, n):
    PlanTemplateFactory.create_batch(n, trainer=trainer)


def _feed(_trainer, client, n):
    ActivityEventFactory.create_batch(n, client=client)


def _sessions(trainer, _client, n):
    for _ in range(n):
        client = ClientFactory(trainer=trainer, with_login=True)
        TrainingSessionFactory(client=client, starts_at=WEEK_START + timedelta(hours=2))


def _conversations(trainer, _client, n):
    for _ in range(n):
        ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))


def _payments(_trainer, client, n):
    PaymentFactory.create_batch(n, client=client)


def _workout_logs(_trainer, client, n):
    exercise = ExerciseFactory()
    for i in range(n):
        log = WorkoutLogFactory(client=client, performed_on=date.today() - timedelta(days=i))
        WorkoutSetFactory.create_batch(2, workout_log=log, exercise=exercise)


ENDPOINTS = [
    ListEndpoint("clients", lambda _c: "/api/v1/clients?page_size=50", _clients),
    ListEndpoint("plans", lambda _c: "/api/v1/plans?page_size=50", _plans),
    ListEndpoint("feed", lambda _c: "/api/v1/feed?limit=50", _feed),
    ListEndpoint("sessions", lambda _c: f"/api/v1/sessions?from={FROM}&to={TO}&page_size=50", _sessions),
    ListEndpoint("conversations", lambda _c: "/api/v1/conversations?page_size=50", _conversations),
    ListEndpoint("payments", lambda _c: "/api/v1/billing/payments?page_size=50", _payments),
    ListEndpoint("workout logs", lambda c: f"/api/v1/clients/{c.id}/workout-logs?page_size=50", _workout_logs),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_list_runs_at_most_four_statements_whatever_its_length(
    app, http, trainer, trainer_headers, client_record, endpoint
):
    # Billing's endpoints answer 503 until Stripe is configured; the fake never sees a call here.
    install_fake_stripe(app)
    assert_same_statement_count(
        http,
        lambda n: endpoint.make_rows(trainer, client_record, n),
        endpoint.url(client_record),
        trainer_headers,
    )

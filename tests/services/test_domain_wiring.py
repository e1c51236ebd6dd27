"""Domains plugged into each other by create_app: revenue in the stats, cache dropped on new data."""

from __future__ import annotations

from datetime import date

from fitbud.extensions import db
from fitbud.models import MealLog
from fitbud.services import trainer_cache
from fitbud.services.analytics import revenue_provider
from fitbud.services.billing import monthly_revenue
from tests.factories import ClientFactory, PaymentFactory


def test_billing_is_the_revenue_source_of_the_stats(app):
    assert revenue_provider() is monthly_revenue


def test_paid_invoices_show_as_revenue_in_the_trainer_stats(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer)
    PaymentFactory(client=client, amount=4900, currency="eur")

    response = http.get("/api/v1/stats/trainer", headers=trainer_headers)

    assert response.status_code == 200
    assert response.json["revenue"], response.json
    assert any(row["amount"] == 49.0 for row in response.json["revenue"])


def _version(trainer_id: int) -> str:
    return trainer_cache.lookup(trainer_id, "probe").version


def test_a_committed_client_log_drops_that_trainers_cached_figures(app, trainer, other_trainer):
    client = ClientFactory(trainer=trainer)
    mine, theirs = _version(trainer.id), _version(other_trainer.id)

    db.session.add(MealLog(client_id=client.id, eaten_on=date(2026, 1, 5), meal_name="Lunch", kcal=600))
    db.session.commit()

    assert _version(trainer.id) != mine
    assert _version(other_trainer.id) == theirs


def test_a_rolled_back_log_keeps_the_cached_figures(app, trainer):
    client = ClientFactory(trainer=trainer)
    before = _version(trainer.id)

    db.session.add(MealLog(client_id=client.id, eaten_on=date(2026, 1, 5), meal_name="Lunch", kcal=600))
    db.session.flush()
    db.session.rollback()

    assert _version(trainer.id) == before

"""The billing page: says billing is not set up without Stripe keys; payments with the period's totals."""

from __future__ import annotations

from datetime import timedelta

from fitbud.models import PaymentStatus, utcnow
from fitbud.services import billing
from tests.dashboards.helpers import call, login
from tests.factories import ClientFactory, PaymentFactory
from tests.stripe_fake import install_fake_stripe

ROUTE_OUTPUTS = [("page", "children"), ("nav-links", "children"), ("nav-user", "children")]


def _billing_page(http) -> str:
    inputs = [("url", "pathname", "/dashboard/billing"), ("url", "search", "")]
    return str(call(http, ROUTE_OUTPUTS, inputs).get_json()["response"]["page"]["children"])


def test_without_stripe_keys_the_page_says_billing_is_not_set_up(app, http, trainer):
    app.config["STRIPE_SECRET_KEY"] = ""
    login(http, trainer.email)

    page = _billing_page(http)

    assert "Billing is not set up." in page and "bl-save" not in page


def test_with_stripe_keys_the_page_offers_the_package_form(app, http, trainer):
    install_fake_stripe(app)
    login(http, trainer.email)

    page = _billing_page(http)

    assert "Billing is not set up." not in page and "bl-save" in page


def test_payments_between_sums_paid_amounts_per_currency_and_counts_failures(trainer, other_trainer):
    client = ClientFactory(trainer=trainer)
    PaymentFactory(client=client, package=None, amount=4900, currency="eur")
    PaymentFactory(client=client, package=None, amount=1000, currency="usd")
    PaymentFactory(client=client, package=None, amount=2500, currency="eur", status=PaymentStatus.FAILED, paid_at=None)
    old = utcnow() - timedelta(days=40)
    PaymentFactory(client=client, package=None, amount=9900, currency="eur", paid_at=old, occurred_at=old)
    today = utcnow().date()

    found = billing.payments_between(trainer, today - timedelta(days=7), today)

    assert found.paid_totals == {"eur": 4900, "usd": 1000}
    assert found.failed == 1 and found.total_count == 3 and len(found.payments) == 3
    assert billing.payments_between(other_trainer, None, None).total_count == 0

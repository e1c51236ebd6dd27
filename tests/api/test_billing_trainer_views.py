"""Trainers' billing views: the payment list and one client's subscription; billing switched off."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fitbud.extensions import db
from fitbud.models import PaymentStatus, SubscriptionStatus
from tests.factories import (
    BillingPackageFactory,
    ClientFactory,
    PaymentFactory,
    SubscriptionFactory,
)
from tests.helpers import assert_error, count_statements
from tests.stripe_fake import install_fake_stripe

PAYMENTS = "/api/v1/billing/payments"


@pytest.fixture
def stripe_api(app):
    """Billing configured; Stripe answered by the fake HTTP client."""
    return install_fake_stripe(app)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Payments ------------------------------------------------------------------------------------


def test_payments_lists_own_payments_newest_first(
    http, trainer, other_trainer, client_record, trainer_headers, stripe_api
):
    old = PaymentFactory(client=client_record, paid_at=_at("2026-01-05T10:00:00"))
    new = PaymentFactory(client=client_record, paid_at=_at("2026-02-05T10:00:00"))
    PaymentFactory(client=ClientFactory(trainer=other_trainer))

    response = http.get(PAYMENTS, headers=trainer_headers)

    assert response.status_code == 200
    assert [p["id"] for p in response.json] == [new.id, old.id]
    first = response.json[0]
    assert first["client_name"] == client_record.name
    assert first["amount"] == 4900 and first["currency"] == "eur"
    assert first["paid_at"] == "2026-02-05T10:00:00+00:00"
    assert first["stripe_invoice_id"] == new.stripe_invoice_id


def test_payments_filter_by_client(http, trainer, client_record, trainer_headers, stripe_api):
    mine = PaymentFactory(client=client_record)
    PaymentFactory(client=ClientFactory(trainer=trainer))

    response = http.get(f"{PAYMENTS}?client_id={client_record.id}", headers=trainer_headers)

    assert [p["id"] for p in response.json] == [mine.id]


def test_payments_filter_by_status(http, client_record, trainer_headers, stripe_api):
    PaymentFactory(client=client_record)
    failed = PaymentFactory(client=client_record, status=PaymentStatus.FAILED, paid_at=None)

    response = http.get(f"{PAYMENTS}?status=failed", headers=trainer_headers)

    assert [p["id"] for p in response.json] == [failed.id]


def test_payments_date_filter_uses_the_trainers_timezone(
    http, trainer, client_record, trainer_headers, stripe_api
):
    trainer.timezone = "America/New_York"
    db.session.commit()
    # 02:30 UTC on 2 March is still 1 March in New York.
    evening = PaymentFactory(client=client_record, paid_at=_at("2026-03-02T02:30:00"))
    PaymentFactory(client=client_record, paid_at=_at("2026-03-02T15:00:00"))
    PaymentFactory(client=client_record, paid_at=_at("2026-02-28T12:00:00"))

    response = http.get(f"{PAYMENTS}?from=2026-03-01&to=2026-03-01", headers=trainer_headers)

    assert [p["id"] for p in response.json] == [evening.id]


def test_payments_paginate(http, client_record, trainer_headers, stripe_api):
    for _ in range(3):
        PaymentFactory(client=client_record)

    response = http.get(f"{PAYMENTS}?page_size=2&page=2", headers=trainer_headers)

    assert len(response.json) == 1
    assert '"total": 3' in response.headers["X-Pagination"]


@pytest.mark.parametrize("rows", [5, 50])
def test_payments_list_uses_the_same_few_statements_at_any_size(
    http, trainer, client_record, trainer_headers, stripe_api, rows
):
    package = BillingPackageFactory(trainer=trainer)
    for _ in range(rows):
        PaymentFactory(client=client_record, package=package)

    url = f"{PAYMENTS}?page_size=50&client_id={client_record.id}"

    with count_statements() as counter:
        response = http.get(url, headers=trainer_headers)

    assert len(response.json) == rows
    assert response.json[0]["package_name"] == package.name
    assert counter.count <= 4, counter.statements


def test_payments_for_another_trainers_client_is_404(
    http, other_trainer, trainer_headers, stripe_api
):
    client = ClientFactory(trainer=other_trainer)

    response = http.get(f"{PAYMENTS}?client_id={client.id}", headers=trainer_headers)

    assert_error(response, 404, message="No such client")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("client_id=abc", "client_id"),
        ("client_id=0", "client_id"),
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
        ("status=refunded", "status"),
        ("from=2026-03-02&to=2026-03-01", "from"),
    ],
)
def test_payments_with_bad_filter_is_422(http, trainer_headers, stripe_api, query, field):
    response = http.get(f"{PAYMENTS}?{query}", headers=trainer_headers)

    assert_error(response, 422, field)


def test_payments_by_client_is_403(http, client_headers, stripe_api):
    assert_error(http.get(PAYMENTS, headers=client_headers), 403, "role")


def test_payments_without_token_is_401(http, stripe_api):
    assert_error(http.get(PAYMENTS), 401, message="Authentication required")


# One client's subscription -------------------------------------------------------------------


def test_client_subscription_shows_status(
    http, trainer, client_record, trainer_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer)
    SubscriptionFactory(client=client_record, package=package, status=SubscriptionStatus.PAST_DUE)

    response = http.get(f"/api/v1/clients/{client_record.id}/subscription", headers=trainer_headers)

    assert response.status_code == 200
    assert response.json["status"] == "past_due"
    assert response.json["access"] == "read_only"
    assert response.json["package"]["id"] == package.id
    assert "they keep read access" in response.json["message"]


def test_client_subscription_without_one_says_none(
    http, client_record, trainer_headers, stripe_api
):
    response = http.get(f"/api/v1/clients/{client_record.id}/subscription", headers=trainer_headers)

    assert response.json["status"] == "none"


def test_client_subscription_of_another_trainers_client_is_404(
    http, other_trainer, trainer_headers, stripe_api
):
    client = ClientFactory(trainer=other_trainer)

    response = http.get(f"/api/v1/clients/{client.id}/subscription", headers=trainer_headers)

    assert_error(response, 404, message="No such client")


def test_client_subscription_of_missing_client_is_404(http, trainer_headers, stripe_api):
    assert_error(
        http.get("/api/v1/clients/999999/subscription", headers=trainer_headers), 404, message="No such client"
    )


def test_client_subscription_asked_by_a_client_is_404(http, client_record, client_headers, stripe_api):
    response = http.get(f"/api/v1/clients/{client_record.id}/subscription", headers=client_headers)

    assert_error(response, 404, message="No such client")


def test_client_subscription_without_token_is_401(http, client_record, stripe_api):
    assert_error(http.get(f"/api/v1/clients/{client_record.id}/subscription"), 401, message="Authentication required")


# Billing not configured ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("trainer", "get", "/api/v1/billing/packages"),
        ("trainer", "post", "/api/v1/billing/packages"),
        ("trainer", "get", "/api/v1/billing/packages/1"),
        ("trainer", "patch", "/api/v1/billing/packages/1"),
        ("trainer", "delete", "/api/v1/billing/packages/1"),
        ("trainer", "get", "/api/v1/billing/payments"),
        ("trainer", "post", "/api/v1/billing/webhook"),
        ("client", "get", "/api/v1/me/billing"),
        ("client", "get", "/api/v1/me/billing/packages"),
        ("client", "post", "/api/v1/me/billing/checkout"),
        ("client", "post", "/api/v1/me/billing/portal"),
        ("trainer", "get", "/api/v1/clients/1/subscription"),
    ],
)
def test_billing_without_stripe_key_is_503(http, request, role, method, path):
    headers = request.getfixturevalue(f"{role}_headers")

    response = getattr(http, method)(path, json={}, headers=headers)

    assert_error(response, 503, message="billing is not configured")
    assert response.json["message"] == "billing is not configured"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/billing/packages"), ("post", "/api/v1/me/billing/portal"), ("get", "/api/v1/me/billing")],
)
def test_billing_without_stripe_key_still_asks_for_a_token_first(http, method, path):
    assert_error(getattr(http, method)(path, json={}), 401, message="Authentication required")


def test_billing_without_stripe_key_still_checks_the_role_first(http, trainer_headers):
    assert_error(http.get("/api/v1/me/billing", headers=trainer_headers), 403, "role")


def test_everything_else_works_without_stripe_key(http, trainer_headers):
    assert http.get("/api/v1/users/me", headers=trainer_headers).status_code == 200
    assert http.get("/healthz").status_code == 200


def test_webhook_without_webhook_secret_is_503(app, http):
    app.config["STRIPE_SECRET_KEY"] = "sk_test_only"

    response = http.post("/api/v1/billing/webhook", data="{}", headers={"Stripe-Signature": "x"})

    assert_error(response, 503, message="billing is not configured")

"""A client's own billing: packages on offer, Checkout, the customer portal and their status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import BillingCustomer, BillingInterval, SubscriptionStatus, User, utcnow
from tests.factories import (
    BillingCustomerFactory,
    BillingPackageFactory,
    ClientFactory,
    SubscriptionFactory,
)
from tests.helpers import assert_envelope, assert_error, bearer
from tests.stripe_fake import install_fake_stripe

CHECKOUT = "/api/v1/me/billing/checkout"
PORTAL = "/api/v1/me/billing/portal"
ME = "/api/v1/me/billing"


@pytest.fixture
def stripe_api(app):
    """Billing configured; Stripe answered by the fake HTTP client."""
    return install_fake_stripe(app)


@pytest.fixture
def package(trainer):
    """A monthly package of the client's trainer."""
    return BillingPackageFactory(trainer=trainer)


# Checkout ------------------------------------------------------------------------------------


def test_checkout_returns_the_stripe_checkout_url(
    http, client_record, package, client_headers, stripe_api
):
    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert response.status_code == 200, response.json
    (session,) = stripe_api.created("cs_test_")
    assert response.json == {"url": session["url"]}
    assert session["url"].startswith("https://checkout.stripe.com/")


def test_checkout_sends_subscription_session_parameters(
    http, client_record, package, client_headers, stripe_api
):
    http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    (call,) = stripe_api.calls("/v1/checkout/sessions")
    (customer,) = stripe_api.created("cus_")
    params = call.params
    assert params["mode"] == "subscription"
    assert params["customer"] == customer["id"]
    assert params["line_items[0][price]"] == package.stripe_price_id
    assert params["line_items[0][quantity]"] == "1"
    assert params["client_reference_id"] == str(client_record.id)
    assert params["success_url"] == (
        "http://fitbud.test/billing/success?session_id={CHECKOUT_SESSION_ID}"
    )
    assert params["cancel_url"] == "http://fitbud.test/billing/cancel"
    expected = {
        "fitbud_client_id": str(client_record.id),
        "fitbud_package_id": str(package.id),
        "fitbud_trainer_id": str(client_record.trainer_id),
    }
    assert call.metadata() == expected
    assert call.metadata("subscription_data[metadata]") == expected
    assert call.idempotency_key.startswith(f"checkout-{client_record.id}-{package.id}-")


def test_checkout_creates_the_stripe_customer_once_and_reuses_it(
    http, client_record, package, client_headers, stripe_api
):
    http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)
    http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    (customer_call,) = stripe_api.calls("/v1/customers")
    assert customer_call.idempotency_key == f"client-{client_record.id}-customer"
    assert customer_call.params["email"] == client_record.email
    assert customer_call.metadata()["fitbud_client_id"] == str(client_record.id)
    first, second = stripe_api.calls("/v1/checkout/sessions")
    assert first.params["customer"] == second.params["customer"]
    assert first.idempotency_key != second.idempotency_key
    stored = db.session.execute(select(func.count()).select_from(BillingCustomer)).scalar_one()
    assert stored == 1


def test_checkout_retry_after_lost_customer_response_creates_one_customer(
    http, client_record, package, client_headers, stripe_api
):
    stripe_api.fail("/v1/customers", lose_response=True)

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert response.status_code == 200
    first, retry = stripe_api.calls("/v1/customers")
    assert first.idempotency_key == retry.idempotency_key == f"client-{client_record.id}-customer"
    assert len(stripe_api.created("cus_")) == 1


def test_checkout_reuses_a_customer_created_before(
    http, client_record, package, client_headers, stripe_api
):
    BillingCustomerFactory(client=client_record, stripe_customer_id="cus_existing")

    http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert stripe_api.calls("/v1/customers") == []
    assert stripe_api.calls("/v1/checkout/sessions")[0].params["customer"] == "cus_existing"


def test_checkout_for_one_off_package_is_a_payment_session(
    http, trainer, client_record, client_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer, interval=BillingInterval.ONE_OFF)

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert response.status_code == 200
    (call,) = stripe_api.calls("/v1/checkout/sessions")
    assert call.params["mode"] == "payment"
    assert call.metadata("payment_intent_data[metadata]")["fitbud_package_id"] == str(package.id)
    assert "subscription_data[metadata][fitbud_package_id]" not in call.params


def test_checkout_finishes_a_half_synced_package_first(
    http, trainer, client_record, client_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer, stripe_product_id=None, stripe_price_id=None)

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert response.status_code == 200
    (price_call,) = stripe_api.calls("/v1/prices")
    assert price_call.idempotency_key.startswith(f"package-{package.id}-price-v1-")
    session_call = stripe_api.calls("/v1/checkout/sessions")[0]
    assert session_call.params["line_items[0][price]"] == stripe_api.created("price_")[0]["id"]


def test_one_off_purchase_is_allowed_alongside_a_subscription(
    http, trainer, client_record, package, client_headers, stripe_api
):
    SubscriptionFactory(client=client_record, package=package)
    extra = BillingPackageFactory(trainer=trainer, interval=BillingInterval.ONE_OFF)

    response = http.post(CHECKOUT, json={"package_id": extra.id}, headers=client_headers)

    assert response.status_code == 200


@pytest.mark.parametrize("status", [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE])
def test_checkout_while_subscribed_is_409(
    http, client_record, package, client_headers, stripe_api, status
):
    SubscriptionFactory(client=client_record, package=package, status=status)

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert_error(response, 409, "package_id")
    assert stripe_api.requests == []


def test_checkout_after_a_canceled_subscription_is_allowed(
    http, client_record, package, client_headers, stripe_api
):
    SubscriptionFactory(client=client_record, package=package, status=SubscriptionStatus.CANCELED)

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert response.status_code == 200


def test_checkout_for_another_trainers_package_is_404(
    http, other_trainer, client_record, client_headers, stripe_api
):
    package = BillingPackageFactory(trainer=other_trainer)

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert_error(response, 404, "package_id")
    assert stripe_api.requests == []


def test_checkout_for_an_archived_package_is_404(
    http, trainer, client_record, client_headers, stripe_api
):
    package = BillingPackageFactory(trainer=trainer, archived_at=utcnow())

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert_error(response, 404, "package_id")


def test_checkout_for_a_missing_package_is_404(http, client_record, client_headers, stripe_api):
    response = http.post(CHECKOUT, json={"package_id": 999999}, headers=client_headers)

    assert_error(response, 404, "package_id")


@pytest.mark.parametrize(
    "body", [{}, {"package_id": "1"}, {"package_id": 1.5}, {"package_id": 0}, {"package_id": None}]
)
def test_checkout_with_bad_package_id_is_422(http, client_record, client_headers, stripe_api, body):
    response = http.post(CHECKOUT, json=body, headers=client_headers)

    assert_error(response, 422, "package_id")


def test_checkout_with_unknown_field_is_422(
    http, client_record, package, client_headers, stripe_api
):
    response = http.post(
        CHECKOUT, json={"package_id": package.id, "coupon": "FREE"}, headers=client_headers
    )

    assert_error(response, 422, "coupon")


def test_checkout_by_trainer_is_403(http, package, trainer_headers, stripe_api):
    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=trainer_headers)

    assert_error(response, 403, "role")


def test_checkout_without_token_is_401(http, package, stripe_api):
    assert_error(http.post(CHECKOUT, json={"package_id": package.id}), 401, message="Authentication required")


def test_checkout_by_an_inactive_client_is_403(http, trainer, package, stripe_api):
    client = ClientFactory(trainer=trainer, with_login=True, is_active=False)
    headers = bearer(db.session.get(User, client.user_id))

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=headers)

    assert_error(response, 403, message="Your coaching relationship is not active")


def test_checkout_when_stripe_is_down_is_503(
    http, client_record, package, client_headers, stripe_api
):
    stripe_api.fail("/v1/checkout/sessions", status=503, error_type="api_error", times=3)

    response = http.post(CHECKOUT, json={"package_id": package.id}, headers=client_headers)

    assert_error(response, 503, message="The payment provider is not answering")
    assert_envelope(response)


# Portal --------------------------------------------------------------------------------------


def test_portal_returns_the_stripe_portal_url(http, client_record, client_headers, stripe_api):
    BillingCustomerFactory(client=client_record, stripe_customer_id="cus_portal")

    response = http.post(PORTAL, headers=client_headers)

    assert response.status_code == 200
    (call,) = stripe_api.calls("/v1/billing_portal/sessions")
    assert call.params == {"customer": "cus_portal", "return_url": "http://fitbud.test/billing"}
    assert call.idempotency_key.startswith(f"portal-{client_record.id}-")
    assert response.json["url"] == stripe_api.created("bps_")[0]["url"]


def test_portal_before_any_checkout_is_409(http, client_record, client_headers, stripe_api):
    response = http.post(PORTAL, headers=client_headers)

    assert_error(response, 409, message="You have no billing account yet")
    assert stripe_api.requests == []


def test_portal_by_trainer_is_403(http, trainer_headers, stripe_api):
    assert_error(http.post(PORTAL, headers=trainer_headers), 403, "role")


def test_portal_without_token_is_401(http, stripe_api):
    assert_error(http.post(PORTAL), 401, message="Authentication required")


# Status --------------------------------------------------------------------------------------


def test_my_billing_without_subscription(http, client_record, client_headers, stripe_api):
    response = http.get(ME, headers=client_headers)

    assert response.status_code == 200
    assert response.json["status"] == "none"
    assert response.json["subscription"] is None
    assert response.json["access"] == "full"


def test_my_billing_active_subscription(http, client_record, package, client_headers, stripe_api):
    subscription = SubscriptionFactory(client=client_record, package=package)

    body = http.get(ME, headers=client_headers).json

    assert body["status"] == "active" and body["past_due"] is False
    assert body["subscription"]["id"] == subscription.id
    assert body["subscription"]["current_period_end"].endswith("+00:00")
    assert body["package"]["name"] == package.name
    assert "stripe_price_id" not in body["package"]


def test_my_billing_past_due_keeps_read_access_and_says_so(
    http, client_record, package, client_headers, stripe_api
):
    SubscriptionFactory(client=client_record, package=package, status=SubscriptionStatus.PAST_DUE)

    body = http.get(ME, headers=client_headers).json

    assert body["status"] == "past_due"
    assert body["past_due"] is True
    assert body["access"] == "read_only"
    assert "keep read access" in body["message"]


def test_my_billing_mentions_the_end_of_a_canceling_subscription(
    http, client_record, package, client_headers, stripe_api
):
    end = utcnow() + timedelta(days=5)
    SubscriptionFactory(
        client=client_record, package=package, cancel_at_period_end=True, current_period_end=end
    )

    body = http.get(ME, headers=client_headers).json

    assert f"It ends on {end.date().isoformat()}" in body["message"]


def test_my_billing_prefers_a_live_subscription_over_an_ended_one(
    http, client_record, package, client_headers, stripe_api
):
    live = SubscriptionFactory(client=client_record, package=package)
    SubscriptionFactory(client=client_record, package=package, status=SubscriptionStatus.CANCELED)

    body = http.get(ME, headers=client_headers).json

    assert body["subscription"]["id"] == live.id


def test_my_billing_by_trainer_is_403(http, trainer_headers, stripe_api):
    assert_error(http.get(ME, headers=trainer_headers), 403, "role")


def test_my_billing_without_token_is_401(http, stripe_api):
    assert_error(http.get(ME), 401, message="Authentication required")


# Packages on offer ---------------------------------------------------------------------------


def test_my_packages_lists_only_my_trainers_live_packages(
    http, trainer, other_trainer, client_record, client_headers, stripe_api
):
    offered = BillingPackageFactory(trainer=trainer)
    BillingPackageFactory(trainer=trainer, archived_at=utcnow())
    BillingPackageFactory(trainer=other_trainer)

    response = http.get(f"{ME}/packages", headers=client_headers)

    assert response.status_code == 200
    assert [p["id"] for p in response.json] == [offered.id]
    assert "stripe_product_id" not in response.json[0]


def test_my_packages_by_trainer_is_403(http, trainer_headers, stripe_api):
    assert_error(http.get(f"{ME}/packages", headers=trainer_headers), 403, "role")

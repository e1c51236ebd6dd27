"""The Billing page: packages, Stripe Checkout (the fake Stripe), return pages, the portal, no keys."""

from __future__ import annotations

import pytest

from fitbud.extensions import db
from fitbud.models import BillingInterval, SubscriptionStatus
from tests.client_app.helpers import csrf, login
from tests.factories import BillingCustomerFactory, BillingPackageFactory, SubscriptionFactory, TrainerFactory
from tests.helpers import assert_page_error
from tests.stripe_fake import checkout_session_object, deliver, event, install_fake_stripe


@pytest.fixture
def stripe_api(app):
    """Billing configured; Stripe answered by the fake HTTP client."""
    return install_fake_stripe(app)


@pytest.fixture
def package(trainer):
    """A monthly package of the client's trainer."""
    return BillingPackageFactory(trainer=trainer, name="Online coaching", price=4900, currency="eur")


def _checkout(http, package_id):
    return http.post("/app/billing/checkout", data={"csrf_token": csrf(http), "package_id": str(package_id)})


def test_without_stripe_keys_the_page_says_billing_is_not_set_up(app_http, client_record, package):
    response = app_http.get("/app/billing")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="billing-not-set-up"' in html and "Online coaching" not in html


def test_without_stripe_keys_the_return_pages_still_answer(app_http, client_record):
    assert app_http.get("/app/billing/success").status_code == 200
    assert app_http.get("/app/billing/cancel").status_code == 200


def test_the_trainers_packages_are_offered_with_their_price(app_http, client_record, package, stripe_api):
    other_trainers = BillingPackageFactory(trainer=TrainerFactory(), name="Not yours")
    html = app_http.get("/app/billing").get_data(as_text=True)
    assert "Online coaching" in html and "49.00 EUR a month" in html and f'id="buy-{package.id}"' in html
    assert other_trainers.name not in html and "You have no subscription." in html


def test_subscribing_sends_the_client_to_stripe_checkout(app_http, client_record, package, stripe_api):
    response = _checkout(app_http, package.id)
    (session,) = stripe_api.created("cs_test_")
    assert response.status_code == 303 and response.headers["Location"] == session["url"]
    (call,) = stripe_api.calls("/v1/checkout/sessions")
    assert call.params["line_items[0][price]"] == package.stripe_price_id


def test_another_trainers_package_is_a_404(app_http, client_record, stripe_api):
    other = BillingPackageFactory(trainer=TrainerFactory())
    assert_page_error(_checkout(app_http, other.id), 404, text="Page not found")
    assert stripe_api.calls("/v1/checkout/sessions") == []


def test_a_missing_package_is_refused_beside_it(app_http, client_record, stripe_api):
    response = app_http.post("/app/billing/checkout", data={"csrf_token": csrf(app_http), "package_id": "x"})
    # No package was chosen, so no button points at the error (aria-describedby): match its text instead.
    assert_page_error(response, 422, text='id="package_id-error">Enter a whole number.')


def test_a_second_subscription_is_refused_beside_the_package(app_http, client_record, package, stripe_api):
    SubscriptionFactory(client=client_record, package=package, status=SubscriptionStatus.ACTIVE)
    response = _checkout(app_http, package.id)
    assert 'id="package_id-error">already subscribed' in assert_page_error(response, 409, "package_id")


def test_checkout_without_the_csrf_value_is_refused(app_http, client_record, package, stripe_api):
    response = app_http.post("/app/billing/checkout", data={"package_id": str(package.id)})
    assert_page_error(response, 403, text="reload the page")
    assert stripe_api.calls("/v1/checkout/sessions") == []


def test_the_portal_before_any_checkout_says_why_not(app_http, client_record, stripe_api):
    response = app_http.post("/app/billing/portal", data={"csrf_token": csrf(app_http)})
    assert 'id="portal-error">You have no billing account yet' in assert_page_error(response, 409, "portal")


def test_the_portal_link_sends_the_client_to_stripe(app_http, client_record, stripe_api):
    BillingCustomerFactory(client=client_record, stripe_customer_id="cus_client")
    response = app_http.post("/app/billing/portal", data={"csrf_token": csrf(app_http)})
    assert response.status_code == 303 and response.headers["Location"].startswith("https://")


def test_stripes_return_addresses_lead_into_the_app(app_http, client_record):
    success = app_http.get("/billing/success?session_id=cs_test_1")
    assert success.status_code == 303 and success.headers["Location"] == "/app/billing/success?session_id=cs_test_1"
    assert app_http.get("/billing/cancel").headers["Location"] == "/app/billing/cancel"
    assert app_http.get("/billing").headers["Location"] == "/app/billing"


def test_success_says_processing_until_the_webhook_then_shows_the_subscription(
    app_http, http, client_record, package, stripe_api
):
    page = app_http.get("/app/billing/success?session_id=cs_test_1").get_data(as_text=True)
    assert 'data-status="processing"' in page and 'hx-get="/app/billing/success/status"' in page
    metadata = {
        "fitbud_client_id": str(client_record.id),
        "fitbud_package_id": str(package.id),
        "fitbud_trainer_id": str(client_record.trainer_id),
    }
    session = checkout_session_object(
        "cs_test_1", customer="cus_client", mode="subscription", subscription="sub_1", metadata=metadata
    )
    assert deliver(http, event("checkout.session.completed", session)).status_code == 200
    db.session.expire_all()
    status = app_http.get("/app/billing/success/status").get_data(as_text=True)
    assert 'data-status="active"' in status and "Online coaching" in status and "hx-get" not in status


def test_the_cancel_page_says_nothing_was_charged(app_http, client_record):
    assert "nothing was charged" in app_http.get("/app/billing/cancel").get_data(as_text=True)


def test_the_status_shows_the_current_subscription(app_http, client_record, package, stripe_api):
    SubscriptionFactory(client=client_record, package=package, status=SubscriptionStatus.PAST_DUE)
    html = app_http.get("/app/billing").get_data(as_text=True)
    assert 'data-status="past_due"' in html and "Your last payment failed." in html


def test_a_one_off_package_is_bought_not_subscribed(app_http, client_record, trainer, stripe_api):
    once = BillingPackageFactory(trainer=trainer, interval=BillingInterval.ONE_OFF, price=15000)
    html = app_http.get("/app/billing").get_data(as_text=True)
    assert "150.00 EUR once" in html and f'id="buy-{once.id}"' in html


def test_a_trainer_opening_billing_is_sent_to_the_dashboard(http, trainer):
    login(http, trainer.email)
    response = http.get("/app/billing")
    assert response.status_code == 302 and response.headers["Location"].startswith("/dashboard")


def test_success_after_a_one_off_purchase_shows_the_payment(app_http, http, client_record, trainer, stripe_api):
    once = BillingPackageFactory(trainer=trainer, name="Ten sessions", interval=BillingInterval.ONE_OFF, price=15000)
    metadata = {
        "fitbud_client_id": str(client_record.id),
        "fitbud_package_id": str(once.id),
        "fitbud_trainer_id": str(client_record.trainer_id),
    }
    assert 'data-status="processing"' in app_http.get("/app/billing/success").get_data(as_text=True)
    session = checkout_session_object(
        "cs_test_2", customer="cus_client", mode="payment", payment_intent="pi_1", amount_total=15000, metadata=metadata
    )
    assert deliver(http, event("checkout.session.completed", session)).status_code == 200
    db.session.expire_all()
    status = app_http.get("/app/billing/success/status").get_data(as_text=True)
    assert 'data-status="paid"' in status and "Ten sessions · 150.00 EUR once" in status and "hx-get" not in status

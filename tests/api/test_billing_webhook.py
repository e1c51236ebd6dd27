"""The Stripe webhook: signatures checked, each event applied once, in any order, none lost."""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import (
    BillingCustomer,
    Payment,
    PaymentStatus,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
)
from fitbud.services import billing_events
from tests.factories import BillingCustomerFactory, BillingPackageFactory, SubscriptionFactory
from tests.helpers import assert_envelope, assert_error
from tests.stripe_fake import (
    WEBHOOK_SECRET,
    checkout_session_object,
    deliver,
    event,
    install_fake_stripe,
    invoice_object,
    sign,
    subscription_object,
)

URL = "/api/v1/billing/webhook"
NOW = int(time.time())


@pytest.fixture
def stripe_api(app):
    """Billing configured; Stripe answered by the fake HTTP client."""
    return install_fake_stripe(app)


@pytest.fixture
def package(trainer):
    """The client's trainer's monthly package."""
    return BillingPackageFactory(trainer=trainer)


@pytest.fixture
def customer(client_record):
    """The client's Stripe customer, created at their first checkout."""
    return BillingCustomerFactory(client=client_record, stripe_customer_id="cus_client")


@pytest.fixture
def metadata(client_record, package):
    """What Fitbud puts on Checkout sessions and subscriptions."""
    return {
        "fitbud_client_id": str(client_record.id),
        "fitbud_package_id": str(package.id),
        "fitbud_trainer_id": str(client_record.trainer_id),
    }


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _subscription(stripe_id: str = "sub_1") -> Subscription:
    db.session.expire_all()
    return db.session.execute(
        select(Subscription).where(Subscription.stripe_subscription_id == stripe_id)
    ).scalar_one()


def _payments() -> list[Payment]:
    db.session.expire_all()
    return list(db.session.execute(select(Payment).order_by(Payment.id)).scalars())


def _sub_event(event_type, status, created, metadata, **kwargs):
    obj = subscription_object(
        "sub_1", customer="cus_client", status=status, metadata=metadata, **kwargs
    )
    return event(event_type, obj, created=created)


def _invoice_event(event_type, created, metadata, invoice_id="in_1", **kwargs):
    obj = invoice_object(
        invoice_id, customer="cus_client", subscription="sub_1", metadata=metadata, **kwargs
    )
    return event(event_type, obj, created=created)


# Signatures ----------------------------------------------------------------------------------


def test_webhook_with_wrong_secret_is_400_and_changes_nothing(http, customer, metadata, stripe_api):
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)

    response = deliver(http, evt, secret="whsec_not_ours")

    assert_error(
        response,
        400,
        message="Invalid Stripe signature: No signatures found matching the expected signature for payload",
    )
    assert_envelope(response)
    assert _count(StripeEvent) == 0 and _count(Subscription) == 0


def test_webhook_without_signature_header_is_400(http, customer, metadata, stripe_api):
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)

    response = http.post(URL, data=json.dumps(evt), content_type="application/json")

    assert_error(response, 400, message="Missing Stripe-Signature header")
    assert _count(StripeEvent) == 0


def test_webhook_with_old_timestamp_is_400(http, customer, metadata, stripe_api):
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)

    # Correctly signed, but ten minutes ago: outside Stripe's five-minute tolerance (replay).
    response = deliver(http, evt, timestamp=int(time.time()) - 600)

    assert_error(response, 400, message="Invalid Stripe signature: Timestamp outside the tolerance zone")
    assert _count(Subscription) == 0


def test_webhook_signed_a_year_ahead_is_400(http, customer, metadata, stripe_api):
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)

    # Correctly signed, but for a time a year away: it would replay until then.
    response = deliver(http, evt, timestamp=int(time.time()) + 365 * 86400)

    assert_error(response, 400, message="Invalid Stripe signature: Timestamp outside the tolerance zone")
    assert _count(StripeEvent) == 0 and _count(Subscription) == 0


def test_webhook_signed_just_beyond_the_tolerance_ahead_is_400(http, app, customer, metadata, stripe_api):
    app.config["STRIPE_WEBHOOK_TOLERANCE_SECONDS"] = 60
    install_fake_stripe(app)  # the gateway reads the tolerance when it is built
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)

    response = deliver(http, evt, timestamp=int(time.time()) + 120)

    assert_error(response, 400, message="Invalid Stripe signature: Timestamp outside the tolerance zone")


def test_webhook_from_a_clock_slightly_ahead_is_accepted(http, customer, metadata, stripe_api):
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)

    response = deliver(http, evt, timestamp=int(time.time()) + 30)

    assert response.status_code == 200, response.json
    assert _count(StripeEvent) == 1


def test_webhook_with_tampered_body_is_400(http, customer, metadata, stripe_api):
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)
    signature = sign(json.dumps(evt))
    evt["data"]["object"]["status"] = "canceled"

    response = http.post(
        URL,
        data=json.dumps(evt),
        headers={"Stripe-Signature": signature},
        content_type="application/json",
    )

    assert_error(
        response,
        400,
        message="Invalid Stripe signature: No signatures found matching the expected signature for payload",
    )
    assert _count(Subscription) == 0


def test_webhook_with_malformed_signature_header_is_400(http, stripe_api):
    response = http.post(URL, data="{}", headers={"Stripe-Signature": "garbage"})

    assert_error(
        response, 400, message="Invalid Stripe signature: Unable to extract timestamp and signatures from header"
    )


def test_webhook_with_signed_non_event_body_is_400(http, stripe_api):
    payload = "this is not json"

    response = http.post(URL, data=payload, headers={"Stripe-Signature": sign(payload)})

    assert_error(response, 400, message="The webhook body is not a Stripe event")


def test_webhook_needs_no_token_and_ignores_the_auth_rate_limit(
    app, http, customer, metadata, stripe_api
):
    app.config["AUTH_RATE_LIMIT"] = "2/minute"

    statuses = [
        deliver(
            http, _sub_event("customer.subscription.updated", "active", NOW, metadata)
        ).status_code
        for _ in range(4)
    ]

    assert statuses == [200, 200, 200, 200]


def test_signature_made_with_the_stripe_scheme_is_accepted(http, customer, metadata, stripe_api):
    evt = _sub_event("customer.subscription.updated", "active", NOW, metadata)

    response = deliver(http, evt, secret=WEBHOOK_SECRET)

    assert response.status_code == 200
    assert response.json == {"received": True, "duplicate": False}


# Exactly once --------------------------------------------------------------------------------


def test_redelivered_event_is_200_and_changes_nothing(http, customer, metadata, stripe_api):
    evt = _invoice_event("invoice.paid", NOW, metadata)
    deliver(http, evt)

    response = deliver(http, evt)

    assert response.status_code == 200
    assert response.json["duplicate"] is True
    assert len(_payments()) == 1
    assert _count(StripeEvent) == 1


def test_event_is_stored_with_its_effects(http, customer, metadata, stripe_api):
    evt = _invoice_event("invoice.paid", NOW, metadata)

    deliver(http, evt)

    stored = db.session.get(StripeEvent, evt["id"])
    assert stored.type == "invoice.paid"
    assert int(stored.created.timestamp()) == NOW


def test_failing_effects_roll_back_the_event_record_too(
    http, customer, metadata, stripe_api, monkeypatch
):
    def explode(_obj, _created):
        raise RuntimeError("database trouble")

    monkeypatch.setitem(billing_events._HANDLERS, "invoice.paid", explode)
    evt = _invoice_event("invoice.paid", NOW, metadata)

    response = deliver(http, evt)

    assert_error(response, 500, message="An unexpected error occurred")
    assert _count(StripeEvent) == 0


def test_concurrent_duplicate_losing_the_race_is_treated_as_processed(
    app, customer, metadata, stripe_api, monkeypatch
):
    evt = _invoice_event("invoice.paid", NOW, metadata)
    # Another worker committed the same event between our check and our insert.
    db.session.add(
        StripeEvent(id=evt["id"], type=evt["type"], created=billing_events._timestamp(NOW))
    )
    db.session.commit()
    answers = iter([False])
    monkeypatch.setattr(billing_events, "_already_processed", lambda event_id: next(answers, True))

    applied = billing_events.apply_event(evt)

    assert applied is False
    assert _payments() == []


def test_unknown_event_type_is_acknowledged_and_ignored(http, stripe_api):
    evt = event("customer.created", {"id": "cus_x", "object": "customer"})

    response = deliver(http, evt)

    assert response.status_code == 200
    assert _count(StripeEvent) == 1


# Checkout ------------------------------------------------------------------------------------


def test_checkout_completed_activates_the_subscription(
    http, client_record, package, customer, metadata, stripe_api
):
    session = checkout_session_object(
        "cs_1", customer="cus_client", mode="subscription", subscription="sub_1", metadata=metadata
    )

    deliver(http, event("checkout.session.completed", session, created=NOW))

    subscription = _subscription()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.client_id == client_record.id
    assert subscription.package_id == package.id
    assert _payments() == []  # the subscription's invoice is recorded by invoice.paid


def test_checkout_completed_remembers_a_customer_we_had_not_stored(
    http, client_record, metadata, stripe_api
):
    session = checkout_session_object(
        "cs_1", customer="cus_new", mode="subscription", subscription="sub_1", metadata=metadata
    )

    deliver(http, event("checkout.session.completed", session))

    stored = db.session.execute(select(BillingCustomer)).scalar_one()
    assert (stored.client_id, stored.stripe_customer_id) == (client_record.id, "cus_new")


def test_one_off_checkout_records_the_payment_once(
    http, trainer, client_record, customer, metadata, stripe_api
):
    session = checkout_session_object(
        "cs_1",
        customer="cus_client",
        mode="payment",
        payment_intent="pi_1",
        amount_total=15000,
        metadata=metadata,
    )
    deliver(http, event("checkout.session.completed", session))

    # The same purchase reported again under a new event id still counts once.
    deliver(http, event("checkout.session.async_payment_succeeded", session))

    (payment,) = _payments()
    assert (payment.amount, payment.status) == (15000, PaymentStatus.PAID)
    assert payment.stripe_payment_intent_id == "pi_1"
    assert payment.trainer_id == trainer.id
    assert _count(Subscription) == 0


def test_one_off_checkout_not_yet_paid_records_nothing(http, customer, metadata, stripe_api):
    session = checkout_session_object(
        "cs_1",
        customer="cus_client",
        mode="payment",
        payment_intent="pi_1",
        metadata=metadata,
        payment_status="unpaid",
    )

    deliver(http, event("checkout.session.completed", session))

    assert _payments() == []


def test_checkout_of_an_unknown_customer_changes_nothing(http, stripe_api):
    session = checkout_session_object(
        "cs_1", customer="cus_stranger", mode="subscription", subscription="sub_9", metadata={}
    )

    response = deliver(http, event("checkout.session.completed", session))

    assert response.status_code == 200
    assert _count(Subscription) == 0


# Invoices ------------------------------------------------------------------------------------


def test_invoice_paid_records_the_payment(
    http, trainer, client_record, package, customer, metadata, stripe_api
):
    evt = _invoice_event(
        "invoice.paid", NOW, metadata, amount=4900, paid_at=NOW - 5, payment_intent="pi_1"
    )

    deliver(http, evt)

    (payment,) = _payments()
    assert payment.status == PaymentStatus.PAID
    assert (payment.amount, payment.currency) == (4900, "eur")
    assert payment.stripe_invoice_id == "in_1"
    assert payment.stripe_payment_intent_id == "pi_1"
    assert int(payment.paid_at.timestamp()) == NOW - 5
    assert (payment.trainer_id, payment.client_id, payment.package_id) == (
        trainer.id,
        client_record.id,
        package.id,
    )
    assert payment.subscription_id == _subscription().id


def test_invoice_paid_twice_under_different_events_counts_once(
    http, customer, metadata, stripe_api
):
    deliver(http, _invoice_event("invoice.paid", NOW, metadata))
    deliver(http, _invoice_event("invoice.paid", NOW + 1, metadata))

    assert len(_payments()) == 1


def test_invoice_paid_sets_the_new_period_end(http, customer, metadata, stripe_api):
    deliver(http, _invoice_event("invoice.paid", NOW, metadata, period_end=NOW + 86400 * 31))

    assert int(_subscription().current_period_end.timestamp()) == NOW + 86400 * 31


def test_free_invoice_records_no_payment(http, customer, metadata, stripe_api):
    deliver(http, _invoice_event("invoice.paid", NOW, metadata, amount=0))

    assert _payments() == []
    assert _subscription().status == SubscriptionStatus.ACTIVE


def test_invoice_paid_in_the_older_api_shape_is_recorded(http, customer, metadata, stripe_api):
    legacy = {
        "id": "in_legacy",
        "object": "invoice",
        "amount_paid": 2500,
        "amount_due": 2500,
        "currency": "usd",
        "customer": "cus_client",
        "subscription": "sub_1",
        "subscription_details": {"metadata": metadata},
        "payment_intent": "pi_legacy",
        "charge": "ch_legacy",
        "status_transitions": {"paid_at": NOW},
        "lines": {"object": "list", "data": []},
    }

    deliver(http, event("invoice.paid", legacy))

    (payment,) = _payments()
    assert (payment.amount, payment.currency) == (2500, "usd")
    assert (payment.stripe_payment_intent_id, payment.stripe_charge_id) == (
        "pi_legacy",
        "ch_legacy",
    )


def test_invoice_paid_before_checkout_completed_creates_the_subscription(
    http, package, customer, metadata, stripe_api
):
    deliver(http, _invoice_event("invoice.paid", NOW, metadata))
    session = checkout_session_object(
        "cs_1",
        customer="cus_client",
        mode="subscription",
        subscription="sub_1",
        metadata=metadata,
        payment_status="unpaid",
    )

    # The (older) checkout event arrives last and must not set the subscription back.
    deliver(http, event("checkout.session.completed", session, created=NOW - 10))

    subscription = _subscription()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.package_id == package.id
    assert len(_payments()) == 1


def test_invoice_package_is_found_by_stripe_product_without_metadata(
    http, package, customer, stripe_api
):
    evt = _invoice_event("invoice.paid", NOW, {}, product=package.stripe_product_id)

    deliver(http, evt)

    assert _payments()[0].package_id == package.id


def test_invoice_of_another_trainers_package_is_recorded_without_package(
    http, other_trainer, customer, metadata, stripe_api
):
    foreign = BillingPackageFactory(trainer=other_trainer)

    deliver(
        http,
        _invoice_event("invoice.paid", NOW, {**metadata, "fitbud_package_id": str(foreign.id)}),
    )

    (payment,) = _payments()
    assert payment.package_id is None  # never attributed to someone else's package


# Payment failure -----------------------------------------------------------------------------


def test_payment_failure_makes_the_subscription_past_due(
    http, client_record, package, customer, metadata, client_headers, stripe_api
):
    SubscriptionFactory(client=client_record, package=package, stripe_subscription_id="sub_1")

    deliver(http, _invoice_event("invoice.payment_failed", NOW, metadata, paid=False))

    assert _subscription().status == SubscriptionStatus.PAST_DUE
    (payment,) = _payments()
    assert payment.status == PaymentStatus.FAILED and payment.paid_at is None
    me = http.get("/api/v1/me/billing", headers=client_headers).json
    assert me["past_due"] is True and me["access"] == "read_only"


def test_failed_payment_then_paid_counts_once_as_paid(
    http, client_record, package, customer, metadata, stripe_api
):
    SubscriptionFactory(client=client_record, package=package, stripe_subscription_id="sub_1")
    deliver(http, _invoice_event("invoice.payment_failed", NOW, metadata, paid=False))

    deliver(http, _invoice_event("invoice.paid", NOW + 60, metadata, paid_at=NOW + 60))

    (payment,) = _payments()
    assert payment.status == PaymentStatus.PAID
    assert _subscription().status == SubscriptionStatus.ACTIVE


def test_late_failure_never_undoes_a_payment(http, customer, metadata, stripe_api):
    deliver(http, _invoice_event("invoice.paid", NOW, metadata))

    deliver(http, _invoice_event("invoice.payment_failed", NOW - 60, metadata, paid=False))

    (payment,) = _payments()
    assert payment.status == PaymentStatus.PAID
    assert _subscription().status == SubscriptionStatus.ACTIVE


def test_first_invoice_failing_leaves_the_subscription_incomplete(
    http, customer, metadata, stripe_api
):
    evt = _invoice_event(
        "invoice.payment_failed", NOW, metadata, paid=False, billing_reason="subscription_create"
    )

    deliver(http, evt)

    assert _subscription().status == SubscriptionStatus.INCOMPLETE


# Subscription updates and order ----------------------------------------------------------------


def test_subscription_updated_takes_status_and_period_end(http, customer, metadata, stripe_api):
    evt = _sub_event(
        "customer.subscription.updated", "past_due", NOW, metadata, period_end=NOW + 1000
    )

    deliver(http, evt)

    subscription = _subscription()
    assert subscription.status == SubscriptionStatus.PAST_DUE
    assert int(subscription.current_period_end.timestamp()) == NOW + 1000


@pytest.mark.parametrize(
    ("stripe_status", "ours"),
    [
        ("trialing", SubscriptionStatus.ACTIVE),
        ("unpaid", SubscriptionStatus.PAST_DUE),
        ("incomplete", SubscriptionStatus.INCOMPLETE),
        ("incomplete_expired", SubscriptionStatus.CANCELED),
    ],
)
def test_stripe_statuses_map_onto_ours(http, customer, metadata, stripe_api, stripe_status, ours):
    deliver(http, _sub_event("customer.subscription.created", stripe_status, NOW, metadata))

    assert _subscription().status == ours


def test_older_update_after_a_newer_one_does_not_move_the_subscription_back(
    http, customer, metadata, stripe_api
):
    newer = _sub_event(
        "customer.subscription.updated", "active", NOW, metadata, period_end=NOW + 2000
    )
    older = _sub_event(
        "customer.subscription.updated", "past_due", NOW - 100, metadata, period_end=NOW + 1000
    )
    deliver(http, newer)

    response = deliver(http, older)

    assert response.status_code == 200
    subscription = _subscription()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert int(subscription.current_period_end.timestamp()) == NOW + 2000
    assert _count(StripeEvent) == 2  # the old event is processed (as a no-op), not retried


def test_subscription_deleted_cancels_it(http, client_record, customer, metadata, stripe_api):
    deliver(http, _sub_event("customer.subscription.updated", "active", NOW, metadata))

    deliver(
        http,
        _sub_event(
            "customer.subscription.deleted", "canceled", NOW + 10, metadata, ended_at=NOW + 10
        ),
    )

    subscription = _subscription()
    assert subscription.status == SubscriptionStatus.CANCELED
    assert int(subscription.canceled_at.timestamp()) == NOW + 10


def test_canceled_subscription_is_never_revived(http, customer, metadata, stripe_api):
    deliver(http, _sub_event("customer.subscription.deleted", "canceled", NOW, metadata))

    deliver(http, _sub_event("customer.subscription.updated", "active", NOW + 10, metadata))
    deliver(http, _invoice_event("invoice.paid", NOW + 20, metadata))

    assert _subscription().status == SubscriptionStatus.CANCELED
    assert len(_payments()) == 1  # the money still counts


def test_cancel_at_period_end_is_recorded(http, customer, metadata, stripe_api):
    evt = _sub_event(
        "customer.subscription.updated", "active", NOW, metadata, cancel_at_period_end=True
    )

    deliver(http, evt)

    assert _subscription().cancel_at_period_end is True


def test_subscription_of_an_unknown_customer_is_ignored(http, stripe_api):
    obj = subscription_object("sub_x", customer="cus_stranger")

    response = deliver(http, event("customer.subscription.updated", obj))

    assert response.status_code == 200
    assert _count(Subscription) == 0


def test_simultaneous_duplicate_deliveries_apply_once(
    app, customer, metadata, stripe_api, monkeypatch
):
    # Two threads, each with its own app context and so its own connection, like two workers.
    evt = _invoice_event("invoice.paid", NOW, metadata)
    both_checked = threading.Barrier(2, timeout=5)
    seen = threading.local()
    real_check = billing_events._already_processed

    def check_then_wait(event_id):
        answer = real_check(event_id)
        if not getattr(seen, "waited", False):
            seen.waited = True
            both_checked.wait()  # both deliveries found nothing: a true race
        return answer

    results = []

    def deliver_in_thread():
        with app.app_context():
            results.append(billing_events.apply_event(evt))

    monkeypatch.setattr(billing_events, "_already_processed", check_then_wait)
    threads = [threading.Thread(target=deliver_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(results) == [False, True]
    assert len(_payments()) == 1
    assert _count(StripeEvent) == 1


def _three_first_events(metadata):
    """checkout.session.completed, customer.subscription.created and invoice.paid of one new subscription."""
    checkout = checkout_session_object(
        "cs_1", customer="cus_client", mode="subscription", subscription="sub_1", metadata=metadata
    )
    return [
        event("checkout.session.completed", checkout, created=NOW),
        _sub_event("customer.subscription.created", "active", NOW + 1, metadata),
        _invoice_event("invoice.paid", NOW + 2, metadata),
    ]


def test_first_event_that_loses_the_insert_race_applies_itself_to_the_winners_row(
    http, customer, metadata, stripe_api, monkeypatch
):
    checkout, created, _paid = _three_first_events(metadata)
    deliver(http, checkout)
    real_find = billing_events._find_subscription
    calls = []

    def missed_it_once(stripe_id, lock=False):
        # The second delivery looked before the first one's row was committed.
        calls.append(lock)
        if lock and len(calls) == 2:
            return None
        return real_find(stripe_id, lock)

    monkeypatch.setattr(billing_events, "_find_subscription", missed_it_once)

    response = deliver(http, _sub_event("customer.subscription.created", "past_due", NOW + 1, metadata))

    assert response.status_code == 200
    assert _count(Subscription) == 1
    assert _subscription().status == SubscriptionStatus.PAST_DUE  # the newer event applied


@pytest.mark.postgres
def test_three_first_events_delivered_at_once_create_one_subscription(
    app, package, customer, metadata, stripe_api, monkeypatch
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent inserts are checked on PostgreSQL (TEST_DATABASE_URL); this run uses SQLite")
    db.session.commit()
    events = _three_first_events(metadata)
    all_looked = threading.Barrier(len(events), timeout=10)
    seen = threading.local()
    real_find = billing_events._find_subscription

    def find_then_wait(stripe_id, lock=False):
        found = real_find(stripe_id, lock)
        if lock and not getattr(seen, "waited", False):
            seen.waited = True
            all_looked.wait()  # every delivery found no subscription: a true race on the insert
        return found

    outcomes: list[object] = []

    def deliver_in_thread(evt):
        with app.app_context():
            try:
                outcomes.append(billing_events.apply_event(evt))
            except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
                outcomes.append(error)
            finally:
                db.session.remove()

    monkeypatch.setattr(billing_events, "_find_subscription", find_then_wait)
    threads = [threading.Thread(target=deliver_in_thread, args=(evt,)) for evt in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert outcomes == [True, True, True]
    assert _count(Subscription) == 1
    assert _count(StripeEvent) == 3
    subscription = _subscription()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.package_id == package.id
    assert len(_payments()) == 1

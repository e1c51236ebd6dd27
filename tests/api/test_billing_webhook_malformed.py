"""A signed webhook event that cannot be a Stripe event is a 400 that changes nothing, never a 500."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import StripeEvent
from tests.helpers import assert_error
from tests.stripe_fake import deliver, event, install_fake_stripe, sign


@pytest.fixture
def stripe_api(app):
    return install_fake_stripe(app)


def _stored_events() -> int:
    return db.session.execute(select(func.count()).select_from(StripeEvent)).scalar_one()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"created": 10**20}, "creation time"),
        ({"created": -(10**15)}, "creation time"),
        ({"created": 1e308}, "creation time"),
        ({"type": "customer.subscription.updated" * 100}, "type"),
        ({"type": "bad\x00type"}, "plain text"),
        ({"id": "evt_" + "x" * 300}, "event id"),
        ({"data": {"object": ["not", "an", "object"]}}, "data.object"),
        ({"data": {"object": "sub_123"}}, "data.object"),
        ({"data": "everything"}, "data.object"),
    ],
    ids=[
        "created-far-future",
        "created-far-past",
        "created-past-a-datetime",
        "huge-type",
        "nul-in-type",
        "huge-id",
        "object-a-list",
        "object-a-string",
        "data-not-an-object",
    ],
)
def test_a_signed_absurd_event_is_400_and_stores_nothing(http, stripe_api, change, reason):
    evt = {**event("customer.subscription.updated", {"id": "sub_123", "object": "subscription"}), **change}

    assert_error(deliver(http, evt), 400, message=reason)
    assert _stored_events() == 0


def test_a_signed_body_nested_100000_deep_is_400(http, stripe_api):
    payload = "[" * 100_000 + "]" * 100_000

    response = http.post(
        "/api/v1/billing/webhook",
        data=payload,
        headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"},
    )

    assert_error(response, 400, message="not a Stripe event")


def test_a_signed_event_that_is_not_an_object_is_400(http, stripe_api):
    payload = json.dumps(["evt_1", "customer.subscription.updated"])

    response = http.post(
        "/api/v1/billing/webhook",
        data=payload,
        headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"},
    )

    assert_error(response, 400, message="not a Stripe event")

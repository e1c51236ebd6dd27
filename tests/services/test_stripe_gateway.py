"""The Stripe gateway: the only importer of stripe, configuration, and webhook verification."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from config import ConfigurationError, ProductionConfig, load_config
from fitbud.errors import ServiceUnavailableError
from fitbud.services.stripe_gateway import InvalidWebhookError, StripeGateway, get_gateway
from tests.stripe_fake import WEBHOOK_SECRET, FakeStripeHTTPClient, event, install_fake_stripe, sign

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "fitbud"


def test_only_the_gateway_imports_stripe():
    importers = [
        str(path.relative_to(PACKAGE_ROOT))
        for path in PACKAGE_ROOT.rglob("*.py")
        if re.search(r"^\s*(import stripe|from stripe)", path.read_text(), re.MULTILINE)
    ]

    assert importers == ["services/stripe_gateway.py"]


def test_get_gateway_without_secret_key_is_503(app):
    with pytest.raises(ServiceUnavailableError, match="billing is not configured"):
        get_gateway()


def test_get_gateway_builds_once_per_app(app):
    fake = install_fake_stripe(app)

    assert get_gateway() is get_gateway()
    get_gateway().create_customer(client_id=1, email="a@example.com", name="A", metadata={})
    assert len(fake.requests) == 1


def test_construct_event_returns_plain_data():
    gateway = StripeGateway("sk_test_x", WEBHOOK_SECRET, http_client=FakeStripeHTTPClient())
    payload = json.dumps(event("invoice.paid", {"id": "in_1", "object": "invoice"}))

    data = gateway.construct_event(payload.encode(), sign(payload))

    assert data["type"] == "invoice.paid"
    assert data["data"]["object"] == {"id": "in_1", "object": "invoice"}


def test_construct_event_rejects_a_body_without_id():
    gateway = StripeGateway("sk_test_x", WEBHOOK_SECRET, http_client=FakeStripeHTTPClient())
    payload = json.dumps({"object": "event", "type": "invoice.paid"})

    with pytest.raises(InvalidWebhookError):
        gateway.construct_event(payload.encode(), sign(payload))


def test_construct_event_without_webhook_secret_is_503():
    gateway = StripeGateway("sk_test_x", None, http_client=FakeStripeHTTPClient())

    with pytest.raises(ServiceUnavailableError):
        gateway.construct_event(b"{}", "t=1,v1=abc")


def test_stripe_urls_default_to_pages_of_the_public_base_url():
    settings = load_config("development", {"PUBLIC_BASE_URL": "https://app.fitbud.io/"})

    assert settings.STRIPE_SUCCESS_URL == (
        "https://app.fitbud.io/billing/success?session_id={CHECKOUT_SESSION_ID}"
    )
    assert settings.STRIPE_CANCEL_URL == "https://app.fitbud.io/billing/cancel"
    assert settings.STRIPE_PORTAL_RETURN_URL == "https://app.fitbud.io/billing"
    assert settings.STRIPE_SECRET_KEY is None


def test_stripe_urls_can_be_set():
    settings = load_config("development", {"STRIPE_CANCEL_URL": "https://x.test/back"})

    assert settings.STRIPE_CANCEL_URL == "https://x.test/back"


def test_production_refuses_a_stripe_key_without_webhook_secret():
    environ = {
        "SECRET_KEY": "a-production-secret-key-of-enough-bytes-1",
        "JWT_SECRET_KEY": "a-production-jwt-signing-key-of-enough-bytes-2",
        "DATABASE_URL": "postgresql+psycopg://db/fitbud",
        "REDIS_URL": "redis://redis:6379/0",
        "MAIL_BACKEND": "smtp",
        "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1maWVsZC1rZXktb2YtMzItYnl0ZXM=",
        "STRIPE_SECRET_KEY": "sk_live_x",
    }

    with pytest.raises(ConfigurationError, match="STRIPE_WEBHOOK_SECRET"):
        ProductionConfig(environ).validate()
    ProductionConfig({**environ, "STRIPE_WEBHOOK_SECRET": "whsec_x"}).validate()

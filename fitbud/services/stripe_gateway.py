"""The one module that talks to Stripe: products, prices, customers, Checkout, portal, webhooks.

Nothing else imports `stripe`. Every call that creates a Stripe object sends an idempotency
key derived from Fitbud's own ids, so a retried request returns the object already created
instead of creating a second one. Tests pass `http_client` (a `stripe.HTTPClient`) to answer
without the network while the real library builds, signs and parses every request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import stripe
from flask import Flask, current_app

from fitbud.errors import DomainError, InvalidInputError, ServiceUnavailableError

if TYPE_CHECKING:
    from stripe.params import PriceCreateParams, ProductUpdateParams
    from stripe.params.checkout import SessionCreateParams

logger = logging.getLogger("fitbud.billing.stripe")

EXTENSION_KEY = "fitbud.stripe_gateway"
NOT_CONFIGURED = "billing is not configured"

# How far a webhook signature's timestamp may be from now, either way (Stripe's own default for
# the past; the library checks no future bound, so one made with a leaked secret stays valid).
DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300
OUTSIDE_TOLERANCE = "Invalid Stripe signature: Timestamp outside the tolerance zone"

# Fitbud's package intervals as Stripe's recurring intervals (one-off prices have none).
_RECURRING_INTERVALS = {"weekly": "week", "monthly": "month"}


class InvalidWebhookError(DomainError):
    """A webhook whose signature, timestamp or body does not check out (400)."""

    status_code = HTTPStatus.BAD_REQUEST


@dataclass(frozen=True)
class HostedSession:
    """A Stripe-hosted page the browser is sent to (Checkout or the customer portal)."""

    id: str
    url: str


class StripeGateway:
    """Fitbud's calls to Stripe, through a `stripe.StripeClient`."""

    def __init__(
        self,
        api_key: str,
        webhook_secret: str | None = None,
        *,
        http_client: stripe.HTTPClient | None = None,
        max_network_retries: int = 2,
        webhook_tolerance_seconds: int = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
    ) -> None:
        self._webhook_secret = webhook_secret
        self._webhook_tolerance = webhook_tolerance_seconds
        # Network retries are safe because every create call carries an idempotency key.
        self._client = stripe.StripeClient(api_key, http_client=http_client, max_network_retries=max_network_retries)

    # Products and prices -------------------------------------------------------------

    def create_product(self, *, package_id: int, name: str, metadata: Mapping[str, str]) -> str:
        """Create the Stripe Product mirroring package `package_id`; its id."""
        with _translate_errors():
            product = self._client.v1.products.create(
                params={"name": name, "metadata": dict(metadata)},
                options={"idempotency_key": f"package-{package_id}-product"},
            )
        return product.id

    def update_product(self, product_id: str, *, name: str | None = None, active: bool | None = None) -> None:
        """Rename a product, or (de)activate it so it can (not) be bought."""
        params: ProductUpdateParams = {}
        if name is not None:
            params["name"] = name
        if active is not None:
            params["active"] = active
        with _translate_errors():
            self._client.v1.products.update(product_id, params=params)

    def create_price(
        self,
        *,
        package_id: int,
        version: int,
        product_id: str,
        unit_amount: int,
        currency: str,
        interval: str,
        metadata: Mapping[str, str],
    ) -> str:
        """Create version `version` of a package's Stripe Price; its id.

        Stripe prices are immutable, so every change of amount, currency or interval makes a
        new one. The key names the version and its terms: a retry of the same change gets
        the same price back, a different change can never collide with it.
        """
        params: PriceCreateParams = {
            "product": product_id,
            "unit_amount": unit_amount,
            "currency": currency,
            "metadata": dict(metadata),
        }
        if interval in _RECURRING_INTERVALS:
            params["recurring"] = {"interval": _RECURRING_INTERVALS[interval]}
        key = f"package-{package_id}-price-v{version}-{unit_amount}-{currency}-{interval}"
        with _translate_errors():
            price = self._client.v1.prices.create(params=params, options={"idempotency_key": key})
        return price.id

    def deactivate_price(self, price_id: str) -> None:
        """Stop selling an old price; existing subscriptions on it carry on."""
        with _translate_errors():
            self._client.v1.prices.update(price_id, params={"active": False})

    # Customers, Checkout and the portal ----------------------------------------------

    def create_customer(self, *, client_id: int, email: str, name: str, metadata: Mapping[str, str]) -> str:
        """Create the Stripe Customer of client `client_id` (the key makes it once only)."""
        with _translate_errors():
            customer = self._client.v1.customers.create(
                params={"email": email, "name": name, "metadata": dict(metadata)},
                options={"idempotency_key": f"client-{client_id}-customer"},
            )
        return customer.id

    def create_checkout_session(
        self,
        *,
        idempotency_key: str,
        customer_id: str,
        price_id: str,
        recurring: bool,
        client_reference_id: str,
        metadata: Mapping[str, str],
        success_url: str,
        cancel_url: str,
    ) -> HostedSession:
        """A Checkout Session selling one unit of `price_id` to the customer."""
        params: SessionCreateParams = {
            "mode": "subscription" if recurring else "payment",
            "customer": customer_id,
            "client_reference_id": client_reference_id,
            "line_items": [{"price": price_id, "quantity": 1}],
            "metadata": dict(metadata),
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        # The subscription (and its invoices) or the payment carry our ids too, so webhooks
        # about them can be matched even when they arrive before checkout.session.completed.
        if recurring:
            params["subscription_data"] = {"metadata": dict(metadata)}
        else:
            params["payment_intent_data"] = {"metadata": dict(metadata)}
        with _translate_errors():
            session = self._client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        assert session.url is not None  # a hosted Checkout Session always has its page
        return HostedSession(id=session.id, url=session.url)

    def create_portal_session(self, *, idempotency_key: str, customer_id: str, return_url: str) -> HostedSession:
        """A customer-portal session where the client manages or cancels their subscription."""
        with _translate_errors():
            session = self._client.v1.billing_portal.sessions.create(
                params={"customer": customer_id, "return_url": return_url},
                options={"idempotency_key": idempotency_key},
            )
        return HostedSession(id=session.id, url=session.url)

    # Webhooks --------------------------------------------------------------------------

    def construct_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        """The verified event as plain data; InvalidWebhookError (400) if it does not verify.

        The signature must be Stripe's HMAC-SHA256 of the payload with the webhook secret,
        and its timestamp within the tolerance (STRIPE_WEBHOOK_TOLERANCE_SECONDS) of now in
        both directions: an old one is a replay, a future one would stay replayable for as
        long as it is ahead (Stripe's library only bounds the past).
        """
        if not self._webhook_secret:
            raise ServiceUnavailableError(NOT_CONFIGURED)
        if not signature:
            raise InvalidWebhookError("Missing Stripe-Signature header.")
        try:
            event = self._client.construct_event(
                payload, signature, self._webhook_secret, tolerance=self._webhook_tolerance
            )
        except stripe.SignatureVerificationError as error:
            raise InvalidWebhookError(f"Invalid Stripe signature: {error.user_message}") from None
        # Not JSON, JSON nested past the parser's reach, or JSON that is not an object (Stripe's
        # library builds the event with .get and raises AttributeError/TypeError on anything else).
        except (ValueError, RecursionError, AttributeError, TypeError):
            raise InvalidWebhookError("The webhook body is not a Stripe event.") from None
        # Checked once the signature holds, so the timestamp is the one Stripe signed.
        signed_at = _signature_timestamp(signature)
        if signed_at is None or signed_at > time.time() + self._webhook_tolerance:
            raise InvalidWebhookError(OUTSIDE_TOLERANCE)
        data = event.to_dict()
        if not isinstance(data.get("id"), str) or not isinstance(data.get("type"), str):
            raise InvalidWebhookError("The webhook body is not a Stripe event.")
        return data


def _signature_timestamp(header: str) -> int | None:
    """The `t=` value of a Stripe-Signature header (`t=<unix time>,v1=<hmac>,...`), or None."""
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            try:
                return int(value)
            except ValueError:
                return None
    return None


@contextmanager
def _translate_errors() -> Iterator[None]:
    """Stripe's errors as domain errors: our bad input is a 422, Stripe's trouble a 503."""
    try:
        yield
    except stripe.InvalidRequestError as error:
        field = error.param or "stripe"
        raise InvalidInputError(
            "Stripe rejected the request.", errors={field: [error.user_message or str(error)]}
        ) from None
    except stripe.StripeError as error:
        logger.warning(
            "stripe call failed",
            extra={"stripe_error": type(error).__name__, "stripe_request_id": error.request_id},
        )
        raise ServiceUnavailableError("The payment provider is not answering; try again in a moment.") from None


def billing_configured(app: Flask | None = None) -> bool:
    """True when a Stripe secret key is set; without one billing answers 503."""
    app = app or current_app
    return bool(app.config.get("STRIPE_SECRET_KEY"))


def init_gateway(app: Flask, http_client: stripe.HTTPClient | None = None) -> StripeGateway:
    """Build the app's gateway from its settings (tests pass a fake `http_client`)."""
    if not billing_configured(app):
        raise ServiceUnavailableError(NOT_CONFIGURED)
    gateway = StripeGateway(
        app.config["STRIPE_SECRET_KEY"],
        app.config.get("STRIPE_WEBHOOK_SECRET"),
        http_client=http_client,
        max_network_retries=app.config.get("STRIPE_MAX_NETWORK_RETRIES", 2),
        webhook_tolerance_seconds=app.config.get("STRIPE_WEBHOOK_TOLERANCE_SECONDS", DEFAULT_WEBHOOK_TOLERANCE_SECONDS),
    )
    app.extensions[EXTENSION_KEY] = gateway
    return gateway


def get_gateway() -> StripeGateway:
    """The current app's gateway, built on first use; 503 when billing is not configured."""
    if not billing_configured():
        raise ServiceUnavailableError(NOT_CONFIGURED)
    gateway = current_app.extensions.get(EXTENSION_KEY)
    return gateway if gateway is not None else init_gateway(current_app._get_current_object())  # type: ignore[attr-defined]

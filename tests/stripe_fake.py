"""A fake Stripe for tests: an HTTP client the real `stripe` library talks to, and signed events.

The library builds, authenticates and encodes every request as it would for api.stripe.com;
`FakeStripeHTTPClient` records each one (method, path, parameters, Idempotency-Key) and
answers with objects shaped like Stripe's documented ones. Like Stripe, it replays the first
answer for a repeated idempotency key, so tests can prove a retry never creates twice.
No test reaches the network.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe
from flask import Flask

from fitbud.services.stripe_gateway import init_gateway

SECRET_KEY = "sk_test_fitbud_fake"
WEBHOOK_SECRET = "whsec_test_fitbud_fake"
API_VERSION = "2026-10-28.endive"


@dataclass
class RecordedRequest:
    """One request the stripe library sent."""

    method: str
    path: str
    params: dict[str, str]
    idempotency_key: str | None
    headers: dict[str, str] = field(repr=False)

    def metadata(self, prefix: str = "metadata") -> dict[str, str]:
        """The `prefix[...]` parameters as a dict (form encoding flattens nested objects)."""
        start = f"{prefix}["
        return {
            key[len(start) : -1]: value
            for key, value in self.params.items()
            if key.startswith(start) and key.endswith("]") and "][" not in key[len(start) :]
        }


class FakeStripeHTTPClient(stripe.HTTPClient):
    """Answers the Stripe endpoints Fitbud uses, from memory."""

    name = "fitbud-fake"

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[RecordedRequest] = []
        self.objects: dict[str, dict[str, Any]] = {}
        self._replies: dict[str, tuple[str, int, dict[str, str]]] = {}
        self._failures: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    # What tests call ------------------------------------------------------------------

    def fail(
        self,
        path: str,
        *,
        status: int = 400,
        error_type: str = "invalid_request_error",
        message: str = "Invalid request.",
        param: str | None = None,
        times: int = 1,
        lose_response: bool = False,
    ) -> None:
        """Make the next `times` requests to `path` fail.

        `lose_response=True` simulates a dropped connection after Stripe did the work: the
        object is created and remembered under its idempotency key, but the caller gets a
        connection error (and the library retries).
        """
        self._failures.append(
            {
                "path": path,
                "status": status,
                "error": {"type": error_type, "message": message, "param": param},
                "times": times,
                "lose_response": lose_response,
            }
        )

    def calls(self, path: str, method: str = "post") -> list[RecordedRequest]:
        """Recorded requests to `path`."""
        return [r for r in self.requests if r.path == path and r.method == method]

    def created(self, prefix: str) -> list[dict[str, Any]]:
        """Objects created whose id starts with `prefix` (such as "prod_")."""
        return [obj for key, obj in self.objects.items() if key.startswith(prefix)]

    # stripe.HTTPClient -----------------------------------------------------------------

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        encoded = post_data if method == "post" else parts.query
        if isinstance(encoded, bytes):
            encoded = encoded.decode()
        params = dict(parse_qsl(encoded or "", keep_blank_values=True))
        key = (headers or {}).get("Idempotency-Key")
        self.requests.append(RecordedRequest(method, parts.path, params, key, dict(headers or {})))
        if key and key in self._replies:
            return self._replies[key]
        failure = self._take_failure(parts.path)
        if failure is not None and not failure["lose_response"]:
            body = json.dumps({"error": failure["error"]})
            return body, failure["status"], {"request-id": "req_fake_error"}
        reply = (json.dumps(self._answer(method, parts.path, params)), 200, {"request-id": "req_1"})
        if key and method == "post":
            self._replies[key] = reply
        if failure is not None:
            raise stripe.APIConnectionError("Connection lost (fake).", should_retry=True)
        return reply

    def close(self) -> None:
        """Nothing to close."""

    def _sleep_time_seconds(self, num_retries: int) -> float:
        # The library backs off between retries; tests need not wait.
        return 0.0

    # Answers shaped like Stripe's objects ------------------------------------------------

    def _take_failure(self, path: str) -> dict[str, Any] | None:
        for failure in self._failures:
            if failure["path"] == path and failure["times"] > 0:
                failure["times"] -= 1
                return failure
        return None

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):04d}"

    def _answer(self, method: str, path: str, params: dict[str, str]) -> dict[str, Any]:
        now = int(time.time())
        segments = path.strip("/").split("/")
        if path == "/v1/products":
            return self._store(
                {
                    "id": self._new_id("prod"),
                    "object": "product",
                    "active": True,
                    "created": now,
                    "default_price": None,
                    "description": None,
                    "livemode": False,
                    "metadata": _nested(params).get("metadata", {}),
                    "name": params["name"],
                    "updated": now,
                }
            )
        if path == "/v1/prices":
            nested = _nested(params)
            recurring = nested.get("recurring")
            return self._store(
                {
                    "id": self._new_id("price"),
                    "object": "price",
                    "active": True,
                    "billing_scheme": "per_unit",
                    "created": now,
                    "currency": params["currency"],
                    "livemode": False,
                    "metadata": nested.get("metadata", {}),
                    "product": params["product"],
                    "recurring": (
                        {
                            "interval": recurring["interval"],
                            "interval_count": 1,
                            "usage_type": "licensed",
                        }
                        if recurring
                        else None
                    ),
                    "type": "recurring" if recurring else "one_time",
                    "unit_amount": int(params["unit_amount"]),
                }
            )
        if len(segments) == 3 and segments[1] in ("products", "prices") and method == "post":
            # Factory-made packages carry ids the fake never issued: treat them as existing.
            kind = "product" if segments[1] == "products" else "price"
            obj = self.objects.setdefault(
                segments[2], {"id": segments[2], "object": kind, "active": True, "metadata": {}}
            )
            if "active" in params:
                obj["active"] = params["active"] == "true"
            if "name" in params:
                obj["name"] = params["name"]
            return obj
        if path == "/v1/customers":
            return self._store(
                {
                    "id": self._new_id("cus"),
                    "object": "customer",
                    "created": now,
                    "email": params.get("email"),
                    "livemode": False,
                    "metadata": _nested(params).get("metadata", {}),
                    "name": params.get("name"),
                }
            )
        if path == "/v1/checkout/sessions":
            session_id = self._new_id("cs_test")
            price = self.objects.get(params["line_items[0][price]"], {})
            return self._store(
                {
                    "id": session_id,
                    "object": "checkout.session",
                    "amount_total": price.get("unit_amount"),
                    "cancel_url": params["cancel_url"],
                    "client_reference_id": params.get("client_reference_id"),
                    "created": now,
                    "currency": price.get("currency"),
                    "customer": params.get("customer"),
                    "livemode": False,
                    "metadata": _nested(params).get("metadata", {}),
                    "mode": params["mode"],
                    "payment_intent": None,
                    "payment_status": "unpaid",
                    "status": "open",
                    "subscription": None,
                    "success_url": params["success_url"],
                    "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                }
            )
        if path == "/v1/billing_portal/sessions":
            session_id = self._new_id("bps")
            return self._store(
                {
                    "id": session_id,
                    "object": "billing_portal.session",
                    "created": now,
                    "customer": params["customer"],
                    "livemode": False,
                    "return_url": params.get("return_url"),
                    "url": f"https://billing.stripe.com/p/session/test_{session_id}",
                }
            )
        raise AssertionError(f"the fake Stripe does not know {method.upper()} {path}")

    def _store(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects[obj["id"]] = obj
        return obj


def _nested(params: dict[str, str]) -> dict[str, Any]:
    """Undo the form encoding one level deep: `metadata[a]=1` -> {"metadata": {"a": "1"}}."""
    result: dict[str, Any] = {}
    for key, value in params.items():
        if "[" in key and key.endswith("]") and key.count("[") == 1:
            outer, inner = key[:-1].split("[")
            result.setdefault(outer, {})[inner] = value
    return result


def install_fake_stripe(app: Flask) -> FakeStripeHTTPClient:
    """Configure billing on `app` with test keys and route its Stripe calls to a fake."""
    app.config["STRIPE_SECRET_KEY"] = SECRET_KEY
    app.config["STRIPE_WEBHOOK_SECRET"] = WEBHOOK_SECRET
    fake = FakeStripeHTTPClient()
    init_gateway(app, http_client=fake)
    return fake


# Signed webhook deliveries -----------------------------------------------------------------


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A Stripe-Signature header as Stripe makes it: t=<ts>,v1=<HMAC-SHA256 of "<ts>.<body>">."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


_event_ids = itertools.count(1)


def event(event_type: str, obj: dict[str, Any], created: int | None = None) -> dict[str, Any]:
    """An event envelope as Stripe sends it to a webhook endpoint."""
    return {
        "id": f"evt_fake{next(_event_ids):06d}",
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()) if created is None else created,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def deliver(
    http, evt: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
):
    """POST `evt` to the webhook signed like Stripe does; the response."""
    payload = json.dumps(evt)
    return http.post(
        "/api/v1/billing/webhook",
        data=payload,
        headers={
            "Stripe-Signature": sign(payload, secret, timestamp),
            "Content-Type": "application/json",
        },
    )


def subscription_object(
    subscription_id: str,
    *,
    customer: str,
    status: str = "active",
    period_end: int | None = None,
    metadata: dict[str, str] | None = None,
    price: str = "price_unknown",
    product: str = "prod_unknown",
    cancel_at_period_end: bool = False,
    ended_at: int | None = None,
) -> dict[str, Any]:
    """A Subscription as the current API shapes it (the period lives on its items)."""
    now = int(time.time())
    period_end = period_end or now + 30 * 86400
    return {
        "id": subscription_id,
        "object": "subscription",
        "billing_cycle_anchor": now,
        "cancel_at": None,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": ended_at,
        "collection_method": "charge_automatically",
        "created": now,
        "currency": "eur",
        "customer": customer,
        "ended_at": ended_at,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_{subscription_id}",
                    "object": "subscription_item",
                    "current_period_start": period_end - 30 * 86400,
                    "current_period_end": period_end,
                    "price": {
                        "id": price,
                        "object": "price",
                        "currency": "eur",
                        "product": product,
                        "recurring": {"interval": "month", "interval_count": 1},
                        "type": "recurring",
                        "unit_amount": 4900,
                    },
                    "quantity": 1,
                    "subscription": subscription_id,
                }
            ],
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={subscription_id}",
        },
        "livemode": False,
        "metadata": metadata or {},
        "status": status,
    }


def invoice_object(
    invoice_id: str,
    *,
    customer: str,
    subscription: str | None,
    amount: int = 4900,
    currency: str = "eur",
    paid: bool = True,
    paid_at: int | None = None,
    metadata: dict[str, str] | None = None,
    price: str = "price_unknown",
    product: str = "prod_unknown",
    period_end: int | None = None,
    billing_reason: str = "subscription_cycle",
    payment_intent: str | None = None,
) -> dict[str, Any]:
    """An Invoice as the current API shapes it (subscription under parent.subscription_details)."""
    now = int(time.time())
    period_end = period_end or now + 30 * 86400
    invoice: dict[str, Any] = {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "attempt_count": 1,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": now,
        "currency": currency,
        "customer": customer,
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": f"il_{invoice_id}",
                    "object": "line_item",
                    "amount": amount,
                    "currency": currency,
                    "period": {"start": period_end - 30 * 86400, "end": period_end},
                    "pricing": {
                        "type": "price_details",
                        "price_details": {"price": price, "product": product},
                        "unit_amount_decimal": str(amount),
                    },
                    "quantity": 1,
                }
            ],
            "has_more": False,
        },
        "livemode": False,
        "parent": (
            {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {
                    "subscription": subscription,
                    "metadata": metadata or {},
                },
            }
            if subscription
            else None
        ),
        "status": "paid" if paid else "open",
        "status_transitions": {
            "finalized_at": now,
            "paid_at": (paid_at or now) if paid else None,
        },
    }
    if payment_intent:
        # Present only when the endpoint asks Stripe to include the invoice's payments.
        invoice["payments"] = {
            "object": "list",
            "data": [
                {
                    "id": f"inpay_{invoice_id}",
                    "object": "invoice_payment",
                    "amount_paid": amount if paid else None,
                    "currency": currency,
                    "invoice": invoice_id,
                    "is_default": True,
                    "payment": {"type": "payment_intent", "payment_intent": payment_intent},
                    "status": "paid" if paid else "open",
                }
            ],
            "has_more": False,
        }
    return invoice


def checkout_session_object(
    session_id: str,
    *,
    customer: str,
    mode: str,
    metadata: dict[str, str],
    subscription: str | None = None,
    payment_intent: str | None = None,
    amount_total: int = 4900,
    currency: str = "eur",
    payment_status: str = "paid",
) -> dict[str, Any]:
    """A completed Checkout Session."""
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_total": amount_total,
        "client_reference_id": metadata.get("fitbud_client_id"),
        "created": int(time.time()),
        "currency": currency,
        "customer": customer,
        "invoice": None,
        "livemode": False,
        "metadata": metadata,
        "mode": mode,
        "payment_intent": payment_intent,
        "payment_status": payment_status,
        "status": "complete",
        "subscription": subscription,
        "url": None,
    }

"""Request and response shapes of the billing endpoints."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from fitbud.api.schemas import NonBlank, StrictSchema, Timestamp
from fitbud.models import BillingInterval, PaymentStatus, SubscriptionStatus

# Stripe's largest unit_amount is eight digits of minor units.
MAX_PRICE = 99_999_999


class CurrencyField(fields.String):
    """An ISO 4217 code, three letters, stored lower-case as Stripe writes it."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "validate", validate.Regexp(r"^[a-z]{3}$", error="Must be a three-letter ISO code.")
        )
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        return result.strip().lower()


def _price(**kwargs) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=MAX_PRICE),
        metadata={"description": "In minor units of the currency (cents): 4900 is 49.00"},
        **kwargs,
    )


def _sessions(**kwargs) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "Coaching sessions included per period (per purchase if one-off)"},
        **kwargs,
    )


class BillingPackageSchema(ma.Schema):
    """A coaching package as its trainer (and their clients) see it."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    price = fields.Integer(dump_only=True, metadata={"description": "Minor units (cents)"})
    currency = fields.String(dump_only=True)
    interval = fields.Enum(BillingInterval, by_value=True, dump_only=True)
    sessions_per_period = fields.Integer(dump_only=True)
    archived_at = Timestamp(dump_only=True, allow_none=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class TrainerBillingPackageSchema(BillingPackageSchema):
    """A package with its Stripe mirror, for the trainer who owns it."""

    stripe_product_id = fields.String(dump_only=True, allow_none=True)
    stripe_price_id = fields.String(dump_only=True, allow_none=True)
    price_version = fields.Integer(dump_only=True)


class PackageCreateSchema(StrictSchema):
    """A new package."""

    name = NonBlank(required=True, max_length=120)
    price = _price(required=True)
    currency = CurrencyField(required=True)
    interval = fields.Enum(BillingInterval, by_value=True, required=True)
    sessions_per_period = _sessions(load_default=0)


class PackageUpdateSchema(StrictSchema):
    """Changes to a package; new price, currency or interval make a new Stripe Price."""

    name = NonBlank(max_length=120)
    price = _price()
    currency = CurrencyField()
    interval = fields.Enum(BillingInterval, by_value=True)
    sessions_per_period = _sessions()

    @validates_schema
    def _something_to_change(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Give at least one field to change.", "_schema")


class PackageQueryArgsSchema(StrictSchema):
    """Filters for the package list."""

    include_archived = fields.Boolean(load_default=False)


class CheckoutSchema(StrictSchema):
    """Which package to buy."""

    package_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class HostedSessionSchema(ma.Schema):
    """A Stripe-hosted page to send the browser to."""

    url = fields.String(dump_only=True)


class BillingSubscriptionSchema(ma.Schema):
    """A subscription's state as the last Stripe event described it."""

    id = fields.Integer(dump_only=True)
    package_id = fields.Integer(dump_only=True, allow_none=True)
    status = fields.Enum(SubscriptionStatus, by_value=True, dump_only=True)
    current_period_end = Timestamp(dump_only=True, allow_none=True)
    cancel_at_period_end = fields.Boolean(dump_only=True)
    canceled_at = Timestamp(dump_only=True, allow_none=True)
    created_at = Timestamp(dump_only=True)


class BillingStatusSchema(ma.Schema):
    """Where a client stands with billing, and what they may still do."""

    status = fields.String(
        dump_only=True,
        metadata={"description": "none, incomplete, active, past_due or canceled"},
    )
    past_due = fields.Boolean(dump_only=True)
    access = fields.String(
        dump_only=True,
        metadata={"description": "full, or read_only while a payment is past due"},
    )
    message = fields.String(dump_only=True)
    subscription = fields.Nested(BillingSubscriptionSchema, dump_only=True, allow_none=True)
    package = fields.Nested(BillingPackageSchema, dump_only=True, allow_none=True)


class PaymentSchema(ma.Schema):
    """One payment (or failed attempt) received through Stripe."""

    id = fields.Integer(dump_only=True)
    client_id = fields.Integer(dump_only=True, allow_none=True)
    client_name = fields.Function(
        lambda payment: payment.client.name if payment.client else None, dump_only=True
    )
    package_id = fields.Integer(dump_only=True, allow_none=True)
    package_name = fields.Function(
        lambda payment: payment.package.name if payment.package else None, dump_only=True
    )
    amount = fields.Integer(dump_only=True, metadata={"description": "Minor units (cents)"})
    currency = fields.String(dump_only=True)
    status = fields.Enum(PaymentStatus, by_value=True, dump_only=True)
    paid_at = Timestamp(dump_only=True, allow_none=True)
    occurred_at = Timestamp(dump_only=True)
    stripe_invoice_id = fields.String(dump_only=True, allow_none=True)
    stripe_payment_intent_id = fields.String(dump_only=True, allow_none=True)
    stripe_charge_id = fields.String(dump_only=True, allow_none=True)


class PaymentQueryArgsSchema(StrictSchema):
    """Filters for the payment list; dates are whole days in the trainer's timezone."""

    client_id = fields.Integer(validate=validate.Range(min=1))
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
    status = fields.Enum(PaymentStatus, by_value=True)


class WebhookReceiptSchema(ma.Schema):
    """Stripe only needs a 2xx; `duplicate` says the event had been processed before."""

    received = fields.Boolean(dump_only=True)
    duplicate = fields.Boolean(dump_only=True)

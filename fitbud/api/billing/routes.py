"""Billing endpoints: trainers' packages and payments, clients' checkout and portal, the webhook.

Three blueprints because the paths live under three prefixes: /billing (trainers and the
Stripe webhook), /me/billing (the client) and /clients/<id>/subscription (the trainer's view
of one client; the /clients blueprint itself belongs to the clients domain). Without
STRIPE_SECRET_KEY every one of them answers 503 "billing is not configured".
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.billing.schemas import (
    BillingPackageSchema,
    BillingStatusSchema,
    CheckoutSchema,
    HostedSessionSchema,
    PackageCreateSchema,
    PackageQueryArgsSchema,
    PackageUpdateSchema,
    PaymentQueryArgsSchema,
    PaymentSchema,
    TrainerBillingPackageSchema,
    WebhookReceiptSchema,
)
from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.auth.roles import Role
from fitbud.errors import ServiceUnavailableError
from fitbud.extensions import limiter
from fitbud.services import billing, billing_events
from fitbud.services.stripe_gateway import NOT_CONFIGURED, billing_configured


def _require_billing() -> None:
    if not billing_configured():
        raise ServiceUnavailableError(NOT_CONFIGURED)


class BillingBlueprint(Blueprint):
    """Every operation needs Stripe configured: a 503 otherwise, once the token and role passed.

    The check runs after authentication, so a caller without a valid token learns nothing
    about the server's setup (401 first, then 403, then 503).
    """

    def login_required(self, *roles: Role, refresh: bool = False) -> Callable:
        authenticate = super().login_required(*roles, refresh=refresh)
        return lambda view: authenticate(self.requires_billing(view))

    def requires_billing(self, view: Callable) -> Callable:
        """Answer 503 when billing is not configured (documented with the operation)."""

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            _require_billing()
            return view(*args, **kwargs)

        return self.alt_response(503, response="SERVICE_UNAVAILABLE")(wrapper)


blp = BillingBlueprint("billing", __name__, url_prefix="/billing", description="Billing with Stripe")
me_blp = BillingBlueprint("billing_me", __name__, url_prefix="/me/billing", description="A client's own billing")
client_subscription_blp = BillingBlueprint(
    "billing_client_subscription",
    __name__,
    url_prefix="",
    description="A trainer's view of a client's subscription",
)


# Trainer: packages -----------------------------------------------------------------------


@blp.route("/packages")
class PackageViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(PackageQueryArgsSchema, location="query")
    @blp.response(200, TrainerBillingPackageSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your packages, newest first (archived ones with include_archived=true)."""
        return paginate(
            billing.list_packages(current_user, args["include_archived"]), pagination_parameters
        )

    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(PackageCreateSchema)
    @blp.response(201, TrainerBillingPackageSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Create a package; it is mirrored as a Stripe Product and Price."""
        return billing.create_package(current_user, data)


@blp.route("/packages/<int:package_id>")
class PackageByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, TrainerBillingPackageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, package_id):
        """One of your packages."""
        return billing.get_package(current_user, package_id)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(PackageUpdateSchema)
    @blp.response(200, TrainerBillingPackageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, package_id):
        """Change a package; a new price, currency or interval creates a new Stripe Price.

        Clients already subscribed keep the price they signed up for.
        """
        return billing.update_package(current_user, package_id, data)

    @blp.login_required(Role.TRAINER)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, package_id):
        """Delete a package, or archive it when payments or subscriptions refer to it."""
        billing.delete_package(current_user, package_id)


# Trainer: payments -----------------------------------------------------------------------


@blp.route("/payments")
class PaymentViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(PaymentQueryArgsSchema, location="query")
    @blp.response(200, PaymentSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Payments from your clients, newest first; filter by client, status and dates."""
        statement = billing.list_payments(
            current_user,
            client_id=args.get("client_id"),
            date_from=args.get("date_from"),
            date_to=args.get("date_to"),
            status=args.get("status"),
        )
        return paginate(statement, pagination_parameters)


# Stripe ------------------------------------------------------------------------------------


@blp.route("/webhook", methods=["POST"])
@limiter.exempt
@blp.requires_billing
@blp.response(200, WebhookReceiptSchema)
@blp.alt_response(400, response="BAD_REQUEST")
def stripe_webhook():
    """Stripe's events (signed with the webhook secret); no token, no rate limit.

    A redelivered event answers 200 and changes nothing.
    """
    applied = billing_events.process_webhook(
        request.get_data(cache=False), request.headers.get("Stripe-Signature")
    )
    return {"received": True, "duplicate": not applied}


# Client: their own billing ------------------------------------------------------------------


@me_blp.route("")
class MyBillingViews(MethodView):
    @me_blp.login_required(Role.CLIENT)
    @me_blp.response(200, BillingStatusSchema)
    @me_blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """Your subscription; when a payment is past due you keep read access, and this says so."""
        return billing.my_billing(current_user)


@me_blp.route("/packages")
class MyBillingPackageViews(MethodView):
    @me_blp.login_required(Role.CLIENT)
    @me_blp.response(200, BillingPackageSchema(many=True))
    @me_blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """The packages your trainer offers."""
        return billing.list_client_packages(current_user)


@me_blp.route("/checkout")
class MyCheckoutViews(MethodView):
    @me_blp.login_required(Role.CLIENT)
    @me_blp.idempotent
    @me_blp.arguments(CheckoutSchema)
    @me_blp.response(200, HostedSessionSchema)
    @me_blp.alt_response(404, response="NOT_FOUND")
    @me_blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Start paying for one of your trainer's packages: returns the Stripe Checkout URL."""
        return billing.start_checkout(current_user, data["package_id"])


@me_blp.route("/portal")
class MyPortalViews(MethodView):
    @me_blp.login_required(Role.CLIENT)
    @me_blp.response(200, HostedSessionSchema)
    @me_blp.alt_response(404, response="NOT_FOUND")
    @me_blp.alt_response(409, response="CONFLICT")
    def post(self):
        """Manage or cancel your subscription: returns a Stripe customer-portal URL."""
        return billing.open_portal(current_user)


# Trainer: one client's subscription -------------------------------------------------------


@client_subscription_blp.route("/clients/<int:client_id>/subscription")
class ClientSubscriptionViews(MethodView):
    @client_subscription_blp.login_required(Role.TRAINER)
    @client_subscription_blp.response(200, BillingStatusSchema)
    @client_subscription_blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id):
        """Where one of your clients stands with billing."""
        return billing.client_billing(current_user, client_id)

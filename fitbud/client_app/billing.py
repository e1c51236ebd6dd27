"""Billing: the trainer's packages, Stripe Checkout, the return pages, the customer portal, the status.

Stripe sends the browser back to /billing/success, /billing/cancel and /billing (the settings'
STRIPE_*_URL); those addresses lead into /app/billing/..., behind the app's login guard. The
success page shows the subscription once Stripe's webhook has recorded it and polls until then.
Without Stripe keys the page says billing is not set up; nothing is offered and nothing fails.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, g, make_response, redirect, render_template, request, url_for

from fitbud.client_app import bp
from fitbud.client_app.forms import Form
from fitbud.client_app.session import app_client, app_user
from fitbud.errors import DomainError, NotFoundError
from fitbud.models import BillingPackage
from fitbud.services import billing as billing_service
from fitbud.services.client_scope import trainer_name
from fitbud.services.stripe_gateway import billing_configured

# Statuses that mean the webhook has recorded what was bought.
RECORDED = ("active", "past_due", "incomplete")
POLL_SECONDS = 2
# A one-off purchase has no subscription to show: a paid one this recent is the one just made.
RECENT_PURCHASE = timedelta(minutes=30)
INTERVAL_LABELS = {"one_off": "once", "weekly": "a week", "monthly": "a month"}


def price(package: BillingPackage) -> str:
    """ "49.00 EUR a month"."""
    return f"{package.price / 100:.2f} {package.currency.upper()} {INTERVAL_LABELS[package.interval.value]}"


def _page(form: Form | None = None, status: int = 200) -> Response:
    user = app_user()
    configured = billing_configured()
    form = form or Form({})
    packages = billing_service.list_client_packages(user) if configured else []
    return make_response(
        render_template(
            "client_app/billing.html",
            form=form,
            configured=configured,
            overview=billing_service.my_billing(user),
            packages=packages,
            # A package_id error is shown beside its package, or above the list if it names none.
            chosen_listed=any(str(package.id) == form.values.get("package_id") for package in packages),
            price=price,
            trainer_name=trainer_name(app_client()),
            notice=request.args.get("notice"),
        ),
        status,
    )


@bp.get("/app/billing")
def billing() -> Response:
    """The current status, the trainer's packages and the way to the customer portal."""
    return _page()


@bp.post("/app/billing/checkout")
def checkout() -> Response:
    """Send the client to Stripe Checkout for one of their trainer's packages (another's is a 404)."""
    g.app_section = "client_app.billing"
    form = Form(request.form)
    package_id = form.number("package_id", required=True, integer=True, minimum=1)
    if not form.ok:
        return _page(form, 422)
    try:
        hosted = billing_service.start_checkout(app_user(), int(package_id))
    except NotFoundError:
        raise
    except DomainError as error:
        form.take(error, {"package_id": "package_id"})
        return _page(form, int(error.status_code))
    return redirect(hosted.url, 303)


@bp.post("/app/billing/portal")
def portal() -> Response:
    """Send the client to Stripe's customer portal (payment method, invoices, cancelling)."""
    g.app_section = "client_app.billing"
    form = Form(request.form)
    try:
        hosted = billing_service.open_portal(app_user())
    except DomainError as error:
        form.add("portal", error.message)
        return _page(form, int(error.status_code))
    return redirect(hosted.url, 303)


def _recorded() -> billing_service.BillingOverview | None:
    overview = billing_service.my_billing(app_user())
    return overview if overview.status in RECORDED else None


def _status_context() -> dict:
    """What the success page's status box shows: a one-off purchase just paid, else the subscription."""
    configured = billing_configured()
    payment = billing_service.recent_one_off_payment(app_user(), RECENT_PURCHASE) if configured else None
    return {
        "configured": configured,
        "payment": payment,
        "overview": None if payment is not None or not configured else _recorded(),
        "price": price,
        "poll_seconds": POLL_SECONDS,
    }


@bp.get("/app/billing/success")
def billing_success() -> Response:
    """Back from Checkout: the subscription once the webhook has recorded it, "processing" until then."""
    g.app_section = "client_app.billing"
    return make_response(render_template("client_app/billing_success.html", **_status_context()))


@bp.get("/app/billing/success/status")
def billing_success_status() -> Response:
    """The success page's status box, polled by htmx until the subscription is there."""
    return make_response(render_template("client_app/_billing_status.html", **_status_context()))


@bp.get("/app/billing/cancel")
def billing_cancel() -> Response:
    """Back from Checkout without paying: nothing was charged."""
    g.app_section = "client_app.billing"
    return make_response(render_template("client_app/billing_cancel.html"))


@bp.get("/billing")
def billing_return() -> Response:
    """Where Stripe's customer portal returns to."""
    return redirect(url_for("client_app.billing"), 303)


@bp.get("/billing/success")
def billing_success_return() -> Response:
    """Where Stripe Checkout returns after paying."""
    return redirect(url_for("client_app.billing_success", **request.args), 303)


@bp.get("/billing/cancel")
def billing_cancel_return() -> Response:
    """Where Stripe Checkout returns when the client goes back."""
    return redirect(url_for("client_app.billing_cancel"), 303)

"""Billing: the trainer's packages (create, edit, retire) and payments with the period's totals."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards.auth import PREFIX, current_dashboard_user
from dashboards.components import card, empty, local_time, page_title, parse_day
from dashboards.forms import done, error_outputs, error_values, field
from dashboards.page import Page
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.errors import InvalidInputError
from fitbud.models import BillingInterval, BillingPackage, User
from fitbud.services import billing
from fitbud.services.local_time import local_today

INTERVALS = {BillingInterval.MONTHLY: "a month", BillingInterval.WEEKLY: "a week", BillingInterval.ONE_OFF: "once"}
CURRENCIES = ("eur", "gbp", "usd", "chf", "cad", "aud")
MAX_PRICE = Decimal("999999.99")
PACKAGE_FIELDS = {
    "bl-name": "name",
    "bl-price": "price",
    "bl-currency": "currency",
    "bl-interval": "interval",
    "bl-sessions": "sessions_per_period",
}
PAYMENT_DAYS = 90


def money(amount: int, currency: str) -> str:
    """Minor units as a price: 4900, "eur" -> "49.00 EUR"."""
    return f"{amount / 100:,.2f} {currency.upper()}"


def _package_form() -> Any:
    return html.Div(
        [
            dcc.Store(id="bl-editing"),
            html.H2("New package", id="bl-form-title", className="h6"),
            field("Name", dbc.Input(id="bl-name", maxLength=120), "bl-name"),
            dbc.Row(
                [
                    dbc.Col(
                        field("Price", dbc.Input(id="bl-price", inputMode="decimal"), "bl-price", "e.g. 49.00"), xs=6
                    ),
                    dbc.Col(
                        field(
                            "Currency",
                            dbc.Select(
                                id="bl-currency",
                                options=[{"label": c.upper(), "value": c} for c in CURRENCIES],
                                value="eur",
                            ),
                            "bl-currency",
                        ),
                        xs=6,
                    ),
                ],
                className="g-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        field(
                            "Charged",
                            dbc.Select(
                                id="bl-interval",
                                options=[{"label": label, "value": i.value} for i, label in INTERVALS.items()],
                                value=BillingInterval.MONTHLY.value,
                            ),
                            "bl-interval",
                        ),
                        xs=6,
                    ),
                    dbc.Col(
                        field(
                            "Sessions included",
                            dbc.Input(id="bl-sessions", type="number", min=0, max=100, value=0),
                            "bl-sessions",
                        ),
                        xs=6,
                    ),
                ],
                className="g-2",
            ),
            html.Div(id="bl-feedback", role="status"),
            html.Div(
                [
                    dbc.Button("Save package", id="bl-save", color="primary", n_clicks=0),
                    dbc.Button("Cancel editing", id="bl-cancel", color="link", n_clicks=0),
                ],
                className="d-flex gap-2 flex-wrap",
            ),
        ]
    )


def _page(set_up: bool, today: date | None, notice: bool) -> html.Div:
    first = (today - timedelta(days=PAYMENT_DAYS - 1)).isoformat() if today else None
    last = today.isoformat() if today else None
    packages = card(
        "Packages",
        [
            dbc.Switch(id="bl-retired", label="Show retired packages", value=False),
            html.Div(id="bl-packages", className="mb-3"),
            _package_form()
            if set_up
            else html.P("Packages can be created once billing is set up.", className="text-muted"),
        ],
    )
    warning = dbc.Alert(
        [
            html.Strong("Billing is not set up. "),
            "Add your Stripe keys (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET) to sell packages; "
            "payments already received are listed below.",
        ],
        color="warning",
        id="bl-not-set-up",
    )
    return html.Div(
        [
            page_title("Billing"),
            warning if notice else None,
            dcc.Store(id="bl-changed", data=0),
            dbc.Row(
                [
                    dbc.Col(packages, xs=12, lg=5),
                    dbc.Col(
                        card(
                            "Payments",
                            [
                                # Plain date inputs: Dash's range picker fails axe (aria-allowed-attr).
                                dbc.Row(
                                    [
                                        dbc.Col(
                                            field("From", dbc.Input(id="bl-from", type="date", value=first), "bl-from"),
                                            xs=6,
                                        ),
                                        dbc.Col(
                                            field("To", dbc.Input(id="bl-to", type="date", value=last), "bl-to"), xs=6
                                        ),
                                    ],
                                    className="g-2",
                                ),
                                html.Div(id="bl-totals", className="mb-2", role="status"),
                                dcc.Loading(html.Div(id="bl-payments")),
                            ],
                        ),
                        xs=12,
                        lg=7,
                    ),
                ]
            ),
        ]
    )


def layout(params: dict[str, str]) -> html.Div:
    """Packages and their form, then payments; without Stripe keys, a notice instead of the form."""
    user = current_dashboard_user()
    today = local_today(user) if user is not None else None
    set_up = billing.is_set_up()
    return _page(set_up, today, notice=not set_up)


def validation_layout() -> html.Div:
    """Every component the page can show (it may be built outside an app context: no settings read)."""
    return _page(True, None, notice=True)


def _package_rows(packages: list[BillingPackage], can_change: bool) -> Any:
    if not packages:
        return empty("No packages yet.", "Create one below; clients buy it in their app.")
    items = []
    for package in packages:
        retired = package.archived_at is not None
        sessions = f", {package.sessions_per_period} sessions" if package.sessions_per_period else ""
        actions = (
            [dbc.Badge("retired", color="secondary")]
            if retired
            else []
            if not can_change
            else [
                dbc.Button(
                    "Edit", id={"type": "bl-edit", "id": package.id}, size="sm", color="link", className="p-0 me-3"
                ),
                dbc.Button(
                    "Retire",
                    id={"type": "bl-retire", "id": package.id},
                    size="sm",
                    color="link",
                    className="p-0 text-danger",
                ),
            ]
        )
        items.append(
            html.Li(
                [
                    html.Div(package.name, className="fw-semibold"),
                    html.Div(
                        f"{money(package.price, package.currency)} {INTERVALS[package.interval]}{sessions}",
                        className="small",
                    ),
                    html.Div(actions),
                ],
                className="py-2 border-bottom fb-wrap",
                id=f"bl-package-{package.id}",
            )
        )
    return html.Ul(items, className="list-unstyled mb-0")


def _read_form(name: Any, price: Any, currency: Any, interval: Any, sessions: Any) -> dict[str, Any]:
    """The form's values for the billing service, each problem named by its field."""
    errors: dict[str, list[str]] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = ["Name the package."]
    amount: Decimal | None = None
    text = str(price).strip().replace(",", ".") if price is not None else ""
    if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        errors["price"] = ["Give the price as a number with at most two decimals, e.g. 49.00."]
    else:
        try:
            amount = Decimal(text)
        except InvalidOperation:
            errors["price"] = ["Give the price as a number, e.g. 49.00."]
        if amount is not None and not Decimal("0.01") <= amount <= MAX_PRICE:
            errors["price"] = [f"Between 0.01 and {MAX_PRICE:,}."]
    if currency not in CURRENCIES:
        errors["currency"] = ["Pick a currency."]
    if interval not in {i.value for i in BillingInterval}:
        errors["interval"] = ["Pick how often it is charged."]
    try:
        count = int(sessions) if sessions not in (None, "") else 0
    except (TypeError, ValueError):
        count = -1
    if not 0 <= count <= 100:
        errors["sessions_per_period"] = ["A whole number from 0 to 100."]
    if errors:
        named = ", ".join(PACKAGE_LABELS[key] for key in errors)
        raise InvalidInputError(f"Please correct: {named}.", errors)
    return {
        "name": name,
        "price": int(amount * 100) if amount is not None else 0,
        "currency": currency,
        "interval": BillingInterval(interval),
        "sessions_per_period": count,
    }


PACKAGE_LABELS = {
    "name": "name",
    "price": "price",
    "currency": "currency",
    "interval": "charged",
    "sessions_per_period": "sessions included",
}


def _payments(user: User, start: Any, end: Any) -> dict[str, Any]:
    found = billing.payments_between(user, parse_day(start), parse_day(end))
    if not found.payments:
        return {
            "totals": None,
            "payments": empty("No payments in this period.", "Payments appear when clients buy a package."),
        }
    rows = [
        html.Tr(
            [
                html.Td(local_time(payment.occurred_at, user)),
                html.Td(
                    html.A(payment.client.name, href=f"{PREFIX}clients/{payment.client_id}")
                    if payment.client is not None
                    else "—"
                ),
                html.Td(payment.package.name if payment.package is not None else "—"),
                html.Td(money(payment.amount, payment.currency)),
                html.Td(
                    dbc.Badge(payment.status.value, color="success" if payment.status.value == "paid" else "danger")
                ),
            ]
        )
        for payment in found.payments
    ]
    table = dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in ("When", "Client", "Package", "Amount", "Status")])),
            html.Tbody(rows),
        ],
        size="sm",
        className="fb-table fb-fit mb-0",
        id="bl-payments-table",
    )
    paid = " + ".join(money(amount, currency) for currency, amount in found.paid_totals.items()) or "nothing"
    failed = f", {found.failed} failed" if found.failed else ""
    shown = f" (the newest {len(found.payments)} listed)" if len(found.payments) < found.total_count else ""
    totals = html.Div(
        [html.Strong(f"Received {paid}"), html.Span(f" · {found.total_count} payments{failed}{shown}")],
        id="bl-total-line",
    )
    return {"totals": totals, "payments": table}


def _form_values(values: list[Any]) -> dict[str, Any]:
    return {f"{control_id}.value": value for control_id, value in zip(PACKAGE_FIELDS, values, strict=True)}


def register_callbacks(app: dash.Dash) -> None:
    """List packages and payments; save, edit and retire packages."""

    @app.callback(
        Output("bl-packages", "children"),
        Input("bl-retired", "value"),
        Input("bl-changed", "data"),
    )
    @page_callback(Role.TRAINER, alert="bl-packages")
    def packages(user: User, retired: Any, _changed: Any):
        return _package_rows(billing.packages_of(user, include_archived=bool(retired)), billing.is_set_up())

    @app.callback(
        output={"totals": Output("bl-totals", "children"), "payments": Output("bl-payments", "children")},
        inputs={"start": Input("bl-from", "value"), "end": Input("bl-to", "value")},
    )
    @page_callback(Role.TRAINER, alert="payments")
    def payments(user: User, start: Any, end: Any):
        return _payments(user, start, end)

    @app.callback(
        output={
            "feedback": Output("bl-feedback", "children"),
            **error_outputs(PACKAGE_FIELDS),
            "changed": Output("bl-changed", "data"),
            "editing": Output("bl-editing", "data"),
            "title": Output("bl-form-title", "children"),
            # One key per control (not a list): page_callback fills every output it does not set.
            **{f"{control_id}.value": Output(control_id, "value") for control_id in PACKAGE_FIELDS},
        },
        inputs={
            "_save": Input("bl-save", "n_clicks"),
            "_cancel": Input("bl-cancel", "n_clicks"),
            "_edit": Input({"type": "bl-edit", "id": ALL}, "n_clicks"),
            "_retire": Input({"type": "bl-retire", "id": ALL}, "n_clicks"),
            "editing": State("bl-editing", "data"),
            "changed": State("bl-changed", "data"),
            "values": [State(control_id, "value") for control_id in PACKAGE_FIELDS],
        },
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="feedback", fields=PACKAGE_FIELDS)
    def act(
        user: User, _save: Any, _cancel: Any, _edit: Any, _retire: Any, editing: Any, changed: Any, values: list[Any]
    ):
        trigger = ctx.triggered_id
        if not (ctx.triggered and ctx.triggered[0]["value"]):
            raise dash.exceptions.PreventUpdate  # buttons drawn anew, not clicked
        bumped = (changed if isinstance(changed, int) else 0) + 1
        blank = ["", None, "eur", BillingInterval.MONTHLY.value, 0]
        cleared = error_values({}, PACKAGE_FIELDS)
        keep_form = {
            "editing": dash.no_update,
            "title": dash.no_update,
            **_form_values([dash.no_update] * len(PACKAGE_FIELDS)),
        }
        if isinstance(trigger, dict) and trigger.get("type") == "bl-edit":
            package = billing.get_package(user, trigger.get("id") or 0)
            filled = [
                package.name,
                f"{package.price / 100:.2f}",
                package.currency,
                package.interval.value,
                package.sessions_per_period,
            ]
            return {
                "feedback": None,
                **cleared,
                "changed": dash.no_update,
                "editing": package.id,
                "title": f"Edit {package.name}",
                **_form_values(filled),
            }
        if isinstance(trigger, dict) and trigger.get("type") == "bl-retire":
            package = billing.get_package(user, trigger.get("id") or 0)
            billing.delete_package(user, package.id)
            message = done(f"{package.name} is retired: nobody new can buy it; past payments are kept.")
            return {"feedback": message, **cleared, "changed": bumped, **keep_form}
        if trigger == "bl-cancel":
            return {
                "feedback": None,
                **cleared,
                "changed": dash.no_update,
                "editing": None,
                "title": "New package",
                **_form_values(blank),
            }
        data = _read_form(*values)
        if isinstance(editing, int):
            package = billing.update_package(user, editing, data)
            message = done(f"{package.name} saved.")
        else:
            package = billing.create_package(user, data)
            message = done(f"{package.name} created; clients can buy it now.")
        return {
            "feedback": message,
            **cleared,
            "changed": bumped,
            "editing": None,
            "title": "New package",
            **_form_values(blank),
        }


PAGE = Page(
    path="billing",
    name="Billing",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
    validation_layout=validation_layout,
)

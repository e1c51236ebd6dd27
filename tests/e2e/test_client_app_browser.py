"""The client app in a real browser at 390 × 844: invitation, today's workout, check-in, plan, progress.

Each flow is checked through the API afterwards; every page passes axe-core (no serious or
critical violation) and is photographed at 390 and 1440 px. The Today page's weight is measured:
at most 350 KB compressed on a first visit, static files from the browser cache on the next.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import User
from fitbud.services import invitations
from tests.e2e.client_app_support import (
    app_server,
    check_page,
    chromium,
    coached_client_with_a_workout_today,
    log_in,
    phone,
)
from tests.e2e.test_dashboard_browser import CONDITION_TIMEOUT_MS, SCREENSHOTS
from tests.factories import BodyMetricFactory, ClientFactory, TrainerFactory
from tests.helpers import bearer

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium", "phone"]  # fixtures, imported so pytest finds them here

TODAY_BUDGET_BYTES = 350 * 1024
PASSWORD = "my-new-fitbud-password"


def test_a_client_accepts_the_invitation_sets_a_password_and_lands_in_the_app(app, app_server, phone):
    trainer = TrainerFactory(name="Sam Coach")
    client = ClientFactory(trainer=trainer, name="Nora Field", email="nora.e2e@example.com")
    token = invitations.issue(client).token
    db.session.commit()

    phone.goto(f"{app_server}/invite/{token}")
    phone.get_by_role("heading", name="Hi Nora Field!").wait_for()
    assert "Sam Coach" in phone.inner_text("main")
    check_page(phone, "invite")

    phone.fill("#password", "short")
    phone.fill("#password_confirm", "short")
    phone.click("#invite-submit")
    phone.wait_for_selector("#password-error")
    assert "at least 10 characters" in phone.inner_text("#password-error")
    check_page(phone, "invite-error")

    phone.fill("#password", PASSWORD)
    phone.fill("#password_confirm", PASSWORD)
    phone.click("#invite-submit")
    phone.wait_for_url(f"{app_server}/app/?welcome=1")
    phone.get_by_role("heading", name="Welcome to Fitbud, Nora!").wait_for()
    check_page(phone, "welcome")

    # Through the API: the new password opens a client login.
    api = app.test_client()
    login = api.post("/api/v1/auth/login", json={"email": "nora.e2e@example.com", "password": PASSWORD})
    assert login.status_code == 200
    me = api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {login.json['access_token']}"})
    assert me.json["role"] == "client" and me.json["name"] == "Nora Field"

    phone.goto(f"{app_server}/invite/{token}")
    phone.get_by_role("heading", name="This link no longer works").wait_for()
    check_page(phone, "invite-used")


def _log_set(page, exercise: int, number: int, reps: str, load: str, rpe: str = "") -> None:
    prefix = f"#s-{exercise}-{number}"
    page.fill(f"{prefix}-reps", reps)
    page.fill(f"{prefix}-weight", load)
    if rpe:
        page.fill(f"{prefix}-rpe", rpe)
    page.click(f"label[for='s-{exercise}-{number}-done']")
    page.wait_for_selector("#rest-timer:not([hidden])")
    page.click("#rest-skip")
    page.wait_for_selector("#rest-timer", state="hidden")


def test_a_client_logs_todays_workout_set_by_set_and_a_meal(app, app_server, phone):
    _trainer, client, (squat, press) = coached_client_with_a_workout_today(name="Leo Park")
    user = db.session.get(User, client.user_id)
    log_in(phone, app_server, user.email)
    phone.get_by_role("heading", name="Squat and press").wait_for()
    assert "Brace before each rep." in phone.inner_text("#ex-0")
    phone.click("#ex-0 summary")
    phone.get_by_text("Sit between your hips; chest up.").wait_for()
    check_page(phone, "today")
    # What a phone shows (no scrolling): the picture in the README comes from this one.
    phone.screenshot(path=str(SCREENSHOTS / "app-today-phone-view.png"), scale="css")

    phone.click("label[for='s-0-1-done']")  # the first set as prescribed: the rest timer runs
    phone.wait_for_selector("#rest-timer:not([hidden])")
    assert re.fullmatch(r"1:(2\d|30)", phone.inner_text("#rest-left"))
    phone.wait_for_function("() => document.querySelector('#rest-status').textContent.startsWith('Rest 90')")
    phone.click("#rest-skip")
    _log_set(phone, 0, 2, "4", "82.5", "9")
    _log_set(phone, 1, 1, "8", "40")
    _log_set(phone, 1, 2, "7", "40", "8")
    phone.fill("#perceived_effort", "8")
    phone.click("#finish-workout")
    phone.wait_for_url(re.compile(r".*/app/\?saved=\d+#done$"))
    phone.get_by_text("Workout saved").wait_for()
    check_page(phone, "today-saved")

    phone.fill("#meal_name", "Lunch")
    phone.fill("#kcal", "650")
    phone.fill("#protein_g", "45")
    phone.click("#log-meal")
    phone.wait_for_selector("#logged-meals >> text=Lunch")
    assert "650 of 2000 kcal" in phone.inner_text("#meals")

    api = app.test_client()
    headers = bearer(user)
    (log,) = api.get("/api/v1/me/workout-logs", headers=headers).json
    assert log["sets_done"] == 4 and log["sets_planned"] == 4 and log["perceived_effort"] == 8
    done = [(e["exercise_id"], s["reps"], s["weight"], s["rpe"]) for e in log["exercises"] for s in e["sets"]]
    assert done == [
        (squat.id, 5, 80.0, None),
        (squat.id, 4, 82.5, 9.0),
        (press.id, 8, 40.0, None),
        (press.id, 7, 40.0, 8.0),
    ]
    (meal,) = api.get("/api/v1/me/meal-logs", headers=headers).json
    assert (meal["meal_name"], meal["kcal"], meal["protein_g"]) == ("Lunch", 650.0, 45.0)


def test_todays_first_load_fits_the_budget_and_repeat_visits_come_from_the_cache(app, app_server, chromium):
    _trainer, client, _exercises = coached_client_with_a_workout_today()
    user = db.session.get(User, client.user_id)
    # The page's own weight, as a browser without the service worker loads it; the worker's
    # precache of the app shell (offline use) is measured in test_client_app_offline_browser.
    context = chromium.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(CONDITION_TIMEOUT_MS)
    log_in(page, app_server, user.email)
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    transfers: dict[str, dict] = {}

    def on_response(event):
        item = transfers.setdefault(event["requestId"], {"bytes": 0, "cached": False})
        item["url"] = event["response"]["url"]
        item["cached"] = item["cached"] or event["response"].get("fromDiskCache", False)

    def on_finished(event):
        if event["requestId"] in transfers:
            transfers[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def on_cache_hit(event):
        # Sent before responseReceived for a file served from the memory cache.
        transfers.setdefault(event["requestId"], {"url": "", "bytes": 0})["cached"] = True

    network.on("Network.responseReceived", on_response)
    network.on("Network.loadingFinished", on_finished)
    network.on("Network.requestServedFromCache", on_cache_hit)

    network.send("Network.clearBrowserCache")  # the login warmed it: start cold
    page.goto(f"{app_server}/app/", wait_until="load")
    page.get_by_role("heading", name="Squat and press").wait_for()
    first = dict(transfers)
    first_bytes = sum(item["bytes"] for item in first.values())
    static_first = [item for item in first.values() if "/app/static/" in item["url"]]
    assert len(static_first) >= 3 and first_bytes <= TODAY_BUDGET_BYTES

    transfers.clear()
    page.goto(f"{app_server}/app/", wait_until="load")
    page.get_by_role("heading", name="Squat and press").wait_for()
    second = dict(transfers)
    static_second = [item for item in second.values() if "/app/static/" in item["url"]]
    assert static_second and all(item.get("cached") for item in static_second)
    second_bytes = sum(item["bytes"] for item in second.values())
    figures = {
        "first_load_bytes": first_bytes,
        "repeat_visit_bytes": second_bytes,
        "first_load_files": {item["url"].split("/", 3)[-1]: item["bytes"] for item in first.values()},
    }
    (SCREENSHOTS.parent / "today-page-weight.json").write_text(json.dumps(figures, indent=2))
    context.close()


def test_an_unknown_app_page_is_an_html_404_page(app, app_server, phone):
    _trainer, client, _exercises = coached_client_with_a_workout_today()
    log_in(phone, app_server, db.session.execute(select(User.email).where(User.id == client.user_id)).scalar_one())
    response = phone.goto(f"{app_server}/app/no-such-page")
    assert response.status == 404
    phone.get_by_role("heading", name="Page not found").wait_for()
    check_page(phone, "not-found")
    phone.goto(f"{app_server}/login")
    check_page(phone, "login")


def test_a_client_sends_a_check_in_the_trainer_replies_over_the_api_and_the_reply_shows(app, app_server, phone):
    trainer, client, _exercises = coached_client_with_a_workout_today(name="Mia Stone")
    user = db.session.get(User, client.user_id)
    log_in(phone, app_server, user.email)
    phone.goto(f"{app_server}/app/check-in")
    phone.get_by_role("heading", name="How was your week?").wait_for()
    check_page(phone, "check-in")

    phone.fill("#weight", "abc")
    phone.click("#send-check-in")
    phone.wait_for_selector("#weight-error")
    phone.fill("#weight", "71.4")
    phone.fill("#m-waist", "80")
    phone.click("label[for='energy-4']")
    phone.click("label[for='adherence-5']")
    phone.fill("#q-wins", "Every session done")
    phone.click("#send-check-in")
    phone.wait_for_url(re.compile(r".*/app/check-in\?sent=\d+#sent$"))
    phone.get_by_text("No reply yet.").wait_for()

    api = app.test_client()
    (sent,) = api.get(f"/api/v1/clients/{client.id}/check-ins", headers=bearer(trainer)).json
    assert sent["weight"] == 71.4 and sent["energy"] == 4 and sent["adherence"] == 5
    assert sent["answers"] == {"What went well this week?": "Every session done"}
    reply = api.post(
        f"/api/v1/clients/{client.id}/check-ins/{sent['id']}/reply",
        json={"comment": "Brilliant week, Mia. Same again!"},
        headers=bearer(trainer),
    )
    assert reply.status_code == 200

    phone.reload()
    phone.get_by_text("Brilliant week, Mia. Same again!").wait_for()
    check_page(phone, "check-in-replied")
    phone.click(f"a[href='/app/check-in/{sent['id']}']")
    phone.get_by_role("heading", name="Your trainer's reply").wait_for()
    assert "Brilliant week" in phone.inner_text("main")
    check_page(phone, "check-in-detail")


def test_the_plan_page_in_the_browser(app, app_server, phone):
    _trainer, client, _exercises = coached_client_with_a_workout_today()
    log_in(phone, app_server, db.session.get(User, client.user_id).email)
    phone.click(".tabbar a[href='/app/plan']")
    phone.wait_for_url(f"{app_server}/app/plan")
    phone.get_by_role("heading", name="Strength").wait_for()
    assert phone.locator("[aria-current='date']").count() == 2  # today in the workout and the diet
    check_page(phone, "plan")


def test_a_client_logs_a_weight_and_sees_it_on_the_chart(app, app_server, phone):
    _trainer, client, _exercises = coached_client_with_a_workout_today(name="Ivy Hart")
    for days_ago, kilos in ((6, 74.0), (4, 73.6), (2, 73.4)):
        BodyMetricFactory(
            client=client, metric="weight", value=kilos, measured_on=date.today() - timedelta(days=days_ago)
        )
    user = db.session.get(User, client.user_id)
    log_in(phone, app_server, user.email)
    phone.click(".tabbar a[href='/app/progress']")
    phone.wait_for_url(f"{app_server}/app/progress")
    phone.wait_for_selector("#chart-weight")
    assert phone.locator("#chart-weight circle").count() == 3
    check_page(phone, "progress")

    phone.fill("#weight-value", "72.9")
    phone.click("#log-weight")
    phone.wait_for_url(re.compile(r".*/app/progress\?logged=weight#weight$"))
    phone.wait_for_function("() => document.querySelectorAll('#chart-weight circle').length === 4")
    assert "Latest 72.9 kg" in phone.inner_text("#weight")
    phone.click("#weight summary")
    phone.wait_for_selector("#weight-table")
    assert "72.9" in phone.inner_text("#weight-table tbody tr:first-child")
    check_page(phone, "progress-logged")

    api = app.test_client()
    body = api.get("/api/v1/me/body-metrics?metric=weight", headers=bearer(user)).json
    assert [row["value"] for row in body][:1] == [72.9]
    progress = api.get("/api/v1/me/progress", headers=bearer(user)).json
    assert progress["weight"][-1]["weight"] == 72.9

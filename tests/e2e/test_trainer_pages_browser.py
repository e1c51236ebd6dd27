"""In a real browser: exercise library, plan generator, admin users, a client's account, the calendar feed.

Each test does the page's main action as a trainer (or admin) would, then checks the result
through the API, and saves screenshots at 390 and 1440 px. Waits are on conditions only.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from fitbud.extensions import db
from fitbud.models import Client, PlanTemplate, User
from fitbud.services import invitations
from tests.e2e.client_app_support import LAPTOP, PHONE, app_server, chromium
from tests.e2e.dashboard_support import log_in_dashboard
from tests.e2e.test_dashboard_browser import CONDITION_TIMEOUT_MS, SCREENSHOTS
from tests.factories import AdminFactory, ClientFactory, TrainerFactory
from tests.helpers import DEFAULT_PASSWORD, assert_error, bearer, mailed_link_token

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium"]


@pytest.fixture
def page(chromium):
    """A laptop-sized page; `shoot` takes the phone-sized pictures too."""
    context = chromium.new_context(viewport=LAPTOP)
    context.set_default_timeout(CONDITION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def shoot(page, name: str) -> None:
    """Screenshots of the page as it is, at phone and laptop widths."""
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)


def pick_exercise(page, search: str) -> None:
    """Pick the first library match in the plan editor's first exercise picker."""
    page.locator(".fb-plan-item .dash-dropdown").first.click()
    page.locator(".dash-dropdown-search").last.fill(search)
    page.locator(".dash-dropdown-option").first.click()
    page.keyboard.press("Escape")


def test_a_custom_exercise_is_created_and_used_in_a_saved_plan(app, app_server, page):
    trainer = TrainerFactory(name="Lib Rarian")
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/exercises")
    page.wait_for_selector("#ex-table")
    page.click("#ex-new")
    page.wait_for_selector("#ex-modal .modal-body")
    page.fill("#ex-f-name", "Zz Landmine Press")
    page.select_option("#ex-f-pattern", "vertical_push")
    page.locator("#ex-f-primary").click()
    page.keyboard.type("Front")
    page.locator(".dash-dropdown-option").first.click()
    page.keyboard.press("Escape")
    page.fill("#ex-f-instructions", "Press the bar up and away.")
    page.click("#ex-form-save")
    page.wait_for_selector("#ex-message .alert-success")
    page.wait_for_selector("#ex-detail-name:has-text('Zz Landmine Press')")
    shoot(page, "exercises")

    page.goto(f"{app_server}/dashboard/plans/new?kind=workout")
    page.wait_for_selector(".fb-plan-item")
    page.fill("#pe-name", "Landmine Day")
    pick_exercise(page, "Zz Landmine")
    # Unsaved edits: leaving through the menu asks first (dismissed: the editor stays).
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("link", name="Exercises").click()
    page.wait_for_function("() => window.fitbudUnsaved === true")
    assert page.url.endswith("/plans/new?kind=workout")
    page.click("#pe-save")
    page.wait_for_selector("#pe-message .alert-success")
    page.wait_for_url(re.compile(r".*/dashboard/plans/\d+$"))
    assert page.inner_text("#pe-title") == "Landmine Day"
    shoot(page, "plan-editor-saved")

    plan_id = int(page.url.rsplit("/", 1)[1])
    headers = bearer(trainer)
    with app.test_client() as api:
        exercises = api.get("/api/v1/exercises?source=custom", headers=headers).get_json()
        custom = next(item for item in exercises if item["name"] == "Zz Landmine Press")
        assert custom["primary_muscles"] == ["front_delts"] and custom["movement_pattern"] == "vertical_push"
        plan = api.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    items = plan["content"]["weeks"][0]["days"][0]["items"]
    assert [item["exercise_id"] for item in items] == [custom["id"]]


def test_a_generated_draft_is_saved_and_opened_in_the_editor(app, app_server, page):
    trainer = TrainerFactory(name="Gene Rator")
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/plans/generate")
    page.wait_for_selector("#gen-generate")
    page.select_option("#gen-goal", "strength")
    page.select_option("#gen-days", "3")
    page.click("summary:has-text('Body data')")
    page.select_option("#gen-sex", "female")
    page.fill("#gen-age", "34")
    page.fill("#gen-height", "168")
    page.fill("#gen-weight", "64")
    page.click("#gen-generate")
    page.wait_for_selector("#gen-workout-table, #gen-message .alert")
    assert not page.locator("#gen-message .alert").count(), page.inner_text("#gen-message")
    page.wait_for_selector("#gen-reasons li")
    shoot(page, "plan-generator")
    page.click("#gen-open")
    page.wait_for_url(re.compile(r".*/dashboard/plans/\d+$"))
    page.wait_for_selector(".fb-plan-item")

    with app.test_client() as api:
        listed = api.get("/api/v1/plans", headers=bearer(trainer)).get_json()
    kinds = sorted(plan["kind"] for plan in listed)
    assert kinds == ["diet", "workout"]
    workout = next(plan for plan in listed if plan["kind"] == "workout")
    assert page.url.endswith(f"/plans/{workout['id']}")
    assert db.session.get(PlanTemplate, workout["id"]).source == "generated"


def test_an_admin_deactivates_a_user_who_can_then_not_log_in(app, app_server, page):
    admin = AdminFactory(name="Ada Admin")
    coach = TrainerFactory(name="Carl Deactivated")
    log_in_dashboard(page, app_server, admin.email)
    page.goto(f"{app_server}/dashboard/users")
    page.fill("#au-search", "Carl Deact")
    row = page.locator("#au-users tr", has_text="Carl Deactivated")
    row.get_by_role("button", name="Deactivate").click()
    page.wait_for_selector("#au-message .alert-success")
    page.locator("#au-users tr", has_text="Carl Deactivated").get_by_role("button", name="Reactivate").wait_for()
    shoot(page, "admin-users")

    with app.test_client() as api:
        users = api.get("/api/v1/admin/users?q=Carl", headers=bearer(admin)).get_json()
        refused = api.post("/api/v1/auth/login", json={"email": coach.email, "password": DEFAULT_PASSWORD})
    assert [user["is_active"] for user in users if user["id"] == coach.id] == [False]
    assert_error(refused, 401, message="deactivated")
    db.session.expire_all()
    assert db.session.get(User, coach.id).is_active is False


def test_a_trainer_resends_revokes_archives_and_restores_from_a_clients_account_page(app, app_server, page):
    trainer = TrainerFactory(name="Ava Archivist")
    client = ClientFactory(trainer=trainer, name="Ollie Onboarding")
    first_link = invitations.issue(client).url
    db.session.commit()
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/clients/{client.id}")
    page.click("#cp-account-link")
    revoke = page.get_by_role("button", name="Revoke")
    revoke.wait_for()
    shoot(page, "client-account")

    page.get_by_role("button", name="Resend (new link)").click()
    # The new link goes only to the client's mailbox; the page says where it went.
    page.wait_for_selector(f"#ca-message:has-text('on its way to Ollie Onboarding at {client.email}')")
    new_token = mailed_link_token(client.email, "/invite/")
    with app.test_client() as api:
        stale = api.post(
            "/api/v1/auth/accept-invite", json={"token": first_link.rsplit("/", 1)[1], "password": DEFAULT_PASSWORD}
        )
    assert_error(stale, 410, "token")  # the old link stopped working
    assert invitations.preview(new_token).problem is None

    revoke.click()
    page.wait_for_selector("#ca-message:has-text('revoked')")
    db.session.expire_all()
    assert invitations.preview(new_token).problem == "revoked"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Archive", exact=True).click()
    page.get_by_role("button", name="Restore to the roster").wait_for()

    headers = bearer(trainer)
    with app.test_client() as api:
        archived = api.get(f"/api/v1/clients/{client.id}", headers=headers).get_json()
        assert archived["archived_at"] is not None
        page.goto(f"{app_server}/dashboard/clients")
        page.check("#cs-archived")
        page.wait_for_selector("#cs-roster :text('Ollie Onboarding')")
        shoot(page, "clients-archived")
        page.click("#cs-roster a:has-text('Ollie Onboarding')")
        page.get_by_role("button", name="Restore to the roster").click()
        page.get_by_role("button", name="Archive", exact=True).wait_for()
        db.session.expire_all()
        assert db.session.get(Client, client.id).archived_at is None
        restored = api.get(f"/api/v1/clients/{client.id}", headers=headers).get_json()
    assert restored["archived_at"] is None
    assert invitations.open_invitation(client.id) is None


def test_the_client_search_filters_as_the_trainer_types_without_enter(app, app_server, page):
    trainer = TrainerFactory(name="Sue Searcher")
    ClientFactory(trainer=trainer, name="Bertha Lind")
    ClientFactory(trainer=trainer, name="Alma Quist")
    db.session.commit()
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/clients")
    page.wait_for_selector("#cs-roster :text('Alma Quist')")

    page.locator("#cs-search").press_sequentially("bert")  # keystrokes, no Enter, focus kept

    page.wait_for_selector("#cs-roster :text('Alma Quist')", state="detached")
    assert page.locator("#cs-roster :text('Bertha Lind')").count() == 1
    assert page.evaluate("() => document.activeElement.id") == "cs-search"


def test_a_trainer_copies_their_calendar_feed_address_and_makes_a_new_one(app, app_server, page):
    trainer = TrainerFactory(name="Cal Endar")
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/profile")
    page.wait_for_function("() => (document.querySelector('#pf-feed-url') || {value: ''}).value.endsWith('.ics')")
    first = page.input_value("#pf-feed-url")
    shoot(page, "profile-calendar-feed")
    with app.test_client() as api:
        feed = api.get(urlsplit(first).path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"

    page.click("#pf-feed-rotate")
    page.wait_for_selector("#pf-feed-note:has-text('New address made')")
    second = page.input_value("#pf-feed-url")
    with app.test_client() as api:
        assert second != first and api.get(urlsplit(second).path).status_code == 200
        assert_error(api.get(urlsplit(first).path), 404, message="No such calendar")


def field(path: str) -> str:
    """The CSS selector of the plan editor's input for a content path."""
    return f"""[id='{{"path":"{path}","type":"pe-f"}}']"""


def test_a_foods_macros_follow_its_quantity_and_an_off_target_day_is_flagged(app, app_server, page):
    trainer = TrainerFactory(name="Diet Ian")
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/plans/new?kind=diet")
    item = "days.0.meals.0.items.0"
    page.wait_for_selector(field(f"{item}.kcal"))
    page.fill(field(f"{item}.food"), "Rice")
    page.fill(field(f"{item}.kcal"), "130")
    page.fill(field(f"{item}.protein"), "2.7")
    page.fill(field(f"{item}.quantity"), "250")
    page.wait_for_function(f"() => document.querySelector(`{field(item + '.kcal')}`).value === '325'")
    assert page.input_value(field(f"{item}.protein")) == "6.8"
    page.fill(field("targets.kcal"), "2000")
    page.wait_for_selector(".fb-macro-total:has-text('84 % below the 2000 kcal target')")
    shoot(page, "diet-editor")


def test_a_food_named_from_the_table_gets_its_values_as_the_quantity_changes(app, app_server, page):
    trainer = TrainerFactory(name="Table Tess")
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/plans/new?kind=diet")
    item = "days.0.meals.0.items.0"
    page.wait_for_selector(field(f"{item}.kcal"))
    # The food table's names are offered as suggestions for the Food field.
    assert page.locator("#pe-food-names option[value='Rolled oats, dry']").count() == 1
    page.fill(field(f"{item}.food"), "Rolled oats, dry")
    page.fill(field(f"{item}.quantity"), "60")
    # 379 kcal and 13.2 g protein per 100 g, x 0.6.
    page.wait_for_function(f"() => document.querySelector(`{field(item + '.kcal')}`).value === '227.4'")
    assert page.input_value(field(f"{item}.protein")) == "7.9"


def test_the_diet_editor_warns_beside_a_food_the_chosen_client_is_allergic_to(app, app_server, page):
    trainer = TrainerFactory(name="Careful Cora")
    client = ClientFactory(trainer=trainer, name="Nutty Ned", dietary_details={"allergies": ["peanuts"]})
    log_in_dashboard(page, app_server, trainer.email)
    page.goto(f"{app_server}/dashboard/plans/new?kind=diet")
    item = "days.0.meals.0.items.0"
    page.wait_for_selector(field(f"{item}.food"))
    page.fill(field(f"{item}.food"), "Peanut butter, smooth")
    page.select_option("#pe-assign-client", value=str(client.id))
    warning = f"[id='{{\"path\":\"{item}\",\"type\":\"pe-allergy\"}}']"
    page.wait_for_selector(f"{warning}:has-text('The client is allergic: contains peanuts')")
    page.wait_for_selector("#pe-allergy-summary:has-text(\"carry the client's allergens\")")
    shoot(page, "diet-editor-allergy")

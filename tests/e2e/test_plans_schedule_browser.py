"""In a real browser: build a workout plan with three exercises, assign it, book a weekly series, see it.

Reuses the live server and Chromium settings of the dashboard browser test, and saves
screenshots of the plan list, the editor and the schedule at laptop and phone widths.
"""

from __future__ import annotations

import re

import pytest

from fitbud.demo.accounts import DEMO_PASSWORD, DEMO_TRAINER_EMAIL
from tests.e2e.test_dashboard_browser import (
    CONDITION_TIMEOUT_MS,
    SCREENSHOTS,
    WIDTHS,
    live_server,
)

pytestmark = pytest.mark.e2e
__all__ = ["live_server"]  # the fixture, imported so pytest finds it here

PLAN_NAME = "E2E Strength"


def pick_exercise(page, index: int, search: str) -> None:
    """Open the index-th exercise picker, search the library and take the first match."""
    picker = page.locator(".fb-plan-item .dash-dropdown").nth(index)
    picker.click()
    search_box = page.locator(".dash-dropdown-search").last
    search_box.fill(search)
    page.locator(".dash-dropdown-option").first.click()
    page.keyboard.press("Escape")


def login(page, base: str) -> None:
    page.goto(f"{base}/dashboard/plans")
    page.fill("#email", DEMO_TRAINER_EMAIL)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r".*/dashboard/plans$"))


def build_plan(page, base: str) -> None:
    page.goto(f"{base}/dashboard/plans/new?kind=workout")
    page.wait_for_selector(".fb-plan-item")
    page.fill("#pe-name", PLAN_NAME)
    for _ in range(2):
        page.get_by_role("button", name="Add exercise").click()
        page.wait_for_function("() => document.querySelectorAll('.fb-plan-item').length >= 2")
    page.wait_for_function("() => document.querySelectorAll('.fb-plan-item').length === 3")
    for index, search in enumerate(["squat", "bench", "row"]):
        pick_exercise(page, index, search)
    page.click("#pe-save")
    page.wait_for_selector("#pe-message .alert-success")
    assert "Saved" in page.inner_text("#pe-message")
    page.select_option("#pe-assign-client", index=1)
    page.click("#pe-assign")
    page.wait_for_selector("#pe-assign-message .alert-success")


def book_series(page, base: str) -> str:
    page.goto(f"{base}/dashboard/schedule")
    page.wait_for_selector(".fb-week")
    first_slot = page.get_attribute(".fb-slot", "aria-label")
    page.click("#sc-next")
    page.wait_for_function(
        "label => document.querySelector('.fb-slot').getAttribute('aria-label') !== label", arg=first_slot
    )
    page.locator(".fb-slot[aria-label*='at 06:00']").nth(2).click()
    page.wait_for_selector("#sc-create-modal .modal-body")
    page.select_option("#sc-client", index=1)
    client_name = page.eval_on_selector("#sc-client", "el => el.options[el.selectedIndex].text")
    page.locator("#sc-repeat").check()
    # The conflict preview answers each change; wait for its answer to the count of 4.
    with page.expect_response(
        lambda r: "_dash-update-component" in r.url and "sc-conflicts" in (r.request.post_data or "")
    ):
        page.fill("#sc-count", "4")
    if page.locator("#sc-conflicts .alert").count():
        page.locator("#sc-anyway").check()
    page.click("#sc-create-save")
    page.wait_for_selector("#sc-create-modal", state="hidden")
    page.wait_for_selector(f".fb-chip:has-text('06:00 {client_name}')")
    return client_name


def test_trainer_builds_assigns_and_schedules_in_the_browser(live_server, fresh_chromium):
    browser = fresh_chromium
    width, height = WIDTHS["laptop"]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(CONDITION_TIMEOUT_MS)
    page = context.new_page()
    login(page, live_server)
    build_plan(page, live_server)
    page.screenshot(path=str(SCREENSHOTS / f"plan-editor-{width}.png"), full_page=True)
    plan_url = page.url
    client_name = book_series(page, live_server)
    page.screenshot(path=str(SCREENSHOTS / f"schedule-week-{width}.png"), full_page=True)
    page.locator("label:has-text('Month')").click()
    page.wait_for_selector(".fb-month")
    assert page.locator(f".fb-chip:has-text('06:00 {client_name}')").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / f"schedule-month-{width}.png"), full_page=True)
    page.goto(f"{live_server}/dashboard/plans")
    page.wait_for_selector(f"text={PLAN_NAME}")
    page.screenshot(path=str(SCREENSHOTS / f"plans-{width}.png"), full_page=True)
    storage = context.storage_state()
    context.close()

    width, height = WIDTHS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height}, storage_state=storage)
    context.set_default_timeout(CONDITION_TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server}/dashboard/plans")
    page.wait_for_selector(f"text={PLAN_NAME}")
    page.screenshot(path=str(SCREENSHOTS / f"plans-{width}.png"), full_page=True)
    page.goto(plan_url if "/plans/" in plan_url and "new" not in plan_url else f"{live_server}/dashboard/plans/new")
    page.wait_for_selector(".fb-plan-item")
    page.screenshot(path=str(SCREENSHOTS / f"plan-editor-{width}.png"), full_page=True)
    page.goto(f"{live_server}/dashboard/schedule")
    page.wait_for_selector(".fb-week")
    page.screenshot(path=str(SCREENSHOTS / f"schedule-week-{width}.png"), full_page=True)
    context.close()

"""In a real browser at 390 px: every trainer page fits the phone's width and logs no console error.

The console check catches what only the browser sees: Dash's renderer reporting a callback
property its component lacks (`Property "invalid" ... pf-units ... RadioItems`).
"""

from __future__ import annotations

import pytest

from fitbud.demo.accounts import DEMO_PASSWORD, DEMO_TRAINER_EMAIL
from tests.e2e.client_app_support import PHONE, app_server, chromium
from tests.e2e.dashboard_support import log_in_dashboard
from tests.e2e.test_dashboard_browser import CONDITION_TIMEOUT_MS, SCREENSHOTS

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium"]

# Each page and an element that is there once its content has loaded.
TRAINER_PAGES = {
    "": "#ov-kpis .fb-kpi-value",
    "clients": "#cs-roster",
    "client": "#cl-records-table",
    "messages": "#page h1",
    "plans": "#pl-list table",
    "plans/new?kind=diet": ".fb-save-bar",
    "plans/generate": "#gen-generate",
    "exercises": "#ex-table",
    "schedule": ".fb-week",
    "reports": "#page h1",
    "profile": "#pf-save",
}


def test_every_trainer_page_fits_a_390px_phone_without_console_errors(demo_world, app_server, chromium):
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(CONDITION_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_dashboard(page, app_server, DEMO_TRAINER_EMAIL, DEMO_PASSWORD)
    too_wide = {}
    for path, loaded in TRAINER_PAGES.items():
        page.goto(f"{app_server}/dashboard/{path}")
        page.wait_for_selector(loaded)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path or "overview"] = width
            page.screenshot(path=str(SCREENSHOTS / f"too-wide-{path.replace('/', '-') or 'overview'}.png"))
    context.close()
    assert not too_wide, f"pages wider than {PHONE['width']} px: {too_wide}"
    assert not errors, "console errors:\n" + "\n".join(errors)

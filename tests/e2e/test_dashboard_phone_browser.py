"""In a real browser at 390 px: every dashboard page fits the phone's width and logs no console error.

The console check catches what only the browser sees: Dash's renderer reporting a callback
property its component lacks (`Property "invalid" ... pf-units ... RadioItems`), or a callback
listening to an id its page's layout does not have. Each role walks every page it can open.
"""

from __future__ import annotations

import pytest

from fitbud.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_TRAINER_EMAIL
from tests.e2e.client_app_support import PHONE, app_server, chromium
from tests.e2e.dashboard_support import log_in_dashboard
from tests.e2e.test_dashboard_browser import CONDITION_TIMEOUT_MS, SCREENSHOTS

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium"]

# Each page and an element that is there once its content has loaded ({client}: a demo client's id).
TRAINER_PAGES = {
    "": "#ov-kpis .fb-kpi-value",
    "clients": "#cs-roster",
    "clients/{client}": "#cp-check-ins-link",
    "clients/{client}/account": "#ca-roster > *",
    "client": "#cl-records-table",
    "messages": "#page h1",
    "check-ins": "#ci-list > *",
    "activity": "#act-list .card",
    "plans": "#pl-list table",
    "plans/new?kind=diet": ".fb-save-bar",
    "plans/generate": "#gen-generate",
    "exercises": "#ex-table",
    "schedule": ".fb-week",
    "billing": "#bl-packages > *",
    "reports": "#page h1",
    "profile": "#pf-save",
}
ADMIN_PAGES = {
    "platform": "#pf-kpis > *",
    "users": "#au-table table",
    "reports": "#page h1",
    "profile": "#pf-save",
}


def _walk(chromium, base: str, email: str, pages: dict[str, str], client_id: int) -> tuple[dict[str, int], list[str]]:
    """Log in at 390 px and open each page; (pages wider than the phone, console errors)."""
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(CONDITION_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    opened = {"path": "login"}
    page.on("console", lambda m: errors.append(f"{opened['path']}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{opened['path']}: {error}"))
    log_in_dashboard(page, base, email, DEMO_PASSWORD)
    too_wide = {}
    for template, loaded in pages.items():
        path = template.format(client=client_id)
        opened["path"] = path or "overview"
        page.goto(f"{base}/dashboard/{path}")
        page.wait_for_selector(loaded)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[opened["path"]] = width
            name = template.replace("/", "-").replace("{client}", "id").replace("?", "-") or "overview"
            page.screenshot(path=str(SCREENSHOTS / f"too-wide-{name}.png"))
    context.close()
    return too_wide, errors


def test_every_trainer_page_fits_a_390px_phone_without_console_errors(demo_world, app_server, chromium):
    too_wide, errors = _walk(chromium, app_server, DEMO_TRAINER_EMAIL, TRAINER_PAGES, demo_world.clients[0].id)
    assert not too_wide, f"pages wider than {PHONE['width']} px: {too_wide}"
    assert not errors, "console errors:\n" + "\n".join(errors)


def test_every_admin_page_fits_a_390px_phone_without_console_errors(demo_world, app_server, chromium):
    too_wide, errors = _walk(chromium, app_server, DEMO_ADMIN_EMAIL, ADMIN_PAGES, demo_world.clients[0].id)
    assert not too_wide, f"pages wider than {PHONE['width']} px: {too_wide}"
    assert not errors, "console errors:\n" + "\n".join(errors)

"""In Chromium with no internet: the Content-Security-Policy breaks none of the pages, and the docs work.

Every request to anything but the test server is aborted (as on a network with no internet);
a page passes when it renders its content and the browser reports no CSP violation.
"""

from __future__ import annotations

import re

import pytest

from fitbud.demo.accounts import DEMO_PASSWORD, DEMO_TRAINER_EMAIL
from tests.e2e.client_app_support import app_server, coached_client_with_a_workout_today, log_in
from tests.e2e.test_dashboard_browser import live_server, plotted_points

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "live_server"]  # fixtures, imported so pytest finds them here

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class OfflinePage:
    """A laptop-sized page whose every request off `base` is aborted, recording CSP violations."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.outside: list[str] = []
        self.console_errors: list[str] = []
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        # Only requests off the test server are intercepted (the others go straight through).
        context.route(re.compile(rf"^(?!{re.escape(base)}/)"), self._abort)
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def _abort(self, route) -> None:
        self.outside.append(route.request.url)
        route.abort()

    def csp_console_errors(self) -> list[str]:
        return [error for error in self.console_errors if "Content Security Policy" in error]


@pytest.fixture
def chromium_offline(fresh_chromium):
    """Open OfflinePage objects on the shared headless Chromium: `chromium_offline(base_url)`."""
    return lambda base: OfflinePage(fresh_chromium, base)


def _violations(page) -> list[str]:
    return page.evaluate("() => window.__cspViolations")


def test_swagger_ui_and_redoc_render_offline_under_the_policy(app_server, chromium_offline):
    offline = chromium_offline(app_server)
    page = offline.page

    page.goto(f"{app_server}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Fitbud API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")
    docs_violations = _violations(page)

    page.goto(f"{app_server}/api/redoc")
    page.wait_for_selector("h1:has-text('Fitbud API')")
    page.wait_for_selector("[data-section-id]")
    redoc_violations = _violations(page)

    assert docs_violations == []
    # ReDoc's sidebar shows Redocly's logo from their CDN; the policy blocks it (and the page hides
    # the broken image), which is the point: nothing loads from elsewhere.
    assert set(redoc_violations) <= {f"img-src {REDOC_LOGO}"}
    assert offline.outside == []
    assert [error for error in offline.csp_console_errors() if REDOC_LOGO not in error] == []


def test_login_and_the_dashboards_charts_work_under_the_policy(live_server, chromium_offline):
    offline = chromium_offline(live_server)
    page = offline.page

    page.goto(f"{live_server}/login")
    page.fill("#email", DEMO_TRAINER_EMAIL)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/dashboard/")

    assert plotted_points(page, "ov-growth-graph") > 0
    page.wait_for_selector("#ov-kpis .fb-kpi-value")
    page.goto(f"{live_server}/dashboard/client")
    assert plotted_points(page, "cl-weight-graph") > 0
    assert _violations(page) == []
    assert offline.outside == [] and offline.csp_console_errors() == []


def test_the_client_app_works_under_the_policy(app_server, chromium_offline):
    offline = chromium_offline(app_server)
    page = offline.page
    _trainer, client, _exercises = coached_client_with_a_workout_today(name="Ivy Stone")

    log_in(page, app_server, client.email)
    page.wait_for_selector("main h1")
    page.goto(f"{app_server}/app/plan")
    page.wait_for_selector("main h1")

    assert _violations(page) == []
    assert offline.outside == [] and offline.csp_console_errors() == []

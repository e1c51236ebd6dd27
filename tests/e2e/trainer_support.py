"""What the trainer dashboard's browser tests share: log in, check a page (axe, no sideways scroll), screenshots.

Pages are checked at 390 and 1440 px: axe-core finds no serious or critical violation and the
page is no wider than the window. Waits are on conditions, never on time.
"""

from __future__ import annotations

import pytest

from tests.e2e.client_app_support import AXE, BLOCKING_IMPACTS, LAPTOP, PHONE, app_server, assert_accessible, chromium
from tests.e2e.test_dashboard_browser import CONDITION_TIMEOUT_MS, SCREENSHOTS
from tests.helpers import DEFAULT_PASSWORD

__all__ = ["app_server", "chromium", "laptop"]


@pytest.fixture
def laptop(chromium):
    """A fresh laptop-sized page (1440 × 900); `check_dashboard_page` also looks at it 390 px wide."""
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    # The suite's one generous condition timeout (E2E_TIMEOUT_MS): waits end on their condition,
    # the limit only matters on a machine so loaded that nothing would pass.
    page.set_default_timeout(CONDITION_TIMEOUT_MS)
    yield page
    context.close()


def log_in_trainer(page, base: str, email: str, path: str) -> None:
    """Through the one login form, then open /dashboard/<path>."""
    page.goto(f"{base}/login?next=/dashboard/{path}")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/dashboard/{path}")


def _at_rest(page) -> None:
    """No hover or focus left from the last click, and no CSS transition running (axe reads colours)."""
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    page.wait_for_function("() => document.getAnimations().length === 0")


def assert_part_accessible(page, selector: str, name: str) -> None:
    """axe-core finds no serious or critical violation inside `selector` (the part of a page a test owns)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the page's Content-Security-Policy (rightly) refuses
        # inline scripts, and DevTools evaluation is outside it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("(selector) => axe.run(selector, {resultTypes: ['violations']})", selector)
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"accessibility violations on {name}:\n" + "\n".join(blocking)


def check_dashboard_page(page, name: str, ready: str, axe_scope: str | None = None) -> None:
    """At 390 and 1440 px: `ready` shows, nothing scrolls sideways, axe passes; a screenshot of each.

    `axe_scope` limits axe to one part of the page (a selector), for a part added to a page whose
    other parts have known violations of their own.
    """
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.wait_for_selector(ready)
        _at_rest(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow} px wider than a {size['width']} px window"
        if axe_scope is None:
            assert_accessible(page, f"{name} at {size['width']} px")
        else:
            assert_part_accessible(page, axe_scope, f"{name} at {size['width']} px")
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(LAPTOP)

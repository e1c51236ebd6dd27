"""In a real browser: what /dashboard/ costs on the wire, first visit and repeat visit.

Bytes are counted as Chromium's network layer reports them (`encodedDataLength`: headers and
compressed bodies; a response served from the browser's cache counts nothing).
"""

from __future__ import annotations

import pytest

from fitbud.demo.accounts import DEMO_PASSWORD, DEMO_TRAINER_EMAIL
from tests.e2e.client_app_support import LAPTOP, app_server, chromium
from tests.e2e.dashboard_support import log_in_dashboard
from tests.e2e.test_dashboard_browser import CONDITION_TIMEOUT_MS

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium"]

FIRST_LOAD_BUDGET = 2_500_000
REPEAT_VISIT_BUDGET = 300_000


def transferred(page, action) -> int:
    """Bytes Chromium took from the network while `action` ran and the page settled."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    total = {"bytes": 0}
    session.on(
        "Network.loadingFinished", lambda event: total.__setitem__("bytes", total["bytes"] + event["encodedDataLength"])
    )
    action()
    page.wait_for_load_state("networkidle")
    session.detach()
    return total["bytes"]


def test_dashboard_first_load_and_repeat_visit_stay_within_budget(demo_world, app_server, chromium):
    """The Overview with the demo's charts (Plotly's bundle included) against the issue's budget."""
    login = chromium.new_context(viewport=LAPTOP)
    log_in_dashboard(login.new_page(), app_server, DEMO_TRAINER_EMAIL, DEMO_PASSWORD)
    storage = login.storage_state()
    login.close()
    # A new context: an empty browser cache, the login cookie kept.
    context = chromium.new_context(viewport=LAPTOP, storage_state=storage)
    page = context.new_page()
    page.set_default_timeout(CONDITION_TIMEOUT_MS)
    first = transferred(
        page,
        lambda: (page.goto(f"{app_server}/dashboard/"), page.wait_for_selector("#ov-growth-graph .js-plotly-plot")),
    )
    repeat = transferred(page, lambda: (page.reload(), page.wait_for_selector("#ov-growth-graph .js-plotly-plot")))
    context.close()
    print(f"dashboard first load {first} B, repeat visit {repeat} B")
    assert first <= FIRST_LOAD_BUDGET, f"first load moved {first:,} bytes"
    assert repeat <= REPEAT_VISIT_BUDGET, f"repeat visit moved {repeat:,} bytes"

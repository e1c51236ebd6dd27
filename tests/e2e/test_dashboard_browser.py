"""In a real browser (Debian's headless Chromium via Playwright): log in, open Overview and Client.

Checks that the charts hold plotted data (which also proves Dash's callback POSTs carry the
CSRF header the server demands) and saves screenshots at laptop and phone widths.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from fitbud.demo import seed_demo
from fitbud.demo.accounts import DEMO_PASSWORD, DEMO_TRAINER_EMAIL

# E2E_BROWSER and E2E_ARTIFACTS_DIR move the browser and the screenshots (default: Debian's
# chromium, artifacts/ in the repository).
CHROMIUM = os.environ.get("E2E_BROWSER", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS_DIR") or Path(__file__).resolve().parents[2] / "artifacts")
SCREENSHOTS = ARTIFACTS / "screenshots"
# How long any one condition may take. Generous on purpose: on a loaded 2-core machine the
# first Overview (Plotly's bundle parsed, the demo's analytics computed) took over 20 s.
# Tests wait on conditions, so a fast machine never waits this long.
CONDITION_TIMEOUT_MS = int(os.environ.get("E2E_TIMEOUT_MS", "120000"))
WIDTHS = {"laptop": (1440, 900), "phone": (390, 844)}

pytestmark = pytest.mark.e2e

if not Path(CHROMIUM).exists():
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError(f"{CHROMIUM} is missing; CI must install Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def live_server(app):
    """The app on a free 127.0.0.1 port, served from a thread, with the demo data."""
    from werkzeug.serving import make_server

    seed_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def settle(page) -> None:
    """Wait until the browser has laid out and painted the current state (two animation frames)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def plotted_points(page, graph_id: str) -> int:
    """How many points the Plotly chart inside #graph_id holds, once it holds any."""
    count = """(selector) => {
        const plot = document.querySelector(selector);
        if (!plot) return 0;
        return (plot.data || []).reduce((n, trace) => n + ((trace.x || trace.z || []).length || 0), 0);
    }"""
    selector = f"#{graph_id} .js-plotly-plot"
    page.wait_for_function(count, arg=selector, timeout=CONDITION_TIMEOUT_MS)
    return page.evaluate(count, selector)


def test_trainer_sees_charts_with_data_on_laptop_and_phone(live_server, fresh_chromium):
    browser = fresh_chromium
    storage = None
    for width, height in WIDTHS.values():
        context = browser.new_context(viewport={"width": width, "height": height}, storage_state=storage)
        context.set_default_timeout(CONDITION_TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{live_server}/dashboard/")
        if storage is None:
            assert "/login" in page.url
            page.fill("#email", DEMO_TRAINER_EMAIL)
            page.fill("#password", DEMO_PASSWORD)
            page.click("#login-submit")
            page.wait_for_url(f"{live_server}/dashboard/")
            storage = context.storage_state()

        assert plotted_points(page, "ov-growth-graph") > 0
        assert plotted_points(page, "ov-adherence-graph") > 0
        page.wait_for_selector("#ov-kpis .fb-kpi-value")
        settle(page)
        page.screenshot(path=str(SCREENSHOTS / f"overview-{width}.png"), full_page=True)

        page.goto(f"{live_server}/dashboard/client")
        assert plotted_points(page, "cl-weight-graph") > 0
        assert plotted_points(page, "cl-volume-graph") > 0
        assert plotted_points(page, "cl-heatmap-graph") > 0
        page.wait_for_selector("#cl-records-table")
        settle(page)
        page.screenshot(path=str(SCREENSHOTS / f"client-{width}.png"), full_page=True)
        context.close()
    assert {path.name for path in SCREENSHOTS.glob("*.png")} >= {
        "overview-1440.png",
        "client-1440.png",
        "overview-390.png",
        "client-390.png",
    }

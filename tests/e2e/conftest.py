"""One headless Chromium per test process, shared by the browser tests.

Starting Playwright's driver and Chromium costs about 1.5 CPU-seconds; once per test it was a
minute of CI's time. Tests stay isolated: each opens its own browser context (own cookies,
storage, service workers) and whatever context a test leaves open is closed after it.
One Playwright driver only: the sync API refuses a second one in the same process.
"""

from __future__ import annotations

import os

import pytest

from tests.e2e.test_dashboard_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, playwright_api


@pytest.fixture(scope="session")
def shared_chromium():
    """Debian's headless Chromium through Playwright, for the whole test process.

    Its service workers' requests go through the context's routes, so the offline tests can cut
    them (Playwright reads the flag when its driver starts; no other test routes such requests).
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def fresh_chromium(shared_chromium):
    """The shared browser, with every context the test opened closed after it."""
    yield shared_chromium
    for context in list(shared_chromium.contexts):
        context.close()

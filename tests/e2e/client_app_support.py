"""What the client app's browser tests share: a live server, a phone-sized browser, axe, screenshots.

Pages are checked with axe-core (vendored under tests/e2e/vendor, for tests only): no serious or
critical violation is allowed. Screenshots of every page at 390 and 1440 px go to
artifacts/screenshots. Waits are on conditions (an element, a URL, a response), never on time.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from fitbud.models import PlanKind
from tests.e2e.test_dashboard_browser import CHROMIUM, CONDITION_TIMEOUT_MS, SCREENSHOTS, playwright_api
from tests.factories import ClientFactory, ExerciseFactory, PlanAssignmentFactory, TrainerFactory, diet_content
from tests.helpers import DEFAULT_PASSWORD

AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
BLOCKING_IMPACTS = ("serious", "critical")

__all__ = ["CHROMIUM", "DEFAULT_PASSWORD", "PHONE", "LAPTOP", "playwright_api"]


@pytest.fixture
def app_server(app):
    """The app on a free 127.0.0.1 port, served from a thread (no demo data: tests make their own)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def chromium(fresh_chromium):
    """Debian's headless Chromium through Playwright (one per test process: tests/e2e/conftest.py)."""
    return fresh_chromium


@pytest.fixture
def phone(chromium):
    """A fresh phone-sized page (390 × 844, touch)."""
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(CONDITION_TIMEOUT_MS)
    yield page
    context.close()


def assert_accessible(page, name: str) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the page's Content-Security-Policy (rightly) refuses
        # inline scripts, and DevTools evaluation is outside it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"accessibility violations on {name}:\n" + "\n".join(blocking)


def shoot(page, name: str) -> None:
    """Screenshots of the page at phone and laptop widths (back to phone size afterwards).

    Layout changes with the width synchronously; the next animation frame is the condition
    waited on before each picture.
    """
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
        page.screenshot(path=str(SCREENSHOTS / f"app-{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def check_page(page, name: str) -> None:
    """The accessibility check and the screenshots of one page."""
    assert_accessible(page, name)
    shoot(page, name)


def log_in(page, base: str, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Through the one login form; waits until the app's Today page is there."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/app/")


def coached_client_with_a_workout_today(**client_fields):
    """A trainer's client with a login, a workout whose first day (two exercises) is today, and a diet."""
    trainer = TrainerFactory(name="Sam Coach")
    client = ClientFactory(trainer=trainer, with_login=True, **client_fields)
    squat = ExerciseFactory(owner=trainer, name="Back Squat", instructions="Sit between your hips; chest up.")
    press = ExerciseFactory(owner=trainer, name="Overhead Press", primary_muscles=["shoulders"])
    content = {
        "weeks": [
            {
                "days": [
                    {
                        "name": "Squat and press",
                        "items": [
                            {
                                "exercise_id": squat.id,
                                "sets": 2,
                                "reps": 5,
                                "load": {"type": "kg", "value": 80},
                                "rest_seconds": 90,
                                "notes": "Brace before each rep.",
                            },
                            {"exercise_id": press.id, "sets": 2, "reps": "6-8", "rest_seconds": 60},
                        ],
                    },
                    {"name": "Rest", "rest": True},
                ]
            }
        ]
    }
    PlanAssignmentFactory(
        client=client, kind=PlanKind.WORKOUT, name="Strength", content=content, start_date=date.today()
    )
    diet = diet_content()
    diet["targets"] = {"kcal": 2000, "protein": 150, "carbs": 200, "fat": 60}
    PlanAssignmentFactory(client=client, kind=PlanKind.DIET, name="Lean", content=diet, start_date=date.today())
    return trainer, client, (squat, press)

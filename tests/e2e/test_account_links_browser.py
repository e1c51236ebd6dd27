"""In a real browser: confirming a new trainer's email from the mailed link, and "Forgot password?" to a new password.

The links are read from the memory mail backend (the person's mailbox); waits are on conditions only.
"""

from __future__ import annotations

import pytest

from fitbud.extensions import db
from fitbud.models import User
from tests.e2e.client_app_support import LAPTOP, PHONE, app_server, chromium
from tests.e2e.test_dashboard_browser import CONDITION_TIMEOUT_MS, SCREENSHOTS
from tests.factories import TrainerFactory
from tests.helpers import mailed_link_token

pytestmark = pytest.mark.e2e
__all__ = ["app_server", "chromium"]
NEW_PASSWORD = "quartz-lantern-meadow-3"


@pytest.fixture
def page(chromium):
    """A phone-sized page (the links are opened from a phone's mail app as often as not)."""
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(CONDITION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def shoot(page, name: str) -> None:
    """Screenshots of the page as it is, at phone and laptop widths."""
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_a_new_trainer_confirms_their_email_from_the_mailed_link(app_server, page):
    page.goto(f"{app_server}/signup")
    page.fill("#name", "Nia Newcoach")
    page.fill("#email", "nia.e2e@example.com")
    page.fill("#password", "lifting-is-fun-42")
    page.click("#signup-submit")
    page.wait_for_selector("#unverified-banner")  # what may wait until the address is proven
    shoot(page, "unverified-banner")

    page.goto(f"{app_server}/verify-email/{mailed_link_token('nia.e2e@example.com', '/verify-email/')}")
    page.click("#verify-submit")
    page.wait_for_selector("#verify-done")
    shoot(page, "email-confirmed")
    page.click("#verify-continue")
    page.wait_for_selector("#ov-kpis")
    assert page.locator("#unverified-banner").count() == 0
    db.session.expire_all()
    assert db.session.query(User).filter_by(email="nia.e2e@example.com").one().email_verified_at is not None


def test_forgot_password_leads_to_a_new_password_and_a_login(app_server, page):
    trainer = TrainerFactory(email="forgetful.e2e@example.com")
    page.goto(f"{app_server}/login")
    page.click("#forgot-link")
    page.fill("#email", trainer.email)
    page.click("#forgot-submit")
    page.wait_for_selector("#reset-sent")
    shoot(page, "forgot-password-sent")

    page.goto(f"{app_server}/reset-password/{mailed_link_token(trainer.email, '/reset-password/')}")
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirm", NEW_PASSWORD)
    shoot(page, "reset-password")
    page.click("#reset-submit")
    page.wait_for_selector("#login-reset")
    page.fill("#email", trainer.email)
    page.fill("#password", NEW_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{app_server}/dashboard/")

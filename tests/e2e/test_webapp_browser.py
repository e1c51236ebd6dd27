"""The trainer's web app in a real browser: sign up, log in, invite, message, see a client's progress.

Screenshots of every page at phone (390 px) and laptop (1440 px) widths go to artifacts/screenshots.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fitbud.demo.accounts import DEMO_PASSWORD, DEMO_TRAINER_EMAIL
from fitbud.extensions import db
from fitbud.models import Client, User
from tests.e2e.test_dashboard_browser import SCREENSHOTS, live_server, settle

pytestmark = pytest.mark.e2e
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1440, "height": 900}
__all__ = ["live_server"]  # the fixture, imported so this module can use it


def shoot(page, name: str) -> None:
    """Screenshots of the current page at both widths."""
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        settle(page)  # responsive charts and the navbar redraw at the new width
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)


@pytest.fixture
def browser(fresh_chromium):
    return fresh_chromium


def test_visitor_signs_up_from_the_home_page_and_lands_on_the_overview(live_server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server}/")
    shoot(page, "home")
    page.click("#home-signup")
    page.fill("#name", "Maya Coach")
    page.fill("#email", "maya.e2e@example.com")
    page.fill("#password", "short")
    page.click("#signup-submit")
    page.wait_for_selector("#password-error")
    shoot(page, "signup")
    page.fill("#password", "lifting-is-fun-42")
    page.click("#signup-submit")
    page.wait_for_url(f"{live_server}/dashboard/")
    page.wait_for_selector("#ov-kpis .fb-empty")  # a new trainer: the overview explains what to do
    assert db.session.execute(select(User.name).where(User.email == "maya.e2e@example.com")).scalar() == "Maya Coach"


def test_trainer_logs_in_invites_a_client_messages_and_sees_progress(live_server, browser):
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{live_server}/login")
    shoot(page, "login")
    page.fill("#email", DEMO_TRAINER_EMAIL)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/dashboard/")

    page.goto(f"{live_server}/dashboard/clients")
    page.wait_for_selector("#cs-roster")
    page.fill("#cs-invite-name", "Eve Invited")
    page.fill("#cs-invite-email", "eve.e2e@example.com")
    page.click("#cs-invite-submit")
    # The link goes only to the invitee's mailbox; the page says where it went.
    page.wait_for_selector("#cs-invite-result >> text=on its way to eve.e2e@example.com")
    page.wait_for_selector("#cs-roster >> text=Eve Invited")
    shoot(page, "clients")

    trainer_id = db.session.execute(select(User.id).where(User.email == DEMO_TRAINER_EMAIL)).scalar_one()
    client_id = (
        db.session.execute(
            select(Client.id).where(Client.trainer_id == trainer_id, Client.user_id.is_not(None)).order_by(Client.id)
        )
        .scalars()
        .first()
    )
    page.goto(f"{live_server}/dashboard/clients/{client_id}")
    page.wait_for_selector("#cp-header h1")
    shoot(page, "client-profile")
    page.click("#cp-tabs >> text=Progress")
    page.wait_for_selector("#cp-weight .js-plotly-plot")
    assert page.evaluate("document.querySelector('#cp-weight .js-plotly-plot').data[0].x.length") > 0
    shoot(page, "client-progress")

    page.goto(f"{live_server}/dashboard/messages?client_id={client_id}")
    page.wait_for_selector("#msg-list .list-group-item")
    page.fill("#msg-body", "See you Thursday at 7")
    page.click("#msg-send")
    page.wait_for_selector("#msg-thread >> text=See you Thursday at 7")
    shoot(page, "messages")

    page.goto(f"{live_server}/dashboard/profile")
    page.wait_for_selector("#pf-name")
    shoot(page, "profile")

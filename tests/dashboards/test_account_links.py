"""Pages that emailed links open (confirm an email, choose a new password), "Forgot password?", the banner."""

from __future__ import annotations

import json
import re

from fitbud.extensions import db
from fitbud.models import AuthSession, User
from fitbud.services.accounts import find_user_by_email
from tests.dashboards.helpers import call, login
from tests.dashboards.test_webapp_callbacks import invite
from tests.helpers import DEFAULT_PASSWORD, assert_page_error, bearer, mailed_link_token

NEW_PASSWORD = "quartz-lantern-meadow-3"
ROUTE_OUTPUTS = [("page", "children"), ("nav-links", "children"), ("nav-user", "children")]
ROUTE_INPUTS = [("url", "pathname", "/dashboard/"), ("url", "search", "")]


def _form_token(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _post_form(http, path: str, **fields):
    """GET the page, then POST its form with the page's token, as a browser would."""
    return http.post(path, data={**fields, "csrf_token": _form_token(http.get(path))})


# --- the login pages link to the form --------------------------------------------------------


def test_the_login_page_offers_forgot_password(http):
    html = http.get("/login").get_data(as_text=True)
    assert 'href="/forgot-password"' in html and "Forgot password?" in html


def test_the_client_apps_login_is_the_same_page_with_the_link(http):
    # The app sends a logged-out phone to /login?next=/app/...: the same form, the same link.
    response = http.get("/app/", follow_redirects=True)
    assert response.request.path == "/login" and 'href="/forgot-password"' in response.get_data(as_text=True)


# --- forgot / reset --------------------------------------------------------------------------


def test_forgot_password_says_the_same_for_any_address(http, trainer, mail_outbox):
    known = _post_form(http, "/forgot-password", email=trainer.email)
    unknown = _post_form(http, "/forgot-password", email="nobody@example.com")

    assert known.status_code == unknown.status_code == 200
    sent = re.compile(r'<div[^>]*id="reset-sent"[^>]*>(.*?)</div>', re.S)
    assert sent.search(known.get_data(as_text=True)).group(1) == sent.search(unknown.get_data(as_text=True)).group(1)
    assert [mail.to for mail in mail_outbox] == [trainer.email]


def test_forgot_password_without_the_form_token_is_refused(http, trainer, mail_outbox):
    assert_page_error(http.post("/forgot-password", data={"email": trainer.email}), 400, text="The form expired")
    assert mail_outbox == []


def test_the_mailed_reset_link_opens_a_real_page_that_resets(http, trainer, mail_outbox):
    login(http, trainer.email)
    _post_form(http, "/forgot-password", email=trainer.email)
    path = f"/reset-password/{mailed_link_token(trainer.email, '/reset-password/')}"

    page = http.get(path)
    assert page.status_code == 200 and 'id="reset-submit"' in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    done = http.post(
        path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD, "csrf_token": _form_token(page)}
    )

    assert done.status_code == 303 and done.headers["Location"] == "/login?reset=1"
    assert db.session.query(AuthSession).filter(AuthSession.revoked_at.is_(None)).count() == 0
    assert login(http, trainer.email, NEW_PASSWORD).headers["Location"] == "/dashboard/"


def test_a_used_reset_link_shows_why(http, trainer, mail_outbox):
    _post_form(http, "/forgot-password", email=trainer.email)
    path = f"/reset-password/{mailed_link_token(trainer.email, '/reset-password/')}"
    fields = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    _post_form(http, path, **fields)

    assert_page_error(_post_form(http, path, **fields), 410, text="already been used")


def test_mismatched_passwords_are_refused_and_change_nothing(http, trainer, mail_outbox):
    _post_form(http, "/forgot-password", email=trainer.email)
    path = f"/reset-password/{mailed_link_token(trainer.email, '/reset-password/')}"

    response = _post_form(http, path, password=NEW_PASSWORD, password_confirm="something-else-22")

    assert_page_error(response, 422, text="not the same")
    assert login(http, trainer.email, DEFAULT_PASSWORD).headers["Location"] == "/dashboard/"


# --- confirm an email ------------------------------------------------------------------------


def _signup(http):
    return _post_form(http, "/signup", name="Maya Coach", email="maya@example.com", password="lifting-is-fun-42")


def test_dashboard_sign_up_mails_the_link_that_the_page_confirms(http, mail_outbox):
    assert _signup(http).status_code == 302
    path = f"/verify-email/{mailed_link_token('maya@example.com', '/verify-email/')}"

    page = http.get(path)
    assert page.status_code == 200 and 'id="verify-submit"' in page.get_data(as_text=True)
    assert find_user_by_email("maya@example.com").email_verified_at is None  # opening the page proves nothing
    done = http.post(path, data={"csrf_token": _form_token(page)})

    assert done.status_code == 200 and 'id="verify-done"' in done.get_data(as_text=True)
    db.session.expire_all()
    assert find_user_by_email("maya@example.com").email_verified_at is not None


def test_an_unproven_trainer_sees_the_banner_and_can_get_a_new_link(http, mail_outbox):
    _signup(http)

    shown = json.dumps(call(http, ROUTE_OUTPUTS, ROUTE_INPUTS).get_json())
    assert "unverified-banner" in shown and "/confirm-email" in shown

    status = http.get("/confirm-email")
    assert status.status_code == 200 and "maya@example.com" in status.get_data(as_text=True)
    resent = http.post("/confirm-email", data={"csrf_token": _form_token(status)})
    assert resent.status_code == 200 and 'id="confirm-sent"' in resent.get_data(as_text=True)
    assert len([mail for mail in mail_outbox if mail.to == "maya@example.com"]) == 2


def test_a_proven_trainer_sees_no_banner(http, trainer):
    login(http, trainer.email)
    assert "unverified-banner" not in json.dumps(call(http, ROUTE_OUTPUTS, ROUTE_INPUTS).get_json())


def test_the_new_link_page_needs_a_login(http):
    response = http.get("/confirm-email")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_dashboard_invite_by_an_unproven_trainer_is_refused(http, unverified_trainer, mail_outbox):
    login(http, unverified_trainer.email)
    body = invite(http, "Cara New", "cara@example.com")

    assert "Confirm your email address" in json.dumps(body)
    assert mail_outbox == [] and db.session.query(User).filter(User.email == "cara@example.com").count() == 0


def test_the_profile_page_says_where_a_new_address_waits_for_its_link(http, trainer, mail_outbox):
    changed = http.patch(
        "/api/v1/users/me",
        json={"email": "next@example.com", "current_password": DEFAULT_PASSWORD},
        headers=bearer(trainer),
    )
    assert changed.status_code == 200
    login(http, trainer.email)

    profile = [("url", "pathname", "/dashboard/profile"), ("url", "search", "")]
    page = json.dumps(call(http, ROUTE_OUTPUTS, profile).get_json())

    assert "next@example.com becomes your email when you open the link" in page

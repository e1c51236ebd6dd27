"""The public pages: the home page for visitors, sign-up with the API's account rules, login landing."""

import re

from fitbud.auth.roles import Role
from fitbud.services.accounts import find_user_by_email
from tests.dashboards.helpers import login
from tests.helpers import assert_page_error


def _signup(http, **fields):
    page = http.get("/signup").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"name": "Maya Coach", "email": "maya@example.com", "password": "lifting-is-fun-42", **fields}
    return http.post("/signup", data={**data, "csrf_token": token})


def test_home_page_tells_visitors_what_fitbud_does_and_offers_sign_up(http):
    page = http.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "What trainers say" in html and 'href="/signup"' in html and 'href="/login"' in html


def test_home_page_sends_a_logged_in_trainer_to_the_dashboard(http, trainer):
    login(http, trainer.email)
    response = http.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/"


def test_sign_up_creates_a_trainer_logs_them_in_and_lands_on_the_overview(http, app):
    response = _signup(http)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/"
    assert http.get_cookie("access_token_cookie") is not None
    assert find_user_by_email("maya@example.com").role is Role.TRAINER
    assert http.get("/dashboard/").status_code == 200


def test_sign_up_shows_a_weak_password_next_to_the_field(http, app):
    response = _signup(http, password="short")
    assert "at least 10 characters" in assert_page_error(response, 422, "password")
    assert find_user_by_email("maya@example.com") is None and http.get_cookie("access_token_cookie") is None


def test_sign_up_shows_a_taken_email_next_to_the_field(http, trainer):
    response = _signup(http, email=trainer.email.upper())
    assert "already registered" in assert_page_error(response, 409, "email")


def test_sign_up_requires_a_name_and_a_plausible_email(http, app):
    html = _signup(http, name="  ", email="not-an-email").get_data(as_text=True)
    assert 'id="name-error"' in html and 'id="email-error"' in html


def test_sign_up_without_the_form_token_is_refused(http, app):
    response = http.post("/signup", data={"name": "X", "email": "x@example.com", "password": "lifting-is-fun-42"})
    assert_page_error(response, 400, text="The form expired")
    assert find_user_by_email("x@example.com") is None


def test_login_lands_on_the_overview(http, trainer):
    response = login(http, trainer.email, next_url="")
    assert response.headers["Location"] == "/dashboard/"

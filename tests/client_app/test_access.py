"""Who gets into the client app: one /login for everyone, the guard on /app/, CSRF on its forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_jwt_extended import decode_token

from fitbud.extensions import db
from fitbud.models import MealLog
from tests.client_app.helpers import csrf, form_value, login
from tests.factories import ClientUserFactory
from tests.helpers import assert_page_error


def test_a_client_lands_in_the_app_after_login(http, client_user):
    response = login(http, client_user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/app/"


def test_a_trainer_lands_on_the_dashboard_after_login(http, trainer):
    assert login(http, trainer.email).headers["Location"] == "/dashboard/"


def test_login_follows_next_only_into_the_part_of_the_site_for_that_role(http, client_user):
    assert login(http, client_user.email, next_url="/dashboard/client").headers["Location"] == "/app/"
    assert login(http, client_user.email, next_url="/app/?x=1").headers["Location"] == "/app/?x=1"
    assert login(http, client_user.email, next_url="//evil.example/app/").headers["Location"] == "/app/"


def test_anonymous_app_pages_redirect_to_the_login_with_next(http):
    response = http.get("/app/")
    assert response.status_code == 303 and response.headers["Location"] == "/login?next=/app/"


def test_anonymous_htmx_requests_are_told_to_navigate_to_the_login(http):
    response = http.post("/app/meals", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/login")


def test_a_trainer_opening_the_app_is_sent_to_the_dashboard(http, trainer):
    login(http, trainer.email)
    response = http.get("/app/")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/"


def test_a_trainer_posting_to_the_app_is_refused(http, trainer):
    login(http, trainer.email)
    response = http.post("/app/meals", data={"csrf_token": csrf(http), "meal_name": "Lunch", "kcal": "500"})
    assert_page_error(response, 403, text="The app is for clients")


def test_a_client_opening_a_dashboard_page_is_sent_to_the_app(http, client_user):
    login(http, client_user.email)
    response = http.get("/dashboard/")
    assert response.status_code == 302 and response.headers["Location"] == "/app/"


def test_a_logged_in_client_on_the_home_page_goes_to_the_app(http, client_user):
    login(http, client_user.email)
    assert http.get("/").headers["Location"] == "/app/"


def test_a_post_without_the_csrf_value_is_refused_and_stores_nothing(app_http):
    key = form_value(app_http.get("/app/").get_data(as_text=True), "idempotency_key")
    response = app_http.post("/app/meals", data={"meal_name": "Lunch", "kcal": "500", "idempotency_key": key})
    assert_page_error(response, 403, text="reload the page")
    assert db.session.query(MealLog).count() == 0


def test_a_post_with_a_forged_csrf_value_is_refused(app_http):
    response = app_http.post("/app/meals", data={"csrf_token": "forged", "meal_name": "Lunch", "kcal": "500"})
    assert_page_error(response, 403, text="reload the page")


def test_the_login_is_limited_per_account_like_the_api(http, app, client_user):
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for address in ("10.0.0.1", "10.0.0.2"):
        http.environ_base["REMOTE_ADDR"] = address
        refused = login(http, client_user.email, password="wrong-password-1")
        assert_page_error(refused, 401, text="Invalid email or password")
    http.environ_base["REMOTE_ADDR"] = "10.0.0.3"  # a fresh address: only the account's budget is spent
    response = login(http, client_user.email, password="wrong-password-1")
    assert_page_error(response, 429, text="Too many attempts")
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_another_account_is_not_limited_by_the_first_ones_attempts(http, app, client_user):
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for address in ("10.0.1.1", "10.0.1.2"):
        http.environ_base["REMOTE_ADDR"] = address
        login(http, client_user.email, password="wrong-password-1")
    http.environ_base["REMOTE_ADDR"] = "10.0.1.3"
    assert login(http, ClientUserFactory().email).status_code == 302


def test_logout_from_the_app_ends_the_login(app_http):
    page = app_http.get("/logout").get_data(as_text=True)
    app_http.post("/logout", data={"csrf_token": form_value(page, "csrf_token")})
    assert app_http.get("/app/").status_code == 303


APP_PAGES = [
    "/app/",
    "/app/plan",
    "/app/check-in",
    "/app/progress",
    "/app/messages",
    "/app/sessions",
    "/app/billing",
    "/app/billing/success",
    "/app/billing/cancel",
    "/app/profile",
]
APP_POSTS = [
    "/app/workout",
    "/app/meals",
    "/app/check-in",
    "/app/progress/metrics",
    "/app/messages",
    "/app/sessions/requests",
    "/app/sessions/1/cancel",
    "/app/billing/checkout",
    "/app/billing/portal",
    "/app/profile",
    "/app/profile/export",
]


@pytest.mark.parametrize("path", APP_PAGES)
def test_every_app_page_sends_anonymous_visitors_to_the_login(http, path):
    response = http.get(path)
    assert response.status_code == 303 and response.headers["Location"] == f"/login?next={path}"


@pytest.mark.parametrize("path", APP_PAGES)
def test_every_app_page_sends_trainers_to_the_dashboard(http, trainer, path):
    login(http, trainer.email)
    assert http.get(path).headers["Location"] == "/dashboard/"


@pytest.mark.parametrize("path", APP_PAGES)
def test_every_app_page_opens_for_a_client(app_http, client_record, path):
    response = app_http.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"


@pytest.mark.parametrize("path", APP_POSTS)
def test_every_app_form_refuses_a_post_without_the_csrf_value(app_http, client_record, path):
    response = app_http.post(path, data={"idempotency_key": "k"})
    assert_page_error(response, 403, text="reload the page")


@pytest.mark.parametrize("path", APP_POSTS)
def test_every_app_form_refuses_an_admin(http, admin, path):
    login(http, admin.email)
    response = http.post(path, data={"csrf_token": csrf(http), "idempotency_key": "k"})
    assert_page_error(response, 403, text="The app is for clients")


@pytest.mark.parametrize("path", APP_POSTS)
def test_every_app_form_sends_anonymous_posts_to_the_login(http, path):
    response = http.post(path, data={"idempotency_key": "k"})
    assert response.status_code == 303 and response.headers["Location"] == "/login?next=/app/"


def test_the_keep_alive_renews_a_half_spent_login_in_the_same_session(app_http, client_record):
    import time_machine

    from fitbud.models import utcnow

    old = app_http.get_cookie("access_token_cookie").value
    with time_machine.travel(utcnow() + timedelta(minutes=9)):
        response = app_http.get("/app/session")
        assert response.status_code == 204
        new = app_http.get_cookie("access_token_cookie").value
        assert new != old and decode_token(new)["sid"] == decode_token(old, allow_expired=True)["sid"]
    with time_machine.travel(utcnow() + timedelta(minutes=20)):  # the old token is dead by now
        assert app_http.get("/app/").status_code == 200


def test_a_fresh_login_is_not_renewed(app_http, client_record):
    response = app_http.get("/app/session")
    assert response.status_code == 204 and "access_token_cookie" not in response.headers.get("Set-Cookie", "")

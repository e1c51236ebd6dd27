"""Who can reach /dashboard/: the login form, the guard on every Dash route, CSRF on callbacks."""

import re

import pytest

from fitbud.extensions import db
from fitbud.models import AuthSession
from tests.dashboards.helpers import UPDATE_URL, call, callback_body, csrf_header, login
from tests.factories import ClientUserFactory
from tests.helpers import assert_error, assert_page_error

ROUTE_OUTPUTS = [("page", "children"), ("nav-links", "children"), ("nav-user", "children")]
ROUTE_INPUTS = [("url", "pathname", "/dashboard/"), ("url", "search", "")]


def test_anonymous_pages_redirect_to_login(http):
    response = http.get("/dashboard/client?client_id=3")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/dashboard/client?client_id%3D3"


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/_dash-layout",
        "/dashboard/_dash-dependencies",
        "/dashboard/assets/fitbud.css",
        "/dashboard/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.min.js",
        "/dashboard/_reload-hash",
    ],
)
def test_anonymous_dash_endpoints_get_401(http, path):
    response = http.get(path)
    assert_error(response, 401, message="Log in to see the dashboard")
    assert response.get_json()["code"] == 401


def test_anonymous_callbacks_get_401(http):
    response = http.post(UPDATE_URL, json=callback_body(ROUTE_OUTPUTS, ROUTE_INPUTS))
    assert_error(response, 401, message="Log in to see the dashboard")


def test_login_page_has_a_form_with_a_csrf_token(http):
    page = http.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'name="password"' in page


def test_login_sets_httponly_access_cookie_and_readable_csrf_cookie(http, trainer):
    response = login(http, trainer.email, next_url="/dashboard/client")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/client"
    cookies = response.headers.getlist("Set-Cookie")
    access = next(c for c in cookies if c.startswith("access_token_cookie="))
    csrf = next(c for c in cookies if c.startswith("csrf_access_token="))
    assert "HttpOnly" in access and "SameSite=Lax" in access
    assert "HttpOnly" not in csrf


def test_login_with_a_wrong_password_stays_on_the_form(http, trainer):
    response = login(http, trainer.email, password="not-the-password")
    assert_page_error(response, 401, text="Invalid email or password.")
    assert http.get_cookie("access_token_cookie") is None


def test_login_without_the_form_token_is_refused(http, trainer):
    response = http.post("/login", data={"email": trainer.email, "password": "correct-horse-battery"})
    assert_page_error(response, 400, text="The form expired")
    assert http.get_cookie("access_token_cookie") is None


def test_login_never_redirects_outside_the_dashboard(http, trainer):
    assert login(http, trainer.email, next_url="https://evil.example/").headers["Location"] == "/dashboard/"


def test_clients_logging_in_land_in_their_app_not_the_dashboard(http):
    response = login(http, ClientUserFactory().email)
    assert response.status_code == 302 and response.headers["Location"] == "/app/"


def test_a_client_token_in_the_cookie_is_refused(http):
    from flask_jwt_extended import set_access_cookies

    from fitbud.services.accounts import start_session

    carrier = http.application.make_response("")
    set_access_cookies(carrier, start_session(ClientUserFactory()).access_token)
    for header in carrier.headers.getlist("Set-Cookie"):
        name, value = header.split(";")[0].split("=", 1)
        http.set_cookie(name, value)
    assert http.get("/dashboard/").headers["Location"] == "/app/"
    assert_error(call(http, ROUTE_OUTPUTS, ROUTE_INPUTS), 403, message="The dashboard is for trainers and admins")


def test_logged_in_trainer_gets_the_page_layout_and_dependencies(http, trainer):
    login(http, trainer.email)
    page = http.get("/dashboard/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # The renderer is told to echo the JWT CSRF cookie in the header flask-jwt-extended checks.
    assert '"csrf_token_name":"csrf_access_token"' in html and '"csrf_header_name":"X-CSRF-TOKEN"' in html
    assert http.get("/dashboard/_dash-layout").status_code == 200
    assert http.get("/dashboard/_dash-dependencies").status_code == 200
    asset = http.get("/dashboard/assets/fitbud.css")
    asset.close()  # a streamed file: close it, or its handle leaks
    assert asset.status_code == 200


def test_callbacks_need_the_csrf_header(http, trainer):
    login(http, trainer.email)
    missing = call(http, ROUTE_OUTPUTS, ROUTE_INPUTS, headers={})
    assert_error(missing, 401, message="Missing CSRF token")
    wrong = call(http, ROUTE_OUTPUTS, ROUTE_INPUTS, headers={"X-CSRF-TOKEN": "forged"})
    assert_error(wrong, 401, message="Missing CSRF token")
    assert call(http, ROUTE_OUTPUTS, ROUTE_INPUTS).status_code == 200


def test_router_shows_trainer_pages_and_hides_platform(http, trainer):
    login(http, trainer.email)
    nav = call(http, ROUTE_OUTPUTS, ROUTE_INPUTS).get_json()["response"]["nav-links"]["children"]
    names = [item["props"]["children"]["props"]["children"] for item in nav]
    assert names == [
        "Overview",
        "Clients",
        "Messages",
        "Client",
        "Check-ins",
        "Activity",
        "Plans",
        "Exercises",
        "Schedule",
        "Billing",
        "Reports",
    ]
    inputs = [("url", "pathname", "/dashboard/platform"), ("url", "search", "")]
    page = call(http, ROUTE_OUTPUTS, inputs).get_json()["response"]["page"]["children"]
    assert "There is no such page." in str(page)


def test_admins_see_platform_users_and_reports_in_the_menu(http, admin):
    login(http, admin.email)
    nav = call(http, ROUTE_OUTPUTS, ROUTE_INPUTS).get_json()["response"]["nav-links"]["children"]
    assert [item["props"]["children"]["props"]["children"] for item in nav] == ["Platform", "Users", "Reports"]


def test_admins_land_on_the_platform_page(http, admin):
    login(http, admin.email)
    body = call(http, ROUTE_OUTPUTS, ROUTE_INPUTS).get_json()["response"]
    assert "Platform" in str(body["page"]["children"]) and "pf-weeks" in str(body["page"]["children"])


def test_logout_ends_the_session_and_clears_cookies(http, trainer):
    login(http, trainer.email)
    old_cookie = http.get_cookie("access_token_cookie").value
    page = http.get("/logout").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = http.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login?logged_out=1"
    assert http.get_cookie("access_token_cookie") is None
    assert db.session.query(AuthSession).filter(AuthSession.revoked_reason == "logout").count() == 1
    http.set_cookie("access_token_cookie", old_cookie)  # a stolen copy of the old cookie is dead too
    assert http.get("/dashboard/").status_code == 302


def test_a_half_spent_access_cookie_is_renewed(http, trainer, time_machine):
    from datetime import UTC, datetime, timedelta

    time_machine.move_to(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False)
    login(http, trainer.email)
    first = http.get_cookie("access_token_cookie").value
    time_machine.move_to(datetime(2026, 5, 1, 9, 10, tzinfo=UTC) + timedelta(seconds=1), tick=False)
    http.get("/dashboard/")
    renewed = http.get_cookie("access_token_cookie").value
    assert renewed != first
    assert call(http, ROUTE_OUTPUTS, ROUTE_INPUTS).status_code == 200  # the new CSRF cookie came along


def test_each_app_gets_its_own_dash_app(app):
    from fitbud import create_app

    other = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert other.extensions["fitbud.dash"] is not app.extensions["fitbud.dash"]
    assert other.extensions["fitbud.dash"].server is other
    assert csrf_header  # helper used above


def test_layouts_build_outside_a_request(app):
    # Dash builds layouts at start-up and on other routes' first request: no user there.
    from dashboards.layout import shell
    from dashboards.router import pages

    assert shell() is not None
    for page in pages():
        assert page.layout({}) is not None

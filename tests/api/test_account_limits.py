"""Per-account password budgets: one count per account, whichever door a guess comes in by.

Logins through the API and through the browser's /login form share the account's budget, so
does every current-password check (API, client app, dashboard profile); spreading guesses over
many addresses behind a trusted proxy does not reset it.
"""

from __future__ import annotations

import json
import uuid

import pytest
from redis import Redis

from config import DevelopmentConfig
from fitbud.services import attempt_limits
from tests.api.auth_flow import unused_local_port
from tests.dashboards.helpers import call, duplicate_output
from tests.dashboards.helpers import login as browser_login
from tests.factories import ClientUserFactory
from tests.helpers import DEFAULT_PASSWORD, assert_error, assert_page_error, bearer

LOGIN = "/api/v1/auth/login"
WRONG = "wrong-password-1"
PROFILE_FIELDS = ["pf-name", "pf-email", "pf-timezone", "pf-units", "pf-current-password", "pf-new-password"]
PROFILE_OUTPUTS = (
    [("pf-feedback", "children")]
    + [
        pair
        for control_id in PROFILE_FIELDS
        for pair in [(f"{control_id}-field", "className"), (f"{control_id}-error", "children")]
    ]
    + [("pf-current-password", "value"), ("pf-new-password", "value")]
)


@pytest.fixture
def two_per_minute(app):
    """AUTH_RATE_LIMIT lowered so the third attempt on an account is refused."""
    app.config["AUTH_RATE_LIMIT"] = "2/minute"


def _api_login(http, email: str, password: str = WRONG, **kwargs):
    return http.post(LOGIN, json={"email": email, "password": password}, **kwargs)


def _from(ip: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": ip}}


# Login: the API and the browser form share the account's budget -------------------------------


def test_api_and_browser_logins_spend_one_budget_per_account(http, two_per_minute, trainer):
    assert_error(_api_login(http, trainer.email, **_from("198.51.100.1")), 401, message="Invalid email or password")
    http.environ_base["REMOTE_ADDR"] = "198.51.100.2"
    assert_page_error(browser_login(http, trainer.email, WRONG), 401, text="Invalid email or password")

    # A third address, and the right password: the account's budget is spent either way.
    refused = _api_login(http, trainer.email, DEFAULT_PASSWORD, **_from("198.51.100.3"))

    assert_error(refused, 429, message="Too many attempts")
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_browser_login_after_api_guesses_is_refused_with_the_login_page(http, two_per_minute, trainer):
    for i in range(2):
        _api_login(http, trainer.email, **_from(f"198.51.100.{10 + i}"))
    http.environ_base["REMOTE_ADDR"] = "198.51.100.20"

    response = browser_login(http, trainer.email, DEFAULT_PASSWORD)

    page = assert_page_error(response, 429, text="Too many attempts; try again in ")
    assert 'id="login-submit"' in page  # the form again, not a bare error page
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert http.get_cookie("access_token_cookie") is None


def test_browser_guesses_spread_over_addresses_behind_a_trusted_proxy_are_refused(make_app, trainer):
    app = make_app({"TRUSTED_PROXIES": 1, "AUTH_RATE_LIMIT": "2/minute"})
    http = app.test_client()

    def guess(n: int):
        page = http.get("/login", headers={"X-Forwarded-For": f"203.0.113.{n}"}).get_data(as_text=True)
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        return http.post(
            "/login",
            data={"email": trainer.email.upper(), "password": WRONG, "csrf_token": token},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )

    statuses = [guess(n).status_code for n in range(2)]
    refused = guess(99)

    assert statuses == [401, 401]
    assert_page_error(refused, 429, text="Too many attempts")


def test_api_guesses_spread_over_addresses_behind_a_trusted_proxy_are_refused(make_app, trainer):
    http = make_app({"TRUSTED_PROXIES": 1, "AUTH_RATE_LIMIT": "2/minute"}).test_client()

    statuses = [
        _api_login(http, trainer.email, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(2)
    ]
    refused = _api_login(http, trainer.email, headers={"X-Forwarded-For": "203.0.113.77"})

    assert statuses == [401, 401]
    assert_error(refused, 429, message="Too many attempts")


def test_unknown_addresses_are_counted_like_known_ones(http, two_per_minute):
    for i in range(2):
        _api_login(http, "nobody@example.com", **_from(f"198.51.100.{30 + i}"))

    # Were unknown addresses never counted, a 401 here against a 429 for a real account would tell them apart.
    assert_error(_api_login(http, "nobody@example.com", **_from("198.51.100.39")), 429, message="Too many attempts")


def test_another_account_keeps_its_budget(http, two_per_minute, trainer, other_trainer):
    for i in range(2):
        _api_login(http, trainer.email, **_from(f"198.51.100.{40 + i}"))

    assert _api_login(http, other_trainer.email, DEFAULT_PASSWORD, **_from("198.51.100.49")).status_code == 200


def test_the_account_budget_holds_when_the_limit_store_is_down(make_app):
    http = make_app(
        {"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{unused_local_port()}/0", "AUTH_RATE_LIMIT": "2/minute"}
    ).test_client()
    email = f"down-{uuid.uuid4().hex}@example.com"

    statuses = [_api_login(http, email, **_from(f"198.51.100.{50 + i}")).status_code for i in range(3)]

    assert statuses == [401, 401, 429]


# The browser login answers alike for a client account ----------------------------------------


def _alert(page: str) -> str:
    return page.split('role="alert">', 1)[1].split("<", 1)[0]


def test_a_clients_wrong_password_answers_exactly_like_an_unknown_address(http, client_user):
    wrong = browser_login(http, client_user.email, WRONG, next_url="/dashboard/")
    unknown = browser_login(http, "not-a-client@example.com", WRONG, next_url="/dashboard/")

    wrong_page = assert_page_error(wrong, 401, text="Invalid email or password")
    unknown_page = assert_page_error(unknown, 401, text="Invalid email or password")
    assert _alert(wrong_page) == _alert(unknown_page)
    assert wrong_page.replace(client_user.email, "EMAIL") == unknown_page.replace("not-a-client@example.com", "EMAIL")


def test_a_clients_right_password_logs_them_in_even_when_asking_for_the_dashboard(http, client_user):
    # No "this login is for trainers" answer that only a right password would reveal.
    response = browser_login(http, client_user.email, DEFAULT_PASSWORD, next_url="/dashboard/")

    assert response.status_code == 302 and response.headers["Location"] == "/app/"


def test_a_trainers_wrong_password_answers_like_a_clients(http, trainer, client_user):
    trainer_page = assert_page_error(browser_login(http, trainer.email, WRONG), 401, text="Invalid email or password")
    client_page = assert_page_error(browser_login(http, client_user.email, WRONG), 401, text="Invalid")
    assert _alert(trainer_page) == _alert(client_page)


# Current-password checks: API, client app and dashboard profile share one budget --------------


def _save_dashboard_profile(http, user, **values):
    merged = {
        "pf-name": user.name,
        "pf-email": user.email,
        "pf-timezone": "UTC",
        "pf-units": "metric",
        **values,
    }
    state = [(control_id, "value", merged.get(control_id)) for control_id in PROFILE_FIELDS]
    outputs = [*PROFILE_OUTPUTS, duplicate_output(http, "nav-user", "children")]
    response = call(http, outputs, [("pf-save", "n_clicks", 1)], state=state)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _api_password_check(http, user, current: str = WRONG):
    return http.patch(
        "/api/v1/users/me", json={"email": "moved@example.com", "current_password": current}, headers=bearer(user)
    )


def test_dashboard_profile_password_checks_are_limited_per_account(http, app, trainer):
    browser_login(http, trainer.email)
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for _ in range(2):
        body = _save_dashboard_profile(
            http, trainer, **{"pf-new-password": "another-long-secret-9", "pf-current-password": WRONG}
        )
        assert body["pf-current-password-error"]["children"] == "does not match your current password"

    refused = _save_dashboard_profile(
        http, trainer, **{"pf-new-password": "another-long-secret-9", "pf-current-password": DEFAULT_PASSWORD}
    )

    assert "Too many attempts" in json.dumps(refused["pf-feedback"])


def test_dashboard_and_api_password_checks_share_the_budget(http, app, trainer):
    browser_login(http, trainer.email)
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    assert_error(_api_password_check(http, trainer), 422, "current_password")
    _save_dashboard_profile(http, trainer, **{"pf-email": "moved@example.com", "pf-current-password": WRONG})

    refused = _api_password_check(http, trainer, DEFAULT_PASSWORD)

    assert_error(refused, 429, message="Too many attempts")
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_profile_saves_without_a_password_check_spend_nothing(http, app, trainer):
    browser_login(http, trainer.email)
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for n in range(3):
        body = _save_dashboard_profile(http, trainer, **{"pf-name": f"Renamed {n}"})
        assert "saved" in json.dumps(body["pf-feedback"])

    assert_error(_api_password_check(http, trainer), 422, "current_password")


def test_the_budget_is_per_account(http, app, trainer, other_trainer):
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for _ in range(2):
        _api_password_check(http, trainer)

    assert_error(_api_password_check(http, other_trainer), 422, "current_password")


def test_client_app_and_api_password_checks_share_the_budget(http, app):
    user = ClientUserFactory()
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for _ in range(2):
        assert_error(_api_password_check(http, user), 422, "current_password")
    app.config["AUTH_RATE_LIMIT"] = "1000/minute"
    browser_login(http, user.email)  # its own login budget; only the password checks are spent
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    data = {
        "csrf_token": http.get_cookie("csrf_access_token").value,
        "name": user.name,
        "email": "moved@example.com",
        "timezone": user.timezone,
        "unit_system": user.unit_system,
        "current_password": WRONG,
        "new_password": "",
    }

    response = http.post("/app/profile", data=data)

    assert_page_error(response, 429, text="Too many attempts")
    assert "Retry-After" in response.headers


# With Redis, every process shares the counters ------------------------------------------------


def test_account_budgets_are_kept_in_redis_when_redis_is_configured(make_app, database_url, redis_url):
    settings = DevelopmentConfig(
        environ={"DATABASE_URL": database_url, "REDIS_URL": redis_url, "AUTH_RATE_LIMIT": "2/minute"}
    )
    settings.LOG_LEVEL = "WARNING"
    tag = uuid.uuid4().hex
    email = f"{tag}@example.com"
    redis = Redis.from_url(redis_url)
    first, second = make_app(settings).test_client(), make_app(settings).test_client()
    try:
        statuses = [
            _api_login(first, email, **_from("10.9.0.1")).status_code,
            _api_login(second, email, **_from("10.9.0.2")).status_code,
            _api_login(first, email, **_from("10.9.0.3")).status_code,
        ]
        stored = redis.keys(f"*{tag}*")
    finally:
        for key in redis.scan_iter(f"*{tag}*"):
            redis.delete(key)

    assert statuses == [401, 401, 429]
    assert stored


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (45, "45 seconds"), (60, "60 seconds"), (61, "2 minutes"), (3600, "1 hour"), (7000, "2 hours")],
)
def test_the_wait_is_said_in_words_rounded_up(seconds, words):
    assert attempt_limits.in_words(seconds) == words

"""Login sessions end on the server (issue 18): idle limit, absolute maximum age, refresh and cookie renewal alike."""

from __future__ import annotations

from datetime import timedelta

import jwt as pyjwt
import pytest
import time_machine
from sqlalchemy import select, update

import config
from fitbud.extensions import db
from fitbud.models import AuthSession, utcnow
from tests.api.auth_flow import auth, login, me, refresh
from tests.dashboards.helpers import login as browser_login
from tests.helpers import DEFAULT_PASSWORD, assert_error

IDLE = timedelta(days=7)  # SESSION_IDLE_DAYS
MAX_AGE = timedelta(days=30)  # SESSION_MAX_AGE_DAYS
ENDED = "login session has ended"


@pytest.fixture(autouse=True)
def _session_limits(app):
    app.config.update(SESSION_IDLE_DAYS=7, SESSION_MAX_AGE_DAYS=30)


def _session() -> AuthSession:
    db.session.expire_all()
    return db.session.execute(select(AuthSession)).scalar_one()


def _claims(token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


# --- the API: refresh -------------------------------------------------------------------------


def test_a_new_session_ends_after_the_idle_limit(http, trainer):
    before = utcnow()
    login(http, trainer.email, DEFAULT_PASSWORD)

    session = _session()

    assert before + IDLE <= session.expires_at <= utcnow() + IDLE


def test_expires_at_is_enforced_on_refresh(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)
    # The refresh token itself is still valid; only the server's record says the session ended.
    db.session.execute(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    assert_error(refresh(http, pair["refresh_token"]), 401, message=ENDED)
    assert_error(me(http, pair["access_token"]), 401, message=ENDED)


def test_a_refresh_within_the_idle_limit_moves_the_end_on(http, trainer):
    start = utcnow()
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    with time_machine.travel(start + timedelta(days=6), tick=False):
        renewed = refresh(http, pair["refresh_token"])
        assert renewed.status_code == 200
    with time_machine.travel(start + timedelta(days=12), tick=False):
        assert refresh(http, renewed.json["refresh_token"]).status_code == 200

    assert _session().expires_at == start + timedelta(days=12) + IDLE


def test_a_session_unused_beyond_the_idle_limit_ends(http, trainer):
    start = utcnow()
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    with time_machine.travel(start + IDLE + timedelta(minutes=1), tick=False):
        response = refresh(http, pair["refresh_token"])

    assert_error(response, 401, message="expired")
    assert _claims(pair["refresh_token"])["exp"] <= (start + IDLE).timestamp() + 1


def test_rotation_never_extends_a_session_beyond_the_maximum_age(http, trainer):
    start = utcnow()
    token = login(http, trainer.email, DEFAULT_PASSWORD)["refresh_token"]
    for day in (6, 12, 18, 24, 29):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            response = refresh(http, token)
            assert response.status_code == 200, (day, response.json)
            token = response.json["refresh_token"]

    assert _session().expires_at <= start + MAX_AGE + timedelta(seconds=1)
    assert _claims(token)["exp"] <= (start + MAX_AGE).timestamp() + 1
    with time_machine.travel(start + MAX_AGE + timedelta(minutes=1), tick=False):
        assert_error(refresh(http, token), 401, message="expired")


def test_an_access_token_of_an_ended_session_is_refused_even_from_the_token_cache(http, trainer):
    start = utcnow()
    token = login(http, trainer.email, DEFAULT_PASSWORD)["refresh_token"]
    for day in (6, 12, 18, 24):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            token = refresh(http, token).json["refresh_token"]
    with time_machine.travel(start + MAX_AGE - timedelta(minutes=5), tick=False):
        access = refresh(http, token).json["access_token"]  # lives 15 minutes: past the session's end
    with time_machine.travel(start + MAX_AGE - timedelta(seconds=20), tick=False):
        db.session.expunge_all()
        assert me(http, access).status_code == 200  # now cached (AUTH_CACHE_SECONDS 60)

    with time_machine.travel(start + MAX_AGE + timedelta(seconds=20), tick=False):
        db.session.expunge_all()
        response = me(http, access)

    assert_error(response, 401, message=ENDED)


# --- the browser: cookie renewal --------------------------------------------------------------


def test_cookie_renewal_moves_the_idle_end_on(app, http, trainer):
    start = utcnow()
    browser_login(http, trainer.email)

    with time_machine.travel(start + timedelta(minutes=10), tick=False):  # the cookie is half spent
        response = http.get("/dashboard/")

    assert response.status_code == 200
    assert "access_token_cookie=" in response.headers.get("Set-Cookie", "")
    assert _session().expires_at == start + timedelta(minutes=10) + IDLE


def test_cookie_renewal_never_extends_a_session_beyond_the_maximum_age(app, http, trainer):
    # Long access tokens, so a few visits days apart stand for a browser in steady use.
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(days=4)
    start = utcnow()
    browser_login(http, trainer.email)
    for day in (3, 6, 9, 12, 15, 18, 21, 24, 27):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            assert http.get("/dashboard/").status_code == 200, day

    session = _session()
    assert session.expires_at == session.created_at + MAX_AGE
    with time_machine.travel(start + MAX_AGE + timedelta(hours=1), tick=False):
        # The day-27 cookie is still a valid token, but its session is over.
        response = http.get("/dashboard/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_browser_session_unused_beyond_the_idle_limit_ends(app, http, trainer):
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(days=10)
    start = utcnow()
    browser_login(http, trainer.email)

    with time_machine.travel(start + IDLE + timedelta(hours=1), tick=False):
        response = http.get("/dashboard/")

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_client_apps_renewal_keeps_to_the_same_limits(app, http, client_user):
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(days=10)
    start = utcnow()
    browser_login(http, client_user.email, next_url="/app/")

    with time_machine.travel(start + timedelta(days=6), tick=False):
        assert http.get("/app/session").status_code == 204  # the keep-alive renews the half-spent cookie
    assert _session().expires_at == start + timedelta(days=6) + IDLE
    with time_machine.travel(start + timedelta(days=6) + IDLE + timedelta(hours=1), tick=False):
        response = http.get("/app/")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_session_limits_must_be_positive():
    with pytest.raises(config.ConfigurationError, match="SESSION_IDLE_DAYS"):
        config.TestingConfig({"SESSION_IDLE_DAYS": "0"}).validate()


def test_a_token_for_an_unknown_session_is_401(http, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)
    db.session.execute(AuthSession.__table__.delete())
    db.session.commit()

    assert_error(me(http, pair["access_token"]), 401, message="revoked")
    assert_error(http.get("/api/v1/users/me", headers=auth("not-a-token")), 401, message="Invalid token")

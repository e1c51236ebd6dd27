"""The invitation page: greeting, the password form (API's policy), landing logged in, dead links."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.models import Client, User, utcnow
from fitbud.services import invitations
from tests.client_app.helpers import form_value
from tests.factories import ClientFactory
from tests.helpers import assert_page_error

PASSWORD = "a-long-enough-secret"


@pytest.fixture
def invited(trainer):
    """A client of `trainer` without a login, and the token of their invitation link."""
    client = ClientFactory(trainer=trainer, name="Ava Lane", email="ava.lane@example.com", timezone="Europe/Paris")
    issued = invitations.issue(client)
    db.session.commit()
    return client, issued.token


def _accept(http, token: str, password: str = PASSWORD, confirm: str | None = None):
    page = http.get(f"/invite/{token}").get_data(as_text=True)
    data = {
        "csrf_token": form_value(page, "csrf_token"),
        "password": password,
        "password_confirm": password if confirm is None else confirm,
    }
    return http.post(f"/invite/{token}", data=data)


def _users() -> int:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def test_the_page_greets_the_client_and_names_the_trainer(http, invited, trainer):
    _client, token = invited
    response = http.get(f"/invite/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hi Ava Lane!" in html and trainer.name in html
    assert "ava.lane@example.com" in html and 'autocomplete="new-password"' in html
    assert response.headers["Referrer-Policy"] == "no-referrer" and response.headers["Cache-Control"] == "no-store"


def test_accepting_creates_the_login_and_lands_in_the_app_with_a_welcome(http, invited):
    client, token = invited
    response = _accept(http, token)
    assert response.status_code == 303 and response.headers["Location"] == "/app/?welcome=1"
    user = db.session.execute(select(User).where(User.email == "ava.lane@example.com")).scalar_one()
    assert user.role is Role.CLIENT and user.timezone == "Europe/Paris"
    assert db.session.get(Client, client.id).user_id == user.id
    welcome = http.get("/app/?welcome=1").get_data(as_text=True)
    assert "Welcome to Fitbud, Ava!" in welcome


def test_a_weak_password_shows_the_apis_reason_beside_the_field(http, invited):
    _client, token = invited
    response = _accept(http, token, password="short")
    html = assert_page_error(response, 422, "password")
    assert 'id="password-error">Password must be at least 10 characters long.' in html
    assert _users() == 1  # the trainer only


def test_a_common_password_is_refused_like_the_api_does(http, invited):
    _client, token = invited
    response = _accept(http, token, password="password123")
    assert "too common" in assert_page_error(response, 422, "password")


def test_two_different_passwords_are_refused(http, invited):
    _client, token = invited
    response = _accept(http, token, confirm="something-else-entirely")
    html = assert_page_error(response, 422, "password_confirm")
    assert 'id="password_confirm-error">The two passwords are not the same.' in html


def test_an_empty_password_is_refused(http, invited):
    _client, token = invited
    response = _accept(http, token, password="")
    assert 'id="password-error">Choose a password.' in assert_page_error(response, 422, "password")


def test_without_the_form_token_nothing_is_created(http, invited):
    _client, token = invited
    response = http.post(f"/invite/{token}", data={"password": PASSWORD, "password_confirm": PASSWORD})
    assert_page_error(response, 400, text="The form expired")
    assert _users() == 1


def test_a_used_link_says_so_and_how_to_get_a_new_one(http, invited, trainer):
    _client, token = invited
    _accept(http, token)
    response = http.get(f"/invite/{token}")
    html = assert_page_error(response, 410, text="already been used")
    assert f"Ask <strong>{trainer.name}</strong>" in html and "log in here" in html


def test_posting_to_a_used_link_changes_nothing(http, invited):
    _client, token = invited
    page = http.get(f"/invite/{token}").get_data(as_text=True)
    _accept(http, token)
    users = _users()
    response = http.post(
        f"/invite/{token}",
        data={
            "csrf_token": form_value(page, "csrf_token"),
            "password": "another-long-secret",
            "password_confirm": "another-long-secret",
        },
    )
    assert_page_error(response, 410, text="already been used")
    assert _users() == users


def test_an_expired_link_says_it_expired(http, invited):
    _client, token = invited
    with time_machine.travel(utcnow() + timedelta(days=7, minutes=1)):
        response = http.get(f"/invite/{token}")
    assert_page_error(response, 410, text="has expired")


def test_a_replaced_link_says_it_was_replaced(http, invited):
    client, token = invited
    invitations.issue(client)
    db.session.commit()
    response = http.get(f"/invite/{token}")
    assert_page_error(response, 410, text="replaced by a newer one")


def test_an_unknown_link_is_a_404_page(http):
    response = http.get("/invite/not-a-real-token")
    assert_page_error(response, 404, text="not valid")

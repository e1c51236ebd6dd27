"""The Profile page: name, email with the current password, password, units, timezone, my data."""

from __future__ import annotations

from fitbud.extensions import db
from fitbud.models import Client, Report, ReportType, User
from fitbud.services import reports
from tests.client_app.helpers import csrf, login
from tests.factories import ClientFactory
from tests.helpers import DEFAULT_PASSWORD, assert_page_error

NEW_PASSWORD = "a-much-longer-secret-42"


def _save(http, user: User, **fields):
    data = {
        "csrf_token": csrf(http),
        "name": user.name,
        "email": user.email,
        "timezone": user.timezone,
        "unit_system": user.unit_system,
        "current_password": "",
        "new_password": "",
        **fields,
    }
    return http.post("/app/profile", data=data)


def _reloaded(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_page_shows_the_current_settings(app_http, client_login):
    html = app_http.get("/app/profile").get_data(as_text=True)
    assert f'value="{client_login.email}"' in html and f'value="{client_login.name}"' in html
    assert '<option value="metric" selected>' in html and f'<option value="{client_login.timezone}" selected>' in html


def test_name_units_and_timezone_change_without_the_password(app_http, client_login):
    response = _save(app_http, client_login, name="Robin Lee", unit_system="imperial", timezone="America/Chicago")
    assert response.status_code == 303 and "saved=1" in response.headers["Location"]
    user = _reloaded(client_login)
    assert (user.name, user.unit_system, user.timezone) == ("Robin Lee", "imperial", "America/Chicago")
    # The trainer's record of the client follows the timezone the client's days are counted in.
    assert db.session.execute(db.select(Client.timezone).where(Client.user_id == user.id)).scalar_one() == (
        "America/Chicago"
    )


def test_an_email_change_without_the_current_password_is_refused_beside_it(app_http, client_login):
    response = _save(app_http, client_login, email="new@example.com")
    html = assert_page_error(response, 422, "current_password")
    assert 'id="current_password-error">Required to change your email.' in html
    assert _reloaded(client_login).email != "new@example.com"


def test_an_email_change_with_a_wrong_password_is_refused_beside_it(app_http, client_login):
    response = _save(app_http, client_login, email="new@example.com", current_password="not-my-password")
    html = assert_page_error(response, 422, "current_password")
    assert 'id="current_password-error">does not match your current password' in html
    assert "not-my-password" not in html


def test_an_email_change_with_the_current_password_waits_for_the_link(app_http, client_login):
    old_email = client_login.email
    response = _save(app_http, client_login, email="New@Example.com", current_password=DEFAULT_PASSWORD)
    assert response.status_code == 303
    assert _reloaded(client_login).email == old_email
    assert _reloaded(client_login).pending_email == "new@example.com"
    page = app_http.get("/app/profile").get_data(as_text=True)
    assert 'id="pending-email"' in page and "new@example.com" in page


def test_a_taken_email_is_refused_beside_the_email(app_http, client_login, trainer):
    response = _save(app_http, client_login, email=trainer.email, current_password=DEFAULT_PASSWORD)
    assert 'id="email-error">' in assert_page_error(response, 409, "email")


def test_a_malformed_email_is_refused_beside_it(app_http, client_login):
    response = _save(app_http, client_login, email="not-an-address")
    assert 'id="email-error">Enter an email address' in assert_page_error(response, 422, "email")


def test_a_blank_name_is_refused_beside_it(app_http, client_login):
    response = _save(app_http, client_login, name="  ")
    assert 'id="name-error">This field is required.' in assert_page_error(response, 422, "name")


def test_an_unknown_timezone_is_refused_beside_it(app_http, client_login):
    response = _save(app_http, client_login, timezone="Mars/Olympus")
    assert 'id="timezone-error">' in assert_page_error(response, 422, "timezone")
    assert _reloaded(client_login).timezone != "Mars/Olympus"


def test_an_unknown_unit_system_is_refused_beside_it(app_http, client_login):
    response = _save(app_http, client_login, unit_system="cubits")
    assert 'id="unit_system-error">' in assert_page_error(response, 422, "unit_system")


def test_a_weak_new_password_is_refused_beside_it(app_http, client_login):
    response = _save(app_http, client_login, new_password="short", current_password=DEFAULT_PASSWORD)
    assert 'id="new_password-error">' in assert_page_error(response, 422, "new_password")


def test_a_new_password_without_the_current_one_is_refused(app_http, client_login):
    response = _save(app_http, client_login, new_password=NEW_PASSWORD)
    assert 'id="current_password-error">Required' in assert_page_error(response, 422, "current_password")


def test_a_new_password_works_for_the_next_login_and_this_one_stays(app_http, http, app, client_login):
    response = _save(app_http, client_login, new_password=NEW_PASSWORD, current_password=DEFAULT_PASSWORD)
    assert response.status_code == 303
    assert app_http.get("/app/profile").status_code == 200
    other = app.test_client()
    assert_page_error(login(other, client_login.email, DEFAULT_PASSWORD), 401, text="Invalid email or password")
    assert login(other, client_login.email, NEW_PASSWORD).status_code == 302


def test_password_checks_share_the_per_account_limit(app_http, app, client_login):
    app.config["AUTH_RATE_LIMIT"] = "2/minute"
    for _ in range(2):
        _save(app_http, client_login, email="x@example.com", current_password="wrong-password-1")
    response = _save(app_http, client_login, email="x@example.com", current_password="wrong-password-1")
    assert_page_error(response, 429, text="Too many attempts")


def test_a_save_without_the_csrf_value_is_refused(app_http, client_login):
    response = app_http.post("/app/profile", data={"name": "Mallory", "email": client_login.email})
    assert_page_error(response, 403, text="reload the page")
    assert _reloaded(client_login).name != "Mallory"


def test_a_trainer_opening_the_profile_is_sent_to_the_dashboard(http, trainer):
    login(http, trainer.email)
    response = http.get("/app/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/dashboard")


def test_my_data_is_prepared_and_downloaded(app_http, client_record):
    response = app_http.post("/app/profile/export", data={"csrf_token": csrf(app_http)})
    assert response.status_code == 303
    report = db.session.execute(db.select(Report)).scalar_one()
    assert report.type is ReportType.CLIENT_EXPORT and report.params == {"client_id": client_record.id}
    html = app_http.get("/app/profile").get_data(as_text=True)
    assert f'id="export-{report.id}"' in html
    # Without a worker the report runs at once (tests queue inline), so it is ready to download.
    assert report.status.value == "finished" and "Download" in html
    download = app_http.get(f"/app/profile/export/{report.id}")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]


def test_someone_elses_export_is_a_404(app_http, client_record, trainer):
    other = ClientFactory(trainer=trainer, with_login=True)
    other_user = db.session.get(User, other.user_id)
    report = reports.create_report(other_user, ReportType.CLIENT_EXPORT, {"client_id": other.id})
    assert_page_error(app_http.get(f"/app/profile/export/{report.id}"), 404, text="Page not found")


def test_the_page_offers_the_log_out(app_http, client_login):
    assert 'href="/logout"' in app_http.get("/app/profile").get_data(as_text=True)


def _client_row(client_login: User) -> Client:
    from fitbud.services.clients import own_profile

    db.session.expire_all()
    return own_profile(client_login)


def test_allergies_and_preferences_are_saved_from_the_food_form(app_http, client_login):
    response = app_http.post(
        "/app/profile/diet",
        data={
            "csrf_token": csrf(app_http),
            "allergies": ["peanuts", "sesame", "bogus"],
            "dietary_preferences": ["vegetarian"],
            "other_allergies": "kiwi",
            "dislikes": "olives",
        },
    )

    assert response.status_code == 303
    details = _client_row(client_login).dietary_details
    assert details["allergies"] == ["peanuts", "sesame"] and details["dietary_preferences"] == ["vegetarian"]
    assert details["other_allergies"] == "kiwi" and details["dislikes"] == "olives"
    html = app_http.get("/app/profile").get_data(as_text=True)
    assert 'value="peanuts" id="allergy-peanuts" checked' in html and 'value="kiwi"' in html


def test_a_food_form_dislike_over_the_limit_is_refused_beside_it(app_http, client_login):
    response = app_http.post("/app/profile/diet", data={"csrf_token": csrf(app_http), "dislikes": "x" * 501})

    assert_page_error(response, 422, field="dislikes")
    assert _client_row(client_login).dietary_details is None

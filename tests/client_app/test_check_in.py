"""The Check-in page: the weekly form in the client's units, past check-ins and the trainer's replies."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import CheckIn
from fitbud.services import check_ins
from tests.client_app.helpers import csrf, form_value
from tests.factories import CheckInFactory, ClientFactory
from tests.helpers import assert_page_error


def _send(http, key: str | None = None, **fields):
    page = http.get("/app/check-in").get_data(as_text=True)
    data = {
        "csrf_token": csrf(http),
        "idempotency_key": key or form_value(page, "idempotency_key"),
        "submitted_on": date.today().isoformat(),
        **fields,
    }
    return http.post("/app/check-in", data=data)


def test_the_form_is_dated_today_and_labels_units(app_http, client_record):
    html = app_http.get("/app/check-in").get_data(as_text=True)
    assert f'value="{date.today().isoformat()}"' in html
    assert 'Weight <span class="unit">(kg)</span>' in html and 'Measurements <span class="unit">(cm)</span>' in html


def test_a_check_in_is_stored_in_si(app_http, client_record, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    response = _send(
        app_http,
        weight="160",
        **{"m-waist": "32"},
        energy="4",
        stress="2",
        sleep_hours="7.5",
        **{"q-wins": "Hit every session", "q-questions": "More protein?"},
    )
    assert response.status_code == 303 and "sent=" in response.headers["Location"]
    check_in = db.session.execute(select(CheckIn)).scalar_one()
    assert round(check_in.weight_kg, 2) == 72.57 and round(check_in.measurements_cm["waist"], 2) == 81.28
    assert (check_in.energy, check_in.stress, check_in.adherence, check_in.sleep_hours) == (4, 2, None, 7.5)
    assert check_in.answers == {
        "What went well this week?": "Hit every session",
        "Anything to ask your trainer?": "More protein?",
    }


def test_a_second_check_in_on_the_same_day_shows_the_services_reason_beside_the_date(app_http, client_record):
    _send(app_http, weight="70")
    response = _send(app_http, weight="71")
    html = assert_page_error(response, 409, "submitted_on")
    assert 'id="submitted_on-error">A check-in exists for this date.' in html
    assert db.session.query(CheckIn).count() == 1


def test_a_date_after_tomorrow_is_refused_beside_the_date(app_http, client_record):
    response = _send(app_http, weight="70", submitted_on=(date.today() + timedelta(days=3)).isoformat())
    assert 'id="submitted_on-error">Must not be after' in assert_page_error(response, 422, "submitted_on")


def test_an_implausible_weight_is_refused_in_the_clients_units(app_http, client_record):
    response = _send(app_http, weight="900")
    assert 'id="weight-error">Must be between 20 and 400 kg.' in response.get_data(as_text=True)


def test_a_rating_outside_one_to_five_is_refused(app_http, client_record):
    response = _send(app_http, energy="9")
    assert 'id="energy-error">Must be between 1 and 5.' in assert_page_error(response, 422, "energy")


def test_a_bad_date_is_refused(app_http, client_record):
    response = _send(app_http, weight="70", submitted_on="yesterday")
    assert 'id="submitted_on-error">Enter a date' in assert_page_error(response, 422, "submitted_on")


def test_an_empty_check_in_asks_for_something(app_http, client_record):
    response = _send(app_http)
    assert_page_error(response, 422, text="Fill in at least one thing")


def test_sending_twice_with_the_same_key_stores_one_check_in(app_http, client_record):
    first = _send(app_http, key="week-49", weight="70")
    again = _send(app_http, key="week-49", weight="70")
    assert first.headers["Location"] == again.headers["Location"] and db.session.query(CheckIn).count() == 1


def test_past_check_ins_show_the_trainers_reply(app_http, client_record, trainer):
    earlier = CheckInFactory(client=client_record, submitted_on=date.today() - timedelta(days=7), weight_kg=72.0)
    check_ins.reply(trainer, client_record.id, earlier.id, "Great week: keep the protein up.")
    html = app_http.get("/app/check-in").get_data(as_text=True)
    assert "Great week: keep the protein up." in html and "72 kg" in html and "replied" in html


def test_one_check_in_shows_what_was_sent_and_the_reply(app_http, client_record, trainer):
    found = CheckInFactory(client=client_record, weight_kg=72.0, answers={"What was hard?": "Sleep"})
    check_ins.reply(trainer, client_record.id, found.id, "Try a fixed bedtime.")
    html = app_http.get(f"/app/check-in/{found.id}").get_data(as_text=True)
    assert "Try a fixed bedtime." in html and "What was hard?" in html and "Sleep" in html
    assert '<a href="/app/check-in" aria-current="page">' in html


def test_another_clients_check_in_is_a_404(app_http, client_record):
    other = CheckInFactory(client=ClientFactory(with_login=True))
    response = app_http.get(f"/app/check-in/{other.id}")
    assert_page_error(response, 404, text="Page not found")

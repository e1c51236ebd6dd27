"""The Progress page: log weight and measurements, the charts in the client's units, streaks and records."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import BodyMetric
from tests.client_app.helpers import csrf
from tests.factories import BodyMetricFactory, WorkoutLogFactory, WorkoutSetFactory
from tests.helpers import assert_page_error


def _log(http, form_id: str, key: str | None = None, **fields):
    page = http.get("/app/progress").get_data(as_text=True)
    keys = re.findall(r'name="idempotency_key" value="([^"]*)"', page)
    data = {
        "csrf_token": csrf(http),
        "form_id": form_id,
        "idempotency_key": key or keys[0 if form_id == "weight" else 1],
        f"{form_id}-measured_on": date.today().isoformat(),
        **fields,
    }
    return http.post("/app/progress/metrics", data=data)


def _weights(client_record, *values: float) -> None:
    for days_ago, value in enumerate(reversed(values)):
        BodyMetricFactory(
            client=client_record, metric="weight", value=value, measured_on=date.today() - timedelta(days=days_ago)
        )


def test_the_weight_chart_has_a_dot_per_weigh_in_and_the_seven_day_average(app_http, client_record):
    _weights(client_record, 80.0, 79.5, 79.0)
    html = app_http.get("/app/progress").get_data(as_text=True)
    chart = re.search(r'<svg class="chart" id="chart-weight".*?</svg>', html, re.S).group(0)
    assert chart.count("<circle") == 3 and chart.count("<path") == 2
    assert 'role="img"' in chart and "Latest 79 kg" in chart and "7-day average 79.5 kg" in chart


def test_the_weight_chart_is_in_pounds_for_an_imperial_client(app_http, client_record, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    _weights(client_record, 80.0)
    assert "Latest 176.4 lb" in app_http.get("/app/progress").get_data(as_text=True)


def test_logging_a_weight_stores_it_and_it_appears_on_the_chart(app_http, client_record):
    response = _log(app_http, "weight", **{"weight-value": "72.4"})
    assert response.status_code == 303 and response.headers["Location"].endswith("logged=weight#weight")
    metric = db.session.execute(select(BodyMetric)).scalar_one()
    assert (metric.metric, metric.value, metric.measured_on) == ("weight", 72.4, date.today())
    assert "Latest 72.4 kg" in app_http.get(response.headers["Location"]).get_data(as_text=True)


def test_an_imperial_weight_is_stored_in_kilograms(app_http, client_record, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    _log(app_http, "weight", **{"weight-value": "160"})
    assert round(db.session.execute(select(BodyMetric.value)).scalar_one(), 2) == 72.57


def test_an_implausible_weight_shows_the_services_reason_beside_the_field(app_http, client_record):
    response = _log(app_http, "weight", **{"weight-value": "900"})
    assert_page_error(response, 422, "weight-value", text="Must be between 20 and 400 kg.")
    assert db.session.query(BodyMetric).count() == 0


def test_a_date_that_is_not_a_date_is_a_422_beside_the_date(app_http, client_record):
    response = _log(app_http, "weight", **{"weight-value": "72", "weight-measured_on": "soon"})
    assert_page_error(response, 422, "weight-measured_on", text="Enter a date like")


def test_a_weight_that_is_not_a_number_is_refused(app_http, client_record):
    response = _log(app_http, "weight", **{"weight-value": "heavy"})
    assert_page_error(response, 422, "weight-value", text='id="weight-value-error">Enter a number.')


def test_a_second_weight_the_same_day_is_refused_beside_the_date(app_http, client_record):
    _log(app_http, "weight", **{"weight-value": "72"})
    response = _log(app_http, "weight", **{"weight-value": "73"})
    assert_page_error(response, 409, "weight-measured_on", text="Already recorded for this metric.")


def test_the_same_weight_sent_twice_is_stored_once(app_http, client_record):
    _log(app_http, "weight", key="weigh-in-1", **{"weight-value": "72"})
    again = _log(app_http, "weight", key="weigh-in-1", **{"weight-value": "72"})
    assert again.status_code == 303 and db.session.query(BodyMetric).count() == 1


def test_a_measurement_is_logged_in_the_clients_units(app_http, client_record):
    response = _log(app_http, "measure", **{"measure-metric": "waist", "measure-value": "81"})
    assert response.status_code == 303
    html = app_http.get("/app/progress").get_data(as_text=True)
    assert 'id="chart-waist"' in html and "Waist: latest 81 cm" in html


def test_an_unknown_measurement_is_refused(app_http, client_record):
    response = _log(app_http, "measure", **{"measure-metric": "ego", "measure-value": "3"})
    assert_page_error(response, 422, "measure-metric", text="Choose one of the measurements listed.")


def test_the_period_can_be_chosen(app_http, client_record):
    BodyMetricFactory(client=client_record, metric="weight", value=90.0, measured_on=date.today() - timedelta(days=60))
    assert "Latest 90 kg" in app_http.get("/app/progress?range=3m").get_data(as_text=True)
    assert "No weigh-ins in this period" in app_http.get("/app/progress?range=4w").get_data(as_text=True)
    assert 'aria-current="true">3 months' in app_http.get("/app/progress?range=nonsense").get_data(as_text=True)


def test_records_and_weekly_volume_show_in_the_clients_units(app_http, client_record, exercises, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    log = WorkoutLogFactory(client=client_record, performed_on=date.today(), total_volume_kg=500.0, sets_done=1)
    WorkoutSetFactory(workout_log=log, exercise=exercises[0], reps=5, weight_kg=100.0)
    html = app_http.get("/app/progress").get_data(as_text=True)
    assert "Back Squat" in html and "220.5 lb × 5" in html and 'id="chart-volume"' in html


def test_the_streak_counts_logged_days(app_http, client_record):
    _weights(client_record, 80.0, 79.5, 79.0)
    html = app_http.get("/app/progress").get_data(as_text=True)
    assert re.search(r"<strong>3</strong> days in a row now", html)

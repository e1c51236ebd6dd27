"""Body metrics: one value per metric and day in the user's units, and the all-or-nothing CSV import."""

import io
from datetime import timedelta

import pytest

from fitbud.extensions import db
from fitbud.models import BodyMetric, Client, IdempotencyKey
from tests.api.progress_support import count_rows, days_ago, idempotent, today
from tests.factories import BodyMetricFactory, ClientFactory
from tests.helpers import assert_error

URL = "/api/v1/me/body-metrics"
IMPORT = f"{URL}/import"


def _body(**extra):
    return {"measured_on": today().isoformat(), "metric": "weight", "value": 80.4, **extra}


def test_record_weight(http, client_headers, client_record):
    response = http.post(URL, json=_body(), headers=client_headers)
    assert response.status_code == 201, response.json
    assert (response.json["metric"], response.json["value"], response.json["unit"]) == ("weight", 80.4, "kg")


def test_imperial_values_round_trip(http, client_user, client_headers, client_record):
    client_user.unit_system = "imperial"
    db.session.commit()
    weight = http.post(URL, json=_body(value=177.3), headers=client_headers).json
    waist = http.post(URL, json=_body(metric="waist", value=32.25), headers=client_headers).json
    assert (weight["value"], weight["unit"]) == (177.3, "lb")
    assert (waist["value"], waist["unit"]) == (32.25, "in")
    stored = {m.metric: m.value for m in db.session.query(BodyMetric)}
    assert stored["weight"] == pytest.approx(80.422, abs=0.001) and stored["waist"] == pytest.approx(81.915)
    listed = http.get(URL, headers=client_headers).json
    assert sorted(m["value"] for m in listed) == [32.25, 177.3]


def test_body_fat_is_a_percentage_in_any_units(http, client_user, client_headers, client_record):
    client_user.unit_system = "imperial"
    db.session.commit()
    response = http.post(URL, json=_body(metric="body_fat", value=21.5), headers=client_headers)
    assert (response.json["value"], response.json["unit"]) == (21.5, "%")


def test_same_metric_same_day_is_409(http, client_headers, client_record):
    http.post(URL, json=_body(), headers=client_headers)
    response = http.post(URL, json=_body(value=81), headers=client_headers)
    assert_error(response, 409, "measured_on")


def test_other_metric_same_day_is_fine(http, client_headers, client_record):
    http.post(URL, json=_body(), headers=client_headers)
    assert http.post(URL, json=_body(metric="waist", value=82), headers=client_headers).status_code == 201


@pytest.mark.parametrize(
    ("metric", "value"), [("weight", 19.9), ("weight", 400.1), ("body_fat", 1.5), ("body_fat", 76), ("waist", 5)]
)
def test_implausible_value_is_422(http, client_headers, client_record, metric, value):
    response = http.post(URL, json=_body(metric=metric, value=value), headers=client_headers)
    assert_error(response, 422, "value")


def test_unknown_metric_is_422(http, client_headers, client_record):
    response = http.post(URL, json=_body(metric="mood"), headers=client_headers)
    assert_error(response, 422, "metric")


def test_missing_value_is_422(http, client_headers, client_record):
    body = _body()
    del body["value"]
    assert_error(http.post(URL, json=body, headers=client_headers), 422, "value")


def test_value_of_wrong_type_is_422(http, client_headers, client_record):
    assert_error(http.post(URL, json=_body(value="heavy"), headers=client_headers), 422, "value")


def test_date_after_tomorrow_is_422(http, client_headers, client_record):
    body = _body(measured_on=(today() + timedelta(days=2)).isoformat())
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "measured_on")


def test_no_token_401_trainer_403(http, trainer_headers):
    assert_error(http.get(URL), 401, message="Authentication required")
    assert_error(http.post(URL, json=_body(), headers=trainer_headers), 403, "role")


def test_other_clients_metric_is_404(http, client_headers, trainer):
    foreign = BodyMetricFactory(client=ClientFactory(trainer=trainer))
    assert_error(http.get(f"{URL}/{foreign.id}", headers=client_headers), 404, message="No such body metric")
    assert_error(
        http.patch(f"{URL}/{foreign.id}", json={"value": 70}, headers=client_headers),
        404,
        message="No such body metric",
    )


def test_patch_value_and_day(http, client_headers, client_record):
    BodyMetricFactory(client=client_record, measured_on=days_ago(2))
    metric = BodyMetricFactory(client=client_record, measured_on=days_ago(1))
    changed = http.patch(f"{URL}/{metric.id}", json={"value": 79}, headers=client_headers)
    assert changed.status_code == 200 and changed.json["value"] == 79
    clash = http.patch(f"{URL}/{metric.id}", json={"measured_on": days_ago(2).isoformat()}, headers=client_headers)
    assert_error(clash, 409, "measured_on")
    too_heavy = http.patch(f"{URL}/{metric.id}", json={"value": 900}, headers=client_headers)
    assert_error(too_heavy, 422, "value")


def test_patch_metric_name_is_422(http, client_headers, client_record):
    metric = BodyMetricFactory(client=client_record)
    assert_error(http.patch(f"{URL}/{metric.id}", json={"metric": "waist"}, headers=client_headers), 422, "metric")


def test_list_filters_by_metric(http, client_headers, client_record):
    BodyMetricFactory(client=client_record, metric="waist", value=80)
    weight = BodyMetricFactory(client=client_record)
    response = http.get(f"{URL}?metric=weight", headers=client_headers)
    assert [m["id"] for m in response.json] == [weight.id]


def test_delete(http, client_headers, client_record):
    metric = BodyMetricFactory(client=client_record)
    assert http.delete(f"{URL}/{metric.id}", headers=client_headers).status_code == 204
    assert count_rows(BodyMetric) == 0


def test_retry_returns_first_metric(http, client_headers, client_record):
    headers = idempotent(client_headers, "metric-1")
    first = http.post(URL, json=_body(), headers=headers)
    retry = http.post(URL, json=_body(), headers=headers)
    assert retry.status_code == 201 and retry.json == first.json and count_rows(BodyMetric) == 1


def test_same_key_other_metric_is_409(http, client_headers, client_record):
    headers = idempotent(client_headers, "metric-2")
    http.post(URL, json=_body(), headers=headers)
    assert_error(http.post(URL, json=_body(value=70), headers=headers), 409, "Idempotency-Key")


def test_trainer_reads_metrics(http, trainer_headers, other_trainer_headers, client_record):
    metric = BodyMetricFactory(client=client_record)
    base = f"/api/v1/clients/{client_record.id}/body-metrics"
    assert [m["id"] for m in http.get(base, headers=trainer_headers).json] == [metric.id]
    assert http.get(f"{base}/{metric.id}", headers=trainer_headers).json["value"] == 80
    assert_error(http.get(base, headers=other_trainer_headers), 404, message="No such client")
    assert_error(http.get(f"{base}/{metric.id}", headers=other_trainer_headers), 404, message="No such body metric")


# CSV import -----------------------------------------------------------------------------------


def _csv(*rows: str) -> str:
    return "\n".join(["date,metric,value", *rows]) + "\n"


def _post_csv(http, headers, text: str):
    return http.post(IMPORT, data=text.encode(), headers={**headers, "Content-Type": "text/csv"})


def test_import_stores_every_row(http, client_headers, client_record):
    text = _csv(f"{days_ago(3)},weight,81.0", f"{days_ago(2)},weight,80.6", f"{days_ago(2)},waist,84")
    response = _post_csv(http, client_headers, text)
    assert response.status_code == 201, response.json
    assert response.json == {
        "imported": 3,
        "by_metric": {"weight": 2, "waist": 1},
        "first_date": days_ago(3).isoformat(),
        "last_date": days_ago(2).isoformat(),
    }
    assert count_rows(BodyMetric) == 3
    db.session.expire_all()
    assert db.session.get(Client, client_record.id).last_activity_at is not None


def test_import_as_multipart_file(http, client_headers, client_record):
    data = {"file": (io.BytesIO(_csv(f"{days_ago(1)},weight,80").encode()), "history.csv")}
    response = http.post(IMPORT, data=data, headers=client_headers, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert response.json["imported"] == 1


def test_import_converts_imperial_units(http, client_user, client_headers, client_record):
    client_user.unit_system = "imperial"
    db.session.commit()
    assert _post_csv(http, client_headers, _csv(f"{days_ago(1)},weight,200")).status_code == 201
    assert db.session.query(BodyMetric).one().value == pytest.approx(90.718, abs=0.001)


def test_import_with_a_bad_row_stores_nothing_and_names_each_row(http, client_headers, client_record):
    text = _csv(
        f"{days_ago(5)},weight,81",
        "yesterday,weight,80",
        f"{days_ago(4)},mood,3",
        f"{days_ago(3)},weight,abc",
        f"{days_ago(2)},weight,900",
        f"{(today() + timedelta(days=3))},weight,80",
        f"{days_ago(5)},weight,82",
        f"{days_ago(1)},weight",
    )
    response = _post_csv(http, client_headers, text)
    assert_error(response, 422, "rows")
    errors = response.json["errors"]
    assert set(errors) == {
        "rows.3.date", "rows.4.metric", "rows.5.value", "rows.6.value", "rows.7.date", "rows.8.date", "rows.9.row"
    }
    assert errors["rows.6.value"] == ["Must be between 20 and 400 kg."]
    assert errors["rows.8.date"] == [f"Duplicates row 2 (weight on {days_ago(5)})."]
    assert response.json["message"] == "7 of 8 rows are invalid; nothing was imported."
    assert count_rows(BodyMetric) == 0


def test_import_row_already_stored_is_bad(http, client_headers, client_record):
    BodyMetricFactory(client=client_record, measured_on=days_ago(2))
    response = _post_csv(http, client_headers, _csv(f"{days_ago(3)},weight,81", f"{days_ago(2)},weight,80"))
    assert_error(response, 422, "rows.3.date")
    assert count_rows(BodyMetric) == 1


def test_import_without_header_is_422(http, client_headers, client_record):
    response = _post_csv(http, client_headers, f"{days_ago(1)},weight,80\n")
    assert_error(response, 422, "rows.1")


def test_import_with_only_header_is_422(http, client_headers, client_record):
    response = _post_csv(http, client_headers, "date,metric,value\n\n")
    assert_error(response, 422, "file")


def test_import_of_non_utf8_is_422(http, client_headers, client_record):
    response = http.post(IMPORT, data=b"date,metric,value\n\xff\xfe,weight,1\n",
                         headers={**client_headers, "Content-Type": "text/csv"})
    assert_error(response, 422, "file")


def test_import_too_large_is_413(http, app, client_headers, client_record):
    app.config["BODY_METRICS_IMPORT_MAX_BYTES"] = 64
    text = _csv(*[f"{days_ago(n)},weight,80" for n in range(1, 10)])
    assert_error(_post_csv(http, client_headers, text), 413, message="The CSV may be at most 64 bytes")
    assert count_rows(BodyMetric) == 0


def test_import_with_too_many_rows_is_422(http, app, client_headers, client_record):
    app.config["BODY_METRICS_IMPORT_MAX_ROWS"] = 2
    response = _post_csv(http, client_headers, _csv(*[f"{days_ago(n)},weight,80" for n in range(1, 4)]))
    assert_error(response, 422, "file")
    assert count_rows(BodyMetric) == 0


def test_import_of_json_is_415(http, client_headers, client_record):
    assert_error(
        http.post(IMPORT, json={"date": "x"}, headers=client_headers),
        415,
        message="Send text/csv, or multipart/form-data with a 'file' part",
    )


def test_import_multipart_without_file_part_is_415(http, client_headers, client_record):
    response = http.post(IMPORT, data={"other": "x"}, headers=client_headers, content_type="multipart/form-data")
    assert_error(response, 415, message="Send the CSV as the multipart part named 'file'")


def test_import_retry_returns_first_result_and_stores_nothing(http, client_headers, client_record):
    headers = idempotent({**client_headers, "Content-Type": "text/csv"}, "import-1")
    body = _csv(f"{days_ago(1)},weight,80").encode()
    first = http.post(IMPORT, data=body, headers=headers)
    retry = http.post(IMPORT, data=body, headers=headers)
    assert first.status_code == retry.status_code == 201 and retry.json == first.json
    assert count_rows(BodyMetric) == 1 and count_rows(IdempotencyKey) == 1


def test_import_same_key_other_file_is_409(http, client_headers, client_record):
    headers = idempotent({**client_headers, "Content-Type": "text/csv"}, "import-2")
    http.post(IMPORT, data=_csv(f"{days_ago(1)},weight,80").encode(), headers=headers)
    response = http.post(IMPORT, data=_csv(f"{days_ago(2)},weight,80").encode(), headers=headers)
    assert_error(response, 409, "Idempotency-Key")


def test_import_no_token_401_trainer_403(http, trainer_headers):
    assert_error(
        http.post(IMPORT, data=b"date,metric,value\n", content_type="text/csv"), 401, message="Authentication required"
    )
    response = http.post(IMPORT, data=b"date,metric,value\n", headers={**trainer_headers, "Content-Type": "text/csv"})
    assert_error(response, 403, "role")


def test_import_multipart_with_idempotency_key(http, client_headers, client_record):
    def send():
        data = {"file": (io.BytesIO(_csv(f"{days_ago(1)},weight,80").encode()), "history.csv")}
        return http.post(
            IMPORT, data=data, headers=idempotent(client_headers, "import-3"), content_type="multipart/form-data"
        )

    first = send()
    assert first.status_code == 201, first.json
    assert count_rows(BodyMetric) == 1


def test_duplicate_slipping_past_the_check_is_still_409(http, client_headers, client_record, monkeypatch):
    from fitbud.services import body_metrics

    http.post(URL, json=_body(), headers=client_headers)
    # As if a concurrent request stored the same day between the check and the insert.
    monkeypatch.setattr(body_metrics, "_exists", lambda *_args, **_kwargs: False)
    response = http.post(URL, json=_body(value=81), headers=client_headers)
    assert_error(response, 409, "measured_on")
    assert count_rows(BodyMetric) == 1


def test_import_lists_at_most_100_bad_rows_and_counts_the_rest(http, client_headers, client_record):
    response = _post_csv(http, client_headers, _csv(*[f"{days_ago(n)},weight,5" for n in range(1, 121)]))
    assert_error(response, 422, "rows")
    errors = response.json["errors"]
    assert len([key for key in errors if key.startswith("rows.")]) == 100
    assert errors["rows"] == ["20 more bad rows are not listed."]

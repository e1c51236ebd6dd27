"""Check-ins: one per day, measurements in the user's units, 1-5 ratings, the trainer's reply."""

from datetime import date, timedelta

import pytest

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, CheckIn
from fitbud.services import check_ins
from tests.api.progress_support import count_rows, days_ago, idempotent, today
from tests.factories import CheckInFactory, ClientFactory
from tests.helpers import assert_error

URL = "/api/v1/me/check-ins"


def _body(**extra):
    return {
        "submitted_on": today().isoformat(),
        "weight": 81.5,
        "body_fat_pct": 18,
        "measurements": {"waist": 84, "hips": 98},
        "sleep_hours": 7.5,
        "stress": 2,
        "energy": 4,
        "adherence": 5,
        "answers": {"wins": "Hit every session", "struggles": "Weekend snacking"},
        **extra,
    }


def test_submit_check_in(http, client_headers, client_record):
    response = http.post(URL, json=_body(), headers=client_headers)
    assert response.status_code == 201, response.json
    assert response.json["measurements"] == {"waist": 84.0, "hips": 98.0}
    assert response.json["weight"] == 81.5 and response.json["replied_at"] is None
    event = db.session.query(ActivityEvent).one()
    assert event.type is ActivityType.CHECK_IN_SUBMITTED


def test_imperial_check_in_round_trips(http, client_user, client_headers, client_record):
    client_user.unit_system = "imperial"
    db.session.commit()
    response = http.post(URL, json=_body(weight=180.4, measurements={"waist": 33.5}), headers=client_headers)
    assert response.status_code == 201, response.json
    assert response.json["weight"] == 180.4 and response.json["measurements"] == {"waist": 33.5}
    stored = db.session.query(CheckIn).one()
    assert stored.weight_kg == pytest.approx(81.828, abs=0.001)
    assert stored.measurements_cm == {"waist": pytest.approx(85.09)}
    fetched = http.get(f"{URL}/{stored.id}", headers=client_headers).json
    assert fetched["weight"] == 180.4


def test_second_check_in_same_day_is_409(http, client_headers, client_record):
    http.post(URL, json=_body(), headers=client_headers)
    response = http.post(URL, json=_body(weight=80), headers=client_headers)
    assert_error(response, 409, "submitted_on")


@pytest.mark.parametrize("move", [False, True], ids=["create", "move onto the day"])
def test_a_check_in_racing_another_for_the_day_is_409_and_leaves_one(http, client_headers, client_record,
                                                                     monkeypatch, move):
    earlier = http.post(URL, json=_body(submitted_on=days_ago(1).isoformat()), headers=client_headers).json
    # The racer passed the service's look before the first one committed: only the database stops it.
    monkeypatch.setattr(check_ins, "_check_free_day", lambda *args, **kwargs: None)
    first = http.post(URL, json=_body(), headers=client_headers)
    assert first.status_code == 201, first.json

    if move:
        response = http.patch(f"{URL}/{earlier['id']}", json={"submitted_on": first.json["submitted_on"]},
                              headers=client_headers)
    else:
        response = http.post(URL, json=_body(weight=80), headers=client_headers)

    assert_error(response, 409, "submitted_on")
    days = [row.submitted_on for row in db.session.query(CheckIn).filter_by(client_id=client_record.id)]
    assert sorted(days) == [days_ago(1), date.fromisoformat(first.json["submitted_on"])]


@pytest.mark.parametrize("field", ["stress", "energy", "adherence"])
@pytest.mark.parametrize("value", [0, 6])
def test_rating_outside_1_to_5_is_422(http, client_headers, client_record, field, value):
    response = http.post(URL, json=_body(**{field: value}), headers=client_headers)
    assert_error(response, 422, field)


def test_weight_out_of_range_is_422(http, client_headers, client_record):
    response = http.post(URL, json=_body(weight=401), headers=client_headers)
    assert_error(response, 422, "weight")
    assert response.json["errors"]["weight"] == ["Must be between 20 and 400 kg."]


def test_body_fat_out_of_range_is_422(http, client_headers, client_record):
    response = http.post(URL, json=_body(body_fat_pct=1), headers=client_headers)
    assert_error(response, 422, "body_fat_pct")


def test_unknown_measurement_is_422_with_path(http, client_headers, client_record):
    response = http.post(URL, json=_body(measurements={"wrist": 17}), headers=client_headers)
    assert_error(response, 422, "measurements.wrist")


def test_measurement_out_of_range_is_422_with_path(http, client_headers, client_record):
    response = http.post(URL, json=_body(measurements={"arm": 500}), headers=client_headers)
    assert_error(response, 422, "measurements.arm")


def test_wrong_type_is_422(http, client_headers, client_record):
    response = http.post(URL, json=_body(sleep_hours="lots"), headers=client_headers)
    assert_error(response, 422, "sleep_hours")


def test_missing_date_is_422(http, client_headers, client_record):
    body = _body()
    del body["submitted_on"]
    assert_error(http.post(URL, json=body, headers=client_headers), 422, "submitted_on")


def test_date_after_tomorrow_is_422(http, client_headers, client_record):
    body = _body(submitted_on=(today() + timedelta(days=2)).isoformat())
    assert_error(http.post(URL, json=body, headers=client_headers), 422, "submitted_on")


def test_no_token_401_and_trainer_403(http, trainer_headers):
    assert_error(http.post(URL, json=_body()), 401, message="Authentication required")
    assert_error(http.post(URL, json=_body(), headers=trainer_headers), 403, "role")


def test_other_clients_check_in_is_404(http, client_headers, trainer):
    foreign = CheckInFactory(client=ClientFactory(trainer=trainer))
    assert_error(http.get(f"{URL}/{foreign.id}", headers=client_headers), 404, message="No such check-in")
    assert_error(http.delete(f"{URL}/{foreign.id}", headers=client_headers), 404, message="No such check-in")


def test_patch_and_moving_onto_taken_day_is_409(http, client_headers, client_record):
    CheckInFactory(client=client_record, submitted_on=days_ago(7))
    created = http.post(URL, json=_body(), headers=client_headers).json
    changed = http.patch(f"{URL}/{created['id']}", json={"energy": 2}, headers=client_headers)
    assert changed.status_code == 200 and changed.json["energy"] == 2
    moved = http.patch(f"{URL}/{created['id']}", json={"submitted_on": days_ago(7).isoformat()}, headers=client_headers)
    assert_error(moved, 409, "submitted_on")


def test_list_and_delete(http, client_headers, client_record):
    older = CheckInFactory(client=client_record, submitted_on=days_ago(14))
    newer = CheckInFactory(client=client_record, submitted_on=days_ago(7))
    assert [c["id"] for c in http.get(URL, headers=client_headers).json] == [newer.id, older.id]
    assert http.delete(f"{URL}/{older.id}", headers=client_headers).status_code == 204
    assert count_rows(CheckIn) == 1


def test_retry_returns_first_check_in(http, client_headers, client_record):
    headers = idempotent(client_headers, "check-in-1")
    first = http.post(URL, json=_body(), headers=headers)
    retry = http.post(URL, json=_body(), headers=headers)
    assert retry.status_code == 201 and retry.json == first.json
    assert count_rows(CheckIn) == 1


def test_same_key_other_body_is_409(http, client_headers, client_record):
    headers = idempotent(client_headers, "check-in-2")
    http.post(URL, json=_body(), headers=headers)
    response = http.post(URL, json=_body(energy=1), headers=headers)
    assert_error(response, 409, "Idempotency-Key")
    assert response.json["errors"] == {"Idempotency-Key": ["already used with a different request"]}


# The trainer's reply --------------------------------------------------------------------------


def _reply_url(client_record, check_in):
    return f"/api/v1/clients/{client_record.id}/check-ins/{check_in.id}/reply"


def test_trainer_replies_and_client_sees_it(http, trainer_headers, client_headers, client_record):
    check_in = CheckInFactory(client=client_record)
    response = http.post(_reply_url(client_record, check_in), json={"comment": "Great week!"}, headers=trainer_headers)
    assert response.status_code == 200, response.json
    assert response.json["trainer_comment"] == "Great week!" and response.json["replied_at"].endswith("+00:00")
    seen = http.get(f"{URL}/{check_in.id}", headers=client_headers).json
    assert seen["trainer_comment"] == "Great week!"


def test_blank_reply_is_422(http, trainer_headers, client_record):
    check_in = CheckInFactory(client=client_record)
    response = http.post(_reply_url(client_record, check_in), json={"comment": "  "}, headers=trainer_headers)
    assert_error(response, 422, "comment")


def test_reply_missing_comment_is_422(http, trainer_headers, client_record):
    check_in = CheckInFactory(client=client_record)
    assert_error(http.post(_reply_url(client_record, check_in), json={}, headers=trainer_headers), 422, "comment")


def test_other_trainer_cannot_reply_404(http, other_trainer_headers, client_record):
    check_in = CheckInFactory(client=client_record)
    response = http.post(_reply_url(client_record, check_in), json={"comment": "Hi"}, headers=other_trainer_headers)
    assert_error(response, 404, message="No such check-in")


def test_client_cannot_reply_404(http, client_headers, client_record):
    check_in = CheckInFactory(client=client_record)
    response = http.post(_reply_url(client_record, check_in), json={"comment": "Hi"}, headers=client_headers)
    assert_error(response, 404, message="No such client")


def test_reply_to_check_in_of_another_client_is_404(http, trainer, trainer_headers, client_record):
    other = ClientFactory(trainer=trainer)
    check_in = CheckInFactory(client=other)
    response = http.post(_reply_url(client_record, check_in), json={"comment": "Hi"}, headers=trainer_headers)
    assert_error(response, 404, message="No such check-in")


def test_trainer_filters_unreplied_check_ins(http, trainer_headers, client_record):
    from fitbud.models import utcnow

    CheckInFactory(client=client_record, submitted_on=days_ago(7), trainer_comment="ok", replied_at=utcnow())
    waiting = CheckInFactory(client=client_record, submitted_on=days_ago(0))
    response = http.get(f"/api/v1/clients/{client_record.id}/check-ins?replied=false", headers=trainer_headers)
    assert [c["id"] for c in response.json] == [waiting.id]
    one = http.get(f"/api/v1/clients/{client_record.id}/check-ins/{waiting.id}", headers=trainer_headers)
    assert one.status_code == 200


def test_other_trainer_cannot_list_check_ins(http, other_trainer_headers, client_record):
    assert_error(
        http.get(f"/api/v1/clients/{client_record.id}/check-ins", headers=other_trainer_headers),
        404,
        message="No such client",
    )

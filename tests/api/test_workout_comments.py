"""Comments on logged workouts: the client's trainer writes them, the client reads them with the workout."""

from __future__ import annotations

import json

import pytest

from fitbud.errors import InvalidInputError
from fitbud.extensions import db
from fitbud.models import User, WorkoutComment
from fitbud.services import workout_comments
from tests.api.progress_support import count_rows, days_ago, idempotent
from tests.factories import ClientFactory, WorkoutLogFactory
from tests.helpers import assert_error, bearer


def _url(log_id: int) -> str:
    return f"/api/v1/workout-logs/{log_id}/comments"


@pytest.fixture
def workout(client_record):
    """A workout `client_record` logged yesterday."""
    return WorkoutLogFactory(client=client_record, performed_on=days_ago(1), notes="Legs felt heavy")


def test_trainer_comments_and_the_client_sees_it_in_their_workouts(http, trainer, trainer_headers, client_headers,
                                                                   workout):
    response = http.post(_url(workout.id), json={"body": "  Great depth on the squats.  "}, headers=trainer_headers)

    assert response.status_code == 201, response.json
    assert response.json["body"] == "Great depth on the squats."
    assert response.json["workout_log_id"] == workout.id and response.json["author_id"] == trainer.id
    listed = http.get("/api/v1/me/workout-logs", headers=client_headers).json
    assert [c["body"] for c in listed[0]["comments"]] == ["Great depth on the squats."]
    one = http.get(f"/api/v1/me/workout-logs/{workout.id}", headers=client_headers).json
    assert one["comments"][0]["id"] == response.json["id"]


def test_client_and_trainer_list_the_comments_oldest_first_paginated(http, trainer_headers, client_headers, workout):
    for text in ("First", "Second", "Third"):
        http.post(_url(workout.id), json={"body": text}, headers=trainer_headers)

    page = http.get(f"{_url(workout.id)}?page_size=2", headers=client_headers)
    second = http.get(f"{_url(workout.id)}?page_size=2&page=2", headers=trainer_headers)

    assert page.status_code == 200 and [c["body"] for c in page.json] == ["First", "Second"]
    assert json.loads(page.headers["X-Pagination"])["total"] == 3
    assert [c["body"] for c in second.json] == ["Third"]


def test_the_trainer_sees_comments_on_the_clients_workout_list(http, trainer_headers, client_record, workout):
    http.post(_url(workout.id), json={"body": "Nice"}, headers=trainer_headers)

    listed = http.get(f"/api/v1/clients/{client_record.id}/workout-logs", headers=trainer_headers).json

    assert listed[0]["comments"][0]["body"] == "Nice"


def test_a_retry_with_the_same_key_adds_one_comment(http, trainer_headers, workout):
    headers = idempotent(trainer_headers, "comment-1")
    first = http.post(_url(workout.id), json={"body": "Once"}, headers=headers)
    retry = http.post(_url(workout.id), json={"body": "Once"}, headers=headers)

    assert retry.status_code == 201 and retry.json == first.json
    assert count_rows(WorkoutComment) == 1


def test_same_key_other_body_is_409(http, trainer_headers, workout):
    headers = idempotent(trainer_headers, "comment-2")
    http.post(_url(workout.id), json={"body": "Once"}, headers=headers)

    response = http.post(_url(workout.id), json={"body": "Twice"}, headers=headers)

    assert_error(response, 409, "Idempotency-Key")


def test_deleting_the_workout_deletes_its_comments(http, trainer_headers, client_headers, workout):
    http.post(_url(workout.id), json={"body": "Gone soon"}, headers=trainer_headers)

    assert http.delete(f"/api/v1/me/workout-logs/{workout.id}", headers=client_headers).status_code == 204

    assert count_rows(WorkoutComment) == 0


# Who may not ----------------------------------------------------------------------------------


def test_without_a_token_is_401(http, workout):
    assert_error(http.post(_url(workout.id), json={"body": "Hi"}), 401, message="Authentication required")
    assert_error(http.get(_url(workout.id)), 401, message="Authentication required")


def test_the_client_may_not_comment_403(http, client_headers, workout):
    response = http.post(_url(workout.id), json={"body": "Talking to myself"}, headers=client_headers)

    assert_error(response, 403, "role")


def test_an_admin_may_not_read_comments_403(http, admin_headers, workout):
    assert_error(http.get(_url(workout.id), headers=admin_headers), 403, "role")


def test_another_trainer_gets_404_and_writes_nothing(http, other_trainer_headers, workout):
    post = http.post(_url(workout.id), json={"body": "Not my client"}, headers=other_trainer_headers)
    get = http.get(_url(workout.id), headers=other_trainer_headers)

    assert_error(post, 404, message="No such workout log")
    assert_error(get, 404, message="No such workout log")
    assert count_rows(WorkoutComment) == 0


def test_another_client_gets_404(http, trainer, trainer_headers, workout):
    other = ClientFactory(trainer=trainer, with_login=True)
    http.post(_url(workout.id), json={"body": "For the first client"}, headers=trainer_headers)
    headers = bearer(db.session.get(User, other.user_id))

    assert_error(http.get(_url(workout.id), headers=headers), 404, message="No such workout log")


def test_a_workout_that_does_not_exist_is_404(http, trainer_headers, workout):
    assert_error(http.post(_url(workout.id + 1000), json={"body": "Hi"}, headers=trainer_headers), 404,
                 message="No such workout log")


# Bad input ------------------------------------------------------------------------------------


def test_malformed_json_is_400(http, trainer_headers, workout):
    response = http.post(_url(workout.id), data='{"body": ', content_type="application/json",
                         headers=trainer_headers)

    assert_error(response, 400, message="not valid JSON")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 2001}, "body"),
        ({"body": 5}, "body"),
        ({"body": "Hi", "author_id": 3}, "author_id"),
    ],
    ids=["missing", "blank", "too long", "not a string", "unknown field"],
)
def test_bad_comment_is_422(http, trainer_headers, workout, body, field):
    response = http.post(_url(workout.id), json=body, headers=trainer_headers)

    assert_error(response, 422, field)
    assert count_rows(WorkoutComment) == 0


def test_bad_page_size_is_422(http, trainer_headers, workout):
    assert_error(http.get(f"{_url(workout.id)}?page_size=0", headers=trainer_headers), 422, "page_size")


def test_the_service_names_the_body_for_a_blank_comment(trainer, workout):
    with pytest.raises(InvalidInputError) as raised:
        workout_comments.add_comment(trainer, workout.id, " \n ")

    assert raised.value.errors == {"body": ["Write something."]}


def test_comments_for_several_workouts_stay_with_the_trainer(trainer, other_trainer, workout):
    workout_comments.add_comment(trainer, workout.id, "Mine")

    assert [c.body for c in workout_comments.comments_for(trainer, [workout.id])[workout.id]] == ["Mine"]
    assert workout_comments.comments_for(other_trainer, [workout.id]) == {}

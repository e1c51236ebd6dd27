"""The Idempotency-Key replay store keeps no health details in clear and forgets what a purge removes.

A generated plan names the client's injuries; a message or a comment to a client is about them
even when the request names no client. Stored answers are encrypted with the field keys, expire
(IDEMPOTENCY_KEY_TTL_HOURS, purged by `flask fitbud periodic`) and go with the client.
"""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select, text

from fitbud.extensions import db
from fitbud.models import IdempotencyKey, utcnow
from tests.api.progress_support import days_ago, idempotent
from tests.factories import ClientFactory, WorkoutLogFactory, diet_content

GENERATE = "/api/v1/plans/generate"
INJURY = "torn left ACL"


def _keys() -> list[IdempotencyKey]:
    db.session.expire_all()
    return list(db.session.execute(select(IdempotencyKey)).scalars())


def _generate(http, headers, client_id: int):
    body = {
        "goal": "strength",
        "experience": "intermediate",
        "days_per_week": 3,
        "session_minutes": 60,
        "equipment": ["barbell", "bench", "dumbbell"],
        "avoid": [],
        "seed": 5,
        "client_id": client_id,
    }
    return http.post(GENERATE, json=body, headers=headers)


def _purge(http, trainer_headers, client):
    response = http.delete(
        f"/api/v1/clients/{client.id}?purge=true", json={"confirm_name": client.name}, headers=trainer_headers
    )
    assert response.status_code == 204, response.json


def test_a_generated_plan_naming_injuries_is_stored_encrypted_and_replays(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, health_details={"injuries": [INJURY]})
    headers = idempotent(trainer_headers, "plan-for-knee")
    first = _generate(http, headers, client.id)
    assert first.status_code == 200, first.json
    assert INJURY in first.get_data(as_text=True)

    raw = db.session.execute(text("SELECT response_body FROM idempotency_keys")).scalar_one()
    replay = _generate(http, headers, client.id)

    # (The whole phrase: it has spaces, which base64 ciphertext never does; a short word could
    # turn up in it by chance.)
    assert INJURY not in raw and raw.startswith("gAAAAA")  # a Fernet token
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json == first.json


def test_a_generated_plan_goes_when_its_client_is_purged(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, health_details={"injuries": [INJURY]})
    _generate(http, idempotent(trainer_headers, "plan-1"), client.id)
    assert [key.client_id for key in _keys()] == [client.id]

    _purge(http, trainer_headers, client)

    assert _keys() == []


def test_a_message_to_a_client_goes_when_the_client_is_purged(http, trainer_headers, client_record):
    conversation = http.post("/api/v1/conversations", json={"client_id": client_record.id}, headers=trainer_headers)
    sent = http.post(
        f"/api/v1/conversations/{conversation.json['id']}/messages",
        json={"body": "How is the knee after the MRI?"},
        headers=idempotent(trainer_headers, "message-1"),
    )
    assert sent.status_code == 201, sent.json
    # The request named only the conversation: the rows it wrote say which client it is about.
    assert [key.client_id for key in _keys()] == [client_record.id]

    _purge(http, trainer_headers, client_record)

    assert _keys() == []


def test_a_comment_on_a_clients_workout_goes_when_the_client_is_purged(http, trainer_headers, client_record):
    workout = WorkoutLogFactory(client=client_record, performed_on=days_ago(1))
    commented = http.post(
        f"/api/v1/workout-logs/{workout.id}/comments",
        json={"body": "Ease off the knee"},
        headers=idempotent(trainer_headers, "comment-1"),
    )
    assert commented.status_code == 201, commented.json
    assert [key.client_id for key in _keys()] == [client_record.id]

    _purge(http, trainer_headers, client_record)

    assert _keys() == []


def test_a_trainers_answer_about_no_client_stays_with_the_trainer(http, trainer_headers, client_record):
    plan = {"kind": "diet", "name": "Lean", "content": diet_content()}
    created = http.post("/api/v1/plans", json=plan, headers=idempotent(trainer_headers, "plan-template"))
    assert created.status_code == 201, created.json
    [key] = _keys()

    _purge(http, trainer_headers, client_record)

    assert key.client_id is None and [k.id for k in _keys()] == [key.id]


def test_expired_answers_are_purged_by_the_periodic_command(app, http, runner, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer)
    _generate(http, idempotent(trainer_headers, "old"), client.id)
    [stored] = _keys()
    assert timedelta(hours=23) < stored.expires_at - utcnow() <= timedelta(hours=24)

    with time_machine.travel(utcnow() + timedelta(hours=24, minutes=1)):
        result = runner.invoke(args=["fitbud", "periodic"])

    assert result.exit_code == 0, result.output
    assert _keys() == []


def test_the_replay_window_is_a_setting(app, http, trainer, trainer_headers):
    app.config["IDEMPOTENCY_KEY_TTL_HOURS"] = 2
    client = ClientFactory(trainer=trainer)

    _generate(http, idempotent(trainer_headers, "short"), client.id)

    [stored] = _keys()
    assert timedelta(hours=1) < stored.expires_at - utcnow() <= timedelta(hours=2)

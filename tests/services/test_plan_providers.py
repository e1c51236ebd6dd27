"""The optional AI provider: a small HTTP server on 127.0.0.1 inside the test process plays it.

It answers well, late, with garbage, with a non-2xx status, with content that breaks the plan
schema or the request's restrictions, or is not there at all; every failure falls back to the
rules draft and says why, and nothing the provider sends is stored unvalidated.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fitbud.extensions import db
from fitbud.models import PlanTemplate
from fitbud.services.plan_generation import generate_plan

REQUEST = {"goal": "general_fitness", "experience": "beginner", "days_per_week": 2, "session_minutes": 45,
           "equipment": ["dumbbell", "bench"], "avoid": ["lower_back"], "seed": 3, "weeks": 2}


def _workout_from(payload: dict, exercise_id: int | None = None, sets: int = 3) -> dict:
    """A valid answer built from the exercises the provider was offered."""
    request = payload["request"]
    chosen = exercise_id if exercise_id is not None else payload["exercises"][0]["id"]
    day = {"name": "AI day", "items": [{"exercise_id": chosen, "sets": sets, "reps": 10, "rest_seconds": 60}]}
    days = [day] * request["days_per_week"] + [{"name": "Rest", "rest": True}]
    return {"weeks": [{"name": f"AI week {w + 1}", "days": days} for w in range(request["weeks"])]}


class ProviderServer:
    """What the fake provider does next (`mode`), and what it received."""

    def __init__(self) -> None:
        self.mode = "good"
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.release = threading.Event()
        self.forbidden_id: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):  # keep the test output clean
                pass

            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers["Content-Length"])
                payload = json.loads(self.rfile.read(length))
                server.received.append(payload)
                server.headers.append(dict(self.headers))
                # The client may have given up (the late answer): nothing to do then.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer(payload)

            def _send(self, status: int, body: bytes, content_type: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _answer(self, payload: dict):
                mode = server.mode
                if mode == "late":
                    server.release.wait(5)
                if mode == "garbage":
                    return self._send(200, b"<html>surely this is json</html>", "text/html")
                if mode == "error":
                    return self._send(503, b'{"error": "overloaded"}')
                answer = {"workout": _workout_from(payload), "diet": None,
                          "explanations": ["Kept it simple.", {"topic": "choice", "message": "One move a day."}]}
                if mode == "bad_schema":
                    answer["workout"]["weeks"][0]["days"][0]["items"][0]["reps"] = "12-8"
                elif mode == "ruled_out":
                    answer["workout"] = _workout_from(payload, server.forbidden_id)
                elif mode == "too_long":
                    answer["workout"] = _workout_from(payload, sets=20)
                    for week in answer["workout"]["weeks"]:
                        week["days"][0] = dict(week["days"][0], items=[dict(week["days"][0]["items"][0],
                                                                           rest_seconds=900)])
                elif mode == "wrong_weeks":
                    answer["workout"]["weeks"] = answer["workout"]["weeks"][:1]
                elif mode == "bad_explanations":
                    answer["explanations"] = [{"topic": "x"}]
                elif mode == "bad_diet":
                    answer["diet"] = {"days": [{"name": "Day", "meals": []}]}
                elif mode == "huge":
                    answer["explanations"] = ["x" * 400] * 100
                return self._send(200, json.dumps(answer).encode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/plan"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def provider(app):
    """The fake provider, and the app pointed at it with a short timeout."""
    with ProviderServer() as server:
        app.config.update(PLAN_AI_URL=server.url, PLAN_AI_API_KEY="test-key", PLAN_AI_TIMEOUT_SECONDS=0.5,
                          PLAN_AI_MAX_RESPONSE_BYTES=20_000)
        yield server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rules_draft(trainer) -> dict:
    from flask import current_app

    saved = current_app.config["PLAN_AI_URL"]
    current_app.config["PLAN_AI_URL"] = None
    try:
        return generate_plan(trainer, REQUEST)["workout"]["content"]
    finally:
        current_app.config["PLAN_AI_URL"] = saved


def test_without_a_url_the_rules_draft_is_used(trainer):
    result = generate_plan(trainer, REQUEST)
    assert (result["source"], result["fallback_reason"]) == ("rules", None)


def test_good_answer_is_used_and_marked_ai(trainer, provider):
    result = generate_plan(trainer, REQUEST)
    assert (result["source"], result["fallback_reason"]) == ("ai", None)
    offered = provider.received[0]["exercises"][0]["id"]
    assert result["workout"]["content"]["weeks"][0]["days"][0]["items"][0]["exercise_id"] == offered
    messages = [e["message"] for e in result["explanations"]]
    assert "Kept it simple." in messages and "One move a day." in messages
    assert any("checked by Fitbud" in m for m in messages)


def test_provider_gets_inputs_and_allowed_exercises_but_no_identity(trainer, provider):
    generate_plan(trainer, REQUEST)
    payload, headers = provider.received[0], provider.headers[0]
    assert headers["Authorization"] == "Bearer test-key"
    assert payload["request"]["goal"] == "general_fitness" and payload["request"]["avoid"] == ["lower_back"]
    assert payload["exercises"]
    for exercise in payload["exercises"]:
        assert "lower_back" not in exercise["primary_muscles"]
        assert {exercise["equipment"], *exercise["extra_equipment"]} <= {"dumbbell", "bench", "bodyweight"}
    assert trainer.email not in json.dumps(payload)


def test_late_answer_falls_back_after_the_timeout(trainer, provider):
    provider.mode = "late"
    started = time.monotonic()
    result = generate_plan(trainer, REQUEST)
    assert time.monotonic() - started < 3
    assert result["source"] == "rules"
    assert result["fallback_reason"] == "the AI provider did not answer within 0.5 s"
    assert result["workout"]["content"] == _rules_draft(trainer)


def test_garbage_answer_falls_back(trainer, provider):
    provider.mode = "garbage"
    result = generate_plan(trainer, REQUEST)
    assert (result["source"], result["fallback_reason"]) == ("rules", "the AI provider's answer is not JSON")


def test_non_2xx_answer_falls_back(trainer, provider):
    provider.mode = "error"
    result = generate_plan(trainer, REQUEST)
    assert (result["source"], result["fallback_reason"]) == ("rules", "the AI provider answered HTTP 503")


def test_provider_down_falls_back(trainer, app):
    app.config.update(PLAN_AI_URL=f"http://127.0.0.1:{_free_port()}/plan", PLAN_AI_TIMEOUT_SECONDS=0.5)
    result = generate_plan(trainer, REQUEST)
    assert result["source"] == "rules"
    assert result["fallback_reason"].startswith("could not reach the AI provider")


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("bad_schema", "fails the plan schema (workout.weeks.0.days.0.items.0.reps"),
        ("too_long", "more than 45"),
        ("wrong_weeks", "has 1 weeks, not 2"),
        ("bad_explanations", "explanations are malformed"),
        ("bad_diet", "diet fails the plan schema"),
        ("huge", "larger than 20000 bytes"),
    ],
)
def test_invalid_content_falls_back_saying_why(trainer, provider, mode, reason):
    provider.mode = mode
    result = generate_plan(trainer, REQUEST)
    assert result["source"] == "rules"
    assert reason in result["fallback_reason"]
    assert any(reason in e["message"] for e in result["explanations"] if e["topic"] == "provider")


def test_exercise_the_restrictions_rule_out_falls_back(trainer, provider):
    from sqlalchemy import select

    from fitbud.models import Exercise

    provider.mode = "ruled_out"
    provider.forbidden_id = db.session.execute(
        select(Exercise.id).where(Exercise.slug == "conventional-deadlift")
    ).scalar_one()
    result = generate_plan(trainer, REQUEST)
    assert result["source"] == "rules"
    assert "rule out: Conventional Deadlift" in result["fallback_reason"]


def test_saving_after_a_fallback_stores_the_rules_draft(trainer, provider):
    provider.mode = "bad_schema"
    result = generate_plan(trainer, REQUEST, save=True)
    stored = db.session.get(PlanTemplate, result["saved"]["workout_plan_id"])
    assert stored.content == _rules_draft(trainer)
    assert stored.source == "generated"


def test_saving_a_good_answer_stores_the_validated_content(trainer, provider):
    result = generate_plan(trainer, REQUEST, save=True)
    stored = db.session.get(PlanTemplate, result["saved"]["workout_plan_id"])
    assert stored.content == result["workout"]["content"]
    assert stored.content["weeks"][0]["days"][0]["rest"] is False  # normalised by the schema

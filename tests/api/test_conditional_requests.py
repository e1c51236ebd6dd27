"""The reads apps poll answer an ETag, and 304 with no body while nothing changed (If-None-Match)."""

from __future__ import annotations

import pytest

CONVERSATIONS = "/api/v1/conversations"


@pytest.fixture
def conversation(http, client_headers, client_record):
    return http.post(CONVERSATIONS, json={}, headers=client_headers).json


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("trainer", "/api/v1/feed"),
        ("trainer", CONVERSATIONS),
        ("client", CONVERSATIONS),
        ("client", "/api/v1/me/today"),
        ("trainer", "/api/v1/reports"),
    ],
)
def test_an_unchanged_poll_is_a_304_without_a_body(http, request, conversation, role, path):
    headers = request.getfixturevalue(f"{role}_headers")

    first = http.get(path, headers=headers)
    again = http.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200 and first.headers["ETag"]
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_new_message_changes_the_etag_of_the_messages_and_the_conversation(
    http, client_headers, trainer_headers, conversation
):
    messages = f"{CONVERSATIONS}/{conversation['id']}/messages"
    before = http.get(messages, headers=trainer_headers)
    listed_before = http.get(CONVERSATIONS, headers=trainer_headers)

    http.post(messages, json={"body": "Running late"}, headers=client_headers)
    after = http.get(messages, headers={**trainer_headers, "If-None-Match": before.headers["ETag"]})
    listed_after = http.get(CONVERSATIONS, headers={**trainer_headers, "If-None-Match": listed_before.headers["ETag"]})

    assert after.status_code == 200 and after.json["items"][0]["body"] == "Running late"
    assert after.headers["ETag"] != before.headers["ETag"]
    assert listed_after.status_code == 200


def test_another_etag_gets_the_full_answer(http, trainer_headers):
    response = http.get("/api/v1/feed", headers={**trainer_headers, "If-None-Match": '"not-this-one"'})

    assert response.status_code == 200
    assert response.json is not None


def test_polled_reads_document_the_etag_and_the_304(http):
    spec = http.get("/api/openapi.json").json
    for path in (CONVERSATIONS, f"{CONVERSATIONS}/{{conversation_id}}/messages", "/api/v1/me/today", "/api/v1/feed"):
        operation = spec["paths"][path]["get"]
        assert "304" in operation["responses"], path
        assert operation["responses"]["200"]["headers"]["ETag"] == {"$ref": "#/components/headers/ETAG"}, path
        assert {"$ref": "#/components/parameters/IF_NONE_MATCH"} in operation["parameters"], path

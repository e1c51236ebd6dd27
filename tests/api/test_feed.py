"""The trainer's activity feed: newest first, cursor pages, filters, scoped to the trainer."""

import pytest

from fitbud.models import ActivityType
from tests.api.progress_support import today
from tests.factories import ActivityEventFactory, ClientFactory
from tests.helpers import assert_error, count_statements

URL = "/api/v1/feed"


def test_newest_first_with_client_names(http, trainer_headers, client_record):
    older = ActivityEventFactory(client=client_record)
    newer = ActivityEventFactory(client=client_record, type=ActivityType.MEAL_LOGGED)
    response = http.get(URL, headers=trainer_headers)
    assert response.status_code == 200
    assert [e["id"] for e in response.json["items"]] == [newer.id, older.id]
    first = response.json["items"][0]
    assert first["client_name"] == client_record.name and first["type"] == "meal_logged"
    assert first["occurred_at"].endswith("+00:00")
    assert response.json["next_before"] is None


def test_cursor_pages_walk_the_whole_feed(http, trainer_headers, client_record):
    ids = [ActivityEventFactory(client=client_record).id for _ in range(5)]
    seen, before = [], None
    while True:
        query = f"?limit=2&before={before}" if before else "?limit=2"
        page = http.get(URL + query, headers=trainer_headers).json
        seen += [e["id"] for e in page["items"]]
        before = page["next_before"]
        if before is None:
            break
    assert seen == sorted(ids, reverse=True)


def test_filter_by_client(http, trainer, trainer_headers, client_record):
    other = ClientFactory(trainer=trainer)
    ActivityEventFactory(client=other)
    mine = ActivityEventFactory(client=client_record)
    response = http.get(f"{URL}?client_id={client_record.id}", headers=trainer_headers)
    assert [e["id"] for e in response.json["items"]] == [mine.id]


def test_filter_by_type(http, trainer_headers, client_record):
    ActivityEventFactory(client=client_record, type=ActivityType.WORKOUT_LOGGED)
    missed = ActivityEventFactory(client=client_record, type=ActivityType.SESSION_MISSED)
    response = http.get(f"{URL}?type=session_missed", headers=trainer_headers)
    assert [e["id"] for e in response.json["items"]] == [missed.id]


def test_other_trainers_events_never_show(http, trainer_headers, other_trainer, client_record):
    foreign = ActivityEventFactory(client=ClientFactory(trainer=other_trainer))
    assert http.get(URL, headers=trainer_headers).json["items"] == []
    assert http.get(f"{URL}?client_id={foreign.client_id}", headers=trainer_headers).json["items"] == []


def test_client_logs_appear_in_their_trainers_feed(http, trainer_headers, client_headers, client_record):
    meal = {"eaten_on": today().isoformat(), "meal_name": "Breakfast", "kcal": 420}
    http.post("/api/v1/me/meal-logs", json=meal, headers=client_headers)
    check_in = {"submitted_on": today().isoformat(), "energy": 4}
    http.post("/api/v1/me/check-ins", json=check_in, headers=client_headers)
    items = http.get(URL, headers=trainer_headers).json["items"]
    assert [e["type"] for e in items] == ["check_in_submitted", "meal_logged"]
    assert items[1]["summary"] == f"{client_record.name} logged Breakfast (420 kcal)"


@pytest.mark.parametrize("query", ["type=dance", "limit=0", "limit=101", "before=0", "before=abc"])
def test_bad_arguments_are_422(http, trainer_headers, query):
    assert_error(http.get(f"{URL}?{query}", headers=trainer_headers), 422, query.split("=")[0])


def test_feed_is_for_trainers(http, client_headers):
    assert_error(http.get(URL), 401, message="Authentication required")
    assert_error(http.get(URL, headers=client_headers), 403, "role")


@pytest.mark.parametrize("events", [5, 50])
def test_statement_count_does_not_grow_with_the_page(http, trainer, trainer_headers, events):
    clients = [ClientFactory(trainer=trainer) for _ in range(3)]
    for n in range(events):
        ActivityEventFactory(client=clients[n % 3])
    with count_statements() as counter:
        response = http.get(f"{URL}?limit=100", headers=trainer_headers)
    assert len(response.json["items"]) == events
    assert counter.count == 2  # the token check and one query, at any size

"""The trainer's client list is served from the per-trainer cache until anything it shows changes."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import insert

from fitbud.extensions import db
from fitbud.models import Client
from fitbud.services import trainer_cache
from tests.factories import ClientFactory, WorkoutLogFactory
from tests.helpers import assert_error, bearer, count_statements

URL = "/api/v1/clients?page_size=50"


def _names(response) -> list[str]:
    return [item["name"] for item in response.get_json()]


def test_a_repeated_list_is_answered_from_the_cache_without_a_query(http, trainer, trainer_headers):
    ClientFactory.create_batch(3, trainer=trainer)
    first = http.get(URL, headers=trainer_headers)

    with count_statements() as counter:
        again = http.get(URL, headers=trainer_headers)

    assert again.status_code == 200
    assert counter.count == 0, counter.statements  # the token check is cached too
    assert again.get_data() == first.get_data()
    assert json.loads(again.headers["X-Pagination"]) == json.loads(first.headers["X-Pagination"])
    assert again.headers["X-Pagination"] == first.headers["X-Pagination"]
    assert again.mimetype == "application/json"


def test_an_edit_shows_at_once(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, name="Ana Old")
    assert _names(http.get(URL, headers=trainer_headers)) == ["Ana Old"]

    edited = http.patch(f"/api/v1/clients/{client.id}", json={"name": "Ana New"}, headers=trainer_headers)

    assert edited.status_code == 200
    assert _names(http.get(URL, headers=trainer_headers)) == ["Ana New"]


def test_a_new_client_and_an_archived_one_show_at_once(http, trainer, trainer_headers):
    kept = ClientFactory(trainer=trainer, name="Bo")
    assert _names(http.get(URL, headers=trainer_headers)) == ["Bo"]

    created = http.post("/api/v1/clients", json={"email": "cy@example.com", "name": "Cy"}, headers=trainer_headers)
    assert created.status_code == 201
    assert _names(http.get(URL, headers=trainer_headers)) == ["Bo", "Cy"]

    assert http.delete(f"/api/v1/clients/{kept.id}", headers=trainer_headers).status_code == 204
    assert _names(http.get(URL, headers=trainer_headers)) == ["Cy"]


def test_a_purge_shows_at_once(http, trainer, trainer_headers):
    gone = ClientFactory(trainer=trainer, name="Dee")
    assert _names(http.get(URL, headers=trainer_headers)) == ["Dee"]

    purged = http.delete(f"/api/v1/clients/{gone.id}?purge=true", json={"confirm_name": "Dee"},
                         headers=trainer_headers)

    assert purged.status_code == 204
    assert _names(http.get(URL, headers=trainer_headers)) == []


def test_a_clients_own_log_moves_their_last_activity_at_once(http, client_record, client_headers, trainer_headers):
    before = http.get(URL, headers=trainer_headers).get_json()[0]["last_activity_at"]

    logged = http.post("/api/v1/me/workout-logs", json={"performed_on": date.today().isoformat(), "exercises": []},
                       headers=client_headers)

    assert logged.status_code == 201, logged.get_json()
    after = http.get(URL, headers=trainer_headers).get_json()[0]["last_activity_at"]
    assert after is not None and after != before


def test_a_log_written_by_a_factory_also_drops_the_cache(http, client_record, trainer_headers):
    http.get(URL, headers=trainer_headers)
    with count_statements() as counter:
        WorkoutLogFactory(client=client_record)
        http.get(URL, headers=trainer_headers)
    assert any("FROM clients" in statement for statement in counter.statements)


def test_a_page_kept_for_other_units_is_not_served(http, trainer, trainer_headers):
    ClientFactory(trainer=trainer, height_cm=180.0)
    metric = http.get(URL, headers=trainer_headers).get_json()[0]

    assert http.patch("/api/v1/users/me", json={"unit_system": "imperial"}, headers=trainer_headers).status_code == 200
    imperial = http.get(URL, headers=trainer_headers).get_json()[0]

    assert metric["units"]["length"] == "cm" and metric["height"] == 180.0
    assert imperial["units"]["length"] == "in" and imperial["height"] == 70.9


def test_each_query_string_and_each_trainer_has_its_own_entry(http, trainer, other_trainer, trainer_headers):
    ClientFactory(trainer=trainer, name="Eve", is_active=True)
    ClientFactory(trainer=trainer, name="Fay", is_active=False)
    ClientFactory(trainer=other_trainer, name="Gus")

    assert _names(http.get(URL, headers=trainer_headers)) == ["Eve", "Fay"]
    assert _names(http.get(f"{URL}&is_active=false", headers=trainer_headers)) == ["Fay"]
    assert _names(http.get(f"{URL}&sort=-name", headers=trainer_headers)) == ["Fay", "Eve"]
    assert _names(http.get(URL, headers=bearer(other_trainer))) == ["Gus"]


def test_bad_arguments_are_still_422_and_not_stored(http, trainer_headers):
    for _ in range(2):
        response = http.get(f"{URL}&sort=shoe_size", headers=trainer_headers)
        assert_error(response, 422, "sort")


def test_a_change_outside_the_session_waits_for_the_timeout_or_an_invalidation(http, trainer, trainer_headers):
    assert _names(http.get(URL, headers=trainer_headers)) == []
    # A Core insert is invisible to the session hook, so the cached page stands...
    db.session.execute(insert(Client).values(trainer_id=trainer.id, email="h@example.com", name="Hal"))
    db.session.commit()
    assert _names(http.get(URL, headers=trainer_headers)) == []
    # ...until the trainer's cache is invalidated (or RESPONSE_CACHE_SECONDS pass).
    trainer_cache.invalidate(trainer.id)
    assert _names(http.get(URL, headers=trainer_headers)) == ["Hal"]


def test_zero_seconds_turns_the_cache_off(app, http, trainer, trainer_headers):
    app.config["RESPONSE_CACHE_SECONDS"] = 0
    http.get(URL, headers=trainer_headers)
    with count_statements() as counter:
        assert http.get(URL, headers=trainer_headers).status_code == 200
    assert counter.count == 1  # the page with its total (the token check is cached)


def test_a_client_added_through_the_trainer_relationship_shows_at_once(http, trainer, trainer_headers):
    assert _names(http.get(URL, headers=trainer_headers)) == []
    # The factory sets `trainer=`, so trainer_id is known only once the row is flushed.
    ClientFactory(trainer=trainer, name="Ivy")
    assert _names(http.get(URL, headers=trainer_headers)) == ["Ivy"]

"""Cached trainer views (sessions, feed, progress, stats, client profile) and a client's day: cached, never stale."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet

from fitbud.extensions import cache, db
from fitbud.models import User
from tests.factories import (
    ClientFactory,
    ExerciseFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    workout_content,
)
from tests.helpers import assert_error, bearer, count_statements

TODAY = "/api/v1/me/today"


def _week(day: date | None = None) -> str:
    day = day or datetime.now(UTC).date()
    monday = day - timedelta(days=day.weekday())
    return f"/api/v1/sessions?from={monday}T00:00:00Z&to={monday + timedelta(days=7)}T00:00:00Z"


def _trainer_views(client_id: int) -> list[str]:
    return [_week(), "/api/v1/feed", f"/api/v1/clients/{client_id}/progress", "/api/v1/stats/trainer",
            f"/api/v1/clients/{client_id}"]


@pytest.mark.parametrize("view", range(5), ids=["sessions", "feed", "progress", "stats", "client profile"])
def test_a_repeated_trainer_view_costs_no_query(http, client_record, trainer_headers, view):
    url = _trainer_views(client_record.id)[view]
    first = http.get(url, headers=trainer_headers)
    assert first.status_code == 200, first.get_json()

    with count_statements() as counter:
        again = http.get(url, headers=trainer_headers)

    assert counter.count == 0, counter.statements
    assert again.get_data() == first.get_data()


@pytest.mark.parametrize("view", range(5), ids=["sessions", "feed", "progress", "stats", "client profile"])
def test_a_repeated_trainer_view_is_two_cache_round_trips(http, client_record, trainer_headers, view, monkeypatch):
    url = _trainer_views(client_record.id)[view]
    assert http.get(url, headers=trainer_headers).status_code == 200
    db.session.expunge_all()  # as in production, the next request's session has loaded nothing
    reads = _count_cache_reads(monkeypatch)

    assert http.get(url, headers=trainer_headers).status_code == 200

    # The token check, then the view's entry (stats: the overview it is built from).
    assert reads == ["get_many", "get_many"]


def test_stats_keep_the_overview_once_not_a_second_copy_as_a_response(http, trainer, trainer_headers, monkeypatch):
    stored = []
    original_set = cache.set

    def counted_set(key, *args, **kwargs):
        stored.append(key)
        return original_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", counted_set)

    assert http.get("/api/v1/stats/trainer", headers=trainer_headers).status_code == 200

    of_trainer = [key.split(":")[2] for key in stored if key.startswith(f"trainer:{trainer.id}:")]
    assert of_trainer == ["analytics"]  # the overview the dashboard shares, and no stats body


def _count_cache_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    for name in ("get", "get_many", "add"):
        original = getattr(cache, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            reads.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(cache, name, counted)
    return reads


def test_a_booked_session_shows_in_the_week_at_once(http, client_record, trainer_headers):
    start = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1)
    url = _week(start.date())
    assert http.get(url, headers=trainer_headers).get_json() == []

    booked = http.post("/api/v1/sessions", headers=trainer_headers, json={
        "client_id": client_record.id, "starts_at": start.isoformat(), "duration_minutes": 60, "type": "in_person",
    })

    assert booked.status_code == 201, booked.get_json()
    assert [s["id"] for s in http.get(url, headers=trainer_headers).get_json()] == [booked.get_json()["id"]]


def test_a_clients_log_shows_in_the_feed_and_progress_at_once(http, client_record, client_headers, trainer_headers):
    feed = http.get("/api/v1/feed", headers=trainer_headers).get_json()["items"]
    progress_url = f"/api/v1/clients/{client_record.id}/progress"
    weights = http.get(progress_url, headers=trainer_headers).get_json()["weight"]

    logged = http.post("/api/v1/me/body-metrics", headers=client_headers, json={
        "measured_on": date.today().isoformat(), "metric": "weight", "value": 80.5,
    })
    assert logged.status_code == 201, logged.get_json()

    assert len(http.get("/api/v1/feed", headers=trainer_headers).get_json()["items"]) >= len(feed)
    assert http.get(progress_url, headers=trainer_headers).get_json()["weight"] != weights


def test_another_trainer_gets_404_not_a_cached_page(http, client_record, trainer_headers, other_trainer):
    url = f"/api/v1/clients/{client_record.id}/progress"
    assert http.get(url, headers=trainer_headers).status_code == 200
    assert_error(http.get(url, headers=bearer(other_trainer)), 404, message="No such client")


def test_a_clients_day_is_cached_under_their_trainer(http, client_record, client_headers, trainer):
    squat = ExerciseFactory(owner=trainer, name="Box Squat")
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([squat.id]))
    PlanAssignmentFactory(client=client_record, plan=plan, start_date=datetime.now(UTC).date())
    first = http.get(TODAY, headers=client_headers)
    assert first.status_code == 200

    with count_statements() as counter:
        again = http.get(TODAY, headers=client_headers)
    assert counter.count == 0, counter.statements
    assert again.get_data() == first.get_data()

    # The trainer renames their exercise: the client's day shows the new name at once.
    squat.name = "Pause Box Squat"
    db.session.commit()
    items = http.get(TODAY, headers=client_headers).get_json()["workout"]["items"]
    assert [item["exercise"]["name"] for item in items] == ["Pause Box Squat"]


def _login_of(client) -> User:
    return db.session.get(User, client.user_id)


def test_each_client_has_their_own_day(http, trainer):
    london = ClientFactory(trainer=trainer, with_login=True, timezone="Europe/London")
    tokyo = ClientFactory(trainer=trainer, with_login=True, timezone="Asia/Tokyo")
    assert http.get(TODAY, headers=bearer(_login_of(london))).get_json()["timezone"] == "Europe/London"
    assert http.get(TODAY, headers=bearer(_login_of(tokyo))).get_json()["timezone"] == "Asia/Tokyo"


def test_a_trainers_new_timezone_shows_at_once(http, trainer):
    # 20:00 UTC on 2 March is already 3 March in Tokyo.
    with time_machine.travel(datetime(2026, 3, 2, 20, 0, tzinfo=UTC), tick=False):
        trainer_headers = bearer(trainer)
        assert http.get("/api/v1/stats/trainer", headers=trainer_headers).get_json()["as_of"] == "2026-03-02"

        moved = http.patch("/api/v1/users/me", json={"timezone": "Asia/Tokyo"}, headers=trainer_headers)

        assert moved.status_code == 200, moved.get_json()
        assert http.get("/api/v1/stats/trainer", headers=trainer_headers).get_json()["as_of"] == "2026-03-03"


def test_the_day_turns_at_the_clients_midnight_even_when_cached(http, trainer):
    client = ClientFactory(trainer=trainer, with_login=True, timezone="Asia/Kolkata")
    login = _login_of(client)
    # 18:29 UTC is 23:59 in Kolkata (UTC+5:30); a minute later it is the next day there.
    with time_machine.travel(datetime(2026, 3, 2, 18, 29, tzinfo=UTC), tick=False):
        headers = bearer(login)
        assert http.get(TODAY, headers=headers).get_json()["date"] == "2026-03-02"
    with time_machine.travel(datetime(2026, 3, 2, 18, 30, tzinfo=UTC), tick=False):
        assert http.get(TODAY, headers=headers).get_json()["date"] == "2026-03-03"


def test_a_client_profile_is_kept_encrypted_in_the_cache(http, client_record, trainer_headers):
    secret = "Knee surgery in 2019; ask before any jumping."
    updated = http.patch(f"/api/v1/clients/{client_record.id}", headers=trainer_headers,
                         json={"private_notes": secret})
    assert updated.status_code == 200, updated.get_json()

    shown = http.get(f"/api/v1/clients/{client_record.id}", headers=trainer_headers).get_json()
    assert shown["private_notes"] == secret
    stored = [value for value in cache.cache._cache.values() if isinstance(value, tuple)]
    assert stored and not any(secret.encode() in pickle.dumps(value) for value in stored)


def test_an_edited_client_profile_shows_at_once(http, client_record, trainer_headers):
    url = f"/api/v1/clients/{client_record.id}"
    assert http.get(url, headers=trainer_headers).get_json()["private_notes"] != "Moved to evening sessions."

    http.patch(url, headers=trainer_headers, json={"private_notes": "Moved to evening sessions."})

    assert http.get(url, headers=trainer_headers).get_json()["private_notes"] == "Moved to evening sessions."


def test_a_profile_cached_under_a_retired_key_is_read_again(app, http, client_record, trainer_headers):
    url = f"/api/v1/clients/{client_record.id}"
    first = http.get(url, headers=trainer_headers)
    new_key = Fernet.generate_key().decode()
    # The key that encrypted the entry is dropped (the database column was re-encrypted by rotation).
    old_keys = app.config["FIELD_ENCRYPTION_KEYS"]
    with app.app_context():
        from fitbud.services.encryption import rotate_encryption_keys

        app.config["FIELD_ENCRYPTION_KEYS"] = [new_key, *old_keys]
        rotate_encryption_keys()
    app.config["FIELD_ENCRYPTION_KEYS"] = [new_key]

    again = http.get(url, headers=trainer_headers)

    assert again.status_code == 200
    assert again.get_json() == first.get_json()

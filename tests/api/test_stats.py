"""GET /api/v1/stats/trainer and GET /api/v1/admin/stats on the hand-checked world."""

import pytest

from fitbud.services import trainer_cache
from fitbud.services.analytics import set_revenue_provider
from tests.helpers import assert_error, bearer

TRAINER_URL = "/api/v1/stats/trainer"
ADMIN_URL = "/api/v1/admin/stats"


@pytest.fixture
def trainer_auth(world):
    return bearer(world.trainer)


def test_trainer_stats_give_kpis_and_growth(http, world, trainer_auth):
    response = http.get(f"{TRAINER_URL}?months=3&start=2026-02-23", headers=trainer_auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["as_of"] == "2026-03-18" and body["start"] == "2026-02-23" and body["end"] == "2026-03-18"
    assert body["kpis"] == {
        "active_clients": 3,
        "new_this_month": 1,
        "churned_this_month": 0,
        "growth_pct": 50.0,
        "sessions_this_week": {"scheduled": 3, "completed": 1, "no_show": 1, "cancelled": 1},
        "average_adherence": 72.9,
        "checkins_awaiting_reply": 3,
        "revenue_this_month": None,
    }
    assert [row["month"] for row in body["growth"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert body["growth"][1] == {
        "month": "2026-02-01",
        "new": 1,
        "churned": 1,
        "net": 0,
        "active": 2,
        "growth_pct": 0.0,
    }
    assert body["revenue"] is None


def test_trainer_stats_default_to_twelve_months(http, world, trainer_auth):
    body = http.get(TRAINER_URL, headers=trainer_auth).get_json()
    assert len(body["growth"]) == 12 and body["start"] == "2026-02-19"


def test_trainer_stats_show_revenue_from_the_provider(app, http, world, trainer_auth):
    march = [{"month": "2026-03", "currency": "gbp", "amount": 4200}]
    set_revenue_provider(app, lambda trainer_id, start, end, zone: march)
    body = http.get(f"{TRAINER_URL}?months=2", headers=trainer_auth).get_json()
    assert body["kpis"]["revenue_this_month"] == {"GBP": 42.0}
    assert body["revenue"] == [{"month": "2026-03-01", "currency": "GBP", "amount": 42.0}]


def test_trainer_stats_are_cached_until_invalidated(http, world, trainer_auth):
    from sqlalchemy import insert

    from fitbud.extensions import db
    from fitbud.models import Client

    first = http.get(TRAINER_URL, headers=trainer_auth).get_json()["kpis"]["active_clients"]
    # A Core insert bypasses the ORM hook that invalidates on commit, so the cache must answer.
    db.session.execute(
        insert(Client).values(trainer_id=world.trainer.id, email="new@example.com", name="New")
    )
    db.session.commit()
    assert http.get(TRAINER_URL, headers=trainer_auth).get_json()["kpis"]["active_clients"] == first
    trainer_cache.invalidate(world.trainer.id)
    assert http.get(TRAINER_URL, headers=trainer_auth).get_json()["kpis"]["active_clients"] == first + 1


def test_other_trainer_sees_only_their_own_figures(http, world):
    body = http.get(TRAINER_URL, headers=bearer(world.other)).get_json()
    assert body["kpis"]["active_clients"] == 1
    assert body["kpis"]["sessions_this_week"]["no_show"] == 1
    assert body["kpis"]["checkins_awaiting_reply"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("months=abc", "months"),  # wrong type
        ("months=0", "months"),  # out of range
        ("months=37", "months"),
        ("start=2026-13-01", "start"),
        ("colour=blue", "colour"),  # unknown field
    ],
)
def test_trainer_stats_reject_bad_query(http, world, trainer_auth, query, field):
    response = http.get(f"{TRAINER_URL}?{query}", headers=trainer_auth)
    assert_error(response, 422, field)


def test_trainer_stats_reject_a_range_that_ends_before_it_starts(http, world, trainer_auth):
    response = http.get(f"{TRAINER_URL}?start=2026-03-10&end=2026-03-01", headers=trainer_auth)
    assert_error(response, 422, "end")


def test_trainer_stats_need_a_token(http, world):
    assert_error(http.get(TRAINER_URL), 401, message="Authentication required")


def test_trainer_stats_are_for_trainers(http, world):
    assert_error(http.get(TRAINER_URL, headers=bearer(world.admin)), 403, "role")


def test_admin_stats(http, world):
    response = http.get(f"{ADMIN_URL}?weeks=4", headers=bearer(world.admin))
    assert response.status_code == 200
    body = response.get_json()
    assert body["totals"] == {
        "trainers": 2,
        "active_trainers": 2,
        "clients": 5,
        "active_clients": 4,
        "users_active_7d": 2,
        "users_active_30d": 2,
    }
    assert [row["clients"] for row in body["weekly_active_clients"]] == [2, 3, 3, 3]
    assert body["weekly_active_clients"][0]["week"] == "2026-02-23"
    assert body["reports_by_status"] == {"queued": 0, "started": 0, "finished": 0, "failed": 0}
    assert body["trainers"][0]["name"] == "Trainer T" and body["trainers"][0]["active_clients"] == 3
    assert body["trainers"][0]["last_login_at"] == "2026-03-17T12:00:00+00:00"


@pytest.mark.parametrize("query", ["weeks=0", "weeks=105", "weeks=x", "extra=1"])
def test_admin_stats_reject_bad_query(http, world, query):
    assert_error(http.get(f"{ADMIN_URL}?{query}", headers=bearer(world.admin)), 422, query.split("=")[0])


def test_admin_stats_need_a_token(http, world):
    assert_error(http.get(ADMIN_URL), 401, message="Authentication required")


def test_admin_stats_are_for_admins(http, world):
    assert_error(http.get(ADMIN_URL, headers=bearer(world.trainer)), 403, "role")


def test_admin_stats_are_kept_a_minute_whatever_is_committed(http, world, time_machine):
    from datetime import timedelta

    from tests.factories import TrainerFactory

    admin = bearer(world.admin)
    before = http.get(ADMIN_URL, headers=admin).get_json()["totals"]["trainers"]
    TrainerFactory()  # a commit: platform figures are not dropped by commits (every one would drop them)
    assert http.get(ADMIN_URL, headers=admin).get_json()["totals"]["trainers"] == before
    time_machine.shift(timedelta(seconds=61))
    assert http.get(ADMIN_URL, headers=admin).get_json()["totals"]["trainers"] == before + 1
